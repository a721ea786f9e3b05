"""proj1.experiment's arms and validation split, proj1.sweep's arithmetic, and the seed
executable proj1/test.py, each observed where it acts."""

import dataclasses
import runpy
import sys
import time
from pathlib import Path

import pytest
import torch
from proj1_records import make_round, rounds_of, without_time

from proj1 import cli, experiment, study, sweep
from proj1.experiment import draw_pairs, run_experiment, run_round
from proj1.jobs import default_jobs
from proj1.models import count_parameters
from proj1.results import Result
from proj1.training import History, Normaliser

ROOT = Path(__file__).resolve().parents[1]
ARMS = [(t.name, a.name) for t in study.TABLES.values() for a in t.arms]


@pytest.fixture(scope="module")
def pairs():
    return draw_pairs(40, 5, "mnist-5k", None)


def spy_train(monkeypatch):
    """Replace training by a record of what it was asked (the model, then the options)."""
    calls = []
    real = experiment.train

    def spying(model, *args, **options):
        calls.append((model, options))
        return real(model, *args, **options)

    monkeypatch.setattr(experiment, "train", spying)
    return calls


def spy_build(monkeypatch):
    """Replace study.build by a record of the network and options it was asked for."""
    built, real = [], study.build

    def building(network, **options):
        built.append((network, options))
        return real(network, **options)

    monkeypatch.setattr(study, "build", building)
    return built


@pytest.mark.parametrize(("table", "arm"), ARMS, ids=[f"{t}-{a}" for t, a in ARMS])
def test_every_arm_trains_its_network_with_its_tables_settings(table, arm, pairs, monkeypatch):
    calls, built = spy_train(monkeypatch), spy_build(monkeypatch)
    record = run_round(table, arm, 0, 5, pairs, epochs=1, overrides={"batch_size": 20})
    network = study.TABLES[table].arm(arm).network
    model_options, train_options = study.split_options(study.settings(table, arm))
    (model, asked) = calls[0]
    assert built == [(network, model_options)]
    assert type(model) is type(study.build(network)) and (record.table, record.arch) == (table, arm)
    assert record.params == count_parameters(study.build(network))
    assert {k: asked[k] for k in train_options} == train_options and asked["batch_size"] == 20
    assert asked["epochs"] == 1 and asked["test"] is None
    assert record.settings == study.settings(table, arm) | {"batch_size": 20}


@pytest.mark.parametrize("table", ["best", "controlled"])
def test_a_round_applies_its_tuned_settings_and_records_them(table, pairs, monkeypatch):
    calls, built = spy_train(monkeypatch), spy_build(monkeypatch)
    begin = time.perf_counter()
    record = run_round(table, "siamese_aux", 1, 5, pairs, epochs=2)
    elapsed = time.perf_counter() - begin
    model_options, train_options = study.split_options(study.settings(table, "siamese_aux"))
    assert model_options and train_options  # tuned: there is something to apply
    assert built == [("siamese_aux", model_options)]
    [(_, asked)] = calls
    assert {k: v for k, v in asked.items() if k != "generator"} == train_options | {
        "epochs": 2,
        "test": None,
        "device": "cpu",
    }
    assert record.settings == model_options | train_options and record.round == 1
    assert {k: len(v) for k, v in record.history.items()} == {
        "loss": 2,
        "train_error": 2,
        "test_error": 0,
    }
    assert 0 < record.seconds < elapsed  # the training's time, within the call's


def test_a_configuration_under_evaluation_replaces_the_tuned_one(pairs, monkeypatch):
    calls, built = spy_train(monkeypatch), spy_build(monkeypatch)
    chosen = {"lr": 0.01, "dropout": 0.125, "softmax": False, "aux_weight": 3.0}
    record = run_round("controlled", "split_swap", 0, 5, pairs, epochs=1, chosen=chosen)
    assert built == [("split", {"dropout": 0.125, "softmax": False})]
    assert calls[0][1]["lr"] == 0.01 and calls[0][1]["swap"] is True
    assert "aux_weight" not in calls[0][1]  # split has no auxiliary loss
    assert record.settings == {"lr": 0.01, "dropout": 0.125, "softmax": False, "swap": True}


def test_an_arms_settings_can_be_overridden(pairs, monkeypatch):
    calls, built = spy_train(monkeypatch), spy_build(monkeypatch)
    run_round("best", "siamese_exact", 0, 5, pairs, epochs=1, overrides={"shift": 2})
    run_round("controlled", "siamese", 0, 5, pairs, epochs=1, overrides={"dropout": 0.0})
    assert calls[0][1]["shift"] == 2 and built[1][1]["dropout"] == 0.0


