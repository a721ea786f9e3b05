"""proj1.study, the one definition of the study: what each architecture is, the arms and
effects of both tables, the settings each arm trains with and what it is told."""

import json

import pytest
import torch

from proj1 import study
from proj1.models import ExactComparison
from proj1.study import (
    ARCHITECTURES,
    BEST,
    CONTROLLED,
    FAMILIES,
    FAMILY,
    PRIMARY,
    PRIMARY_EFFECTS,
    SECONDARY,
    TABLES,
    Arm,
    arm_names,
    build,
    settings,
    split_options,
    supervision,
)

# a tuning outcome made up for the tests: each architecture with other settings, the family's
FAMILY_CHOICE = {"lr": 0.002, "dropout": 0.25, "weight_decay": 0.001, "softmax": True}
FAMILY_CHOICE |= {"aux_weight": 0.5}
MADE_UP = {
    "protocol": {},
    "best": {
        "cnn": {"chosen": {"lr": 0.001, "dropout": 0.0, "swap": False}},
        "split": {"chosen": {"lr": 0.004, "dropout": 0.5, "softmax": False, "swap": True}},
        "split_aux": {"chosen": {"lr": 0.001, "softmax": True, "swap": True, "aux_weight": 2.0}},
        "siamese_exact": {"chosen": {"lr": 0.002, "swap": True, "aux_weight": 1.0}},
    },
    "controlled": {"chosen": FAMILY_CHOICE},
}


@pytest.fixture
def made_up(monkeypatch, tmp_path):
    """study.TUNED replaced by the made-up tuning outcome."""
    path = tmp_path / "tuned.json"
    path.write_text(json.dumps(MADE_UP))
    monkeypatch.setattr(study, "TUNED", path)
    study._tuned.cache_clear()
    yield
    study._tuned.cache_clear()


@pytest.mark.parametrize("table", TABLES.values(), ids=list(TABLES))
def test_every_effect_compares_two_arms_of_its_table_in_a_declared_family(table):
    arms = [a.name for a in table.arms]
    assert len(set(arms)) == len(arms) and all(a.network in ARCHITECTURES for a in table.arms)
    names = [e.name for e in table.effects]
    assert len(set(names)) == len(names)
    for effect in table.effects:
        assert {effect.without, effect.with_} <= set(arms) and effect.without != effect.with_
        assert effect.family in FAMILIES and effect.question.endswith("?")
    assert table.effects[: len(PRIMARY_EFFECTS)] == PRIMARY_EFFECTS  # both tables ask them
    assert {e.family for e in table.effects[len(PRIMARY_EFFECTS) :]} == {SECONDARY}
    assert TABLES[table.name] is table and table.question.endswith("?")


def test_the_primary_family_is_sharing_under_both_controls_and_aux_for_both_encoders():
    pairs = {(e.without, e.with_) for e in PRIMARY_EFFECTS}
    assert pairs == {
        ("split", "siamese"), ("split_aux", "siamese_aux"),  # equal budget
        ("split_wide", "siamese"), ("split_wide_aux", "siamese_aux"),  # equal encoder
        ("split", "split_aux"), ("siamese", "siamese_aux"),  # aux loss
    }  # fmt: skip
    assert {e.family for e in PRIMARY_EFFECTS} == {PRIMARY}


def test_the_tables_arms():
    assert [a.name for a in BEST.arms] == list(ARCHITECTURES)  # every architecture, as tuned
    assert all(a.network == a.name and a.swap is None for a in BEST.arms)
    family = [a for a in CONTROLLED.arms if a.name in FAMILY]
    assert [a.name for a in family] == list(FAMILY) and all(a.swap is False for a in family)
    extra = [a for a in CONTROLLED.arms if a.name not in FAMILY]
    assert extra == [Arm("split_swap", "split", swap=True), Arm("siamese_swap", "siamese", True)]
    assert CONTROLLED.arm("split_swap").architecture is ARCHITECTURES["split"]
    with pytest.raises(ValueError, match="table 'best' has no arm 'split_swap'; its arms: mlp"):
        BEST.arm("split_swap")


def test_the_family_is_the_2x2_design_and_its_controls():
    for name in FAMILY:
        a = ARCHITECTURES[name]
        assert a.head == "learned" and a.shared in (True, False)
        assert a.aux == name.endswith("_aux")
    assert {(ARCHITECTURES[n].shared, ARCHITECTURES[n].aux) for n in FAMILY} == {
        (s, x) for s in (True, False) for x in (True, False)
    }


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_each_architecture_is_what_the_study_says(name):
    architecture = ARCHITECTURES[name]
    assert architecture.name == name and architecture.what
    torch.manual_seed(0)
    model = build(name)
    out = model(torch.randn(3, 2, 14, 14))
    assert (out.digits is not None) == architecture.aux  # what the auxiliary loss reads
    if architecture.shared is None:
        assert architecture.head == "end to end" and not hasattr(model, "encoders")
    else:
        assert len(model.encoders) == (1 if architecture.shared else 2)
        exact = isinstance(model.head, ExactComparison)
        assert exact == (architecture.head == "exact")
        assert architecture.head in ("exact", "learned")


def test_unknown_architecture_is_a_clear_error():
    with pytest.raises(ValueError) as error:
        build("resnet")
    choices = ", ".join(ARCHITECTURES)
    assert str(error.value) == f"unknown architecture 'resnet'; choose from {choices}"


def factory_differences(without: str, with_: str) -> set[str]:
    """The factory keywords in which two pair networks differ."""
    a, b = (ARCHITECTURES[n].factory.keywords for n in (without, with_))
    assert a.keys() == b.keys()
    return {k for k in a if a[k] != b[k]}


