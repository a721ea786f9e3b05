"""Train and evaluate one pair model: one optimiser and schedule for every architecture.

Adam, minibatch 100, constant rate, 25 epochs for every architecture. The defaults below
are what an untuned call gets; each architecture's learning rate, weight decay, dropout,
head and auxiliary weight come from one protocol for all, `proj1.tuning`, and are applied
by `proj1.experiment.run_round`.
"""

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from proj1 import checks
from proj1.models import Output

LR = 3e-3
BATCH_SIZE = 100
WEIGHT_DECAY = 0.0
SCHEDULE = "constant"
SCHEDULES = ("constant", "cosine")


@contextmanager
def deterministic_cudnn():
    """cuDNN's deterministic kernels inside the body, then the caller's settings again.

    Its fastest convolution kernels sum in a varying order on a GPU, so that one seed gave
    two different models; the deterministic ones give the same model, as on the CPU.
    """
    cudnn = torch.backends.cudnn
    saved = cudnn.deterministic, cudnn.benchmark
    cudnn.deterministic, cudnn.benchmark = True, False
    try:
        yield
    finally:
        cudnn.deterministic, cudnn.benchmark = saved


class Normaliser(NamedTuple):
    """Affine map (x - mean) / std with scalar statistics of the training pixels."""

    mean: float
    std: float

    @classmethod
    def fit(cls, x: Tensor) -> "Normaliser":
        """Statistics of the training inputs (any shape); ValueError when every pixel is
        the same (nothing to learn, and a division by a zero spread)."""
        mean, std = x.mean().item(), x.std().item()
        if not (math.isfinite(std) and std > 0):
            raise ValueError(
                f"the training inputs have no pixel spread (std {std}, every value {mean:g}): "
                "nothing to learn from; check the data"
            )
        return cls(mean, std)

    def __call__(self, x: Tensor) -> Tensor:
        return (x - self.mean) / self.std


@dataclass
class History:
    """Per-epoch mean loss, running train error and (when a test set is given) test error."""

    normaliser: Normaliser
    loss: list[float] = field(default_factory=list)
    train_error: list[float] = field(default_factory=list)
    test_error: list[float] = field(default_factory=list)


class Errors(NamedTuple):
    """Error fractions: of the comparison logits, and of comparing argmax digits (or None)."""

    comparison: float
    digits: float | None


def pair_loss(output: Output, target: Tensor, classes: Tensor | None, aux_weight: float) -> Tensor:
    """Cross entropy on the comparison (N, 2) plus aux_weight x mean digit CE (N, 2, 10)."""
    loss = F.cross_entropy(output.comparison, target)
    if output.digits is not None and aux_weight != 0:
        if classes is None:
            raise ValueError("this model has an auxiliary loss: pass the digit classes (N, 2)")
        loss = loss + aux_weight * F.cross_entropy(output.digits.flatten(0, 1), classes.flatten())
    return loss


def swap_pairs(x: Tensor, target: Tensor, classes: Tensor, generator: torch.Generator):
    """Swap the two images of a random half of the pairs; targets follow the classes."""
    flip = torch.rand(x.shape[0], generator=generator).to(x.device) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(1), x)
    classes = torch.where(flip[:, None], classes.flip(1), classes)
    target = torch.where(flip, (classes[:, 0] <= classes[:, 1]).long(), target)
    return x, target, classes


def shift_images(x: Tensor, shift: int, generator: torch.Generator) -> Tensor:
    """Translate each image of pairs (N, 2, 14, 14) by up to `shift` pixels, edge-padded."""
    n, k, h, w = x.shape
    flat = F.pad(x.reshape(n * k, 1, h, w), (shift,) * 4, mode="replicate").squeeze(1)
    offsets = torch.randint(0, 2 * shift + 1, (2, n * k), generator=generator).to(x.device)
    rows = (offsets[0, :, None] + torch.arange(h, device=x.device))[:, :, None]
    cols = (offsets[1, :, None] + torch.arange(w, device=x.device))[:, None, :]
    index = torch.arange(n * k, device=x.device)[:, None, None]
    return flat[index, rows, cols].view(n, k, h, w)


