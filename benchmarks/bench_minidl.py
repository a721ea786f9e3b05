"""Milliseconds per epoch on Project 2's net: minidl vs torch.nn + autograd vs a hand-fused floor.

The three implementations and their timing are `proj2.speed`'s (the Project 2 report
quotes the same measurement). Run: `python benchmarks/bench_minidl.py` (or `make bench`).
"""

import torch

from proj2.speed import FLOOR, MINIDL, TIMING, TORCH_NN, ms_per_epoch


def main():
    torch.set_grad_enabled(False)
    torch.set_num_threads(1)  # two threads were never faster on such small matrices
    results = ms_per_epoch(**TIMING)
    floor, mine = results[FLOOR], results[MINIDL]
    print(f"{'implementation':<34} {'ms/epoch':>9} {'vs floor':>9}")
    for name, ms in results.items():
        print(f"{name:<34} {ms:9.3f} {ms / floor:8.2f}x")
    print(f"minidl / floor = {mine / floor:.2f} (goal <= 1.25); "
          f"torch.nn / minidl = {results[TORCH_NN] / mine:.2f}x faster")  # fmt: skip


if __name__ == "__main__":
    main()
