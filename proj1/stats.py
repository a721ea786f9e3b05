"""Statistics over rounds, in PyTorch: summaries per architecture and paired effect sizes.

Errors are fractions (0.15 = 15 %). An effect is the test error *without* a design choice
minus the error *with* it, round by round (positive = the choice helps), reported with a
95 % Student-t interval of its mean, a two-sided sign test and Holm's adjustment of the
sign tests across the effects of one table.
"""

import functools
import math

import torch

# (effect, without, with): what the second network gains over the first, round by round
EFFECTS = (
    ("sharing, no aux, equal budget", "split", "siamese"),
    ("sharing, with aux, equal budget", "split_aux", "siamese_aux"),
    ("sharing, no aux, equal encoder", "split_wide", "siamese"),
    ("sharing, with aux, equal encoder", "split_wide_aux", "siamese_aux"),
    ("aux loss, split", "split", "split_aux"),
    ("aux loss, siamese", "siamese", "siamese_aux"),
    ("exact head", "siamese_aux", "siamese_exact"),
    ("swap augmentation", "siamese_aux", "siamese_aux_swap"),
    ("swap augmentation, exact", "siamese_exact", "siamese_exact_swap"),
    ("shift augmentation, exact", "siamese_exact", "siamese_exact_shift"),
    ("batch norm + wider convs, exact", "siamese_exact", "siamese_exact_bn"),
)
LEVEL = 0.95  # of the intervals
ALPHA = 0.05  # an effect is "distinguishable from 0" when its Holm-adjusted p is below
SIMPSON_INTERVALS = 2048  # even; the integrand is smooth and bounded: ~1e-12 accuracy
BISECTIONS = 45  # halvings of a bracket [x, 2x]: 2^-45 x ~ 3e-14 x


def describe(values: list[float], prefix: str = "") -> dict[str, float | None]:
    """Mean, sample std (n - 1 in the denominator; None for one value), min and max."""
    x = torch.tensor(values, dtype=torch.float64)
    return {
        f"{prefix}mean": x.mean().item(),
        f"{prefix}std": x.std().item() if len(values) > 1 else None,
        f"{prefix}min": x.min().item(),
        f"{prefix}max": x.max().item(),
    }


def t_cdf(x: float, dof: int) -> float:
    """P(T <= x) for Student's t with `dof` degrees of freedom, by Simpson's rule.

    With t = sqrt(dof) tan(u) the density f(t) dt becomes c cos(u)^(dof - 1) du, with
    c = Gamma((dof + 1) / 2) / (sqrt(pi) Gamma(dof / 2)): a smooth integrand on a finite
    interval, however heavy the tails.
    """
    if dof < 1:
        raise ValueError(f"t_cdf: dof must be >= 1, got {dof}")
    end = math.atan(abs(x) / math.sqrt(dof))
    u = torch.linspace(0.0, end, SIMPSON_INTERVALS + 1, dtype=torch.float64)
    weights = torch.ones_like(u)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    integral = (weights * u.cos().pow(dof - 1)).sum().item() * end / (3 * SIMPSON_INTERVALS)
    c = math.exp(math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2)) / math.sqrt(math.pi)
    return 0.5 + math.copysign(c * integral, x)


@functools.lru_cache(maxsize=64)
def t_quantile(p: float, dof: int) -> float:
    """The x with P(T <= x) = p, 0 < p < 1, by bisection of `t_cdf` (to ~1e-12 relative)."""
    if not 0 < p < 1:
        raise ValueError(f"t_quantile: p must be in (0, 1), got {p}")
    if p < 0.5:
        return -t_quantile(1 - p, dof)
    high = 1.0
    for _ in range(64):  # doubled until above: a few times (p = 1 - 1e-9, dof 1: 29)
        if t_cdf(high, dof) >= p:
            break
        high *= 2
    low = high / 2 if high > 1 else 0.0
    for _ in range(BISECTIONS):
        middle = (low + high) / 2
        low, high = (middle, high) if t_cdf(middle, dof) < p else (low, middle)
    return (low + high) / 2


def interval(values: list[float], level: float = LEVEL) -> tuple[float, float] | None:
    """Student-t interval of the mean of `values`, (low, high); None for fewer than 2."""
    n = len(values)
    if n < 2:
        return None
    d = describe(values)
    half = t_quantile((1 + level) / 2, n - 1) * d["std"] / math.sqrt(n)
    return d["mean"] - half, d["mean"] + half


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


def verdict(p_holm: float, rounds: int) -> str:
    """'distinguishable from 0' when the Holm-adjusted p < ALPHA, else why not."""
    if p_holm < ALPHA:
        return "distinguishable from 0"
    return f"not distinguishable at {rounds} round{'s' if rounds != 1 else ''}"


def summarise(rounds: list[dict]) -> list[dict]:
    """One dict per architecture (first-seen order) from per-round records."""
    archs = list(dict.fromkeys(r["arch"] for r in rounds))
    summary = []
    for arch in archs:
        mine = [r for r in rounds if r["arch"] == arch]
        row = {"arch": arch, "params": mine[0]["params"], "rounds": len(mine)}
        row |= describe([r["train_error"] for r in mine], "train_error_")
        row |= describe([r["test_error"] for r in mine], "test_error_")
        digits = [r["digit_error"] for r in mine if r["digit_error"] is not None]
        row |= describe(digits, "digit_error_") if digits else {"digit_error_mean": None}
        row["seconds_per_round"] = describe([r["seconds"] for r in mine])["mean"]
        summary.append(row)
    return summary


def paired_differences(rounds: list[dict], without: str, with_: str) -> list[float]:
    """Test error of `without` minus that of `with_`, over the rounds both ran (by seed)."""
    errors = {(r["arch"], r["seed"]): r["test_error"] for r in rounds}
    seeds = sorted({s for a, s in errors if a == without} & {s for a, s in errors if a == with_})
    return [errors[without, s] - errors[with_, s] for s in seeds]


def effects(rounds: list[dict]) -> list[dict]:
    """What each design choice buys (positive = fewer errors), paired by round, as fractions.

    Each row: `rounds`, mean / std / min / max of the differences, `ci_low` / `ci_high`
    (95 % t interval of the mean; None for one round), `wins` (rounds where `with` is
    strictly better; a tie is not a win), `losses`, `p_sign` (two-sided sign test),
    `p_holm` (Holm-adjusted over the rows returned) and its `verdict`.
    """
    rows = []
    for name, without, with_ in EFFECTS:
        diffs = paired_differences(rounds, without, with_)
        if diffs:
            ci = interval(diffs) or (None, None)
            rows.append(
                {"effect": name, "without": without, "with": with_, "rounds": len(diffs)}
                | describe(diffs)
                | {"ci_low": ci[0], "ci_high": ci[1]}
                | {"wins": sum(d > 0 for d in diffs), "losses": sum(d < 0 for d in diffs)}
                | {"p_sign": sign_test(diffs)}
            )
    for row, p in zip(rows, holm([r["p_sign"] for r in rows])):
        row["p_holm"] = p
        row["verdict"] = verdict(p, row["rounds"])
    return rows
