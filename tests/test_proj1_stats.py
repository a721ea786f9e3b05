"""proj1.stats on examples small enough to compute by hand (std, t quantiles, intervals, the
paired t-test, the sign-flip and sign tests, Holm's adjustment within families, paired effects
and their verdicts), and the power computations against values computed with scipy."""

import math

import pytest
from proj1_records import make_round, rounds_of

from proj1 import stats
from proj1.stats import (
    ALPHA,
    RESOLVED,
    Spread,
    describe,
    effects,
    holm,
    interval,
    paired_differences,
    resolvable_effect,
    rounds_needed,
    sign_flip_test,
    sign_test,
    summarise,
    t_cdf,
    t_quantile,
    t_test,
    t_test_power,
    verdict,
)
from proj1.study import BEST, PRIMARY, SECONDARY


def test_describe_uses_bessels_correction():
    # mean 0.2, deviations +-0.1: sum of squares 0.02, / (n - 1) = 0.02, sqrt = 0.141421...
    d = describe([0.1, 0.3])
    assert d.mean == pytest.approx(0.2, abs=1e-15)
    assert d.std == pytest.approx(math.sqrt(0.02), abs=1e-15)  # not 0.1 (n in the denominator)
    assert (d.min, d.max) == (0.1, 0.3)
    # 1, 2, 3, 6: mean 3, squares 4 + 1 + 0 + 9 = 14, / 3
    assert describe([6.0, 1.0, 3.0, 2.0]) == Spread(3.0, pytest.approx(math.sqrt(14 / 3)), 1.0, 6.0)
    assert describe([0.5]) == Spread(0.5, None, 0.5, 0.5)


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
        ([1, 2, 3, -1, 0.5], 0.18015182755781547),  # scipy.stats.ttest_1samp
        ([0.0162, 0.0076, 0.02, -0.003, 0.011, 0.009, 0.004, 0.013, 0.007, 0.012],
         0.001029426080946177),
        # dof 2, p = 1 - |t| / sqrt(2 + t^2): mean 0.25, std 0.125, t = 0.25 sqrt(3) / 0.125
        ([0.125, 0.25, 0.375], 1 - math.sqrt(12 / 14)),
        ([0.0, 0.0, 0.25], 1 - 1 / math.sqrt(3)),  # mean x/3, std x/sqrt(3): t = 1
        # dof 1, p = 1 - 2 atan(|t|) / pi: mean 1, std 2 sqrt(2), t = 1 / 2
        ([3.0, -1.0], 1 - 2 * math.atan(0.5) / math.pi),
        ([-3.0, 1.0], 1 - 2 * math.atan(0.5) / math.pi),  # two-sided
    ],
)  # fmt: skip
def test_t_test_by_hand_and_against_scipy(differences, p):
    assert t_test(differences) == pytest.approx(p, rel=1e-12)


def test_t_test_without_spread_or_rounds():
    assert t_test([0.0, 0.0]) == 1.0  # nothing differs
    assert t_test([0.25, 0.25, 0.25]) == t_test([-0.5, -0.5]) == 0.0  # differs every time alike
    assert t_test([0.3]) is None and t_test([]) is None


@pytest.mark.parametrize(
    ("differences", "p"),
    [
        ([1.0, 2.0, 3.0], 2 / 8),  # sums +-1 +-2 +-3: only +6 and -6 reach |6|
        ([1.0, 1.0, 1.0, 1.0, -1.0], 12 / 32),  # |5 - 2k| >= 3 for k minus signs: 1 + 5 + 5 + 1
        ([1.0] * 9 + [-1.0], 22 / 1024),  # equal sizes: the sign test's p
        ([0.5] * 10, 2 / 1024),
        ([3.0, -1.0, -1.0, 1.0], 14 / 16),  # +-3 +-1 +-1 +-1: all but the two sums of 0 reach 2
        ([0.1, 0.2, 0.3], 2 / 8),  # the observed pattern counts, rounded in any order
        ([0.1, 0.2, -0.3], 1.0),  # a sum of 0 (to the last bits): every pattern reaches it
        ([0.0, 0.0], 1.0),
        ([0.5, 0.0], 1.0),
        ([0.3], 1.0),
        ([], 1.0),
    ],
)
def test_sign_flip_test_enumerates_every_pattern(differences, p):
    assert sign_flip_test(differences) == pytest.approx(p, abs=1e-15)