def settings_differences(table: str, without: str, with_: str) -> dict:
    """{knob: (without's value, with's value)} where the two arms' settings differ."""
    a, b = settings(table, without), settings(table, with_)
    return {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


# what each controlled effect changes: (network factory keywords, settings)
NAMED_FACTOR = {
    "sharing, no aux, equal budget": ({"shared", "hidden"}, {}),  # two half-width encoders
    "sharing, aux, equal budget": ({"shared", "hidden"}, {}),
    "sharing, no aux, equal encoder": ({"shared"}, {}),
    "sharing, aux, equal encoder": ({"shared"}, {}),
    "aux loss, split": ({"aux"}, {"aux_weight": (None, 0.5)}),
    "aux loss, siamese": ({"aux"}, {"aux_weight": (None, 0.5)}),
    "swap, split": (set(), {"swap": (False, True)}),
    "swap, siamese": (set(), {"swap": (False, True)}),
}


@pytest.mark.parametrize("effect", CONTROLLED.effects, ids=lambda e: e.name)
def test_the_controlled_arms_differ_only_in_the_factor_their_effect_names(effect, made_up):
    network, knobs = NAMED_FACTOR[effect.name]
    without, with_ = (CONTROLLED.arm(n) for n in (effect.without, effect.with_))
    assert factory_differences(without.network, with_.network) == network
    assert settings_differences(CONTROLLED.name, effect.without, effect.with_) == knobs


def test_the_best_table_gives_each_architecture_its_own_settings(made_up):
    assert settings("best", "split") == MADE_UP["best"]["split"]["chosen"]
    assert settings("best", "cnn") == {"lr": 0.001, "dropout": 0.0, "swap": False}
    assert settings("best", "mlp") == {}  # never tuned: the training's defaults
    # the arms of an effect may differ in more than the factor: the first table's question
    assert settings_differences("best", "split", "split_aux") == {
        "lr": (0.004, 0.001),
        "dropout": (0.5, None),
        "softmax": (False, True),
        "aux_weight": (None, 2.0),
    }


def test_the_controlled_table_gives_the_family_one_configuration(made_up):
    plain = {k: v for k, v in FAMILY_CHOICE.items() if k != "aux_weight"}
    for name in ("split", "split_wide", "siamese"):
        assert settings("controlled", name) == plain | {"swap": False}
    for name in ("split_aux", "split_wide_aux", "siamese_aux"):
        assert settings("controlled", name) == FAMILY_CHOICE | {"swap": False}
    assert settings("controlled", "siamese_swap") == plain | {"swap": True}


def test_a_configuration_under_evaluation_replaces_the_tuned_one(made_up):
    chosen = {"lr": 0.1, "softmax": False, "aux_weight": 4.0, "swap": True}
    assert settings("controlled", "split_wide_aux", chosen) == chosen | {"swap": False}
    assert settings("controlled", "split_swap", chosen) == {"lr": 0.1, "softmax": False} | {
        "swap": True
    }
    # the knobs an architecture lacks are dropped: a head without softmax, a loss without aux
    assert settings("best", "siamese_exact", chosen) == {"lr": 0.1, "aux_weight": 4.0, "swap": True}
    assert settings("best", "mlp", chosen) == {"lr": 0.1, "swap": True}
    assert chosen == {"lr": 0.1, "softmax": False, "aux_weight": 4.0, "swap": True}  # untouched


def test_nothing_tuned_gives_the_defaults(monkeypatch, tmp_path):
    monkeypatch.setattr(study, "TUNED", tmp_path / "absent.json")
    study._tuned.cache_clear()
    try:
        assert study.tuned_document() == {}
        assert settings("best", "siamese_aux") == {}
        assert settings("controlled", "siamese_aux") == {"swap": False}
    finally:
        study._tuned.cache_clear()


@pytest.mark.parametrize(
    ("table", "arm", "told"),
    [
        ("controlled", "split", "target"),
        ("controlled", "siamese", "target"),
        ("controlled", "split_swap", "target + tie bit"),
        ("controlled", "siamese_swap", "target + tie bit"),
        ("controlled", "split_aux", "target + digit classes"),
        ("best", "split", "target + tie bit"),  # tuned with swap
        ("best", "cnn", "target"),  # tuned without
        ("best", "mlp", "target"),  # not tuned
        ("best", "split_aux", "target + digit classes"),  # swapped too: the classes say more
        ("best", "siamese_exact", "target + digit classes"),
    ],
)
def test_supervision_says_what_each_arm_is_told(table, arm, told, made_up):
    the_arm = TABLES[table].arm(arm)
    assert supervision(the_arm, settings(table, arm)) == told


def test_no_arm_of_the_controlled_family_gets_the_tie_bit():
    for arm in CONTROLLED.arms:  # with the shipped tuned.json
        told = supervision(arm, settings(CONTROLLED.name, arm.name))
        if arm.architecture.aux:
            assert told == "target + digit classes"
        else:
            assert told == ("target + tie bit" if arm.name.endswith("_swap") else "target")


def test_split_options_routes_network_and_training_knobs():
    model, train = split_options({"lr": 0.1, "dropout": 0.5, "softmax": False, "swap": True})
    assert model == {"dropout": 0.5, "softmax": False} and train == {"lr": 0.1, "swap": True}
    assert split_options({}) == ({}, {})


def test_arm_names_each_once_in_the_tables_order():
    assert arm_names(["controlled"]) == [*FAMILY, "split_swap", "siamese_swap"]
    assert arm_names(["best", "controlled"]) == [*ARCHITECTURES, "split_swap", "siamese_swap"]
    assert arm_names(["controlled", "best"])[:8] == arm_names(["controlled"])
    assert arm_names([]) == []
