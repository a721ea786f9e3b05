"""The Project 2 study: rounds of the disk task, the gradient check and the speed, in one
record that is saved and loaded as JSON."""

import json
import math
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from minidl import disk, error_rate
from proj1 import outputs
from proj2 import speed
from proj2.gradients import gradient_check


@dataclass
class Study:
    """`config` (rounds, epochs, seed, ...), one record per round (see `run_round`), the
    gradient check's rows and the speed (ms per epoch by implementation; None if not run)."""

    config: dict
    rounds: list[dict]
    gradients: list[dict]
    speed: dict[str, float] | None

    def summary(self) -> dict:
        """Mean, sample std (None for one round), min and max of the train and test errors
        over the rounds, as fractions, and the mean training seconds per round."""
        row = {"rounds": len(self.rounds)}
        for which in ("train_error", "test_error"):
            x = torch.tensor([r[which] for r in self.rounds], dtype=torch.float64)
            std = x.std().item() if len(x) > 1 else None
            row |= {f"{which}_mean": x.mean().item(), f"{which}_std": std}
            row |= {f"{which}_min": x.min().item(), f"{which}_max": x.max().item()}
        row["seconds"] = math.fsum(r["seconds"] for r in self.rounds) / len(self.rounds)
        return row

    def save(self, path: str | Path) -> Path:
        """Write the study as JSON, atomically (`proj1.outputs.write_text`)."""
        return outputs.write_text(path, json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: str | Path) -> "Study":
        """Read a study written by `save`."""
        return cls(**json.loads(Path(path).read_text()))


@contextmanager
def one_thread_no_grad():
    """The body runs as minidl/test.py does: autograd off, one torch thread (the fastest on
    such small matrices, and the same sums in every run); the caller's settings after."""
    threads, grad = torch.get_num_threads(), torch.is_grad_enabled()
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
        torch.set_grad_enabled(grad)


def run_round(seed: int, epochs: int = disk.EPOCHS):
    """Train a fresh network on fresh points from `seed`, silently.

    Returns the round's record (`seed`, per-epoch `loss`, `train_error`, `test_error` as
    fractions, training `seconds`) and, for figures, the trained net and the test set.
    """
    generator = torch.Generator().manual_seed(seed)
    (x, labels), (test_x, test_labels) = disk.disk_sets(generator)
    net = disk.network(generator)
    start = time.perf_counter()
    loss = disk.train(net, x, labels, generator, epochs=epochs, on_epoch=None)
    seconds = time.perf_counter() - start
    record = {"seed": seed, "loss": loss, "train_error": error_rate(net, x, labels)}
    record |= {"test_error": error_rate(net, test_x, test_labels), "seconds": seconds}
    return record, net, (test_x, test_labels)


def run_study(
    rounds: int = 10,
    epochs: int = disk.EPOCHS,
    seed: int = disk.SEED,
    timing: dict | None = speed.TIMING,
) -> Study:
    """Train the assignment's net `rounds` times (round r from seed + r), check the gradients
    of every module and time one epoch three ways (`timing` as `speed.ms_per_epoch` takes it;
    None skips the timing), under `one_thread_no_grad` (torch.nn's timing enables autograd
    for itself)."""
    if rounds < 1 or epochs < 1:
        raise ValueError(f"rounds and epochs must be >= 1, got rounds={rounds}, epochs={epochs}")
    with one_thread_no_grad():
        records = [run_round(seed + r, epochs)[0] for r in range(rounds)]
        gradients = gradient_check(seed)
        ms = None if timing is None else speed.ms_per_epoch(**timing)
    config = {"rounds": rounds, "epochs": epochs, "seed": seed, "points": disk.POINTS}
    config |= {"batch": disk.BATCH, "lr": disk.LR, "momentum": disk.MOMENTUM}
    config |= {"sizes": list(disk.SIZES), "timing": timing, "threads": 1}
    config |= {"torch": torch.__version__, "cpu": speed.cpu_name()}
    return Study(config, records, gradients, ms)
