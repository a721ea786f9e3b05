"""The study's tables as rows of formatted cells, rendered as aligned text or as Markdown.

One formatting of every cell for every reader: the printed tables, report.md and report.pdf.
Errors are fractions in the records and percent (or points, for differences) in the cells.
"""

from dataclasses import dataclass

from proj1.stats import ALPHA, LEVEL, POWER, ArmSummary, EffectEstimate, Spread
from proj1.study import FAMILIES


@dataclass(frozen=True)
class Table:
    """A head, rows of cells (strings), the left-aligned columns and notes to print under it."""

    head: tuple[str, ...]
    rows: list[tuple[str, ...]]
    left: tuple[int, ...] = (0,)
    notes: tuple[str, ...] = ()


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


def summary_table(summary: list[ArmSummary]) -> Table:
    """Arm, parameters, train and test error (mean ± std, %), test range, digit error, s/round."""
    head = ("arm", "params", "train err %", "test err %", "test [min, max]", "digits err %")
    rows = [
        (
            s.arch,
            f"{s.params:,}",
            percent(s.train_error),
            percent(s.test_error),
            f"[{100 * s.test_error.min:.1f}, {100 * s.test_error.max:.1f}]",
            percent(s.digit_error),
            f"{s.seconds_per_round:.2f}",
        )
        for s in summary
    ]
    notes = ("mean ± sample std over the rounds; digits err: the comparison of the argmax digits",)
    return Table((*head, "s/round"), rows, notes=notes)


def effects_tables(effects: list[EffectEstimate]) -> list[tuple[str, Table]]:
    """(family, table) for each family of `effects`, in their order: the effect, the two arms,
    the error drop and its interval (points), rounds won, the Holm-adjusted t-test and
    sign-flip p, the smallest resolvable effect and the verdict."""
    head = ("effect", "without -> with", "drop (pts)", f"{LEVEL:.0%} interval", "wins")
    head += ("p t", "p flip", "resolves", "verdict")
    found = []
    for family in dict.fromkeys(e.family for e in effects):
        rows = [
            (
                e.effect,
                f"{e.without} -> {e.with_}",
                f"{points(e.difference.mean)} ± {points(e.difference.std)}",
                interval(e.ci_low, e.ci_high),
                f"{e.wins}/{e.rounds}",
                p_value(e.p_t_holm),
                p_value(e.p_flip_holm),
                points(e.resolvable),
                e.verdict,
            )
            for e in effects
            if e.family == family
        ]
        found.append((family, Table(head, rows, left=(0, 1, 8))))
    return found


LEGEND = (
    "drop: error without - error with, in points, mean ± std over rounds (positive: it helps)",
    f"interval: {LEVEL:.0%} Student t of the mean drop, not corrected for the several effects",
    "p t: paired t-test, p flip: exact sign-flip permutation test, both Holm-adjusted within "
    "the family",
    f"resolves: the smallest drop the rounds detect with {POWER:.0%} power at the family's "
    "Bonferroni level",
    f"verdict: distinguishable from 0 when p t < {ALPHA}; else the rounds that would resolve "
    "the drop measured",
)


def family_title(family: str, size: int) -> str:
    """'primary family (what it holds; Holm over 6 effects)'."""
    return f"{family} family ({FAMILIES[family]}; Holm over {size} effect{'s' * (size != 1)})"


def effects_text(effects: list[EffectEstimate]) -> str:
    """Every family's table of `effects` under its title, then the legend."""
    parts = [f"{family_title(f, len(t.rows))}\n{text(t)}" for f, t in effects_tables(effects)]
    return "\n\n".join(parts) + "\n" + "\n".join(LEGEND)


def effects_markdown(effects: list[EffectEstimate]) -> str:
    """Every family's table of `effects` under its title (bold), then the legend as a list."""
    parts = [
        f"**{family_title(f, len(t.rows))}**\n\n{markdown(t)}" for f, t in effects_tables(effects)
    ]
    return "\n\n".join(parts) + "\n\n" + "\n".join(f"* {line}" for line in LEGEND)


def text(table: Table) -> str:
    """Columns padded to their widest cell, a rule under the head, the notes below."""
    rows = [table.head, *table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(table.head))]
    lines = [
        "  ".join(
            c.ljust(w) if i in table.left else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    ]
    lines.insert(1, "-" * max(map(len, lines)))
    return "\n".join([*lines, *table.notes])


def markdown(table: Table) -> str:
    """A Markdown table (cells as they are), the notes as a list below it."""
    lines = ["| " + " | ".join(table.head) + " |"]
    rule = (":--" if i in table.left else "--:" for i in range(len(table.head)))
    lines.append("|" + "|".join(rule) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    if table.notes:
        lines += [""] + [f"* {note}" for note in table.notes]
    return "\n".join(lines)