def test_sign_flip_test_in_chunks_of_any_size(monkeypatch):
    monkeypatch.setattr(stats, "FLIP_CHUNK", 3)  # 32 patterns in 11 chunks, the last of 2
    assert sign_flip_test([1.0, 1.0, 1.0, 1.0, -1.0]) == 12 / 32


def test_sign_flip_test_draws_patterns_beyond_20_values(monkeypatch):
    # 21 equal values: 2 of the 2^21 patterns reach the observed sum; none of the 2^16 draws
    # from the fixed seed does, and the observed pattern counts: 1 / (2^16 + 1)
    assert sign_flip_test([1.0] * 21) == 1 / (2**16 + 1)
    # drawn instead of enumerated, the p of 10 values is the exact one within its noise
    # (binomial std sqrt(p (1 - p) / 2^16) ~ 0.0006), and the same at every call
    monkeypatch.setattr(stats, "EXACT_FLIPS", 4)
    drawn = sign_flip_test([1.0] * 9 + [-1.0])
    assert drawn == pytest.approx(22 / 1024, abs=0.003) and drawn != 22 / 1024
    assert sign_flip_test([1.0] * 9 + [-1.0]) == drawn
    assert (drawn * (2**16 + 1)) == pytest.approx(round(drawn * (2**16 + 1)))  # (hits + 1) / ...


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


@pytest.mark.parametrize(
    ("shift", "dof", "alpha", "power"),
    [  # scipy.stats.nct: P(|T| > t_{1 - alpha/2}) for T noncentral with `shift`
        (math.sqrt(10) * 1.0, 9, 0.05, 0.8030968566327219),
        (math.sqrt(30), 29, 0.01, 0.995018048506919),
        (math.sqrt(3), 2, 0.05, 0.1792553937765518),
        (-math.sqrt(3), 2, 0.05, 0.1792553937765518),  # two-sided: either direction alike
        (0.0, 9, 0.05, 0.05),  # no effect: rejected at the test's level
        (0.0, 4, 0.01, 0.01),
    ],
)
def test_t_test_power_against_scipy(shift, dof, alpha, power):
    assert t_test_power(shift, dof, alpha) == pytest.approx(power, abs=1e-9)


@pytest.mark.parametrize(
    ("rounds", "alpha", "effect"),
    [  # scipy: the mean difference (in stds) where the t-test's power reaches 0.8
        (10, 0.05, 0.9960013714554437),
        (10, 0.05 / 6, 1.3714409758200439),  # Bonferroni over the six primary effects
        (5, 0.05, 1.6819969659555547),
        (30, 0.01, 0.6622069698386907),
        (3, 0.05, 3.264043549699571),
    ],
)
def test_resolvable_effect_against_scipy(rounds, alpha, effect):
    assert resolvable_effect(1.0, rounds, alpha) == pytest.approx(effect, rel=1e-9)
    # proportional to the std of the differences, and resolved with the power asked for
    assert resolvable_effect(0.02, rounds, alpha) == pytest.approx(0.02 * effect, rel=1e-9)
    shift = effect * math.sqrt(rounds)
    assert t_test_power(shift, rounds - 1, alpha) == pytest.approx(0.8, abs=1e-9)


def test_resolvable_effect_needs_two_rounds_and_a_std():
    assert resolvable_effect(None, 10, 0.05) is None
    assert resolvable_effect(1.0, 1, 0.05) is None
    assert resolvable_effect(1.0, 10, 0.05, power=0.5) < resolvable_effect(1.0, 10, 0.05)


def test_rounds_needed_is_the_fewest_that_resolve():
    # scipy: power 0.7903 at 51 rounds, 0.8005 at 52 (a 0.5-std effect, level 0.05 / 6)
    assert rounds_needed(0.005, 0.01, 0.05 / 6) == 52
    assert rounds_needed(-0.005, 0.01, 0.05 / 6) == 52  # a rise as much as a drop
    assert resolvable_effect(0.01, 52, 0.05 / 6) <= 0.005 < resolvable_effect(0.01, 51, 0.05 / 6)
    assert rounds_needed(1.0, 0.01, 0.05) == 2  # never fewer than a t-test needs
    assert rounds_needed(1e-4, 1.0, 0.05) is None  # more than MAX_ROUNDS
    assert rounds_needed(0.0, 0.01, 0.05) is None and rounds_needed(0.01, None, 0.05) is None


