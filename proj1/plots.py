"""Figures of a result: error distributions, paired differences, learning curves, aux sweep.

Each function returns the matplotlib Figure and, given `path`, also writes it as PNG.
The backend is the caller's choice (the CLI picks Agg; notebooks draw inline).
"""

from pathlib import Path

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullLocator

from proj1 import stats
from proj1.outputs import atomic_path
from proj1.results import Round
from proj1.stats import EffectEstimate


def _save(fig: Figure, path: str | Path | None) -> Figure:
    if path is not None:
        with atomic_path(path) as temporary:  # never half a PNG, never through a symlink
            # no "Software" stamp (the matplotlib version): a rerun does not churn the PNG in git
            fig.savefig(temporary, dpi=120, bbox_inches="tight", metadata={"Software": None})
    return fig


def _spread(n: int, centre: float, half_width: float) -> list[float]:
    """`n` positions evenly over centre ± half_width (the centre alone for one)."""
    if n == 1:
        return [centre]
    return torch.linspace(centre - half_width, centre + half_width, n).tolist()


def plot_errors(
    rounds: list[Round],
    path: str | Path | None = None,
    *,
    source: str | None = None,
    table: str | None = None,
) -> Figure:
    """Box plot of the test error (%) per arm over rounds (records of one table), each round
    a dot.

    A thin line joins the dots of one round across the arms (they trained on the same pairs:
    the comparison is paired); the title gives `table`, the rounds, the epochs (from the
    records' histories) and `source` when given.
    """
    archs = list(dict.fromkeys(r.arch for r in rounds))
    keys = list(dict.fromkeys(r.round for r in rounds))
    error = {(r.arch, r.round): 100 * r.test_error for r in rounds}
    errors = [[error[a, k] for k in keys if (a, k) in error] for a in archs]
    fig, ax = plt.subplots(figsize=(0.6 * len(archs) + 1.5, 3.1))
    ax.boxplot(errors, showfliers=False)
    ax.set_xticks(range(1, len(archs) + 1), archs, rotation=30, ha="right")
    # one x offset per round, the same in every column, so that a round's line stays level
    offsets = _spread(len(keys), 0.0, 0.2)
    for k, offset in zip(keys, offsets):
        xs = [i + offset for i, a in enumerate(archs, start=1) if (a, k) in error]
        ys = [error[a, k] for a in archs if (a, k) in error]
        ax.plot(xs, ys, "-", color="grey", alpha=0.35, linewidth=0.8)
        ax.plot(xs, ys, "o", alpha=0.7, markersize=4)
    ax.set_xlabel("arm (a grey line joins the errors of one round)")
    ax.set_ylabel("test error (%)")
    epochs = {len(r.history["loss"]) for r in rounds if r.history.get("loss")}
    title = f"{table}: " if table else ""
    title += f"test error over {len(keys)} rounds"
    if len(epochs) == 1:
        title += f" of {epochs.pop()} epochs"
    if source:
        title += f", {source}"
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def plot_differences(
    rounds: list[Round],
    effects: list[EffectEstimate],
    path: str | Path | None = None,
    *,
    source: str | None = None,
) -> Figure:
    """Paired effects of one table (points of test error, without - with): each round a dot,
    the mean and its 95 % t interval as a bar, one row per effect of `effects`."""
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(effects) + 1.5))
    for y, row in enumerate(reversed(effects)):
        diffs = [100 * d for d in stats.paired_differences(rounds, row.without, row.with_)]
        ys = _spread(len(diffs), y, 0.15)
        ax.plot(diffs, ys, "o", color="tab:blue", alpha=0.5, markersize=4)
        colour = "black" if row.verdict == stats.RESOLVED else "tab:red"
        if row.ci_low is not None:
            ax.plot([100 * row.ci_low, 100 * row.ci_high], [y, y], "-", color=colour, linewidth=2.5)
        mean = 100 * row.difference.mean
        ax.plot([mean], [y], "|", color=colour, markersize=14, markeredgewidth=2.5)
    ax.axvline(0, color="grey", linewidth=1)
    labels = [f"{r.effect}\n{r.without} -> {r.with_}" for r in reversed(effects)]
    ax.set_yticks(range(len(effects)), labels, fontsize="small")
    ax.set_xlabel("error drop, without - with (points; > 0: the choice helps)")
    n = max((r.rounds for r in effects), default=0)
    title = f"paired differences over {n} rounds: mean and 95 % t interval (uncorrected)"
    verdicts = "black: distinguishable from 0, red: not resolved (t-test, Holm in its family)"
    ax.set_title(title + (f", {source}" if source else "") + f"\n({verdicts})")
    ax.grid(axis="x", alpha=0.3)
    return _save(fig, path)


def _band(ax, curves: list[list[float]], label: str, color, scale: float = 1.0) -> None:
    x = torch.tensor(curves, dtype=torch.float64) * scale
    epochs = torch.arange(1, x.shape[1] + 1)
    ax.plot(epochs, x.mean(0), label=label, color=color)
    # min to max rather than mean ± std: it stays positive on the loss's log axis
    ax.fill_between(epochs, x.min(0).values, x.max(0).values, color=color, alpha=0.15)


def plot_curves(rounds: list[Round], path: str | Path | None = None) -> Figure:
    """Per-epoch training loss and error (%) of each arm (records of one table): mean over
    rounds, band from min to max."""
    archs = list(dict.fromkeys(r.arch for r in rounds))
    colors = plt.get_cmap("tab10" if len(archs) <= 10 else "tab20").colors
    has_test = all(r.history["test_error"] for r in rounds)
    fig, (ax_loss, ax_err) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
    for arch, color in zip(archs, colors, strict=False):
        histories = [r.history for r in rounds if r.arch == arch]
        _band(ax_loss, [h["loss"] for h in histories], arch, color)
        errors = [h["test_error" if has_test else "train_error"] for h in histories]
        _band(ax_err, errors, arch, color, scale=100)
    ax_loss.set(xlabel="epoch", ylabel="training loss", yscale="log", title="loss")
    which = "test" if has_test else "running train"
    ax_err.set(xlabel="epoch", ylabel=f"{which} error (%)", title=f"{which} error")
    ax_err.set_ylim(bottom=0)
    ax_err.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1))
    for ax in (ax_loss, ax_err):
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return _save(fig, path)


def plot_aux_sweep(rows: list[dict], path: str | Path | None = None) -> Figure:
    """Error (%) against the auxiliary-loss weight, one line per architecture: the mean over
    rounds, error bars ± one sample standard deviation; a tick at every swept weight."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for arch in dict.fromkeys(r["arch"] for r in rows):
        mine = [r for r in rows if r["arch"] == arch]
        weights = [r["aux_weight"] for r in mine]
        means = [100 * r["test_error"]["mean"] for r in mine]
        stds = [100 * (r["test_error"]["std"] or 0.0) for r in mine]
        ax.errorbar(weights, means, yerr=stds, marker="o", capsize=3, label=arch)
    ax.set_xscale("symlog", linthresh=0.1)
    swept = sorted({r["aux_weight"] for r in rows})
    ax.set_xticks(swept, [f"{w:g}" for w in swept])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set(xlabel="auxiliary loss weight", ylabel="validation error (%)")
    n = max((r.get("rounds", 0) for r in rows), default=0)
    ax.set_title(f"auxiliary-loss weight: mean ± std over {n} rounds")
    ax.grid(alpha=0.3)
    ax.legend()
    return _save(fig, path)
