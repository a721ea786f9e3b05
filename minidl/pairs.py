"""Project 1's siamese pair network, built from minidl modules layer for layer.

The layers, shapes and parameter order of `proj1.models`' `siamese` networks (`DigitEncoder`
and `mlp_head`, without batch norm), so that a torch model's parameters copy over in order:
`for (p, _), q in zip(net.param(), model.parameters()): p.copy_(q)`.
"""

from .activations import ReLU
from .conv import Conv2d
from .dropout import Dropout
from .flatten import Flatten
from .linear import Linear
from .pooling import MaxPool2d
from .sequential import Sequential
from .siamese import Siamese
from .softmax import Softmax


def digit_encoder(hidden=460, channels=(16, 32), dropout=0.0, *, generator=None):
    """One digit to ten scores, `(M, 1, 14, 14)` -> `(M, 10)`.

    Conv 3x3, max-pool 2, ReLU (14 -> 12 -> 6), twice (6 -> 4 -> 2), then a hidden layer
    of `hidden` units, `dropout` (drawn from torch's global generator, as torch.nn.Dropout
    draws) and ten outputs.
    """
    c1, c2 = channels
    g = generator
    return Sequential(
        Conv2d(1, c1, 3, generator=g), MaxPool2d(2), ReLU(),
        Conv2d(c1, c2, 3, generator=g), MaxPool2d(2), ReLU(),
        Flatten(), Linear(c2 * 2 * 2, hidden, generator=g), ReLU(),
        *([Dropout(dropout)] if dropout else []),
        Linear(hidden, 10, generator=g),
    )  # fmt: skip


def comparison_head(softmax=True, *, generator=None):
    """Two digits' scores `(N, 2, 10)` -> comparison logits `(N, 2)` (class 1: a <= b).

    With `softmax` it reads the two digit distributions rather than the raw scores.
    """
    first = [Softmax()] if softmax else []
    return Sequential(
        *first, Flatten(), Linear(20, 64, generator=generator), ReLU(),
        Linear(64, 2, generator=generator),
    )  # fmt: skip


def siamese_network(hidden=460, channels=(16, 32), dropout=0.0, softmax=True, *, generator=None):
    """`siamese` / `siamese_aux` of Project 1: pairs `(N, 2, 14, 14)` -> (comparison logits
    `(N, 2)`, digit logits `(N, 2, 10)`); the auxiliary loss is the caller's choice."""
    encoder = digit_encoder(hidden, channels, dropout, generator=generator)
    return Siamese(encoder, comparison_head(softmax, generator=generator))