def test_a_round_is_a_fresh_init_and_draw_from_its_seed(pairs):
    a = run_round("best", "split", 0, 5, pairs, epochs=1)
    b = run_round("best", "split", 0, 5, pairs, epochs=1)
    c = run_round("best", "split", 0, 6, pairs, epochs=1)
    assert a.history == b.history and a.history["loss"] != c.history["loss"]
    assert a.seed == 5 and a.digit_error is None and a.seconds > 0
    assert a.test_error * 40 == pytest.approx(round(a.test_error * 40))


def test_validation_pairs_replace_the_test_pairs(monkeypatch):
    sizes = []
    real = experiment.evaluate

    def spying(model, x, t, *, normaliser):
        sizes.append(len(x))
        return real(model, x, t, normaliser=normaliser)

    monkeypatch.setattr(experiment, "evaluate", spying)
    result = run_experiment(
        ["cnn"], rounds=1, epochs=1, source="mnist-5k", nb=50, validation=15, jobs=1
    )
    assert sizes == [35, 15]  # trained on 35, evaluated on the last 15 training pairs
    assert result.config["evaluated_on"] == "validation" and result.config["validation"] == 15
    (train_set, val_set) = draw_pairs(50, 0, "mnist-5k", None, validation=15)
    assert len(train_set[0]) == 35 and len(val_set[0]) == 15
    sizes.clear()
    result = run_experiment(["cnn"], rounds=1, epochs=1, source="mnist-5k", nb=50, jobs=1)
    assert sizes == [50, 50] and result.config["evaluated_on"] == "test"


def test_curves_record_one_test_error_per_epoch():
    result = run_experiment(
        ["split"], rounds=1, epochs=2, source="mnist-5k", nb=30, curves=True, jobs=1, seed=7,
        tables=["controlled"],
    )  # fmt: skip
    (record,) = result.rounds
    assert len(record.history["test_error"]) == 2 and record.round == 0
    assert record.history["test_error"][-1] == record.test_error
    assert result.config == {
        "arms": {"controlled": ["split"]},
        "rounds": 1,
        "epochs": 2,
        "seed": 7,
        "nb": 30,
        "device": "cpu",
        "evaluated_on": "test",
        "validation": 0,
        "overrides": {},
        "curves": True,
        "threads": 1,
    }


def test_finished_records_are_not_trained_again_and_each_new_one_is_handed_over():
    options = {"rounds": 2, "epochs": 1, "source": "mnist-5k", "nb": 30, "jobs": 1}
    whole = run_experiment(["split", "siamese"], tables=["best"], **options)
    kept = []
    done = [dataclasses.asdict(r) for r in whole.rounds[:3]]  # as read back from JSON
    resumed = run_experiment(
        ["split", "siamese"], tables=["best"], done=done, on_record=kept.append, **options
    )
    assert resumed.rounds[:3] == whole.rounds[:3]
    assert without_time(kept) == without_time([whole.rounds[3]])  # the one missing
    assert without_time(resumed.rounds) == without_time(whole.rounds)


def test_aux_weight_sweep_labels_each_summary_row(monkeypatch):
    asked = []

    def fake_run(archs, rounds, **options):
        asked.append((archs, options["tables"], options["overrides"], options["validation"]))
        return Result("mnist-5k", {}, rounds_of({"split_aux": [0.1], "siamese_aux": [0.05]}))

    monkeypatch.setattr(sweep, "run_experiment", fake_run)
    rows = sweep.aux_weight_sweep(weights=(0.0, 2.0), rounds=1)
    assert asked == [
        (("split_aux", "siamese_aux"), ("best",), {"aux_weight": w}, sweep.VALIDATION)
        for w in (0.0, 2.0)
    ]
    assert [(r["aux_weight"], r["arch"]) for r in rows] == [
        (0.0, "split_aux"), (0.0, "siamese_aux"), (2.0, "split_aux"), (2.0, "siamese_aux"),
    ]  # fmt: skip
    assert rows[1]["test_error"]["mean"] == 0.05 and rows[1]["rounds"] == 1


def test_aux_weight_sweep_resumes_each_weight_from_its_own_records(monkeypatch):
    given = []

    def fake_run(archs, rounds, *, done, **options):
        given.append([r.settings["aux_weight"] for r in done])
        return Result("mnist-5k", {}, rounds_of({"split_aux": [0.1]}))

    monkeypatch.setattr(sweep, "run_experiment", fake_run)
    done = [make_round("split_aux", 0, 0.1, settings={"aux_weight": w}) for w in (2.0, 0.0, 2.0)]
    sweep.aux_weight_sweep(weights=(0.0, 1.0, 2.0), rounds=1, done=done)
    assert given == [[0.0], [], [2.0, 2.0]]