def test_verdict_words():
    assert verdict(ALPHA - 1e-9, 10, None) == RESOLVED == "distinguishable from 0"
    assert verdict(ALPHA, 10, 52) == "not resolved by 10 rounds (~52 would)"
    assert verdict(0.5, 10, 8) == "not resolved by 10 rounds"  # enough rounds: no advice
    assert verdict(0.5, 10, None) == "not resolved by 10 rounds"
    assert verdict(None, 1, None) == "not resolved by 1 round"


def test_effects_by_hand():
    # split - siamese: 0.125, 0.25, 0.375: mean 0.25, std 0.125, t = 2 sqrt(3), 3 wins
    # split - split_aux: 0, 0, 0.25: t = 1, 1 win and 2 ties
    rounds = rounds_of(
        {
            "split": [0.375, 0.5, 0.625],
            "siamese": [0.25, 0.25, 0.25],
            "split_aux": [0.375, 0.5, 0.375],
        }
    )
    sharing, aux = effects(rounds, BEST)
    assert (sharing.effect, sharing.without, sharing.with_) == (
        "sharing, no aux, equal budget",
        "split",
        "siamese",
    )
    assert (aux.effect, aux.without, aux.with_) == ("aux loss, split", "split", "split_aux")
    assert sharing.family == aux.family == PRIMARY and sharing.rounds == aux.rounds == 3
    assert sharing.difference == Spread(0.25, 0.125, 0.125, 0.375)
    half = 0.95 * math.sqrt(2 / (1 - 0.95**2)) * 0.125 / math.sqrt(3)  # t_{0.975, 2} std / sqrt n
    assert (sharing.ci_low, sharing.ci_high) == pytest.approx((0.25 - half, 0.25 + half))
    assert (sharing.wins, sharing.losses, aux.wins, aux.losses) == (3, 0, 1, 0)
    # Holm over the two of the family: 0.0742 x 2, then max(0.148, 0.4226 x 1)
    p_sharing, p_aux = 1 - math.sqrt(12 / 14), 1 - 1 / math.sqrt(3)
    assert (sharing.p_t, aux.p_t) == pytest.approx((p_sharing, p_aux), rel=1e-12)
    assert (sharing.p_t_holm, aux.p_t_holm) == pytest.approx((2 * p_sharing, p_aux), rel=1e-12)
    # sign flips: 2 of 8 patterns reach 0.75; every pattern reaches 0.25 (two zeros)
    assert (sharing.p_flip, aux.p_flip, sharing.p_flip_holm, aux.p_flip_holm) == (
        0.25,
        1.0,
        0.5,
        1.0,
    )
    # resolution at the family's Bonferroni level, 0.05 / 2
    assert sharing.resolvable == pytest.approx(resolvable_effect(0.125, 3, 0.025), rel=1e-12)
    assert sharing.rounds_needed == rounds_needed(0.25, 0.125, 0.025) == 6
    assert sharing.verdict == "not resolved by 3 rounds (~6 would)"
    assert aux.verdict.startswith("not resolved by 3 rounds")


