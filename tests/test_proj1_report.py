"""proj1.report: the Markdown report of both tables says which question each answers, what
each arm is told, and only what its numbers support."""

from types import SimpleNamespace

import pytest
from proj1_records import rounds_of

from proj1 import report, tuning
from proj1.report import architecture_table, conclusions, data_and_protocol, markdown
from proj1.results import Result
from proj1.stats import RESOLVED, ArmSummary, EffectEstimate, Spread
from proj1.study import TABLES

ERRORS = {  # 10 rounds: aux always much better, sharing indistinguishable
    "split": [0.20 + 0.01 * (r % 3) for r in range(10)],
    "siamese": [0.20 + 0.01 * ((r + 1) % 3) for r in range(10)],
    "split_aux": [0.04] * 10,
}


def fake_result():
    best = {"lr": 0.002, "swap": True, "aux_weight": 1.0, "batch_size": 50}
    controlled = {"lr": 0.004, "swap": False}
    rounds = rounds_of(ERRORS | {"cnn": [0.18] * 10}, params=70_000, settings=best)
    rounds += rounds_of(ERRORS, "controlled", params=69_474, settings=controlled)
    rounds += rounds_of(
        {"split_swap": [0.19] * 10}, "controlled", settings=controlled | {"swap": True}
    )
    config = {"rounds": 10, "epochs": 25, "seed": 0, "nb": 1000}
    return Result("mnist-5k", config, rounds)


def test_conclusions_follow_the_verdicts_of_each_table():
    lines = conclusions(fake_result())
    assert lines[0] == (
        "Each architecture at its best: the lowest mean test error is `split_aux`'s, 4.00 ± 0.00 %."
    )
    assert lines[1] == (
        "Each architecture at its best, primary family. Distinguishable from 0 (paired t-test, "
        "Holm): aux loss, split lowers the error by 16.90 points in 10 of 10 rounds. Not "
        "resolved: sharing, no aux, equal budget: -0.10 points, lower with `siamese` in 3 of 10 "
        "rounds (Holm p = 0.8321; ~1999 rounds would resolve it)."
    )
    controlled = [line for line in lines if line.startswith("One configuration for the family")]
    assert len(controlled) == 3 and controlled[2] == (
        "One configuration for the family, secondary family. Distinguishable from 0 (paired "
        "t-test, Holm): swap, split lowers the error by 1.90 points in 10 of 10 rounds."
    )
    assert lines[-1].startswith("`cnn`, a convnet of 70,000 parameters, makes 18.00 ± 0.00 %")
    assert "these pairs come from `mnist-5k`, and `cnn` was tuned by the same protocol" in lines[-1]


def test_markdown_has_every_section_each_tables_question_and_its_figure():
    result = fake_result()
    text = markdown(result, {"best": "errors_best.png"})
    headings = ["Question", "Data and protocol", "Architectures", "Tuning"]
    headings += ["Each architecture at its best", "One configuration for the family", "Conclusions"]
    positions = [text.index(f"\n## {h}\n") for h in headings]
    assert positions == sorted(positions)
    assert text.startswith(
        "# Project 1: weight sharing and auxiliary losses on digit pairs\n\nWritten by `python -m "
        "proj1` from its run: 2 tables, 10 rounds of 25 epochs on `mnist-5k`.\n"
    )
    for table in ("best", "controlled"):
        question = TABLES[table].question
        assert text.count(f"**Question:** {question}") == 1
    assert text.count("![") == 1
    assert (
        "![Test error per arm over the rounds, each architecture at its best](errors_best.png)"
        in text
    )
    assert "![" not in markdown(result)
    assert "10 rounds (seeds 0..9) of 25 epochs" in text
    primary = "primary family (sharing under both controls, the auxiliary loss for both encoders"
    assert text.count(f"\n{primary}; Holm over 2 effects)\n") == 2  # in each table
    assert text.count("\nsecondary family (the extras; Holm over 1 effect)\n") == 1
    assert "| swap, split | split -> split_swap | 1.90 ± 0.88 |" in text
    assert text.count("* drop: error without - error with") == 1  # the legend, once
    told = "| split_swap | 1 |"
    assert any(line.startswith(told) and line.endswith("| target + tie bit |")
               for line in text.splitlines())  # fmt: skip
    assert "Settings: `split`, `siamese`, `split_aux`: lr 0.004, swap False; `split_swap`: " in text


