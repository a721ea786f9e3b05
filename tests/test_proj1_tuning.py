"""proj1.tuning: one budget for every choice (each architecture alone, the controlled family
as one), its two stages, the family's mean score, and tuned.json as the study reads it."""

import itertools
import json
import signal
from types import SimpleNamespace

import pytest

from proj1 import study, tuning
from proj1.interrupts import Interrupted
from proj1.study import ARCHITECTURES, FAMILY


@pytest.mark.parametrize("name", [*ARCHITECTURES, None])
def test_every_choice_gets_the_same_budget_from_its_own_space(name):
    knobs = tuning.space(name)
    configs = tuning.candidates(name or tuning.FAMILY, knobs)
    assert len(configs) == tuning.BUDGET
    assert len({tuple(sorted(c.items())) for c in configs}) == tuning.BUDGET  # distinct
    assert all(c.keys() == knobs.keys() for c in configs)
    assert all(c[k] in knobs[k] for c in configs for k in c)
    assert configs == tuning.candidates(name or tuning.FAMILY, knobs)  # the same draw every time


def test_knobs_follow_the_architecture():
    assert "softmax" not in tuning.space("cnn") and "aux_weight" not in tuning.space("mlp")
    assert {"softmax", "aux_weight"} <= tuning.space("split_wide_aux").keys()
    assert "softmax" in tuning.space("siamese") and "aux_weight" not in tuning.space("siamese")
    exact = tuning.space("siamese_exact_bn")  # exact head: nothing to choose about the head
    assert "softmax" not in exact and "aux_weight" in exact
    assert all("swap" in tuning.space(arch) for arch in ARCHITECTURES)
    # the family's: every knob of its networks, but the swap (it gives the tie bit)
    assert tuning.space() == {k: v for k, v in tuning.COMMON.items() if k != "swap"} | (
        tuning.HEAD | tuning.AUX
    )
    cnn = tuning.space("cnn")  # a small space is searched whole
    assert tuning.candidates("cnn", cnn, budget=1000) == [
        dict(zip(cnn, v)) for v in itertools.product(*cnn.values())
    ]


def fake_rounds(monkeypatch, score):
    """tuning's rounds replaced by a made-up validation error `score(table, arm, config,
    seed)`; the pairs by a string naming the draw. Returns the (table, arm, config, seed,
    pairs, epochs) of every round run and the seeds of the draws."""
    seen, drawn = [], []

    def fake_round(table, arm, r, seed, pairs, *, epochs, chosen):
        seen.append((table, arm, chosen, seed, pairs, epochs))
        return SimpleNamespace(test_error=score(table, arm, chosen, seed))

    def fake_draw(nb, seed, source, data_dir, validation):
        drawn.append(seed)
        return f"{nb} pairs of seed {seed}, {validation} validation, {source}"

    monkeypatch.setattr(tuning, "run_round", fake_round)
    monkeypatch.setattr(tuning, "draw_pairs", fake_draw)
    return seen, drawn


def test_tune_searches_then_lets_fresh_rounds_choose_among_the_finalists(monkeypatch):
    def score(table, arm, config, seed):
        value = config["lr"] + config["dropout"]
        # the search ranks by value; the fresh rounds rank the other way round
        return value if seed < tuning.FINAL_SEED else 1 - value

    seen, _ = fake_rounds(monkeypatch, score)
    outcome = tuning.tune(["cnn", "mlp"], family=False, budget=4, finalists=2, jobs=1)
    assert list(outcome) == ["best"] and list(outcome["best"]) == ["cnn", "mlp"]
    cnn = outcome["best"]["cnn"]
    search = sorted(cnn["search"], key=lambda s: s["validation_error"])
    assert len(cnn["search"]) == 4
    assert [f["config"] for f in cnn["final"]] == [s["config"] for s in search[:2]]
    # the search's runner-up wins the fresh rounds
    assert cnn["chosen"] == search[1]["config"]
    assert cnn["validation_error"] == pytest.approx(1 - search[1]["validation_error"])
    seeds = {seed for _, arm, _, seed, *_ in seen if arm == "cnn"}
    stage1 = set(range(tuning.SEED, tuning.SEED + tuning.ROUNDS))
    assert seeds == stage1 | set(range(tuning.FINAL_SEED, tuning.FINAL_SEED + tuning.FINAL_ROUNDS))
    # each round its own pairs: 1000 of the train pool, the last 200 to score on
    assert all(p == f"1000 pairs of seed {s}, 200 validation, mnist-5k" for *_, s, p, _ in seen)
    assert {(table, epochs) for table, *_, epochs in seen} == {("best", tuning.EPOCHS)}
    assert len(seen) == 2 * (4 * tuning.ROUNDS + 2 * tuning.FINAL_ROUNDS)


