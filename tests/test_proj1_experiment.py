"""proj1.experiment and proj1.stats: seeds, paired rounds, summaries, effects, JSON."""

import statistics

import pytest
import torch

from proj1.experiment import Result, draw_pairs, run_experiment
from proj1.stats import describe, effects, summarise

TINY = {"epochs": 1, "source": "mnist-5k", "nb": 100, "jobs": 1}


@pytest.fixture(scope="module")
def result():
    return run_experiment(["split", "siamese", "siamese_aux"], rounds=2, seed=3, **TINY)


def test_records_and_summary(result):
    assert result.source == "mnist-5k"
    assert [(r["arch"], r["round"], r["seed"]) for r in result.rounds[:4]] == [
        ("split", 0, 3),
        ("siamese", 0, 3),
        ("siamese_aux", 0, 3),
        ("split", 1, 4),
    ]
    row = result.summary[2]
    errors = [r["test_error"] for r in result.rounds if r["arch"] == "siamese_aux"]
    assert row["arch"] == "siamese_aux" and row["rounds"] == 2
    assert row["test_error_mean"] == pytest.approx(statistics.mean(errors))
    assert row["test_error_std"] == pytest.approx(statistics.stdev(errors))  # sample std
    assert row["test_error_min"] == min(errors) and row["test_error_max"] == max(errors)
    assert 0 <= row["train_error_mean"] <= 1 and row["seconds_per_round"] > 0
    assert row["digit_error_mean"] is not None and result.summary[0]["digit_error_mean"] is None


def test_same_seed_same_errors_and_any_round_reruns_alone(result):
    again = run_experiment(["siamese_aux"], rounds=1, seed=4, **TINY)
    original = next(r for r in result.rounds if r["arch"] == "siamese_aux" and r["seed"] == 4)
    for key in ("train_error", "test_error", "digit_error"):
        assert again.rounds[0][key] == original[key]
    assert again.rounds[0]["history"]["loss"] == original["history"]["loss"]


def test_different_rounds_draw_different_data():
    (a, _), (b, _) = (draw_pairs(100, seed, "mnist-5k", None) for seed in (0, 1))
    assert not torch.equal(a[0], b[0])
    c, _ = draw_pairs(100, 0, "mnist-5k", None)
    assert torch.equal(a[0], c[0])


def test_validation_split_comes_from_the_training_pairs():
    (train, val) = draw_pairs(100, 0, "mnist-5k", None, validation=20)
    (full, _) = draw_pairs(100, 0, "mnist-5k", None)
    assert len(train[0]) == 80 and len(val[0]) == 20
    assert torch.equal(val[0], full[0][80:])


def test_json_round_trip(result, tmp_path):
    path = result.save(tmp_path / "sub" / "results.json")
    loaded = Result.load(path)
    assert loaded.source == result.source and loaded.config == result.config
    assert loaded.rounds == result.rounds
    assert loaded.summary == result.summary and loaded.effects == result.effects


def test_effects_are_paired_by_round():
    rounds = [
        {"arch": a, "seed": s, "test_error": e}
        for a, s, e in [("split", 0, 0.3), ("siamese", 0, 0.2), ("split", 1, 0.25)]
        + [("siamese", 1, 0.25), ("siamese", 2, 0.1)]  # seed 2 has no split: unpaired
    ]
    (row,) = effects(rounds)
    assert row["effect"] == "sharing, no aux, equal budget" and row["rounds"] == 2
    assert row["mean"] == pytest.approx(0.05) and row["wins"] == 1
    assert row["min"] == pytest.approx(0.0) and row["max"] == pytest.approx(0.1)


def test_describe_and_summarise_single_round():
    assert describe([0.5]) == {"mean": 0.5, "std": None, "min": 0.5, "max": 0.5}
    record = {"arch": "cnn", "params": 1, "train_error": 0.1, "test_error": 0.2}
    (row,) = summarise([record | {"digit_error": None, "seconds": 1.0}])
    assert row["test_error_std"] is None and row["digit_error_mean"] is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"archs": ["resnet"]}, "unknown architecture 'resnet'"),
        ({"archs": ["cnn"], "rounds": 0}, "rounds"),
        ({"archs": ["cnn"], "source": "imagenet"}, "imagenet"),
    ],
)
def test_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        run_experiment(**({"epochs": 1} | kwargs))
