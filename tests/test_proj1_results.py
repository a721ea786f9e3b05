"""proj1.results: a study's records by table, their summaries and effects computed once, and
the JSON they are saved as and read back from."""

import dataclasses
import json

import pytest
from proj1_records import make_round, rounds_of

from proj1 import stats
from proj1.results import Result, Round


def made_up() -> Result:
    """Two rounds of two arms in each table, the controlled records first."""
    rounds = rounds_of({"split": [0.25, 0.375], "siamese": [0.125, 0.125]}, "controlled")
    rounds += rounds_of({"split": [0.2, 0.3], "siamese": [0.1, 0.1], "cnn": [0.5, 0.5]})
    return Result("mnist-5k", {"rounds": 2}, rounds)


def test_records_are_grouped_by_table_in_the_studys_order():
    result = made_up()
    assert result.tables == ["best", "controlled"]  # the study's order, not the records'
    assert [(r.arch, r.seed) for r in result.table_rounds("controlled")] == [
        ("split", 0), ("split", 1), ("siamese", 0), ("siamese", 1),
    ]  # fmt: skip
    assert result.table_rounds("nothing") == []
    assert Result("mnist", {}).tables == [] and Result("mnist", {}).summaries == {}


def test_summaries_and_effects_follow_each_tables_rounds():
    result = made_up()
    assert [s.arch for s in result.summaries["best"]] == ["split", "siamese", "cnn"]
    assert [s.arch for s in result.summaries["controlled"]] == ["split", "siamese"]
    (best,) = result.effects["best"]  # cnn is in no effect
    assert best.effect == "sharing, no aux, equal budget"
    assert best.difference.mean == pytest.approx(0.15) and best.wins == 2
    assert best.p_flip == 0.5  # 2 of the 4 sign patterns of two positive differences
    (controlled,) = result.effects["controlled"]
    assert controlled.difference == stats.Spread(
        0.1875, pytest.approx(0.0884, abs=1e-4), 0.125, 0.25
    )


def test_summaries_and_effects_are_computed_once(monkeypatch):
    calls = []
    for name in ("summarise", "effects"):
        real = getattr(stats, name)
        monkeypatch.setattr(
            stats, name, lambda *a, real=real, name=name: calls.append(name) or real(*a)
        )
    result = made_up()
    first = result.effects, result.summaries
    assert (result.effects, result.summaries) == first and result.effects is first[0]
    assert sorted(calls) == ["effects", "effects", "summarise", "summarise"]  # once per table


def test_saved_json_holds_every_part_indented_by_one():
    result = made_up()
    text = result.to_json()
    doc = json.loads(text)
    assert list(doc) == ["source", "config", "summaries", "effects", "rounds"]
    assert text.startswith('{\n "source": "mnist-5k",\n "config": {\n  "rounds": 2\n },\n')
    assert list(doc["summaries"]) == list(doc["effects"]) == ["best", "controlled"]
    effect = doc["effects"]["best"][0]
    assert effect == dataclasses.asdict(result.effects["best"][0]) and effect["wins"] == 2
    assert effect["with_"] == "siamese"  # the dataclass's field names
    assert effect["difference"]["std"] == pytest.approx(0.0707, abs=1e-4)  # 0.1, 0.2
    assert doc["summaries"]["best"][2]["digit_error"] is None
    assert doc["rounds"][0] == dataclasses.asdict(result.rounds[0])
    assert doc["rounds"][0]["table"] == "controlled" and doc["rounds"][0]["history"] == {}


def test_json_round_trip(tmp_path):
    result = made_up()
    result.rounds.append(
        make_round("siamese_aux", 0, 0.05, digit_error=0.025, settings={"lr": 0.002, "swap": True},
                   history={"loss": [0.5, 0.25], "train_error": [0.1, 0.05], "test_error": []})
    )  # fmt: skip
    path = tmp_path / "results.json"
    path.write_text(result.to_json())
    loaded = Result.load(path)
    assert loaded == result and all(isinstance(r, Round) for r in loaded.rounds)
    assert loaded.summaries == result.summaries and loaded.effects == result.effects


def test_a_nan_is_refused_rather_than_written():
    result = Result("mnist-5k", {}, [make_round("cnn", 0, float("nan"))])
    with pytest.raises(ValueError, match="not JSON compliant"):
        result.to_json()
