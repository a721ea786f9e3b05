"""python -m proj1's options, each observed where it acts, and its printed tables parsed
back and compared with the results.json it wrote."""

import contextlib
import io
import json
import re

import pytest
from idx_files import write_mnist

from proj1 import cli
from proj1.experiment import Result, run_experiment

FOUR = ["split", "siamese", "split_aux", "siamese_aux"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One small real run: 4 archs x 2 rounds x 1 epoch, seeds 5 and 6, no curves."""
    out = tmp_path_factory.mktemp("cli")
    argv = ["--archs", *FOUR, "--rounds", "2", "--epochs", "1", "--seed", "5", "--jobs", "1"]
    argv += ["--source", "mnist-5k", "--no-curves", "--out", str(out)]
    stdout = io.StringIO()  # capsys is function-scoped: captured by hand
    with contextlib.redirect_stdout(stdout):
        assert cli.main(argv) == 0
    return out, stdout.getvalue(), json.loads((out / "results.json").read_text())


def table(text, first_header):
    """The rows of the aligned table that starts with `first_header`, split on 2+ spaces."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip() or line.startswith(("error drop:", "wrote")):
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def pct(mean, std):
    return f"{100 * mean:.2f} ± {100 * std:.2f}"


def test_printed_summary_is_the_saved_summary(run):
    _, out, doc = run
    rows = table(out, "arch")
    assert [r[0] for r in rows] == FOUR == [s["arch"] for s in doc["summary"]]
    for row, s in zip(rows, doc["summary"]):
        assert row[1] == f"{s['params']:,}"
        assert row[2] == pct(s["train_error_mean"], s["train_error_std"])
        assert row[3] == pct(s["test_error_mean"], s["test_error_std"])
        assert row[4] == f"[{100 * s['test_error_min']:.1f}, {100 * s['test_error_max']:.1f}]"
        if s["digit_error_mean"] is None:
            assert row[5] == "-"
        else:
            assert row[5] == pct(s["digit_error_mean"], s["digit_error_std"])


def test_printed_effects_are_the_saved_effects(run):
    _, out, doc = run
    rows = table(out, "effect")
    assert [r[0] for r in rows] == [e["effect"] for e in doc["effects"]]
    assert len(rows) == 4
    for row, e in zip(rows, doc["effects"]):
        assert row[1] == f"{e['without']} -> {e['with']}"
        assert row[2] == pct(e["mean"], e["std"])
        assert row[3] == f"[{100 * e['ci_low']:.2f}, {100 * e['ci_high']:.2f}]"
        assert row[4] == f"{e['wins']}/2" and e["rounds"] == 2
        assert (row[5], row[6]) == (f"{e['p_sign']:.4f}", f"{e['p_holm']:.4f}")
        assert row[7] == e["verdict"] == "not distinguishable at 2 rounds"  # 2 rounds never are


def test_seed_rounds_and_no_curves(run):
    out_dir, out, doc = run
    assert "seeds 5..6" in out and "2 rounds x 1 epochs" in out and "data source: mnist-5k" in out
    assert [(r["arch"], r["seed"], r["round"]) for r in doc["rounds"][:5]] == [
        *((a, 5, 0) for a in FOUR),
        ("split", 6, 1),
    ]
    assert all(r["history"]["test_error"] == [] for r in doc["rounds"])
    assert (out_dir / "errors.png").exists() and not (out_dir / "curves.png").exists()
    assert f"wrote {out_dir / 'results.json'}, {out_dir / 'errors.png'}" in out
    # the records are those of the library called with the same seed
    again = run_experiment(["split"], rounds=1, epochs=1, source="mnist-5k", seed=6, jobs=1)
    assert again.rounds[0]["test_error"] == doc["rounds"][4]["test_error"]


def test_options_reach_the_experiment(monkeypatch, tmp_path, capsys):
    asked = []

    def fake(*args, **kwargs):
        asked.append((args, kwargs))
        history = {"loss": [0.5], "train_error": [0.2], "test_error": [0.25]}
        record = {"arch": "cnn", "round": 0, "seed": 0, "params": 5, "train_error": 0.2}
        record |= {"test_error": 0.25, "digit_error": None, "seconds": 1.0, "history": history}
        config = {"archs": args[0], "rounds": args[1], "epochs": args[2], "seed": args[6]}
        config |= {"nb": 1000, "device": "cpu", "evaluated_on": "test", "validation": 0}
        return Result("mnist", config | {"train_options": {}}, [record])

    monkeypatch.setattr(cli, "run_experiment", fake)
    monkeypatch.setattr(cli, "usable_cores", lambda: 4)
    write_mnist(tmp_path, n_train=2000, n_test=2000)  # checked before the (fake) training
    argv = ["--archs", "cnn", "--rounds", "3", "--epochs", "2", "--source", "mnist"]
    argv += ["--data-dir", str(tmp_path), "--seed", "9", "--threads", "3", "--jobs", "2"]
    assert cli.main(argv + ["--no-save"]) == 0
    (args, kwargs) = asked[0]
    assert args == (["cnn"], 3, 2, "mnist", str(tmp_path), "cpu", 9)
    assert kwargs["threads"] == 3 and kwargs["jobs"] == 2 and kwargs["curves"] is False
    assert "seeds 9..11" in capsys.readouterr().out
    cli.main(["--archs", "cnn", "--no-curves", "--out", str(tmp_path / "o1")])
    assert asked[1][1]["curves"] is False and asked[1][1]["threads"] == cli.THREADS
    cli.main(["--archs", "cnn", "--out", str(tmp_path / "o2")])
    assert asked[2][1]["curves"] is True and asked[2][0][6] == 0  # seed 0 by default


def test_no_save_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["--archs", "cnn", "--rounds", "1", "--epochs", "1", "--source", "mnist-5k"]
    assert cli.main(argv + ["--jobs", "1", "--no-save", "--out", str(out)]) == 0
    assert not out.exists()
    printed = capsys.readouterr().out
    assert "cnn" in printed and "wrote" not in printed and "effect" not in printed


def test_data_dir_holds_the_full_mnist_that_auto_picks(tmp_path, capsys):
    write_mnist(tmp_path / "MNIST" / "raw", n_train=2000, n_test=2000)  # 1,000 pairs each
    argv = ["--archs", "cnn", "--rounds", "1", "--epochs", "1", "--jobs", "1", "--no-save"]
    assert cli.main(argv + ["--data-dir", str(tmp_path)]) == 0
    assert "data source: mnist;" in capsys.readouterr().out


def test_source_mnist_without_files_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--source", "mnist", "--data-dir", str(tmp_path), "--no-save"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "full MNIST not found" in err and "python -m proj1.data download" in err