@pytest.fixture
def small_space(monkeypatch):
    """Four configurations for the family (the whole grid), two rounds in each stage."""
    monkeypatch.setattr(tuning, "COMMON", {"lr": (0.001, 0.004), "dropout": (0.0, 0.5)})
    monkeypatch.setattr(tuning, "HEAD", {"softmax": (True,)})
    monkeypatch.setattr(tuning, "AUX", {"aux_weight": (1.0,)})
    for name, value in {"ROUNDS": 2, "FINAL_ROUNDS": 2}.items():
        monkeypatch.setattr(tuning, name, value)


def prefers(arm, config, seed):
    """A made-up validation error: the split networks do best at lr 0.001, the siamese ones
    at 0.004; dropout never helps; each network has its own level."""
    best_lr = 0.001 if arm.startswith("split") else 0.004
    level = FAMILY.index(arm) / 100 if arm in FAMILY else 0.0
    return level + 10 * abs(config["lr"] - best_lr) + config["dropout"] / 10 + seed / 1e6


def test_the_family_is_scored_by_its_mean_validation_error_over_its_six_networks(
    monkeypatch, small_space
):
    seen, _ = fake_rounds(monkeypatch, lambda table, arm, c, seed: prefers(arm, c, seed))
    outcome = tuning.tune(["siamese"], budget=16, finalists=2, jobs=1)
    # alone, siamese takes its own best; the family, what is best on average over the six
    # (four split networks to two siamese ones)
    assert outcome["best"]["siamese"]["chosen"]["lr"] == 0.004
    family = outcome["controlled"]
    assert family["chosen"] == {"lr": 0.001, "dropout": 0.0, "softmax": True, "aux_weight": 1.0}
    seeds = range(tuning.FINAL_SEED, tuning.FINAL_SEED + tuning.FINAL_ROUNDS)
    mean = sum(prefers(a, family["chosen"], s) for a in FAMILY for s in seeds) / (6 * len(seeds))
    assert family["validation_error"] == pytest.approx(mean, rel=1e-12)
    assert [row["config"] for row in family["search"]] == tuning.candidates(
        tuning.FAMILY, tuning.space()
    )
    # every configuration trains all six networks of the controlled table, every round
    trained = [(t, a) for t, a, config, *_ in seen if config == family["search"][3]["config"]]
    assert sorted(trained) == sorted(("controlled", a) for a in FAMILY for _ in range(2))
    assert {t for t, a, *_ in seen if a == "siamese"} == {"best", "controlled"}
    families = 6 * (4 * tuning.ROUNDS + 2 * tuning.FINAL_ROUNDS)
    assert len(seen) == families + 4 * tuning.ROUNDS + 2 * tuning.FINAL_ROUNDS


def test_validation_errors_average_each_entry_and_skip_the_finished_rounds(monkeypatch):
    seen, drawn = fake_rounds(monkeypatch, lambda t, a, config, seed: config["lr"] + seed / 64)
    entries = [("best", "cnn", {"lr": 0.5}), ("controlled", "split", {"lr": 0.25})]
    kept = []
    errors = tuning.validation_errors(entries, 2, 7, jobs=1, on_record=kept.append)
    assert errors == [0.5 + 7.5 / 64, 0.25 + 7.5 / 64]  # dyadic: exact
    assert kept[0] == {"table": "best", "arch": "cnn", "config": {"lr": 0.5}, "seed": 7} | {
        "validation_error": 0.5 + 7 / 64
    }
    assert [(r["arch"], r["seed"]) for r in kept] == [
        ("cnn", 7), ("split", 7), ("cnn", 8), ("split", 8),
    ]  # fmt: skip
    seen.clear(), drawn.clear()
    again = tuning.validation_errors(entries, 3, 7, jobs=1, done=json.loads(json.dumps(kept)))
    assert [(arm, seed) for _, arm, _, seed, *_ in seen] == [("cnn", 9), ("split", 9)]
    assert drawn == [9]  # the pairs of a finished round are not drawn again
    assert again == [0.5 + 8 / 64, 0.25 + 8 / 64]


