"""The figure of the disk task: the loss of every round by epoch, and the decision boundary
of one trained net with its misclassified test points. Needs matplotlib (Agg is the
caller's choice)."""

from pathlib import Path

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from minidl import predict
from minidl.data import RADIUS
from proj1.outputs import atomic_path

GRID = 201  # points per side of the grid the boundary is traced on


def draw_loss(ax, rounds: list[dict]) -> None:
    """Each round's training loss by epoch (thin), their mean (bold), on a log scale."""
    losses = torch.tensor([r["loss"] for r in rounds], dtype=torch.float64)
    epochs = torch.arange(1, losses.shape[1] + 1)
    for loss in losses:
        ax.plot(epochs, loss, color="tab:blue", alpha=0.25, linewidth=0.8)
    ax.plot(epochs, losses.mean(0), color="tab:blue", linewidth=2, label="mean over rounds")
    ax.set(yscale="log", xlabel="epoch", ylabel="training loss (MSE)")
    ax.set_title(f"loss of {len(rounds)} rounds")
    ax.grid(alpha=0.3)
    ax.legend()


def draw_boundary(ax, net, test_x, test_labels, seed: int) -> None:
    """The classes `net` (trained from `seed`) predicts over [0, 1]^2 (filled), the true
    circle (dashed) and the test points it gets wrong (crosses)."""
    ticks = torch.linspace(0, 1, GRID, dtype=test_x.dtype)
    grid_y, grid_x = torch.meshgrid(ticks, ticks, indexing="ij")
    grid = torch.stack([grid_x.reshape(-1), grid_y.reshape(-1)], dim=1)
    classes = predict(net, grid).reshape(grid_x.shape)
    ax.contourf(grid_x, grid_y, classes, levels=[-0.5, 0.5, 1.5],
                colors=["tab:blue", "tab:orange"], alpha=0.35)  # fmt: skip
    ax.add_patch(plt.Circle((0.5, 0.5), RADIUS, fill=False, color="black", lw=1, ls="--"))
    wrong = predict(net, test_x) != test_labels
    ax.scatter(test_x[wrong, 0], test_x[wrong, 1], marker="x", color="red", s=18)
    legend = [
        Patch(color="tab:orange", alpha=0.35, label="predicted inside"),
        Patch(color="tab:blue", alpha=0.35, label="predicted outside"),
        Line2D([], [], color="black", lw=1, ls="--", label="true circle"),
        Line2D([], [], color="red", marker="x", ls="none", label=f"{int(wrong.sum())} test errors"),
    ]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal", xlabel="x1", ylabel="x2")
    ax.set_title(f"decision boundary, seed {seed}")


def plot_disk(rounds: list[dict], net, test_set, path: str | Path | None = None) -> Figure:
    """The loss panel and the boundary panel of `net`, the first round's, side by side;
    written as PNG given `path`."""
    fig, (ax_loss, ax_boundary) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    draw_loss(ax_loss, rounds)
    draw_boundary(ax_boundary, net, *test_set, seed=rounds[0]["seed"])
    if path is not None:
        with atomic_path(path) as temporary:  # never half a PNG, never through a symlink
            # no "Software" stamp (the matplotlib version): a rerun does not churn the PNG in git
            fig.savefig(temporary, dpi=150, metadata={"Software": None})
    return fig
