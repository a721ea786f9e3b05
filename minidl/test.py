"""EE559 Project 2: train a 2-25-25-25-2 network with MSE on the disk task (no arguments).

Run it as `python minidl/test.py` from any folder, installed or not, with torch as the only
package. It prints the network and the loss of every epoch, and ends with the final train
and test errors. The task (its network, data and training settings) is defined once, in
`minidl/disk.py`, which the report (`python -m proj2`) trains over more rounds; this is its
round 0.
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

from minidl import error_rate  # noqa: E402
from minidl.disk import SEED, disk_sets, network, train  # noqa: E402


def main():
    torch.set_grad_enabled(False)
    torch.set_num_threads(1)  # one thread is fastest on such small matrices
    generator = torch.Generator().manual_seed(SEED)
    (train_x, train_labels), (test_x, test_labels) = disk_sets(generator)
    net = network(generator)  # 2 inputs, three hidden layers of 25 units with ReLU, 2 outputs
    print(net)
    train(net, train_x, train_labels, generator)  # MSE, SGD with momentum; logs every epoch

    train_error = error_rate(net, train_x, train_labels)
    test_error = error_rate(net, test_x, test_labels)
    print(f"train error {100 * train_error:.2f}%  test error {100 * test_error:.2f}%")


if __name__ == "__main__":
    main()
