"""The study's tables (`typeset.Table`: rows and column specs), and their plain-text form.

One formatting of every cell for every reader: the printed tables, report.md and report.pdf.
Errors are fractions in the records and percent (or points, for differences) in the cells.
"""

from proj1.stats import ALPHA, LEVEL, POWER, ArmSummary, EffectEstimate, Spread
from proj1.study import FAMILIES
from typeset import Column, Table


def percent(spread: Spread | None) -> str:
    """'12.34 ± 1.23' (percent) from a spread of fractions; '-' for none or no std."""
    if spread is None:
        return "-"
    std = "-" if spread.std is None else f"{100 * spread.std:.2f}"
    return f"{100 * spread.mean:.2f} ± {std}"


def points(value: float | None) -> str:
    """A difference of fractions in percentage points, '1.23'; '-' for None."""
    return "-" if value is None else f"{100 * value:.2f}"


def interval(low: float | None, high: float | None) -> str:
    """'[0.12, 3.45]' in points; '-' without an interval."""
    return "-" if low is None else f"[{points(low)}, {points(high)}]"


def p_value(p: float | None) -> str:
    """'0.0123', '<0.0001' below it, '-' for None."""
    if p is None:
        return "-"
    return "<0.0001" if p < 1e-4 else f"{p:.4f}"


def count(n: int, noun: str) -> str:
    """'1 round', '10 rounds'."""
    return f"{n} {noun}{'s' * (n != 1)}"


def summary_table(summary: list[ArmSummary]) -> Table:
    """Arm, parameters, train and test error (mean ± std, %), test range, digit error, s/round."""
    columns = [
        Column("arm", lambda s: s.arch, "left"),
        Column("params", lambda s: f"{s.params:,}"),
        Column("train err %", lambda s: percent(s.train_error)),
        Column("test err %", lambda s: percent(s.test_error)),
        Column(
            "test [min, max]",
            lambda s: f"[{100 * s.test_error.min:.1f}, {100 * s.test_error.max:.1f}]",
        ),
        Column("digits err %", lambda s: percent(s.digit_error)),
        Column("s/round", lambda s: f"{s.seconds_per_round:.2f}"),
    ]
    caption = (
        "mean ± sample std over the rounds; digits err: the comparison of the argmax digits; "
        "s/round: wall-clock seconds of one training (a test curve included when drawn), beside "
        "the run's other workers"
    )
    return Table(columns, summary, caption)


EFFECT_COLUMNS = [
    Column("effect", lambda e: e.effect, "left"),
    Column("without -> with", lambda e: f"{e.without} -> {e.with_}", "left"),
    Column("drop (pts)", lambda e: f"{points(e.difference.mean)} ± {points(e.difference.std)}"),
    Column(f"{LEVEL:.0%} interval", lambda e: interval(e.ci_low, e.ci_high)),
    Column("wins", lambda e: f"{e.wins}/{e.rounds}"),
    Column("p t", lambda e: p_value(e.p_t_holm)),
    Column("p flip", lambda e: p_value(e.p_flip_holm)),
    Column("resolves", lambda e: points(e.resolvable)),
    Column("verdict", lambda e: e.verdict, "left"),
]
LEGEND = (
    "drop: error without - error with, in points, mean ± std over rounds (positive: it helps)",
    f"interval: {LEVEL:.0%} Student t of the mean drop, not corrected for the several effects",
    "p t: paired t-test, p flip: exact sign-flip permutation test, both Holm-adjusted within "
    "the family",
    f"resolves: the smallest drop the rounds detect with {POWER:.0%} power at the family's "
    "Bonferroni level",
    f"verdict: distinguishable from 0 when p t < {ALPHA}; else, in parentheses, about how many "
    f"rounds would detect a true drop of the size measured with {POWER:.0%} power, were the "
    "measured spread the true one (a rough guide: both are estimates)",
)


def effects_tables(effects: list[EffectEstimate]) -> list[Table]:
    """One table per family of `effects`, in their order, its title as the caption: the
    effect, the two arms, the error drop and its interval (points), rounds won, the
    Holm-adjusted t-test and sign-flip p, the smallest resolvable effect and the verdict."""
    families = dict.fromkeys(e.family for e in effects)
    found = []
    for family in families:
        rows = [e for e in effects if e.family == family]
        found.append(Table(EFFECT_COLUMNS, rows, family_title(family, len(rows))))
    return found


def family_title(family: str, size: int) -> str:
    """'primary family (what it holds; Holm over 6 effects)'."""
    return f"{family} family ({FAMILIES[family]}; Holm over {count(size, 'effect')})"


def effects_text(effects: list[EffectEstimate]) -> str:
    """Every family's table of `effects` under its title, then the legend, as plain text."""
    parts = [f"{t.caption}\n{text(t, caption=False)}" for t in effects_tables(effects)]
    return "\n\n".join(parts) + "\n" + "\n".join(LEGEND)


def text(table: Table, caption: bool = True) -> str:
    """Columns padded to their widest cell, a rule under the head, the caption below."""
    rows = [[c.head for c in table.columns], *table.cells()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(table.columns))]
    lines = [
        "  ".join(
            c.ljust(w) if column.align == "left" else c.rjust(w)
            for c, w, column in zip(r, widths, table.columns, strict=True)
        ).rstrip()
        for r in rows
    ]
    lines.insert(1, "-" * max(map(len, lines)))
    if caption and table.caption:
        lines.append(table.caption)
    return "\n".join(lines)
