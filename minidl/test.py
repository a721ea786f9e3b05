"""EE559 Project 2: train a 2-25-25-25-2 network with MSE on the disk task (no arguments).

Run it as `python minidl/test.py` from any folder, installed or not, with torch as the only
package. It prints the loss of every epoch and ends with the final train and test errors.
"""

import sys
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
# python puts this folder first on sys.path, where test.py and data.py would shadow the
# stdlib's `test` and any top-level `data`; the repository root goes there instead, so
# that a fresh clone runs without being installed
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from minidl import (  # noqa: E402
    SGD,
    Linear,
    LossMSE,
    ReLU,
    Sequential,
    disk_dataset,
    error_rate,
    fit,
    one_hot,
)

SEED, POINTS, EPOCHS = 0, 1000, 100


def main():
    torch.set_grad_enabled(False)
    torch.set_num_threads(1)  # one thread is fastest on such small matrices
    generator = torch.Generator().manual_seed(SEED)
    train_x, train_labels = disk_dataset(POINTS, generator=generator)
    test_x, test_labels = disk_dataset(POINTS, generator=generator)

    net = Sequential(
        Linear(2, 25, generator=generator), ReLU(),
        Linear(25, 25, generator=generator), ReLU(),
        Linear(25, 25, generator=generator), ReLU(),
        Linear(25, 2, generator=generator),
    )  # fmt: skip
    print(net)
    optimizer = SGD(net.param(), lr=0.1, momentum=0.9)
    fit(net, LossMSE(), optimizer, train_x, one_hot(train_labels), epochs=EPOCHS,
        batch_size=100, generator=generator)  # fmt: skip

    train_error = error_rate(net, train_x, train_labels)
    test_error = error_rate(net, test_x, test_labels)
    print(f"train error {100 * train_error:.2f}%  test error {100 * test_error:.2f}%")


if __name__ == "__main__":
    main()
