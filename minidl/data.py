"""The disk task of Project 2 and minibatch iteration."""

import math

from torch import empty

from .module import FLOAT64

RADIUS = 1 / math.sqrt(2 * math.pi)  # the disk then covers half of the unit square


def disk_dataset(n, *, generator=None, dtype=None, device=None):
    """`n` points uniform in [0, 1]^2 `(n, 2)` and labels `(n,)` int64: 1 inside the disk.

    The disk has radius 1/sqrt(2 pi), centred at (0.5, 0.5), so both classes are equally
    likely.
    """
    if n < 1:
        raise ValueError(f"disk_dataset: n must be positive, got {n}")
    points = empty(n, 2, dtype=dtype, device=device).uniform_(generator=generator)
    labels = ((points - 0.5).pow(2).sum(dim=1) <= RADIUS**2).long()
    return points, labels


def one_hot(labels, classes=2, dtype=None):
    """Int64 labels `(n,)` -> float one-hot targets `(n, classes)`, e.g. for `LossMSE`."""
    target = empty(len(labels), classes, dtype=dtype, device=labels.device).zero_()
    return target.scatter_(1, labels.unsqueeze(1), 1.0)


def shuffled_indices(n, generator=None, device=None):
    """A random permutation of 0..n-1 `(n,)` int64, reproducible under `generator`."""
    # argsort of float64 uniforms: a permutation without importing torch.randperm
    keys = empty(n, dtype=FLOAT64).uniform_(generator=generator)
    return keys.argsort().to(device)


def minibatches(*tensors, batch_size=100, shuffle=True, generator=None):
    """Yield tuples of aligned slices of `tensors` (same first dimension), shuffled or not."""
    n = len(tensors[0])
    if any(len(t) != n for t in tensors):
        raise ValueError(f"minibatches: tensors have different lengths {[len(t) for t in tensors]}")
    if batch_size < 1:
        raise ValueError(f"minibatches: batch_size must be positive, got {batch_size}")
    order = shuffled_indices(n, generator, tensors[0].device) if shuffle else None
    for start in range(0, n, batch_size):
        if order is None:
            yield tuple([t[start : start + batch_size] for t in tensors])
        else:
            index = order[start : start + batch_size]
            yield tuple([t.index_select(0, index) for t in tensors])
