"""The assignment's disk task, defined once: its network, its data sets and its training.

`python minidl/test.py` trains it once (seed `SEED`); the report (`python -m proj2`) over
rounds, round `r` drawing its points and initialising its network from seed `SEED + r`.
`generator` arguments are `torch.Generator`s: the caller makes them.
"""

from .activations import ReLU
from .data import disk_dataset, one_hot
from .linear import Linear
from .losses import LossMSE
from .optim import SGD
from .sequential import Sequential
from .train import fit, print_epoch

SEED, POINTS, EPOCHS, BATCH = 0, 1000, 100, 100
SIZES = (2, 25, 25, 25, 2)  # inputs, three hidden layers, outputs
LR, MOMENTUM = 0.1, 0.9


def network(generator=None) -> Sequential:
    """The assignment's net: `Linear` layers of `SIZES` with a `ReLU` between two."""
    layers = []
    for width_in, width_out in zip(SIZES[:-1], SIZES[1:]):
        layers += [Linear(width_in, width_out, generator=generator), ReLU()]
    return Sequential(*layers[:-1])


def disk_sets(generator):
    """(train points, train labels), (test points, test labels): `POINTS` each, drawn in
    that order from `generator`."""
    return disk_dataset(POINTS, generator=generator), disk_dataset(POINTS, generator=generator)


def train(net, points, labels, generator, *, epochs: int = EPOCHS, on_epoch=print_epoch):
    """Train `net` on one-hot targets with MSE and SGD with momentum; the loss of each epoch."""
    optimizer = SGD(net.param(), lr=LR, momentum=MOMENTUM)
    targets = one_hot(labels)
    return fit(net, LossMSE(), optimizer, points, targets, epochs=epochs, batch_size=BATCH,
               generator=generator, on_epoch=on_epoch)  # fmt: skip
