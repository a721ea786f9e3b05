"""Digit-pair comparison networks (`nn.Module`s); `proj1.study` names them and sets their sizes.

Every model maps pairs `(N, 2, 14, 14)` to an `Output`: the comparison logits `(N, 2)`
(class 1 = "first digit <= second") and, for models trained with an auxiliary loss, the
digit-class logits `(N, 2, 10)` (`digits[:, k]` is image k's `(N, 10)`), else `None`.

The 2x2 design {weight sharing} x {auxiliary loss} is one class, `PairNet`: one shared or
two separate digit encoders, with or without digit logits in its output (what the auxiliary
loss reads). Every class takes keyword options (`dropout`, and `softmax` for the learned
head) that `proj1.tuning` searches.
"""

from typing import NamedTuple

import torch
from torch import Tensor, nn


class Output(NamedTuple):
    """What every model returns: comparison logits (N, 2), digit logits (N, 2, 10) or None."""

    comparison: Tensor
    digits: Tensor | None


class DigitEncoder(nn.Sequential):
    """One digit to ten scores: (M, 1, 14, 14) -> (M, 10); `hidden` sets the budget."""

    def __init__(
        self,
        hidden: int = 460,
        channels: tuple[int, int] = (16, 32),
        bn: bool = False,
        dropout: float = 0.0,
    ):
        c1, c2 = channels
        # without batch norm an Identity holds its place, so layer indices (and state_dict
        # keys) are the same with and without it
        norm = nn.BatchNorm2d if bn else lambda _: nn.Identity()
        super().__init__(
            nn.Conv2d(1, c1, 3),  # 14 -> 12
            nn.MaxPool2d(2),  # pooling before the ReLU is equivalent and 4x cheaper
            norm(c1),  # after pooling too: batch norm on a quarter of the values
            nn.ReLU(),
            nn.Conv2d(c1, c2, 3),  # 6 -> 4
            nn.MaxPool2d(2),
            norm(c2),
            nn.ReLU(),
            nn.Flatten(),
            nn.Linear(c2 * 2 * 2, hidden),
            nn.ReLU(),
            _dropout(dropout),
            nn.Linear(hidden, 10),
        )
        # channels_last weights make the convolutions emit channels_last activations, on
        # which CPU max-pooling is about twice as fast; the results are the same
        self.to(memory_format=torch.channels_last)


class ExactComparison(nn.Module):
    """Parameter-free head: digit logits (N, 2, 10) -> log [P(a > b), P(a <= b)] (N, 2)."""

    def __init__(self):
        super().__init__()
        le = torch.ones(10, 10).triu()  # le[i, j] = 1 when i <= j
        self.register_buffer("log_le", le.log(), persistent=False)
        self.register_buffer("log_gt", (1 - le).log(), persistent=False)

    def forward(self, digits: Tensor) -> Tensor:
        logp = digits.log_softmax(-1)
        # log of the joint p(a = i) p(b = j), summed over i <= j and i > j in log space
        joint = logp[:, 0, :, None] + logp[:, 1, None, :]
        gt = (joint + self.log_gt).flatten(1).logsumexp(-1)
        le = (joint + self.log_le).flatten(1).logsumexp(-1)
        return torch.stack([gt, le], 1)


def _dropout(p: float) -> nn.Module:
    # an Identity when off: no random draws, and the same layer indices either way
    return nn.Dropout(p) if p else nn.Identity()


def mlp_head(softmax: bool = True) -> nn.Module:
    """Learned comparison of two digit score vectors: (N, 2, 10) -> (N, 2).

    With `softmax` it reads the two digit distributions, else the raw scores: without an
    auxiliary loss nothing makes the scores digit classes, and a saturated softmax passes
    almost no gradient back to the encoders. `proj1.tuning` chooses per architecture.
    """
    first = nn.Softmax(-1) if softmax else nn.Identity()
    return nn.Sequential(first, nn.Flatten(), nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))


class PairNet(nn.Module):
    """One shared or two separate `DigitEncoder`s, then a comparison head: (N, 2, 14, 14)."""

    def __init__(
        self,
        shared: bool,
        aux: bool,
        hidden: int,
        exact: bool = False,
        softmax: bool = True,
        **encoder,
    ):
        super().__init__()
        self.encoders = nn.ModuleList(
            DigitEncoder(hidden, **encoder) for _ in range(1 if shared else 2)
        )
        self.head = ExactComparison() if exact else mlp_head(softmax)
        self.aux = aux

    def forward(self, x: Tensor) -> Output:
        n = x.shape[0]
        if len(self.encoders) == 1:
            # both images in one batch: a view, and one large matmul instead of two
            digits = self.encoders[0](x.reshape(2 * n, 1, 14, 14)).view(n, 2, 10)
        else:
            digits = torch.stack([enc(x[:, k : k + 1]) for k, enc in enumerate(self.encoders)], 1)
        return Output(self.head(digits), digits if self.aux else None)


class MLP(nn.Sequential):
    """Baseline on the flat pair: (N, 2, 14, 14) -> 392 -> 128 -> 128 -> 2."""

    def __init__(self, hidden: int = 128, dropout: float = 0.0):
        super().__init__(
            nn.Flatten(),
            nn.Linear(2 * 14 * 14, hidden),
            nn.ReLU(),
            _dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            _dropout(dropout),
            nn.Linear(hidden, 2),
        )

    def forward(self, x: Tensor) -> Output:
        return Output(super().forward(x), None)


class CNN(nn.Sequential):
    """Seed-like baseline: the pair as a two-channel image, (N, 2, 14, 14) -> (N, 2)."""

    def __init__(self, hidden: int = 200, dropout: float = 0.0):
        super().__init__(
            nn.Conv2d(2, 32, 3),
            nn.MaxPool2d(2),
            nn.ReLU(),
            nn.Conv2d(32, 64, 3),
            nn.MaxPool2d(2),
            nn.ReLU(),
            nn.Flatten(),
            nn.Linear(64 * 2 * 2, hidden),
            nn.ReLU(),
            _dropout(dropout),
            nn.Linear(hidden, 2),
        )
        self.to(memory_format=torch.channels_last)  # faster pooling, as in DigitEncoder

    def forward(self, x: Tensor) -> Output:
        return Output(super().forward(x), None)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars in `model`."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
