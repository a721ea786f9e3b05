"""proj1.writeup: the Markdown report says only what its numbers support."""

from proj1.experiment import Result
from proj1.writeup import conclusions, markdown


def fake_result():
    errors = {  # 10 rounds: aux always much better, sharing indistinguishable
        "split": [0.20 + 0.01 * (r % 3) for r in range(10)],
        "siamese": [0.20 + 0.01 * ((r + 1) % 3) for r in range(10)],
        "split_aux": [0.04] * 10,
        "cnn": [0.18] * 10,
    }
    rounds = [
        {"arch": a, "round": r, "seed": r, "params": 70_000, "train_error": 0.0}
        | {"test_error": e, "digit_error": None, "seconds": 1.0, "settings": {"lr": 0.002}}
        for a, es in errors.items()
        for r, e in enumerate(es)
    ]
    config = {"rounds": 10, "epochs": 25, "seed": 0, "nb": 1000}
    return Result("mnist-5k", config, rounds)


def test_conclusions_follow_the_verdicts():
    lines = conclusions(fake_result())
    assert lines[0].startswith("The lowest mean test error is `split_aux`'s, 4.00 ± 0.00 %")
    sharing = next(line for line in lines if line.startswith("sharing, no aux, equal budget"))
    assert "not distinguishable at 10 rounds" in sharing and "lowers" not in sharing
    assert "It asks: at the same parameter budget" in sharing
    aux = next(line for line in lines if line.startswith("aux loss, split"))
    assert "lowers the error by 16.90 points" in aux and "in 10 of 10 rounds" in aux
    assert "distinguishable from 0" in aux
    assert lines[-1].startswith("`cnn`, a convnet of 70,000 parameters") and "18.00 %" in lines[-1]


def test_markdown_has_every_section_and_the_figure():
    text = markdown(fake_result(), "errors.png")
    for heading in ("Question", "Data and protocol", "Architectures", "Tuning", "Results"):
        assert f"\n## {heading}\n" in text
    assert "![Test error per architecture over the rounds](errors.png)" in text
    assert "| `split_aux` | 70,000 | " in text and "lr 0.002" in text
    assert "10 rounds (seeds 0..9) of 25 epochs" in text
    assert "errors.png" not in markdown(fake_result(), None)
