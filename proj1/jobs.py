"""Independent jobs (one training each) run in worker processes with joblib, or in-process.

Every job trains with a fixed number of torch threads (1 by default), in a worker or here,
so a result does not depend on how many jobs ran side by side. Two torch threads in one
process collapse under contention (see `proj1.cli`); separate single-threaded processes
do not. joblib's `parallel_config(backend=...)` can send the same jobs to Dask or Ray.
Without joblib installed, every job runs in this process, one at a time.
"""

import os
import warnings
from collections.abc import Callable, Iterable
from contextlib import contextmanager

import torch

from proj1.optional import optional, progress_bar

# resident memory of one worker training a pair model on 1,000 pairs (torch imported, data
# and one model): about 0.35 GB measured; the default leaves room for twice that per worker
WORKER_BYTES = 700 * 2**20


class JobError(RuntimeError):
    """A job failed; the message names the job (architecture and round) and the cause."""


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux's MemAvailable), or None."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def default_jobs(device: str | torch.device = "cpu") -> int:
    """Worker processes to use: one per usable core, fewer when memory is short, 1 on a GPU."""
    if torch.device(device).type != "cpu":
        return 1  # one accelerator: the jobs would queue on it anyway
    jobs = usable_cores()
    memory = available_memory()
    if memory is not None:
        jobs = min(jobs, max(1, memory // WORKER_BYTES))
    return jobs


@contextmanager
def torch_threads(threads: int):
    """Run the body with `threads` torch CPU threads, then restore the caller's setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _run(name: str, fn: Callable, args: tuple, threads: int):
    with torch_threads(threads):
        try:
            return fn(*args)
        except Exception as exc:  # any failure: say which job, keep the cause
            raise JobError(f"{name} failed: {type(exc).__name__}: {exc}") from exc


def run_jobs(
    fn: Callable,
    jobs_args: Iterable[tuple[str, tuple]],
    total: int,
    *,
    jobs: int = 1,
    threads: int = 1,
    progress: bool = False,
    desc: str = "jobs",
    on_result: Callable | None = None,
) -> list:
    """`[fn(*args) for name, args in jobs_args]` in order, over `jobs` worker processes.

    `jobs_args` yields `(name, args)` lazily (`name` labels errors); `total` sizes the bar.
    `jobs=1` runs in this process, as does any `jobs` when joblib is not installed; no more
    workers start than there are jobs. A failing job raises `JobError` naming it.
    `on_result(result)` is called in this process as each job finishes (in the order they
    finish), so that a caller can keep it at once. An exception here, KeyboardInterrupt
    included, stops the workers before it propagates.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    parallel = min(jobs, total) > 1
    joblib = optional("joblib", "the jobs run one at a time in this process") if parallel else None
    bar = progress_bar(total=total, desc=desc, unit="job", disable=not progress)
    results = [None] * total

    def finished(i, result):
        results[i] = result
        if on_result is not None:
            on_result(result)
        bar.update()

    with bar:
        if joblib is None:
            for i, (name, args) in enumerate(jobs_args):
                finished(i, _run(name, fn, args, threads))
        else:
            parallel = joblib.Parallel(n_jobs=min(jobs, total), return_as="generator_unordered")
            tasks = (
                joblib.delayed(_indexed)(i, name, fn, args, threads)
                for i, (name, args) in enumerate(jobs_args)
            )
            outputs = parallel(tasks)
            try:
                for i, result in outputs:
                    finished(i, result)
            finally:  # stopped here (not inside joblib): joblib kills the workers on close
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "N tasks ... have been cancelled"
                    outputs.close()
    return results


def _indexed(i: int, name: str, fn: Callable, args: tuple, threads: int):
    return i, _run(name, fn, args, threads)
