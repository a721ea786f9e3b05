"""proj1.stats on examples small enough to compute by hand: std, t quantiles, intervals,
sign tests, Holm's adjustment, paired effects and their verdicts."""

import math

import pytest

from proj1.stats import (
    ALPHA,
    EFFECTS,
    describe,
    effects,
    holm,
    interval,
    paired_differences,
    sign_test,
    summarise,
    t_cdf,
    t_quantile,
    verdict,
)


def test_describe_uses_bessels_correction():
    # mean 0.2, deviations +-0.1: sum of squares 0.02, / (n - 1) = 0.02, sqrt = 0.141421...
    d = describe([0.1, 0.3])
    assert d["mean"] == pytest.approx(0.2, abs=1e-15)
    assert d["std"] == pytest.approx(math.sqrt(0.02), abs=1e-15)  # not 0.1 (n in the denominator)
    assert (d["min"], d["max"]) == (0.1, 0.3)
    # 1, 2, 3, 6: mean 3, squares 4 + 1 + 0 + 9 = 14, / 3
    d = describe([6.0, 1.0, 3.0, 2.0], "x_")
    assert d == {
        "x_mean": 3.0,
        "x_std": pytest.approx(math.sqrt(14 / 3)),
        "x_min": 1.0,
        "x_max": 6.0,
    }
    assert describe([0.5]) == {"mean": 0.5, "std": None, "min": 0.5, "max": 0.5}


@pytest.mark.parametrize(
    ("p", "dof", "expected"),
    [
        (0.975, 9, 2.262157),  # the printed tables, 6 decimals
        (0.975, 3, 3.182446),
        (0.95, 4, 2.131847),
        (0.995, 29, 2.756386),
        (0.975, 1, math.tan(0.475 * math.pi)),  # Cauchy: 12.706205
        (0.975, 2, 0.95 * math.sqrt(2 / (1 - 0.95**2))),  # closed form: 4.302653
        (0.5, 5, 0.0),
        (0.025, 9, -2.262157),  # symmetric
    ],
)
def test_t_quantile_matches_the_tables(p, dof, expected):
    assert t_quantile(p, dof) == pytest.approx(expected, abs=5e-7)


def test_t_cdf_closed_forms():
    # dof 1 (Cauchy): 1/2 + atan(x) / pi; dof 2: 1/2 + x / (2 sqrt(2 + x^2))
    for x in (-3.0, -0.5, 0.0, 0.7, 10.0):
        assert t_cdf(x, 1) == pytest.approx(0.5 + math.atan(x) / math.pi, abs=1e-12)
        assert t_cdf(x, 2) == pytest.approx(0.5 + x / (2 * math.sqrt(2 + x * x)), abs=1e-12)
    assert t_cdf(2.262157, 9) == pytest.approx(0.975, abs=1e-7)


def test_t_bad_arguments():
    with pytest.raises(ValueError, match="dof"):
        t_cdf(1.0, 0)
    for p in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="p must be"):
            t_quantile(p, 3)


def test_interval_of_two_values_uses_the_1_dof_quantile():
    # mean 0.2, std sqrt(0.02), n 2: half-width 12.7062 * sqrt(0.02) / sqrt(2) = 1.27062
    low, high = interval([0.1, 0.3])
    assert low == pytest.approx(0.2 - 1.2706205, abs=1e-7)
    assert high == pytest.approx(0.2 + 1.2706205, abs=1e-7)
    # ten values 0..9: mean 4.5, std sqrt(55/6), half = 2.262157 * std / sqrt(10)
    half = 2.262157 * math.sqrt(55 / 6) / math.sqrt(10)
    assert interval([float(i) for i in range(10)]) == pytest.approx((4.5 - half, 4.5 + half))
    assert interval([0.3]) is None
    assert interval([0.1, 0.1, 0.1]) == pytest.approx((0.1, 0.1))


@pytest.mark.parametrize(
    ("differences", "p"),
    [
        ([1] * 9 + [-1], 22 / 1024),  # 2 x (1 + 10) / 2^10
        ([-1] * 9 + [1], 22 / 1024),  # two-sided: losses count alike
        ([1] * 10, 2 / 1024),
        ([1] * 8 + [-1] * 2, 2 * 56 / 1024),  # 2 x (1 + 10 + 45) / 2^10
        ([1, 1, 1, -1, -1, -1], 1.0),  # 2 x (1 + 6 + 15 + 20) / 64 > 1: capped
        ([0.5, 0.0, 0.0, 0.2, -0.1], 2 * 4 / 8),  # ties dropped: 2 wins of 3
        ([0.0, 0.0], 1.0),  # nothing left to test
        ([0.3], 1.0),
    ],
)
def test_sign_test(differences, p):
    assert sign_test(differences) == pytest.approx(p, abs=1e-15)


def test_holm_on_small_lists():
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 -> 0.06 (monotone)
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.2]) == pytest.approx([0.5, 0.4])
    assert holm([0.9, 0.8, 0.7]) == pytest.approx([1.0, 1.0, 1.0])  # capped at 1
    assert holm([0.02]) == [0.02]
    assert holm([]) == []


def test_verdict_words():
    assert verdict(ALPHA - 1e-9, 10) == "distinguishable from 0"
    assert verdict(ALPHA, 10) == "not distinguishable at 10 rounds"
    assert verdict(1.0, 1) == "not distinguishable at 1 round"


