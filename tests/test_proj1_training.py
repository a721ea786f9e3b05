"""proj1.training: the loss falls, aux_weight=0 is the plain path, augmentations, errors.

`PROJ1_TEST_DEVICE=cuda` trains on the GPU instead (benchmarks/gpu_check.sh).
"""

import os

import pytest
import torch

from proj1.data import generate_pair_sets
from proj1.study import ARCHITECTURES, build
from proj1.training import (
    Normaliser,
    evaluate,
    shift_images,
    swap_pairs,
    train,
)


@pytest.fixture(scope="module")
def pairs():
    return generate_pair_sets(200, source="mnist-5k", generator=torch.Generator().manual_seed(0))


DEVICE = os.environ.get("PROJ1_TEST_DEVICE", "cpu")


def fit(arch, pairs, seed=0, **options):
    torch.manual_seed(seed)
    model = build(arch)
    generator = torch.Generator().manual_seed(seed)
    history = train(model, *pairs[:3], generator=generator, device=DEVICE, **options)
    return model, history


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_a_few_epochs_lower_the_loss(arch, pairs):
    # 10 epochs: the last epoch's mean loss over the first's was at most 0.80 for every
    # architecture over seeds 0-3 (the slowest: split, split_wide, ~0.6-0.8); at 5 epochs
    # split only reached 0.94-0.97, too close to 1 for another CPU's rounding
    model, history = fit(arch, pairs, epochs=10, batch_size=50)
    assert len(history.loss) == len(history.train_error) == 10
    assert history.test_error == []
    assert history.loss[-1] < 0.9 * history.loss[0]


def test_test_error_is_tracked_when_asked(pairs):
    model, history = fit("siamese_aux", pairs, epochs=2, test=pairs[3:5])
    assert len(history.test_error) == 2
    last = evaluate(model, *pairs[3:5], normaliser=history.normaliser).comparison
    assert history.test_error[-1] == last


def test_aux_weight_zero_is_the_plain_network(pairs):
    plain, h_plain = fit("siamese", pairs, epochs=2)
    aux, h_aux = fit("siamese_aux", pairs, epochs=2, aux_weight=0.0)
    assert h_plain.loss == h_aux.loss
    for p, q in zip(plain.parameters(), aux.parameters(), strict=True):
        assert torch.equal(p, q)


def test_same_seed_same_model_different_seed_different_model(pairs):
    a, _ = fit("split_aux", pairs, seed=1, epochs=1)
    b, _ = fit("split_aux", pairs, seed=1, epochs=1)
    c, _ = fit("split_aux", pairs, seed=2, epochs=1)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters(), strict=True))


def test_evaluate_reports_digit_comparison_only_with_digits(pairs):
    model, history = fit("siamese_aux", pairs, epochs=1)
    errors = evaluate(model, *pairs[3:5], normaliser=history.normaliser)
    assert 0 <= errors.comparison <= 1 and 0 <= errors.digits <= 1
    model, history = fit("cnn", pairs, epochs=1)
    assert evaluate(model, *pairs[3:5], normaliser=history.normaliser).digits is None


def test_normaliser_uses_training_statistics(pairs):
    norm = Normaliser.fit(pairs[0])
    z = norm(pairs[0])
    assert abs(z.mean().item()) < 1e-4 and abs(z.std().item() - 1) < 1e-4
    assert norm(pairs[3]).mean().item() != pytest.approx(0.0, abs=1e-6)


def test_swap_pairs_keeps_targets_consistent(pairs):
    x, t, c = swap_pairs(*pairs[:3], torch.Generator().manual_seed(0))
    assert torch.equal(t, (c[:, 0] <= c[:, 1]).long())
    flipped = (c != pairs[2]).any(1)
    assert 0 < flipped.sum() < len(t)
    torch.testing.assert_close(x[flipped], pairs[0][flipped].flip(1))


