"""Statistics over rounds, in PyTorch: summaries per arm and paired effects with their tests.

Errors are fractions (0.15 = 15 %). An effect is the test error *without* a design choice
minus the error *with* it, round by round (positive = the choice helps). For each effect:
a 95 % Student-t interval of the mean difference; the paired t-test (the intervals' own
distribution), Holm-adjusted within the effect's family, which gives the verdict; the exact
sign-flip permutation test of the mean as a distribution-free check, Holm-adjusted alike;
the smallest effect the design resolves (80 % power at the family's Bonferroni level), and,
for an effect it does not resolve, how many rounds would.
"""

import functools
import math
import statistics
from dataclasses import dataclass

import torch

from proj1.study import Table

LEVEL = 0.95  # of the intervals
ALPHA = 0.05  # an effect is "distinguishable from 0" when its Holm-adjusted t-test p is below
POWER = 0.8  # of the smallest resolvable effect
SIMPSON_INTERVALS = 2048  # even; the integrands are smooth and bounded: ~1e-12 accuracy
SECTION_POINTS, SECTIONS = 33, 9  # a root's bracket narrowed 32-fold 9 times: ~3e-14 of it
EXACT_FLIPS = 20  # up to 2^20 sign patterns are enumerated; beyond, RANDOM_FLIPS are drawn
RANDOM_FLIPS = 2**16
FLIP_CHUNK = 2**14  # sign patterns per tensor: bounded memory whatever the number of rounds
MAX_ROUNDS = 10_000  # rounds_needed gives up beyond


@dataclass(frozen=True)
class Spread:
    """Mean, sample std (n - 1 in the denominator; None for one value), min and max."""

    mean: float
    std: float | None
    min: float
    max: float


def describe(values: list[float]) -> Spread:
    """The `Spread` of one or more values."""
    x = torch.tensor(values, dtype=torch.float64)
    std = x.std().item() if len(values) > 1 else None
    return Spread(x.mean().item(), std, x.min().item(), x.max().item())


def t_cdf(x: float, dof: int) -> float:
    """P(T <= x) for Student's t with `dof` degrees of freedom (see `_t_cdfs`)."""
    return _t_cdfs(torch.tensor([float(x)], dtype=torch.float64), dof).item()


def _t_cdfs(x: torch.Tensor, dof: int) -> torch.Tensor:
    """P(T <= x) for each of the values `x` (1-d), by Simpson's rule.

    With t = sqrt(dof) tan(u) the density f(t) dt becomes c cos(u)^(dof - 1) du, with
    c = Gamma((dof + 1) / 2) / (sqrt(pi) Gamma(dof / 2)): a smooth integrand on a finite
    interval, however heavy the tails.
    """
    if dof < 1:
        raise ValueError(f"t_cdf: dof must be >= 1, got {dof}")
    end = torch.atan(x.abs() / math.sqrt(dof))
    u = end[:, None] * torch.linspace(0.0, 1.0, SIMPSON_INTERVALS + 1, dtype=torch.float64)
    c = math.exp(math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2)) / math.sqrt(math.pi)
    return 0.5 + x.sign() * c * _simpson(u.cos().pow(dof - 1), end)


def _simpson(values: torch.Tensor, length: torch.Tensor | float) -> torch.Tensor:
    """Simpson's rule along the last dimension: SIMPSON_INTERVALS equal steps over `length`."""
    weights = torch.ones(values.shape[-1], dtype=values.dtype)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    return (values @ weights) * length / (3 * SIMPSON_INTERVALS)


def _solve(f, target: float) -> float:
    """The x >= 0 where `f` reaches `target`, for f increasing from below `target` at 0;
    `f` maps a 1-d tensor of points to their values, SECTION_POINTS points at a time."""
    high = 1.0
    for _ in range(64):  # doubled until above: a few times (p = 1 - 1e-9, dof 1: 29)
        if f(torch.tensor([high], dtype=torch.float64)).item() >= target:
            break
        high *= 2
    low = 0.0
    for _ in range(SECTIONS):  # each narrows the bracket (SECTION_POINTS - 1)-fold
        x = torch.linspace(low, high, SECTION_POINTS, dtype=torch.float64)
        below = int((f(x) < target).sum())  # f increases: the first `below` points are below
        low, high = x[max(below, 1) - 1].item(), x[min(below, SECTION_POINTS - 1)].item()
    return (low + high) / 2


@functools.lru_cache(maxsize=256)
def t_quantile(p: float, dof: int) -> float:
    """The x with P(T <= x) = p, 0 < p < 1 (to ~1e-13 relative)."""
    if not 0 < p < 1:
        raise ValueError(f"t_quantile: p must be in (0, 1), got {p}")
    if p < 0.5:
        return -t_quantile(1 - p, dof)
    return _solve(lambda x: _t_cdfs(x, dof), p)


def interval(values: list[float], level: float = LEVEL) -> tuple[float, float] | None:
    """Student-t interval of the mean of `values`, (low, high); None for fewer than 2."""
    n = len(values)
    if n < 2:
        return None
    d = describe(values)
    half = t_quantile((1 + level) / 2, n - 1) * d.std / math.sqrt(n)
    return d.mean - half, d.mean + half


