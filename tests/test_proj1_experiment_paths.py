"""proj1.experiment's variants and validation split, proj1.sweep's arithmetic, and the
seed executable proj1/test.py, each observed where it acts."""

import json
import runpy
import sys
import time
from pathlib import Path

import pytest
import torch

from proj1 import cli, experiment, sweep
from proj1.experiment import STUDY, VARIANTS, Result, draw_pairs, run_experiment, run_round
from proj1.jobs import default_jobs
from proj1.training import History, Normaliser
from proj1.tuning import settings

ROOT = Path(__file__).resolve().parents[1]


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


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_trains_its_network_with_its_options(variant, pairs, monkeypatch):
    calls = spy_train(monkeypatch)
    network, options = VARIANTS[variant]
    record = run_round(variant, 5, pairs, epochs=1, train_options={"batch_size": 20})
    (model, asked), expected = calls[0], experiment.build(network)
    assert type(model) is type(expected) and record["arch"] == variant
    assert record["params"] == experiment.count_parameters(expected)
    assert {k: asked[k] for k in options} == options and asked["batch_size"] == 20
    assert asked["epochs"] == 1 and asked["test"] is None


def test_a_round_applies_its_tuned_settings_and_records_them(pairs, monkeypatch):
    calls, built, real_build = spy_train(monkeypatch), [], experiment.build

    def building(network, **options):
        built.append((network, options))
        return real_build(network, **options)

    monkeypatch.setattr(experiment, "build", building)
    begin = time.perf_counter()
    record = run_round("siamese_aux", 5, pairs, epochs=2)
    elapsed = time.perf_counter() - begin
    model_options, train_options = settings("siamese_aux")
    assert model_options and train_options  # tuned: there is something to apply
    assert built == [("siamese_aux", model_options)]
    [(_, asked)] = calls
    assert {k: v for k, v in asked.items() if k != "generator"} == train_options | {
        "epochs": 2,
        "test": None,
        "device": "cpu",
    }
    assert record["settings"] == model_options | train_options
    assert {k: len(v) for k, v in record["history"].items()} == {
        "loss": 2,
        "train_error": 2,
        "test_error": 0,
    }
    assert 0 < record["seconds"] < elapsed  # the training's time, within the call's


def test_a_variants_options_can_be_overridden(pairs, monkeypatch):
    calls = spy_train(monkeypatch)
    run_round("siamese_exact_shift", 5, pairs, epochs=1, train_options={"shift": 2})
    assert calls[0][1]["shift"] == 2


def test_a_round_is_a_fresh_init_and_draw_from_its_seed(pairs):
    a = run_round("split", 5, pairs, epochs=1)
    b = run_round("split", 5, pairs, epochs=1)
    c = run_round("split", 6, pairs, epochs=1)
    assert a["history"] == b["history"] and a["history"]["loss"] != c["history"]["loss"]
    assert a["seed"] == 5 and a["digit_error"] is None and a["seconds"] > 0
    assert a["test_error"] * 40 == pytest.approx(round(a["test_error"] * 40))


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
        ["split"], rounds=1, epochs=2, source="mnist-5k", nb=30, curves=True, jobs=1, seed=7
    )
    (record,) = result.rounds
    assert len(record["history"]["test_error"]) == 2 and record["round"] == 0
    assert record["history"]["test_error"][-1] == record["test_error"]
    expected = {"archs": ["split"], "rounds": 1, "epochs": 2, "seed": 7, "nb": 30}
    expected |= {"device": "cpu", "evaluated_on": "test", "validation": 0, "train_options": {}}
    assert {k: result.config[k] for k in expected} == expected


def fake_result(errors):
    """A Result whose rounds have the given {arch: [test error per round]}."""
    rounds = [
        {"arch": a, "seed": s, "params": 1, "train_error": 0.0, "test_error": e}
        | {"digit_error": None, "seconds": 2.0}
        for a, es in errors.items()
        for s, e in enumerate(es)
    ]
    return Result("mnist-5k", {}, rounds)


def test_aux_weight_sweep_labels_each_summary_row(monkeypatch):
    asked = []

    def fake_run(archs, rounds, **options):
        asked.append(options["train_options"])
        return fake_result({"split_aux": [0.1], "siamese_aux": [0.05]})

    monkeypatch.setattr(sweep, "run_experiment", fake_run)
    rows = sweep.aux_weight_sweep(weights=(0.0, 2.0), rounds=1)
    assert asked == [{"aux_weight": 0.0}, {"aux_weight": 2.0}]
    assert [(r["aux_weight"], r["arch"]) for r in rows] == [
        (0.0, "split_aux"), (0.0, "siamese_aux"), (2.0, "split_aux"), (2.0, "siamese_aux"),
    ]  # fmt: skip
    assert rows[1]["test_error_mean"] == 0.05


