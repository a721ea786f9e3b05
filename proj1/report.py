"""Plain-text tables of a result's summary and effects (errors printed in percent)."""


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
    """Effect, the two networks, error reduction mean ± std (points), range, rounds won."""
    rows = [("effect", "without -> with", "error drop (pts)", "[min, max]", "wins")]
    for e in effects:
        rows.append(
            (
                e["effect"],
                f"{e['without']} -> {e['with']}",
                percent(e["mean"], e["std"]),
                f"[{100 * e['min']:.1f}, {100 * e['max']:.1f}]",
                f"{e['wins']}/{e['rounds']}",
            )
        )
    return _align(rows)


def _align(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)
