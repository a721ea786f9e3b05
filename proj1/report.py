"""Plain-text tables of a result's summary and effects (errors printed in percent)."""

from proj1.stats import ALPHA


def percent(mean: float | None, std: float | None = None) -> str:
    """'12.34 ± 1.23' from fractions; '-' for a missing value or spread."""
    if mean is None:
        return "-"
    spread = "-" if std is None else f"{100 * std:.2f}"
    return f"{100 * mean:5.2f} ± {spread}"


def summary_table(summary: list[dict]) -> str:
    """Arch, params, train/test error mean ± std (%), digit-comparison error (%), s/round."""
    head = ("arch", "params", "train err %", "test err %", "[min, max]", "digits err %", "s/round")
    rows = [head]
    for s in summary:
        rows.append(
            (
                s["arch"],
                f"{s['params']:,}",
                percent(s["train_error_mean"], s["train_error_std"]),
                percent(s["test_error_mean"], s["test_error_std"]),
                f"[{100 * s['test_error_min']:.1f}, {100 * s['test_error_max']:.1f}]",
                percent(s["digit_error_mean"], s.get("digit_error_std")),
                f"{s['seconds_per_round']:.2f}",
            )
        )
    return _align(rows)


def effects_table(effects: list[dict]) -> str:
    """Effect, the two networks, error drop mean ± std and its 95 % interval (points), rounds
    won, sign-test p, Holm-adjusted p and the verdict (see `proj1.stats.verdict`)."""
    head = ("effect", "without -> with", "error drop (pts)", "95 % interval", "wins")
    rows = [(*head, "p sign", "p Holm", "verdict")]
    for e in effects:
        ci = "-" if e["ci_low"] is None else f"[{100 * e['ci_low']:.2f}, {100 * e['ci_high']:.2f}]"
        rows.append(
            (
                e["effect"],
                f"{e['without']} -> {e['with']}",
                percent(e["mean"], e["std"]),
                ci,
                f"{e['wins']}/{e['rounds']}",
                f"{e['p_sign']:.4f}",
                f"{e['p_holm']:.4f}",
                e["verdict"],
            )
        )
    return _align(rows, left=(0, 7)) + "\n" + LEGEND


LEGEND = (
    "error drop: without - with, in points (positive: the choice helps); interval: 95 % Student t\n"
    "p sign: two-sided sign test, ties dropped; p Holm: adjusted over the effects above\n"
    f"verdict: distinguishable from 0 when p Holm < {ALPHA}"
)


def _align(rows: list[tuple[str, ...]], left: tuple[int, ...] = (0,)) -> str:
    """Columns padded to their widest cell (`left` ones left-aligned), a rule under the head."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines = [line.rstrip() for line in lines]
    lines.insert(1, "-" * max(map(len, lines)))
    return "\n".join(lines)