def test_proj1_test_py_runs_the_default_comparison_without_saving(monkeypatch):
    asked = []
    monkeypatch.setattr(cli, "main", lambda argv: asked.append(argv) or 0)
    monkeypatch.setattr(sys, "path", [str(ROOT / "proj1"), *sys.path])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(ROOT / "proj1" / "test.py"), run_name="__main__")
    assert exit_info.value.code == 0 and asked == [["--no-save"]]
    # its own folder is off sys.path (proj1/test.py would shadow the stdlib's test), the root on
    assert sys.path[0] == str(ROOT) and str(ROOT / "proj1") not in sys.path


def test_result_summary_and_effects_follow_the_rounds():
    result = fake_result({"split": [0.2, 0.3], "siamese": [0.1, 0.1]})
    assert [s["arch"] for s in result.summary] == ["split", "siamese"]
    (effect,) = result.effects
    assert effect["mean"] == pytest.approx(0.15) and effect["wins"] == 2
    assert torch.tensor([effect["p_sign"]]).item() == 0.5


def test_the_default_source_is_auto():
    result = run_experiment(["cnn"], rounds=1, epochs=1, nb=20, jobs=1)
    assert result.source == "mnist-5k"  # the tests' data root holds no full MNIST


def test_saved_json_holds_every_part_indented_by_one(tmp_path):
    result = fake_result({"split": [0.2, 0.3], "siamese": [0.1, 0.2]})
    text = result.save(tmp_path / "results.json").read_text()
    doc = json.loads(text)
    assert list(doc) == ["source", "config", "summary", "effects", "rounds"]
    assert doc["effects"] == result.effects and doc["effects"][0]["wins"] == 2
    assert text.startswith('{\n "source": "mnist-5k",\n "config": {},\n "summary": [\n  {\n')


def spy_run_jobs(monkeypatch, asked, count=1):
    """Replace the jobs' runner by a record of its arguments and of the first `count` jobs."""

    def fake_run_jobs(function, jobs_args, total, **options):
        jobs = iter(jobs_args)
        asked.update(options, total=total, jobs_args=[next(jobs) for _ in range(count)])
        return [{}] * total

    monkeypatch.setattr(experiment, "run_jobs", fake_run_jobs)


def test_run_experiments_defaults(monkeypatch):
    asked = {}
    spy_run_jobs(monkeypatch, asked)
    result = run_experiment()
    assert result.source == "mnist-5k"  # auto, and the tests' data root is empty
    assert result.config == {
        "archs": list(experiment.STUDY),
        "rounds": 10,
        "epochs": 25,
        "seed": 0,
        "nb": 1000,
        "device": "cpu",
        "evaluated_on": "test",
        "validation": 0,
        "train_options": {},
        "model_options": {},
        "curves": False,
        "threads": 1,
    }
    assert (asked["total"], asked["threads"], asked["progress"]) == (10 * len(STUDY), 1, False)
    assert asked["on_result"] is None
    assert (asked["jobs"], asked["desc"]) == (default_jobs("cpu"), "rounds")
    [(label, (arch, r, seed, pairs, options))] = asked["jobs_args"]
    assert (label, arch, r, seed, len(pairs[0][0])) == ("mlp, round 0 (seed 0)", "mlp", 0, 0, 1000)
    assert options == {
        "epochs": 25,
        "device": "cpu",
        "curves": False,
        "model_options": None,
        "train_options": None,
    }


def test_run_experiment_hands_its_jobs_options_and_labels_on(monkeypatch):
    asked = {}
    spy_run_jobs(monkeypatch, asked, count=2)
    run_experiment(["mlp"], rounds=2, seed=5, nb=10, jobs=3, threads=2, progress=True)
    assert (asked["jobs"], asked["threads"], asked["progress"]) == (3, 2, True)
    labels = [label for label, _ in asked["jobs_args"]]
    assert labels == ["mlp, round 0 (seed 5)", "mlp, round 1 (seed 6)"]


def test_unknown_architectures_are_all_named():
    with pytest.raises(ValueError) as error:
        run_experiment(["resnet", "vgg"])
    choices = ", ".join(experiment.ARCH_NAMES)
    assert str(error.value) == f"unknown architecture 'resnet', 'vgg'; choose from {choices}"


def test_save_creates_nested_folders(tmp_path):
    result = fake_result({"split": [0.2], "siamese": [0.1]})
    path = result.save(tmp_path / "a" / "b" / "results.json")
    assert path == tmp_path / "a" / "b" / "results.json"
    loaded = Result.load(path)
    assert loaded.rounds == result.rounds and loaded.effects == result.effects


def test_a_round_trains_with_a_generator_seeded_by_the_round(pairs, monkeypatch):
    states = []
    real = experiment.train

    def spying(model, *args, generator, **options):
        states.append(generator.get_state())
        return real(model, *args, generator=generator, **options)

    monkeypatch.setattr(experiment, "train", spying)
    run_round("split", 5, pairs, epochs=1)
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
    record = run_round("split", 5, pairs)
    assert asked == [25] and record["history"]["loss"] == []
