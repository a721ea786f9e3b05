"""proj1.jobs and run_experiment(jobs=N): worker processes give the same records as one."""

import pytest
import torch
from proj1_records import without_time

from proj1.experiment import run_experiment
from proj1.jobs import JobError, default_jobs, run_jobs, torch_threads

SMALL = {"rounds": 2, "epochs": 2, "source": "mnist-5k", "nb": 100, "curves": True}


def test_two_workers_give_the_records_of_one_bit_for_bit():
    archs = ["cnn", "siamese_aux"]
    one = run_experiment(archs, jobs=1, tables=["best"], **SMALL)
    two = run_experiment(archs, jobs=2, tables=["best"], **SMALL)
    assert [(r.arch, r.round) for r in two.rounds] == [
        ("cnn", 0),
        ("siamese_aux", 0),
        ("cnn", 1),
        ("siamese_aux", 1),
    ]
    assert without_time(two.rounds) == without_time(one.rounds)  # errors and histories
    assert one.summaries["best"][1].digit_error is not None


def test_a_failing_job_names_its_arm_table_and_round():
    bad = {"schedule": "no-such-schedule"}
    with pytest.raises(
        JobError, match=r"^cnn \(best\), round 0 \(seed 5\) failed: ValueError: unknown"
    ):
        run_experiment(["cnn"], seed=5, jobs=2, overrides=bad, **(SMALL | {"rounds": 1}))


def test_jobs_run_with_the_requested_threads_and_restore_the_callers():
    before = torch.get_num_threads()
    seen = run_jobs(torch.get_num_threads, [("a", ()), ("b", ())], 2, threads=1)
    assert seen == [1, 1] and torch.get_num_threads() == before
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_in_process_errors_are_wrapped_too():
    def fail(x):
        raise KeyError(x)

    with pytest.raises(JobError, match="third failed: KeyError: 3") as info:
        run_jobs(fail, [("third", (3,))], 1)
    assert isinstance(info.value.__cause__, KeyError)


def test_default_jobs(monkeypatch):
    import proj1.jobs as jobs

    monkeypatch.setattr(jobs, "usable_cores", lambda: 16)
    monkeypatch.setattr(jobs, "available_memory", lambda: 3 * jobs.WORKER_BYTES + 1)
    assert default_jobs() == 3  # memory-bound
    monkeypatch.setattr(jobs, "available_memory", lambda: None)
    assert default_jobs() == 16 and default_jobs("cuda") == 1
    monkeypatch.setattr(jobs, "available_memory", lambda: 0)
    assert default_jobs() == 1
    with pytest.raises(ValueError, match="jobs must be >= 1, got 0"):
        run_jobs(print, [], 0, jobs=0)


def test_no_more_workers_start_than_there_are_jobs(monkeypatch):
    import joblib

    def no_workers(*args, **kwargs):
        raise AssertionError("started worker processes for one job")

    monkeypatch.setattr(joblib, "Parallel", no_workers)
    finished = []
    assert run_jobs(abs, [("one", (-3,))], 1, jobs=6, on_result=finished.append) == [3]
    assert finished == [3] and run_jobs(abs, [], 0, jobs=6) == []


def test_each_result_is_handed_over_as_its_job_finishes():
    finished = []

    def job(x):
        assert finished == list(range(x))  # the earlier ones were handed over already
        return x

    assert run_jobs(job, [(str(i), (i,)) for i in range(3)], 3, on_result=finished.append) == [
        0,
        1,
        2,
    ]