def t_test(differences: list[float]) -> float | None:
    """Two-sided p of the paired t-test (mean difference 0); None for fewer than 2 values.

    Differences that are all equal have no spread: p is 1 when they are 0, else 0.
    """
    n = len(differences)
    if n < 2:
        return None
    d = describe(differences)
    if d.std == 0:
        return 1.0 if d.mean == 0 else 0.0
    t = d.mean / (d.std / math.sqrt(n))
    return min(1.0, 2 * (1 - t_cdf(abs(t), n - 1)))


def sign_flip_test(differences: list[float]) -> float:
    """Two-sided p of the sign-flip permutation test of the mean difference.

    Under "no effect" each difference is distributed symmetrically about 0, so flipping its
    sign gives another draw as likely as the observed one: p is the share of
    the 2^n sign patterns whose |sum| reaches the observed one, all of them enumerated up to
    EXACT_FLIPS values (exact), else RANDOM_FLIPS patterns drawn from a fixed seed with the
    observed one counted, (hits + 1) / (RANDOM_FLIPS + 1). 1.0 for no values.
    """
    n = len(differences)
    if n == 0:
        return 1.0
    d = torch.tensor(differences, dtype=torch.float64)
    # the observed pattern must count itself: sums of the same terms in another order may
    # differ in their last bits
    observed = d.sum().abs() - 1e-9 * d.abs().sum()
    exact = n <= EXACT_FLIPS
    total = 2**n if exact else RANDOM_FLIPS
    generator = torch.Generator().manual_seed(0)
    hits = 0
    for start in range(0, total, FLIP_CHUNK):
        count = min(FLIP_CHUNK, total - start)
        if exact:  # pattern k flips the differences at the 1 bits of k
            bits = (torch.arange(start, start + count)[:, None] >> torch.arange(n)) & 1
        else:
            bits = torch.randint(0, 2, (count, n), generator=generator)
        hits += int(((1 - 2 * bits).double() @ d).abs().ge(observed).sum())
    return hits / total if exact else (hits + 1) / (total + 1)


