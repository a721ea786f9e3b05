"""Trainer overhead, and rounds in parallel.

1. `proj1.training.train` against a bare PyTorch loop, time per round: both train the same
   freshly initialised model on the same 1000 pairs for 25 epochs with the same
   minibatches, optimiser and schedule; the bare loop keeps no history and does no checks.
   Runs alternate and the median of each is compared. Goal: ratio <= 1.1.
2. `run_experiment` on the six architectures (their arms of the `best` table) x 2 rounds with
   `jobs=2` against `jobs=1`, wall time (worker start-up included). Goal on 2 cores: ratio
   <= 0.6.
3. Seconds of training per round of every architecture of the study (its arm of the `best`
   table, with its tuned settings), alone on one thread: the median of `REPEATS` rounds,
   taken in turns so that a change of the machine's load falls on all alike. Goal: under 2 s,
   the assignment's figure for its ~70k-parameter convnet (`cnn` here); the ratio to `cnn`
   carries to other machines.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from proj1.cli import THREADS  # noqa: E402
from proj1.data import generate_pair_sets  # noqa: E402
from proj1.experiment import draw_pairs, run_experiment, run_round  # noqa: E402
from proj1.jobs import torch_threads  # noqa: E402
from proj1.study import BEST, build  # noqa: E402
from proj1.training import BATCH_SIZE, LR, SCHEDULE, train  # noqa: E402
from proj2.speed import cpu_name  # noqa: E402

EPOCHS = 25
REPEATS = 5
SIX = ("mlp", "cnn", "split", "split_aux", "siamese", "siamese_aux")


def bare_loop(model, x, t, c):
    """The minimal loop: normalise, shuffle, forward, CE (+ digit CE), Adam."""
    assert SCHEDULE == "constant", "the bare loop has no schedule"
    x = (x - x.mean()) / x.std()
    optimiser = torch.optim.Adam(model.parameters(), lr=LR, fused=True)
    generator = torch.Generator().manual_seed(0)
    for _ in range(EPOCHS):
        for idx in torch.randperm(len(x), generator=generator).split(BATCH_SIZE):
            comparison, digits = model(x[idx])
            loss = F.cross_entropy(comparison, t[idx])
            if digits is not None:
                loss = loss + F.cross_entropy(digits.flatten(0, 1), c[idx].flatten())
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()


def timed(fn, arch, data) -> float:
    torch.manual_seed(0)
    model = build(arch)
    start = time.perf_counter()
    fn(model, *data)
    return time.perf_counter() - start


def main() -> None:
    torch.set_num_threads(THREADS)
    x, t, c, *_ = generate_pair_sets(1000, generator=torch.Generator().manual_seed(0))
    trainer = lambda model, *data: train(model, *data, epochs=EPOCHS)  # noqa: E731
    print(f"{EPOCHS} epochs on 1000 pairs, {THREADS} thread(s), median of {REPEATS} runs")
    for arch in ("cnn", "siamese_aux"):
        timed(trainer, arch, (x, t, c))  # warm-up: first-call allocations and kernel selection
        times = {"trainer": [], "bare": []}
        for _ in range(REPEATS):
            times["trainer"].append(timed(trainer, arch, (x, t, c)))
            times["bare"].append(timed(bare_loop, arch, (x, t, c)))
        ours, bare = (statistics.median(times[k]) for k in ("trainer", "bare"))
        print(
            f"{arch:12s} trainer {ours:.3f} s/round  bare loop {bare:.3f} s/round  "
            f"ratio {ours / bare:.3f}"
        )


def parallel_ratio() -> None:
    """Wall time of the six x 2 rounds with two worker processes over one process.

    Measured twice: with the workers' start-up (a fresh pool: what one run of the CLI pays),
    then with the pool already started (what every further experiment of a session pays).
    """
    for pool in ("cold", "warm"):
        seconds = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            run_experiment(SIX, rounds=2, source="mnist-5k", jobs=jobs, tables=[BEST.name])
            seconds[jobs] = time.perf_counter() - start
        print(
            f"six archs x 2 rounds, {pool} pool: jobs=1 {seconds[1]:.1f} s, "
            f"jobs=2 {seconds[2]:.1f} s, ratio {seconds[2] / seconds[1]:.2f} (goal <= 0.6)"
        )


def round_times() -> None:
    """Median seconds of training per round of each architecture (its arm of the `best`
    table), one thread, alone."""
    pairs = draw_pairs(1000, 0, "mnist-5k", None)
    archs = [arm.name for arm in BEST.arms]
    times = {arch: [] for arch in archs}
    with torch_threads(1):
        for arch in archs:  # warm-up
            run_round(BEST.name, arch, 0, 0, pairs, epochs=1)
        for _ in range(REPEATS):
            for arch in archs:
                times[arch].append(run_round(BEST.name, arch, 0, 0, pairs).seconds)
    print(f"seconds of training per round, one thread, median of {REPEATS} ({cpu_name()}):")
    cnn = statistics.median(times["cnn"])
    for arch, seconds in times.items():
        median = statistics.median(seconds)
        verdict = "under 2 s" if median < 2 else "OVER 2 s"
        print(f"  {arch:<17} {median:5.2f} s  x{median / cnn:4.2f} cnn  {verdict}")


if __name__ == "__main__":
    main()
    parallel_ratio()
    round_times()