def test_holm_runs_within_each_family():
    # the six networks of the family err alike: the primary effects are all 0 (p = 1);
    # exact head: 0.09375, 0.125, 0.15625 (t = 4 sqrt(3), p = 1 - sqrt(0.96) = 0.0202);
    # batch norm: 0, 0, 0.0625 (t = 1)
    same = [0.25, 0.25, 0.25]
    errors = dict.fromkeys(("split", "split_aux", "split_wide", "split_wide_aux"), same)
    errors |= {"siamese": same, "siamese_aux": same, "siamese_exact": [0.15625, 0.125, 0.09375]}
    errors["siamese_exact_bn"] = [0.15625, 0.125, 0.03125]
    rows = effects(rounds_of(errors), BEST)
    assert [e.effect for e in rows] == [e.name for e in BEST.effects]
    *primary, exact, bn = rows
    assert {e.family for e in primary} == {PRIMARY} and exact.family == bn.family == SECONDARY
    assert all(e.p_t == e.p_t_holm == 1.0 and e.rounds_needed is None for e in primary)
    assert all(e.verdict == "not resolved by 3 rounds" for e in primary)
    p_exact, p_bn = 1 - math.sqrt(0.96), 1 - 1 / math.sqrt(3)
    assert (exact.p_t, bn.p_t) == pytest.approx((p_exact, p_bn), rel=1e-12)
    # within the secondary family: 0.0202 x 2 = 0.0404 < 0.05
    assert exact.p_t_holm == pytest.approx(2 * p_exact, rel=1e-12) and exact.verdict == RESOLVED
    assert bn.p_t_holm == pytest.approx(p_bn, rel=1e-12)
    # over all eight effects it would be 0.0202 x 8: not resolved
    over_all = holm([e.p_t for e in rows])[-2]
    assert over_all == pytest.approx(8 * p_exact) and over_all > ALPHA
    assert exact.resolvable == pytest.approx(resolvable_effect(0.03125, 3, ALPHA / 2))
    assert exact.rounds_needed is None  # resolved: nothing to ask for


def test_an_effect_of_one_round_leaves_the_others_adjusted():
    # split -> siamese and split_wide -> siamese over 3 rounds; split -> split_aux over 1
    rounds = rounds_of(
        {
            "split": [0.3, 0.25, 0.3],
            "siamese": [0.2, 0.2, 0.21],
            "split_wide": [0.3, 0.25, 0.29],
            "split_aux": [0.1],
        }
    )
    budget, encoder, aux = effects(rounds, BEST)
    assert aux.rounds == 1 and aux.p_t is None and aux.p_t_holm is None
    adjusted = holm([budget.p_t, encoder.p_t])
    assert [budget.p_t_holm, encoder.p_t_holm] == adjusted
    assert min(budget.p_t, encoder.p_t) < ALPHA <= min(adjusted)  # raw p would be resolved
    assert budget.verdict == encoder.verdict == "not resolved by 3 rounds (~4 would)"
    # the resolvable effect at the level of the two tests, 0.05 / 2
    assert budget.resolvable == pytest.approx(resolvable_effect(budget.difference.std, 3, 0.025))


def test_paired_differences_pair_by_seed_not_by_order():
    rounds = rounds_of({"split": [0.3, 0.25]}) + rounds_of({"siamese": [0.2, 0.25, 0.1]})
    rounds.reverse()  # order of the records must not matter
    assert paired_differences(rounds, "split", "siamese") == pytest.approx([0.1, 0.0])
    assert paired_differences(rounds, "siamese", "split") == pytest.approx([-0.1, 0.0])
    assert paired_differences(rounds, "split", "cnn") == []
    (row,) = effects(rounds, BEST)
    assert row.rounds == 2 and row.wins == 1 and row.losses == 0
    (single,) = effects(rounds_of({"split": [0.3], "siamese": [0.2]}), BEST)
    assert single.difference.std is None and single.ci_low is None and single.ci_high is None
    assert single.p_t is None and single.p_t_holm is None and single.p_flip == 1.0
    assert single.resolvable is None and single.rounds_needed is None
    assert single.verdict == "not resolved by 1 round"


def test_summarise_by_hand():
    records = [
        make_round("cnn", 0, 0.1, params=7, train_error=0.0, seconds=1.0),
        make_round("siamese_aux", 0, 0.3, params=9, train_error=0.1, digit_error=0.2, seconds=3.0),
        make_round("cnn", 1, 0.3, params=7, train_error=0.2, seconds=2.0),
    ]
    cnn, aux = summarise(records)
    assert (cnn.arch, cnn.params, cnn.rounds) == ("cnn", 7, 2)
    assert cnn.test_error == Spread(pytest.approx(0.2), pytest.approx(math.sqrt(0.02)), 0.1, 0.3)
    assert cnn.train_error.max == 0.2 and cnn.digit_error is None
    assert cnn.seconds_per_round == 1.5
    assert (aux.arch, aux.rounds) == ("siamese_aux", 1)
    assert aux.digit_error == Spread(0.2, None, 0.2, 0.2)
    assert aux.test_error.std is None and aux.train_error.min == 0.1