def sign_test(differences: list[float]) -> float:
    """Two-sided sign test p-value of paired differences; zeros (ties) are dropped.

    p = P(|wins - n/2| >= observed) for wins ~ Binomial(n, 1/2), n the non-zero count;
    1.0 when every difference is zero.
    """
    wins = sum(d > 0 for d in differences)
    n = wins + sum(d < 0 for d in differences)
    tail = sum(math.comb(n, k) for k in range(min(wins, n - wins) + 1))
    return min(1.0, 2 * tail / 2**n)


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given (each <= 1)."""
    m = len(p_values)
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def t_test_power(shift: float, dof: int, alpha: float) -> float:
    """Probability that the two-sided t-test at level `alpha` rejects, when the t statistic
    is noncentral with `shift` (mean difference / its standard error) and `dof` degrees."""
    return _t_test_powers(torch.tensor([float(shift)], dtype=torch.float64), dof, alpha).item()


def _t_test_powers(shift: torch.Tensor, dof: int, alpha: float) -> torch.Tensor:
    """`t_test_power` for each of the values `shift` (1-d).

    T = (Z + shift) / S with S = sqrt(chi2(dof) / dof): P(|T| > c) is the integral over S's
    density g of Phi(shift - c s) + Phi(-shift - c s), by Simpson's rule.
    """
    c = t_quantile(1 - alpha / 2, dof)
    top = 1 + 12 / math.sqrt(dof)  # S has mean ~1 and std ~1 / sqrt(2 dof): g ~ 0 beyond
    s = torch.linspace(0.0, top, SIMPSON_INTERVALS + 1, dtype=torch.float64)
    log_norm = math.log(2) + dof / 2 * math.log(dof / 2) - math.lgamma(dof / 2)
    density = (log_norm + torch.special.xlogy(dof - 1, s) - dof * s * s / 2).exp()
    shift = shift[:, None]
    root2 = math.sqrt(2)
    rejected = torch.erfc((c * s - shift) / root2) + torch.erfc((c * s + shift) / root2)
    return _simpson(density * rejected / 2, top)


def resolvable_effect(
    std: float | None, rounds: int, alpha: float, power: float = POWER
) -> float | None:
    """The smallest mean difference that `rounds` paired rounds with differences of sample
    std `std` detect with probability `power` (two-sided t-test at level `alpha`); None for
    fewer than 2 rounds or no std."""
    if rounds < 2 or std is None:
        return None
    return std * _unit_effect(rounds, alpha, power)


@functools.lru_cache(maxsize=1024)
def _unit_effect(rounds: int, alpha: float, power: float) -> float:
    # the resolvable effect is proportional to the std: solved once per design and level
    shift = _solve(lambda x: _t_test_powers(x, rounds - 1, alpha), power)
    return shift / math.sqrt(rounds)


def rounds_needed(mean: float, std: float | None, alpha: float, power: float = POWER) -> int | None:
    """The fewest rounds (>= 2) that resolve a mean difference `mean` with differences of std
    `std` (see `resolvable_effect`); None when more than MAX_ROUNDS would (or no std)."""
    if std is None or mean == 0:
        return None
    # a z-test would need n0 rounds; the t-test, with its heavier tails, a few more
    z = statistics.NormalDist().inv_cdf
    n0 = ((z(1 - alpha / 2) + z(power)) * std / abs(mean)) ** 2
    if n0 > MAX_ROUNDS:
        return None
    n = max(2, math.ceil(n0))
    while resolvable_effect(std, n, alpha, power) > abs(mean):
        n += 1
        if n > MAX_ROUNDS:
            return None
    return n


@dataclass(frozen=True)
class ArmSummary:
    """One arm over its rounds: parameters, error spreads (digit error: None without digits)."""

    arch: str
    params: int
    rounds: int
    train_error: Spread
    test_error: Spread
    digit_error: Spread | None
    seconds_per_round: float


def summarise(rounds: list) -> list[ArmSummary]:
    """One `ArmSummary` per arm (first-seen order) of records with `arch`, `params`,
    `train_error`, `test_error`, `digit_error` (or None) and `seconds`."""
    arms = list(dict.fromkeys(r.arch for r in rounds))
    summary = []
    for arm in arms:
        mine = [r for r in rounds if r.arch == arm]
        digits = [r.digit_error for r in mine if r.digit_error is not None]
        summary.append(
            ArmSummary(
                arm,
                mine[0].params,
                len(mine),
                describe([r.train_error for r in mine]),
                describe([r.test_error for r in mine]),
                describe(digits) if digits else None,
                describe([r.seconds for r in mine]).mean,
            )
        )
    return summary


def paired_differences(rounds: list, without: str, with_: str) -> list[float]:
    """Test error of arm `without` minus that of `with_`, over the rounds both ran (by seed)."""
    errors = {(r.arch, r.seed): r.test_error for r in rounds}
    seeds = sorted({s for a, s in errors if a == without} & {s for a, s in errors if a == with_})
    return [errors[without, s] - errors[with_, s] for s in seeds]


@dataclass(frozen=True)
class EffectEstimate:
    """What one effect of a table measured (fractions; p-values; see `effects`)."""

    effect: str
    without: str
    with_: str
    family: str
    rounds: int
    difference: Spread
    ci_low: float | None
    ci_high: float | None
    wins: int  # rounds where `with_` is strictly better; a tie is not a win
    losses: int
    p_t: float | None
    p_t_holm: float | None
    p_flip: float
    p_flip_holm: float
    resolvable: float | None  # smallest mean difference resolved at 80 % power
    rounds_needed: int | None  # for an unresolved effect: rounds that would resolve it
    verdict: str


RESOLVED = "distinguishable from 0"


def verdict(p_holm: float | None, rounds: int, needed: int | None) -> str:
    """RESOLVED when the Holm-adjusted t-test p < ALPHA, else what the design lacks to
    resolve it."""
    if p_holm is not None and p_holm < ALPHA:
        return RESOLVED
    text = f"not resolved by {rounds} round{'s' if rounds != 1 else ''}"
    if needed is not None and needed > rounds:
        text += f" (~{needed} would)"
    return text


def effects(rounds: list, table: Table) -> list[EffectEstimate]:
    """The effects of `table` that `rounds` (records with `arch`, `seed`, `test_error`) allow,
    with their tests adjusted by Holm within each family."""
    found = []
    for e in table.effects:
        diffs = paired_differences(rounds, e.without, e.with_)
        if diffs:
            found.append((e, diffs, t_test(diffs), sign_flip_test(diffs)))
    adjusted = {}
    for family in {e.family for e, *_ in found}:
        mine = [i for i, (e, *_) in enumerate(found) if e.family == family]
        tested = [i for i in mine if found[i][2] is not None]  # a t-test needs 2 rounds
        p_t = dict(zip(tested, holm([found[i][2] for i in tested])))
        p_flip = holm([found[i][3] for i in mine])
        level = ALPHA / max(len(tested), 1)  # Holm's first step: Bonferroni over the tests
        for i, pf in zip(mine, p_flip):
            adjusted[i] = p_t.get(i), pf, level
    rows = []
    for i, (e, diffs, p_t, p_flip) in enumerate(found):
        p_t_holm, p_flip_holm, level = adjusted[i]
        spread = describe(diffs)
        ci = interval(diffs) or (None, None)
        resolvable = resolvable_effect(spread.std, len(diffs), level)
        resolved = p_t_holm is not None and p_t_holm < ALPHA
        needed = None if resolved else rounds_needed(spread.mean, spread.std, level)
        rows.append(
            EffectEstimate(
                e.name,
                e.without,
                e.with_,
                e.family,
                len(diffs),
                spread,
                *ci,
                sum(d > 0 for d in diffs),
                sum(d < 0 for d in diffs),
                p_t,
                p_t_holm,
                p_flip,
                p_flip_holm,
                resolvable,
                needed,
                verdict(p_t_holm, len(diffs), needed),
            )
        )
    return rows