def test_the_architecture_table_says_what_each_architecture_is():
    table = architecture_table(fake_result())
    assert [c.head for c in table.columns] == [
        "architecture", "what", "params", "shared", "head", "aux loss",
    ]  # fmt: skip
    assert table.cells() == [
        ["`cnn`", "the pair as a two-channel image, a convnet", "70,000", "-", "end to end", "no"],
        ["`split`", "two digit encoders, 210 hidden units (not 460): the budget of `siamese`",
         "70,000", "no", "learned", "no"],
        ["`split_aux`", "`split` + digit-class losses", "70,000", "no", "learned", "yes"],
        ["`siamese`", "one digit encoder for both images (weight sharing)", "70,000", "yes",
         "learned", "no"],
    ]  # fmt: skip


def test_data_and_protocol_says_how_each_source_is_split():
    config = {"seed": 3, "rounds": 2, "epochs": 1, "nb": 10}
    common = (
        " Each round has 10 training and 10 test pairs; 2 rounds (seeds 3..4) of 1 epoch. Round r "
        "draws its pairs and initialises every network from seed r, so all arms are compared on "
        "the same pairs, round by round (paired). Errors are the mean ± sample standard deviation "
        "over rounds."
    )
    assert data_and_protocol(Result("mnist-5k", config)) == (
        "Source: `mnist-5k` (5,000 MNIST digits, 500 per class) with a "
        "fixed split: the first 250 digits of each class are the train pool, the other 250 the "
        "test pool; training and validation pairs come from the train pool only, test pairs from "
        "the test pool only. Every round draws from the same 5,000 digits, so the spread over "
        "rounds describes that pool." + common
    )
    assert data_and_protocol(Result("mnist", config)) == (
        "Source: `mnist`, its training split for training pairs, its test "
        "split for test pairs." + common
    )


@pytest.fixture
def small_tuning(monkeypatch):
    """The tuning protocol's numbers, replaced by small hand-picked ones."""
    monkeypatch.setattr(tuning, "COMMON", {"lr": (0.1, 0.2), "swap": (False, True)})
    monkeypatch.setattr(tuning, "AUX", {"aux_weight": (0.5, 2.0)})
    numbers = {"BUDGET": 4, "ROUNDS": 2, "VALIDATION": 50, "SEED": 7}
    numbers |= {"FINALISTS": 3, "FINAL_ROUNDS": 5, "FINAL_SEED": 90}
    for name, value in numbers.items():
        monkeypatch.setattr(tuning, name, value)


def test_tuning_text_gives_the_protocols_numbers(small_tuning):
    assert report.tuning_text() == (
        "Every tuned choice had the same budget: 4 configurations drawn from a space (lr [0.1, "
        "0.2], swap [False, True]; plus the head, softmax or raw scores, where there is a learned "
        "one, and the auxiliary weight [0.5, 2.0] where there is an auxiliary loss), each trained "
        "2 rounds on 800 training pairs and scored on the 50 remaining training pairs (seeds from "
        "7); then the 3 best were trained 5 fresh rounds each (seeds from 90) and the lowest "
        "fresh mean won. Validation pairs come from the train pool: no test image was ever "
        "looked at. Each at its best: every architecture tuned alone. Controlled: one "
        "configuration for the family (`split`, `split_aux`, `split_wide`, `split_wide_aux`, "
        "`siamese`, `siamese_aux`), the one with the lowest mean validation error over the six, "
        "searched without the swap (the tie bit); `split_swap` and `siamese_swap` add it back to "
        "measure it. The layout of `siamese_exact_bn` (its channels and hidden width) was chosen "
        "before, outside this budget, on extra validation rounds. The search and its outcome are "
        "in `proj1/tuned.json`; each arm's settings are in `results.json`."
    )


def summary(arch, params, test):
    """One `ArmSummary`, set by hand: the test error's (mean, std)."""
    spread = Spread(test[0], test[1], test[0], test[0])
    return ArmSummary(arch, params, 10, spread, spread, None, 1.0)