def test_proj1_test_py_runs_the_default_comparison_without_saving(monkeypatch):
    asked = []
    monkeypatch.setattr(cli, "main", lambda argv: asked.append(argv) or 0)
    monkeypatch.setattr(sys, "path", [str(ROOT / "proj1"), *sys.path])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(ROOT / "proj1" / "test.py"), run_name="__main__")
    assert exit_info.value.code == 0 and asked == [["--no-save"]]
    # its own folder is off sys.path (proj1/test.py would shadow the stdlib's test), the root on
    assert sys.path[0] == str(ROOT) and str(ROOT / "proj1") not in sys.path


def test_the_default_source_is_auto():
    result = run_experiment(["cnn"], rounds=1, epochs=1, nb=20, jobs=1)
    assert result.source == "mnist-5k"  # the tests' data root holds no full MNIST


def spy_run_jobs(monkeypatch, asked, count=1):
    """Replace the jobs' runner by a record of its arguments and of the first `count` jobs;
    every job "returns" a made-up record."""

    def fake_run_jobs(function, jobs_args, total, **options):
        jobs = list(jobs_args)
        asked.update(options, total=total, jobs_args=jobs[:count])
        return [make_round(arm, seed, 0.5, table) for _, (table, arm, _, seed, *_) in jobs]

    monkeypatch.setattr(experiment, "run_jobs", fake_run_jobs)


def test_run_experiments_defaults(monkeypatch):
    asked = {}
    spy_run_jobs(monkeypatch, asked)
    result = run_experiment()
    assert result.source == "mnist-5k"  # auto, and the tests' data root is empty
    arms = {t.name: [a.name for a in t.arms] for t in study.TABLES.values()}
    assert result.config == {
        "arms": arms,
        "rounds": 10,
        "epochs": 25,
        "seed": 0,
        "nb": 1000,
        "device": "cpu",
        "evaluated_on": "test",
        "validation": 0,
        "overrides": {},
        "curves": False,
        "threads": 1,
    }
    total = 10 * (len(arms["best"]) + len(arms["controlled"]))
    assert (asked["total"], asked["threads"], asked["progress"]) == (total, 1, False)
    assert asked["on_result"] is None and len(result.rounds) == total
    assert (asked["jobs"], asked["desc"]) == (default_jobs("cpu"), "rounds")
    [(label, (table, arm, r, seed, pairs, options))] = asked["jobs_args"]
    assert (label, table, arm, r, seed) == ("mlp (best), round 0 (seed 0)", "best", "mlp", 0, 0)
    assert len(pairs[0][0]) == 1000
    assert options == {"epochs": 25, "device": "cpu", "curves": False, "overrides": None}


def test_run_experiment_hands_its_jobs_options_and_labels_on(monkeypatch):
    asked = {}
    spy_run_jobs(monkeypatch, asked, count=3)
    run_experiment(["mlp", "split_swap"], rounds=2, seed=5, nb=10, jobs=3, threads=2, progress=True)
    assert (asked["jobs"], asked["threads"], asked["progress"]) == (3, 2, True)
    labels = [label for label, _ in asked["jobs_args"]]
    assert labels == [
        "mlp (best), round 0 (seed 5)",
        "split_swap (controlled), round 0 (seed 5)",
        "mlp (best), round 1 (seed 6)",
    ]


def test_unknown_arms_are_all_named():
    with pytest.raises(ValueError) as error:
        run_experiment(["resnet", "vgg"])
    choices = ", ".join(study.arm_names(study.TABLES))
    assert str(error.value) == f"unknown arm 'resnet', 'vgg'; choose from {choices}"


def test_a_round_trains_with_a_generator_seeded_by_the_round(pairs, monkeypatch):
    states = []
    real = experiment.train

    def spying(model, *args, generator, **options):
        states.append(generator.get_state())
        return real(model, *args, generator=generator, **options)

    monkeypatch.setattr(experiment, "train", spying)
    run_round("best", "split", 0, 5, pairs, epochs=1)
    assert torch.equal(states[0], torch.Generator().manual_seed(5).get_state())


def test_run_experiment_shows_progress_on_request(capsys):
    run_experiment(["cnn"], rounds=1, epochs=1, source="mnist-5k", nb=20, jobs=1)
    assert capsys.readouterr().err == ""
    run_experiment(["cnn"], rounds=1, epochs=1, source="mnist-5k", nb=20, jobs=1, progress=True)
    assert "rounds" in capsys.readouterr().err


def test_a_round_trains_25_epochs_by_default(pairs, monkeypatch):
    asked = []

    def fake_train(model, x, *args, epochs, **options):
        asked.append(epochs)
        return History(Normaliser.fit(x))

    monkeypatch.setattr(experiment, "train", fake_train)
    record = run_round("best", "split", 0, 5, pairs)
    assert asked == [25] and record.history["loss"] == []