def rounds_of(table):
    """Records {arch, seed, test_error} from {arch: [error of seed 0, seed 1, ...]}."""
    return [
        {"arch": arch, "seed": seed, "test_error": e}
        for arch, errors in table.items()
        for seed, e in enumerate(errors)
    ]


def test_effects_by_hand():
    # split - siamese: 0.25, 0.125, 0.0, 0.25: mean 0.15625, 3 wins 1 tie
    # split - split_aux: 0.5, 0.25, -0.125, 0.5: 3 wins 1 loss, p = 2 x 4/16 = 0.5
    rounds = rounds_of(
        {
            "split": [0.5, 0.375, 0.25, 0.5],
            "siamese": [0.25, 0.25, 0.25, 0.25],
            "split_aux": [0.0, 0.125, 0.375, 0.0],
        }
    )
    sharing, aux = effects(rounds)
    assert (sharing["effect"], sharing["without"], sharing["with"]) == EFFECTS[0]
    assert aux["effect"] == "aux loss, split" and aux["rounds"] == 4
    assert sharing["mean"] == 0.15625 and (sharing["min"], sharing["max"]) == (0.0, 0.25)
    assert (sharing["wins"], sharing["losses"], aux["wins"], aux["losses"]) == (3, 0, 3, 1)
    assert sharing["p_sign"] == 0.25 and aux["p_sign"] == 0.625
    # Holm over the two: 0.25 x 2 = 0.5, then max(0.5, 0.625 x 1)
    assert (sharing["p_holm"], aux["p_holm"]) == (0.5, 0.625)
    assert sharing["verdict"] == aux["verdict"] == "not distinguishable at 4 rounds"
    std = math.sqrt(sum((d - 0.15625) ** 2 for d in (0.25, 0.125, 0.0, 0.25)) / 3)
    assert sharing["std"] == pytest.approx(std, abs=1e-15)
    half = t_quantile(0.975, 3) * std / 2
    assert sharing["ci_low"] == pytest.approx(0.15625 - half)
    assert sharing["ci_high"] == pytest.approx(0.15625 + half)


def test_ten_winning_rounds_are_distinguishable_after_holm():
    rounds = rounds_of({"split": [0.2] * 10, "siamese": [0.1] * 9 + [0.3]})
    rounds += rounds_of({"split_aux": [0.05] * 10, "siamese_aux": [0.05] * 10})
    sharing, sharing_aux, aux_split, aux_siamese = effects(rounds)
    assert sharing["p_sign"] == 22 / 1024 and (sharing["wins"], sharing["losses"]) == (9, 1)
    assert sharing_aux["p_sign"] == 1.0 and sharing_aux["wins"] == sharing_aux["losses"] == 0
    assert aux_split["p_sign"] == aux_siamese["p_sign"] == 2 / 1024
    # Holm: 2/1024 x 4, 2/1024 x 3 (raised to the 8/1024 before it), 22/1024 x 2, 1.0 x 1
    assert aux_split["p_holm"] == aux_siamese["p_holm"] == 8 / 1024
    assert sharing["p_holm"] == 44 / 1024
    assert sharing_aux["p_holm"] == 1.0
    assert [e["verdict"] for e in (sharing, sharing_aux, aux_split)] == [
        "distinguishable from 0",
        "not distinguishable at 10 rounds",
        "distinguishable from 0",
    ]


def test_paired_differences_pair_by_seed_not_by_order():
    rounds = rounds_of({"split": [0.3, 0.25]}) + rounds_of({"siamese": [0.2, 0.25, 0.1]})
    rounds.reverse()  # order of the records must not matter
    assert paired_differences(rounds, "split", "siamese") == pytest.approx([0.1, 0.0])
    assert paired_differences(rounds, "siamese", "split") == pytest.approx([-0.1, 0.0])
    assert paired_differences(rounds, "split", "cnn") == []
    (row,) = effects(rounds)
    assert row["rounds"] == 2 and row["wins"] == 1 and row["losses"] == 0
    (single,) = effects(rounds_of({"split": [0.3], "siamese": [0.2]}))
    assert single["std"] is None and single["ci_low"] is None and single["ci_high"] is None


def test_summarise_by_hand():
    records = [
        {"arch": "cnn", "params": 7, "train_error": 0.0, "test_error": 0.1, "digit_error": None}
        | {"seconds": 1.0},
        {"arch": "siamese_aux", "params": 9, "train_error": 0.1, "test_error": 0.3}
        | {"digit_error": 0.2, "seconds": 3.0},
        {"arch": "cnn", "params": 7, "train_error": 0.2, "test_error": 0.3, "digit_error": None}
        | {"seconds": 2.0},
    ]
    cnn, aux = summarise(records)
    assert (cnn["arch"], cnn["params"], cnn["rounds"]) == ("cnn", 7, 2)
    assert cnn["test_error_mean"] == pytest.approx(0.2) and cnn["train_error_max"] == 0.2
    assert cnn["test_error_std"] == pytest.approx(math.sqrt(0.02))
    assert cnn["digit_error_mean"] is None and "digit_error_std" not in cnn
    assert cnn["seconds_per_round"] == 1.5
    assert (aux["arch"], aux["rounds"], aux["digit_error_mean"]) == ("siamese_aux", 1, 0.2)
    assert aux["test_error_std"] is None and aux["train_error_min"] == 0.1