def test_main_writes_both_tables_choices_and_keeps_what_it_did_not_tune(
    monkeypatch, tmp_path, small_space, capsys
):
    fake_rounds(monkeypatch, lambda table, arm, c, seed: prefers(arm, c, seed))
    tuned = tmp_path / "tuned.json"
    before = {"protocol": {}, "best": {"mlp": {"chosen": {"lr": 9.0}}}}
    before["controlled"] = {"chosen": {"lr": 7.0}}
    tuned.write_text(json.dumps(before))
    monkeypatch.setattr(study, "TUNED", tuned)
    study._tuned.cache_clear()
    try:
        argv = ["--archs", "cnn", "--jobs", "1", "--out", str(tmp_path / "out")]
        assert tuning.main([*argv, "--no-family"]) == 0
        doc = json.loads(tuned.read_text())
        assert doc["protocol"] == json.loads(json.dumps(tuning.protocol()))
        assert list(doc["best"]) == ["mlp", "cnn"] and doc["best"]["mlp"] == before["best"]["mlp"]
        assert doc["controlled"] == before["controlled"]  # not tuned this time: kept
        assert doc["best"]["cnn"]["chosen"] == {"lr": 0.004, "dropout": 0.0}
        assert capsys.readouterr().out.startswith("cnn ")
        study._tuned.cache_clear()
        assert tuning.main([*argv, "--force"]) == 0
        doc = json.loads(tuned.read_text())
        assert doc["controlled"]["chosen"]["lr"] == 0.001
        assert "(family)" in capsys.readouterr().out
    finally:
        study._tuned.cache_clear()


def test_the_shipped_tuning_covers_both_tables_under_the_current_protocol():
    doc = study.tuned_document()
    assert doc["protocol"] == json.loads(json.dumps(tuning.protocol()))
    assert list(doc["best"]) == list(ARCHITECTURES)
    for arch in ARCHITECTURES:
        assert doc["best"][arch]["chosen"].keys() == tuning.space(arch).keys(), arch
        assert study.settings("best", arch).keys() == tuning.space(arch).keys(), arch
    assert doc["controlled"]["chosen"].keys() == tuning.space().keys()
    for arm in study.CONTROLLED.arms:
        knobs = set(tuning.space()) - ({"aux_weight"} if not arm.architecture.aux else set())
        assert study.settings("controlled", arm.name).keys() == knobs | {"swap"}, arm.name


def fake_tuning(monkeypatch, tmp_path, stop_after=None):
    """tuning.main's jobs as quick made-up scores; Interrupted after `stop_after` of them."""
    calls = []

    def fake_round(table, arm, r, seed, pairs, *, epochs, chosen):
        calls.append((arm, seed))
        if stop_after is not None and len(calls) > stop_after:
            raise Interrupted(signal.SIGTERM)
        score = chosen["lr"] + chosen["dropout"] + seed % 7
        return SimpleNamespace(test_error=score / 100)

    monkeypatch.setattr(tuning, "draw_pairs", lambda nb, seed, *a: f"pairs {seed}")
    monkeypatch.setattr(tuning, "run_round", fake_round)
    monkeypatch.setattr(study, "TUNED", tmp_path / "tuned.json")
    monkeypatch.setattr(study, "_tuned", study._tuned)  # its cache is cleared by main
    study.reload_tuned()
    return calls


def test_an_interrupted_tuning_keeps_its_rounds_and_resumes_to_the_same_choices(
    monkeypatch, tmp_path, capsys
):
    argv = ["--archs", "cnn", "mlp", "--no-family", "--jobs", "1"]
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
        (["--archs", "foo"], "unknown architecture 'foo'; choose from mlp, cnn, "),
        (["--archs", "mlp", "mlp"], "--archs names 'mlp' more than once"),
        (["--out", ""], "--out must name a folder, got ''"),
        (["--resume", "--force"], "argument --force: not allowed with argument --resume"),
    ],
)
def test_bad_tuning_options_exit_2_with_one_line(argv, message, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tuning, "run_round", None)  # nothing may train
    with pytest.raises(SystemExit) as stopped:
        tuning.main(["--out", str(tmp_path / "out"), *argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith("python -m proj1.tuning: error: " + message)
    assert list(tmp_path.iterdir()) == []
