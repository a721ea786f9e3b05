"""The assignment's disk task with minidl: its network, its training, and rounds of it.

Round `r` draws 1,000 training and 1,000 test points, then initialises the network, from
seed `r`, and trains it with MSE and SGD; `python minidl/test.py` is round 0, printed.
Only minidl and `torch.Generator` are used here.
"""

import time

import torch

from minidl import SGD, Linear, LossMSE, ReLU, Sequential, disk_dataset, error_rate, fit, one_hot
from minidl.train import print_epoch

SEED, POINTS, EPOCHS, BATCH = 0, 1000, 100, 100
SIZES = (2, 25, 25, 25, 2)  # inputs, three hidden layers, outputs
LR, MOMENTUM = 0.1, 0.9


def network(generator: torch.Generator | None = None) -> Sequential:
    """The assignment's net: `Linear` layers of `SIZES` with a `ReLU` between two."""
    layers = []
    for width_in, width_out in zip(SIZES[:-1], SIZES[1:]):
        layers += [Linear(width_in, width_out, generator=generator), ReLU()]
    return Sequential(*layers[:-1])


def disk_sets(generator: torch.Generator):
    """(train points, train labels), (test points, test labels): `POINTS` each, drawn in
    that order from `generator`."""
    return disk_dataset(POINTS, generator=generator), disk_dataset(POINTS, generator=generator)


def train(net, points, labels, generator, *, epochs: int = EPOCHS, on_epoch=print_epoch):
    """Train `net` on one-hot targets with MSE and SGD with momentum; the loss of each epoch."""
    optimizer = SGD(net.param(), lr=LR, momentum=MOMENTUM)
    targets = one_hot(labels)
    return fit(net, LossMSE(), optimizer, points, targets, epochs=epochs, batch_size=BATCH,
               generator=generator, on_epoch=on_epoch)  # fmt: skip


def run_round(seed: int, epochs: int = EPOCHS):
    """Train a fresh network on fresh points from `seed`, silently.

    Returns the round's record (`seed`, per-epoch `loss`, `train_error`, `test_error` as
    fractions, training `seconds`) and, for figures, the trained net and the test set.
    """
    generator = torch.Generator().manual_seed(seed)
    (x, labels), (test_x, test_labels) = disk_sets(generator)
    net = network(generator)
    start = time.perf_counter()
    loss = train(net, x, labels, generator, epochs=epochs, on_epoch=None)
    seconds = time.perf_counter() - start
    record = {"seed": seed, "loss": loss, "train_error": error_rate(net, x, labels)}
    record |= {"test_error": error_rate(net, test_x, test_labels), "seconds": seconds}
    return record, net, (test_x, test_labels)
