"""Figures of a result: error distribution per architecture, learning curves, aux-weight sweep.

Each function returns the matplotlib Figure and, given `path`, also writes it as PNG.
The backend is the caller's choice (the CLI picks Agg; notebooks draw inline).
"""

from pathlib import Path

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def _save(fig: Figure, path: str | Path | None) -> Figure:
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # no "Software" stamp (the matplotlib version), so a rerun does not churn the PNG in git
        fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})
    return fig


def plot_errors(rounds: list[dict], path: str | Path | None = None) -> Figure:
    """Box plot of the test error (%) per architecture over rounds, each round a dot."""
    archs = list(dict.fromkeys(r["arch"] for r in rounds))
    errors = [[100 * r["test_error"] for r in rounds if r["arch"] == a] for a in archs]
    fig, ax = plt.subplots(figsize=(1.2 * len(archs) + 2, 4))
    ax.boxplot(errors, showfliers=False)
    ax.set_xticks(range(1, len(archs) + 1), archs, rotation=30, ha="right")
    for i, e in enumerate(errors, start=1):
        # deterministic jitter: a spread of x offsets, so that equal errors stay visible
        offsets = torch.linspace(-0.15, 0.15, len(e)).tolist() if len(e) > 1 else [0.0]
        ax.plot([i + o for o in offsets], e, "o", alpha=0.6, markersize=4)
    ax.set_ylabel("test error (%)")
    ax.set_title(f"test error over {max(len(e) for e in errors)} rounds")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def _band(ax, curves: list[list[float]], label: str, color, scale: float = 1.0) -> None:
    x = torch.tensor(curves, dtype=torch.float64) * scale
    epochs = torch.arange(1, x.shape[1] + 1)
    ax.plot(epochs, x.mean(0), label=label, color=color)
    # min to max rather than mean ± std: it stays positive on the loss's log axis
    ax.fill_between(epochs, x.min(0).values, x.max(0).values, color=color, alpha=0.15)


def plot_curves(rounds: list[dict], path: str | Path | None = None) -> Figure:
    """Per-epoch training loss and error (%): mean over rounds, band from min to max."""
    archs = list(dict.fromkeys(r["arch"] for r in rounds))
    colors = plt.get_cmap("tab10" if len(archs) <= 10 else "tab20").colors
    has_test = all(r["history"]["test_error"] for r in rounds)
    fig, (ax_loss, ax_err) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
    for arch, color in zip(archs, colors, strict=False):
        histories = [r["history"] for r in rounds if r["arch"] == arch]
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
    """Error (%) mean ± std against the auxiliary-loss weight, one line per architecture."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for arch in dict.fromkeys(r["arch"] for r in rows):
        mine = [r for r in rows if r["arch"] == arch]
        weights = [r["aux_weight"] for r in mine]
        means = [100 * r["test_error_mean"] for r in mine]
        stds = [100 * (r["test_error_std"] or 0.0) for r in mine]
        ax.errorbar(weights, means, yerr=stds, marker="o", capsize=3, label=arch)
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set(xlabel="auxiliary loss weight", ylabel="validation error (%)")
    ax.set_title("auxiliary-loss weight")
    ax.grid(alpha=0.3)
    ax.legend()
    return _save(fig, path)