@deterministic_cudnn()  # the whole training, evaluations of `test` included
def train(
    model: nn.Module,
    train_input: Tensor,
    train_target: Tensor,
    train_classes: Tensor | None = None,
    *,
    epochs: int = 25,
    lr: float = LR,
    batch_size: int = BATCH_SIZE,
    weight_decay: float = WEIGHT_DECAY,
    schedule: str = SCHEDULE,
    aux_weight: float = 1.0,
    swap: bool = False,
    shift: int = 0,
    test: tuple[Tensor, Tensor] | None = None,
    generator: torch.Generator | None = None,
    device: str | torch.device = "cpu",
) -> History:
    """Train `model` in place on pairs (N, 2, 14, 14), targets (N,), classes (N, 2) -> History."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose from {', '.join(SCHEDULES)}")
    if swap and train_classes is None:
        raise ValueError("swap augmentation needs the digit classes to recompute the targets")
    checks.integer("epochs", epochs, 1, checks.MAX_EPOCHS)
    checks.integer("batch_size", batch_size, 1)
    checks.real("lr", lr, 0)  # 0 allowed, as torch.optim does: the model stays as it is
    checks.real("weight_decay", weight_decay, 0)
    checks.real("aux_weight", aux_weight, 0)
    checks.integer("shift", shift, 0, train_input.shape[-1] - 1)
    device = checks.device(device)
    generator = generator if generator is not None else torch.Generator().manual_seed(0)
    history = History(Normaliser.fit(train_input))
    model.to(device).train()
    x_all = history.normaliser(train_input.to(device))
    t_all = train_target.to(device)
    c_all = train_classes.to(device) if train_classes is not None else None
    n = x_all.shape[0]
    steps = math.ceil(n / batch_size)
    # fused: one kernel per step instead of a dozen per parameter (a third of a step's time)
    fused = device.type in ("cpu", "cuda")
    optimiser = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay, fused=fused)
    scheduler = None
    if schedule == "cosine":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, epochs * steps)
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(device)
        loss_sum = torch.zeros((), device=device)
        wrong = torch.zeros((), device=device, dtype=torch.long)
        for idx in order.split(batch_size):
            x, t = x_all[idx], t_all[idx]
            c = c_all[idx] if c_all is not None else None
            if swap:
                x, t, c = swap_pairs(x, t, c, generator)
            if shift:
                x = shift_images(x, shift, generator)
            output = model(x)
            loss = pair_loss(output, t, c, aux_weight)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            if scheduler is not None:
                scheduler.step()
            # accumulated on the device: no host synchronisation inside the epoch
            loss_sum += loss.detach() * len(idx)
            wrong += (output.comparison.detach().argmax(1) != t).sum()
        history.loss.append(loss_sum.item() / n)
        if not math.isfinite(history.loss[-1]):  # the weights are NaN from here on
            raise FloatingPointError(
                f"the training loss is {history.loss[-1]} at epoch {len(history.loss)} of "
                f"{epochs}: the training diverged (lr={lr}); lower the learning rate"
            )
        history.train_error.append(wrong.item() / n)
        if test is not None:
            history.test_error.append(
                evaluate(model, *test, normaliser=history.normaliser).comparison
            )
    return history


@torch.inference_mode()
def predict(
    model: nn.Module, input: Tensor, *, normaliser: Normaliser, batch_size: int = 1000
) -> Output:
    """Model outputs on raw pairs (N, 2, 14, 14), in eval mode, on the model's device."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    outputs = [model(normaliser(chunk.to(device))) for chunk in input.split(batch_size)]
    model.train(was_training)
    comparison = torch.cat([o.comparison for o in outputs])
    digits = None if outputs[0].digits is None else torch.cat([o.digits for o in outputs])
    return Output(comparison, digits)


def evaluate(model: nn.Module, input: Tensor, target: Tensor, *, normaliser: Normaliser) -> Errors:
    """Error fractions of `model` on pairs (N, 2, 14, 14) with targets (N,)."""
    output = predict(model, input, normaliser=normaliser)
    target = target.to(output.comparison.device)
    comparison = (output.comparison.argmax(1) != target).float().mean().item()
    digits = None
    if output.digits is not None:
        first, second = output.digits.argmax(2).unbind(1)
        digits = ((first <= second).long() != target).float().mean().item()
    return Errors(comparison, digits)
