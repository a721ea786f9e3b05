"""proj1.tuning: one budget for every architecture, its search, and the settings it reads."""

import itertools
import json
import signal

import pytest

from proj1 import tuning
from proj1.interrupts import Interrupted
from proj1.models import ARCHITECTURES


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_every_architecture_gets_the_same_budget_from_its_own_space(arch):
    configs = tuning.candidates(arch)
    assert len(configs) == tuning.BUDGET
    assert len({tuple(sorted(c.items())) for c in configs}) == tuning.BUDGET  # distinct
    knobs = tuning.space(arch)
    assert all(c.keys() == knobs.keys() for c in configs)
    assert all(c[k] in knobs[k] for c in configs for k in c)
    assert configs == tuning.candidates(arch)  # the same draw every time


def test_knobs_follow_the_architecture():
    assert "softmax" not in tuning.space("cnn") and "aux_weight" not in tuning.space("mlp")
    assert {"softmax", "aux_weight"} <= tuning.space("split_wide_aux").keys()
    assert "softmax" in tuning.space("siamese") and "aux_weight" not in tuning.space("siamese")
    exact = tuning.space("siamese_exact_bn")  # exact head: nothing to choose about the head
    assert "softmax" not in exact and "aux_weight" in exact
    assert tuning.candidates("cnn", budget=1000) == [  # a small space is searched whole
        dict(zip(tuning.COMMON, v)) for v in itertools.product(*tuning.COMMON.values())
    ]


def test_split_options_routes_model_and_training_knobs():
    model, train = tuning.split_options({"lr": 0.1, "dropout": 0.5, "softmax": False})
    assert model == {"dropout": 0.5, "softmax": False} and train == {"lr": 0.1}


def test_tune_searches_then_lets_fresh_rounds_choose_among_the_finalists(monkeypatch):
    import proj1.experiment as experiment

    seen = []

    def fake_round(arch, seed, pairs, options):
        seen.append((arch, seed, pairs))
        score = options["train_options"]["lr"] + options["model_options"]["dropout"]
        # the search ranks by score; the fresh rounds rank the other way round
        return {"test_error": score if seed < tuning.FINAL_SEED else 1 - score}

    monkeypatch.setattr(experiment, "draw_pairs", lambda nb, seed, *a: f"pairs {seed}")
    monkeypatch.setattr(tuning, "_round", fake_round)
    outcome = tuning.tune(["cnn", "mlp"], budget=4, finalists=2, jobs=1)["cnn"]
    search = sorted(outcome["search"], key=lambda s: s["validation_error"])
    assert len(outcome["search"]) == 4
    assert [f["config"] for f in outcome["final"]] == [s["config"] for s in search[:2]]
    # the search's runner-up wins the fresh rounds
    assert outcome["chosen"] == search[1]["config"]
    assert outcome["validation_error"] == pytest.approx(1 - search[1]["validation_error"])
    seeds = {seed for arch, seed, _ in seen if arch == "cnn"}
    stage1 = set(range(tuning.SEED, tuning.SEED + tuning.ROUNDS))
    assert seeds == stage1 | set(range(tuning.FINAL_SEED, tuning.FINAL_SEED + tuning.FINAL_ROUNDS))
    assert all(pairs == f"pairs {seed}" for _, seed, pairs in seen)  # each round's own pairs
    assert len(seen) == 2 * (4 * tuning.ROUNDS + 2 * tuning.FINAL_ROUNDS)


def test_settings_read_the_tuned_file(monkeypatch, tmp_path):
    path = tmp_path / "tuned.json"
    chosen = {"lr": 0.002, "dropout": 0.25, "softmax": False, "aux_weight": 2.0}
    path.write_text(json.dumps({"archs": {"split_aux": {"chosen": chosen}}}))
    monkeypatch.setattr(tuning, "TUNED", path)
    tuning._tuned.cache_clear()
    try:
        assert tuning.settings("split_aux") == (
            {"dropout": 0.25, "softmax": False},
            {"lr": 0.002, "aux_weight": 2.0},
        )
        assert tuning.settings("mlp") == ({}, {})  # never tuned: the defaults
    finally:
        tuning._tuned.cache_clear()


def test_the_shipped_settings_cover_every_architecture():
    for arch in ARCHITECTURES:
        model, train = tuning.settings(arch)
        assert set(model) | set(train) == set(tuning.space(arch)), arch


def fake_tuning(monkeypatch, tmp_path, stop_after=None):
    """tuning.main's jobs as quick made-up scores; Interrupted after `stop_after` of them."""
    import proj1.experiment as experiment

    calls = []

    def fake_round(arch, seed, pairs, options):
        calls.append((arch, seed))
        if stop_after is not None and len(calls) > stop_after:
            raise Interrupted(signal.SIGTERM)
        score = options["train_options"]["lr"] + options["model_options"]["dropout"] + seed % 7
        return {"test_error": score / 100}

    monkeypatch.setattr(experiment, "draw_pairs", lambda nb, seed, *a: f"pairs {seed}")
    monkeypatch.setattr(tuning, "_round", fake_round)
    monkeypatch.setattr(tuning, "TUNED", tmp_path / "tuned.json")
    return calls


def test_an_interrupted_tuning_keeps_its_rounds_and_resumes_to_the_same_choices(
    monkeypatch, tmp_path, capsys
):
    argv = ["--archs", "cnn", "mlp", "--jobs", "1"]
    total = 2 * (tuning.BUDGET * tuning.ROUNDS + tuning.FINALISTS * tuning.FINAL_ROUNDS)
    with monkeypatch.context() as patch:
        fake_tuning(patch, tmp_path / "whole")
        assert tuning.main(argv + ["--out", str(tmp_path / "whole")]) == 0
    whole = json.loads((tmp_path / "whole" / "tuned.json").read_text())
    out = tmp_path / "interrupted"
    with monkeypatch.context() as patch:
        fake_tuning(patch, out, stop_after=100)  # in the second architecture's search
        assert tuning.main(argv + ["--out", str(out)]) == 143
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"interrupted by SIGTERM; the finished rounds are kept (100 in {out / 'rounds.jsonl'}); "
        "rerun with --resume to continue"
    )
    assert not (out / "tuned.json").exists()
    with monkeypatch.context() as patch:
        calls = fake_tuning(patch, out)
        assert tuning.main(argv + ["--out", str(out), "--resume"]) == 0
    assert len(calls) == total - 100
    assert json.loads((out / "tuned.json").read_text()) == whole
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary left


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--jobs", "0"], "--jobs must be between 1 and "),
        (["--jobs", "-1"], "--jobs must be between 1 and "),
        (["--archs", "foo"], "argument --archs: invalid choice: 'foo' (choose from "),
        (["--archs", "mlp", "mlp"], "--archs names 'mlp' more than once"),
        (["--out", ""], "--out must name a folder, got ''"),
        (["--resume", "--force"], "argument --force: not allowed with argument --resume"),
    ],
)
def test_bad_tuning_options_exit_2_with_one_line(argv, message, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tuning, "_round", None)  # nothing may train
    with pytest.raises(SystemExit) as stopped:
        tuning.main(["--out", str(tmp_path / "out"), *argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith("python -m proj1.tuning: error: " + message)
    assert list(tmp_path.iterdir()) == []
