"""Independent jobs (one training each) run in worker processes with joblib, or in-process.

Every job trains with a fixed number of torch threads (1 by default), in a worker or here,
so a result does not depend on how many jobs ran side by side. Two torch threads in one
process collapse under contention (see `proj1.cli`); separate single-threaded processes
do not. joblib's `parallel_config(backend=...)` can send the same jobs to Dask or Ray.
Without joblib installed (the course's VM has torch alone), the standard library's process
pool runs them instead, with the same results.
"""

import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
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
    `jobs=1` runs in this process; no more workers start than there are jobs; without joblib
    installed, the standard library's process pool runs them (`_pool`). A failing job raises
    `JobError` naming it. `on_result(result)` is called in this process as each job finishes
    (in the order they finish), so that a caller can keep it at once. An exception here,
    KeyboardInterrupt included, stops the workers before it propagates.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    workers = min(jobs, total)
    joblib = (
        optional("joblib", "the standard library's process pool runs the jobs")
        if workers > 1
        else None
    )
    bar = progress_bar(total=total, desc=desc, unit="job", disable=not progress)
    results = [None] * total

    def finished(i, result):
        results[i] = result
        if on_result is not None:
            on_result(result)
        bar.update()

    tasks = ((i, name, fn, args, threads) for i, (name, args) in enumerate(jobs_args))
    with bar:
        if workers <= 1:
            for i, name, *rest in tasks:
                finished(i, _run(name, *rest))
        elif joblib is None:
            for i, result in _pool(tasks, workers):
                finished(i, result)
        else:
            parallel = joblib.Parallel(n_jobs=workers, return_as="generator_unordered")
            outputs = parallel(joblib.delayed(_indexed)(*task) for task in tasks)
            try:
                for i, result in outputs:
                    finished(i, result)
            finally:  # stopped here (not inside joblib): joblib kills the workers on close
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "N tasks ... have been cancelled"
                    outputs.close()
    return results


def _pool(tasks: Iterable[tuple], workers: int):
    """(index, result) of `_indexed(*task)` for `tasks`, as they finish, over `workers`
    processes of the standard library (started fresh, as loky's are, not forked); at most
    twice `workers` tasks are sent ahead, so `tasks` is read lazily. Whatever stops the
    caller stops the workers too."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context)
    tasks, running = iter(tasks), set()
    try:
        while True:
            for task in tasks:
                running.add(pool.submit(_indexed, *task))
                if len(running) >= 2 * workers:
                    break
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()  # a job under way is not waited for: an interrupt stops it
        pool.shutdown(wait=True, cancel_futures=True)


def _indexed(i: int, name: str, fn: Callable, args: tuple, threads: int):
    return i, _run(name, fn, args, threads)