def test_shift_images_translates_each_image_by_at_most_one_pixel():
    x = torch.rand(3, 2, 14, 14)
    y = shift_images(x, 1, torch.Generator().manual_seed(0))
    assert y.shape == x.shape
    for img, out in zip(x.flatten(0, 1), y.flatten(0, 1), strict=True):
        # the interior 12x12 of the output is a 12x12 window of the input
        assert any(
            torch.equal(out[1:13, 1:13], img[dy : dy + 12, dx : dx + 12])
            for dy in range(3)
            for dx in range(3)
        )


def test_clear_errors(pairs):
    x, t, c = pairs[:3]
    errors = {
        "this model has an auxiliary loss: pass the digit classes (N, 2)": {},
        "swap augmentation needs the digit classes to recompute the targets": {"swap": True},
        "unknown schedule 'linear'; choose from constant, cosine": {"schedule": "linear"},
    }
    for message, options in errors.items():
        with pytest.raises(ValueError) as error:
            train(build("siamese_aux"), x, t, epochs=1, **options)
        assert str(error.value) == message


def test_inputs_without_pixel_spread_are_refused_before_training():
    x, t = torch.full((10, 2, 14, 14), 7.0), torch.zeros(10, dtype=torch.long)
    with pytest.raises(ValueError) as error:
        train(build("mlp"), x, t, epochs=1)
    assert str(error.value) == (
        "the training inputs have no pixel spread (std 0.0, every value 7): nothing to learn "
        "from; check the data"
    )


def test_a_diverging_training_stops_at_the_first_non_finite_loss(pairs):
    torch.manual_seed(0)
    with pytest.raises(FloatingPointError, match=r"the training loss is nan at epoch \d+ of 20"):
        train(build("cnn"), *pairs[:3], epochs=20, lr=1e12)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"epochs": 0}, "epochs must be between 1 and 10000, got 0"),
        ({"epochs": 2.0}, "epochs must be an integer, got 2.0 (float)"),
        ({"lr": -1e-3}, "lr must be a finite number >= 0, got -0.001"),
        ({"lr": float("nan")}, "lr must be a finite number >= 0, got nan"),
        ({"weight_decay": -1e-3}, "weight_decay must be a finite number >= 0, got -0.001"),
        ({"aux_weight": float("inf")}, "aux_weight must be a finite number >= 0, got inf"),
        ({"batch_size": 0}, "batch_size must be >= 1, got 0"),
        ({"shift": 14}, "shift must be between 0 and 13, got 14"),
        ({"device": "tpu"}, "device must be cpu, cuda or cuda:N, got 'tpu'"),
    ],
)
def test_bad_training_options_are_refused_before_training(pairs, options, message):
    model = build("mlp")
    before = [p.clone() for p in model.parameters()]
    with pytest.raises((ValueError, TypeError)) as error:
        train(model, *pairs[:3], **options)
    assert str(error.value) == message
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_training_uses_deterministic_cudnn_and_restores_the_caller_s_setting(pairs, monkeypatch):
    # on a GPU, cuDNN's fastest kernels made one seed give two models (benchmarks/gpu_check.sh)
    cudnn = torch.backends.cudnn
    monkeypatch.setattr(cudnn, "deterministic", False)
    monkeypatch.setattr(cudnn, "benchmark", True)
    seen = set()
    model = build("mlp")
    model.register_forward_hook(lambda *_: seen.add((cudnn.deterministic, cudnn.benchmark)))
    train(model, *pairs[:3], epochs=1, device=DEVICE)
    assert seen == {(True, False)}
    assert (cudnn.deterministic, cudnn.benchmark) == (False, True)


def test_swap_gives_the_tie_bit(pairs):
    """A swapped pair's target is recomputed from the classes: an unequal pair's flips, a
    tie's stays 1. A network trained on both orders learns which pairs are ties, which the
    comparison target alone does not say (study.supervision: 'target + tie bit')."""
    x, t, c = pairs[:3]
    sx, st, sc = swap_pairs(x, t, c, torch.Generator().manual_seed(0))
    swapped = (sx != x).flatten(1).any(1)
    tie = c[:, 0] == c[:, 1]
    assert (swapped & tie).any() and (swapped & ~tie).any()
    assert torch.equal(st[swapped & ~tie], 1 - t[swapped & ~tie])
    assert (st[swapped & tie] == 1).all() and (t[swapped & tie] == 1).all()