def effect(name, pair, mean, ci, wins, p_holm, verdict=RESOLVED, resolvable=None, **more):
    """One `EffectEstimate`, set by hand; `pair` is "without with"; `more`: `rounds` (10),
    `p_flip` (the sign-flip test's Holm p, as `p_holm` unless given)."""
    without, with_ = pair.split()
    rounds, p_flip = more.get("rounds", 10), more.get("p_flip", p_holm)
    spread = Spread(mean, None, mean, mean)
    tests = (p_holm, p_holm, p_flip, p_flip, resolvable, None, verdict)
    return EffectEstimate(
        name, without, with_, "primary", rounds, spread, *ci, wins, rounds - wins, *tests
    )


# each arm's settings in the hand-set study: the learning rate differs between split and
# siamese; softmax has no use (None) in siamese_exact, which is no difference
HAND_SETTINGS = {
    "split": {"lr": 0.001, "softmax": False},
    "siamese": {"lr": 0.002, "softmax": False},
    "siamese_aux": {"lr": 0.001, "softmax": True},
    "siamese_exact": {"lr": 0.001, "softmax": None},
}

# a study whose summaries and effects are set by hand (not computed), to check every sentence
HAND = SimpleNamespace(
    source="mnist",
    table_rounds=lambda table: [
        SimpleNamespace(arch=arch, settings=settings)
        for arch, settings in HAND_SETTINGS.items()
        if table == "best"
    ],
    tables=["best", "controlled"],
    summaries={
        "best": [summary("cnn", 70123, (0.1534, 0.0211)), summary("siamese_aux", 5, (0.05, None))],
        "controlled": [summary("split", 69474, (0.2, 0.01))],
    },
    effects={
        "best": [
            effect("sharing, no aux, equal budget", "split siamese", 0.0123, (0.0045, 0.0201), 9,
                   0.0215),
            effect("sharing, aux, equal encoder", "split_wide_aux siamese_aux", -0.004,
                   (-0.007, -0.001), 1, 0.04),
            effect("aux loss, split", "split split_aux", -0.001, (-0.004, 0.002), 4, 0.6,
                   "not resolved by 10 rounds (~120 would)", 0.0035),
            effect("exact head", "siamese_aux siamese_exact", 0.001, (None, None), 1, None,
                   "not resolved by 1 round", rounds=1, p_flip=1.0),
            effect("batch norm layout", "siamese_exact siamese_exact_bn", 0.002,
                   (-0.0001, 0.0041), 10, 0.06, "not resolved by 10 rounds (~12 would)", 0.0021,
                   p_flip=0.0039),
        ],
        "controlled": [],
    },
)  # fmt: skip


def test_conclusions_of_a_hand_set_study_exactly():
    """A drop and a rise that the test resolves, one it does not, one of a single round, one
    where the sign-flip test disagrees; the lowest error of each table; cnn's number."""
    assert conclusions(HAND) == [
        "Each architecture at its best: the lowest mean test error is `siamese_aux`'s, 5.00 ± - %. "
        "In 1 of its 5 effects the arms' tuned settings differ too: those effects are of a design "
        "with its tuning.",
        "Each architecture at its best, primary family. Distinguishable from 0 (paired t-test, "
        "Holm): sharing, no aux, equal budget lowers the error by 1.23 points in 9 of 10 rounds; "
        "sharing, aux, equal encoder raises the error by 0.40 points in 9 of 10 rounds. Not "
        "resolved: aux loss, split: -0.10 points, lower with `split_aux` in 4 of 10 rounds (Holm "
        "p = 0.6000); exact head: 0.10 points, lower with `siamese_exact` in 1 of 1 round (one "
        "round: no t-test); batch norm layout: 0.20 points, lower with `siamese_exact_bn` "
        "in 10 of 10 rounds (Holm p = 0.0600); the sign-flip check would tell it from 0 (Holm "
        "p = 0.0039), but the verdict is the t-test's.",
        "One configuration for the family: the lowest mean test error is `split`'s, "
        "20.00 ± 1.00 %.",
        "`cnn`, a convnet of 70,123 parameters, makes 15.34 ± 2.11 % errors here. The assignment "
        "says that a convnet of ~70,000 parameters trained 25 epochs on 1,000 pairs should "
        "achieve ~15 % error; these pairs come from `mnist`, and `cnn` was tuned by the same "
        "protocol as every other architecture, not separately.",
    ]


def test_conclusions_without_cnn_end_with_the_effects():
    study = SimpleNamespace(**(vars(HAND) | {"tables": ["best"]}))
    study.summaries = {"best": HAND.summaries["best"][1:]}
    assert conclusions(study)[-1].startswith("Each architecture at its best, primary family. ")
