"""proj1.experiment: seeds, paired rounds of both tables, their records, summaries and effects,
the arms asked for, JSON."""

import dataclasses
import statistics

import pytest
import torch

from proj1 import study
from proj1.experiment import check_arms, draw_pairs, run_experiment
from proj1.results import Result, Round

TINY = {"epochs": 1, "source": "mnist-5k", "nb": 100, "jobs": 1}
THREE = ["split", "siamese", "siamese_aux"]  # arms of both tables


@pytest.fixture(scope="module")
def result():
    return run_experiment(THREE, rounds=2, seed=3, **TINY)


def test_records_and_summary(result):
    assert result.source == "mnist-5k" and result.tables == ["best", "controlled"]
    assert all(isinstance(r, Round) for r in result.rounds)
    assert [(r.table, r.arch, r.round, r.seed) for r in result.rounds[:7]] == [
        *(("best", a, 0, 3) for a in THREE),
        *(("controlled", a, 0, 3) for a in THREE),
        ("best", "split", 1, 4),
    ]
    row = result.summaries["best"][2]
    errors = [r.test_error for r in result.table_rounds("best") if r.arch == "siamese_aux"]
    assert row.arch == "siamese_aux" and row.rounds == 2
    assert row.test_error.mean == pytest.approx(statistics.mean(errors))
    assert row.test_error.std == pytest.approx(statistics.stdev(errors))  # sample std
    assert row.test_error.min == min(errors) and row.test_error.max == max(errors)
    assert 0 <= row.train_error.mean <= 1 and row.seconds_per_round > 0
    assert row.digit_error is not None and result.summaries["best"][0].digit_error is None
    assert [s.arch for s in result.summaries["controlled"]] == THREE


def test_each_table_trains_with_its_own_settings(result):
    for r in result.rounds:
        assert r.settings == study.settings(r.table, r.arch)
    best, controlled = (
        next(r for r in result.table_rounds(t) if r.arch == "split") for t in ("best", "controlled")
    )
    assert controlled.settings["swap"] is False and best.settings != controlled.settings
    assert best.params == controlled.params  # the same network


def test_effects_of_each_table_pair_its_own_records(result):
    for table in ("best", "controlled"):
        rows = result.effects[table]  # those whose two arms ran
        assert [e.effect for e in rows] == ["sharing, no aux, equal budget", "aux loss, siamese"]
        errors = {(r.arch, r.seed): r.test_error for r in result.table_rounds(table)}
        for e in rows:
            differences = [errors[e.without, s] - errors[e.with_, s] for s in (3, 4)]
            assert e.rounds == 2
            assert e.difference.mean == pytest.approx(statistics.mean(differences))


def test_same_seed_same_errors_and_any_round_reruns_alone(result):
    again = run_experiment(["siamese_aux"], rounds=1, seed=4, tables=["controlled"], **TINY)
    (record,) = again.rounds
    original = next(
        r for r in result.table_rounds("controlled") if r.arch == "siamese_aux" and r.seed == 4
    )
    assert dataclasses.replace(record, round=1, seconds=0) == dataclasses.replace(
        original, seconds=0
    )  # errors, settings and histories alike


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
    path = tmp_path / "results.json"
    path.write_text(result.to_json())
    loaded = Result.load(path)
    assert loaded == result  # source, config and every record
    assert loaded.summaries == result.summaries and loaded.effects == result.effects


def test_check_arms_by_table():
    both = check_arms(["best", "controlled"])
    assert both == {t: [a.name for a in study.TABLES[t].arms] for t in ("best", "controlled")}
    assert check_arms(["controlled", "best"], ["cnn", "split"]) == {
        "controlled": ["split"],  # in the tables' order, whatever the order asked
        "best": ["cnn", "split"],
    }
    assert check_arms(["best", "controlled"], ["split_swap"]) == {
        "best": [],
        "controlled": ["split_swap"],
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"archs": ["resnet"]}, "unknown arm 'resnet'; choose from mlp, cnn, split, "),
        ({"archs": ["split_swap"], "tables": ["best"]}, "unknown arm 'split_swap'; choose from"),
        ({"tables": ["best", "worst"]}, "unknown table 'worst'; choose from best, controlled"),
        ({"tables": []}, "tables must name at least one table; choose from best, controlled"),
        ({"archs": ["cnn"], "rounds": 0}, "rounds"),
        ({"archs": ["cnn"], "source": "imagenet"}, "imagenet"),
    ],
)
def test_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        run_experiment(**({"epochs": 1} | kwargs))
