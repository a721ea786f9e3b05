"""torch alone: without joblib, tqdm, matplotlib or typst, proj1 runs and says in one line what
it skips; scripts/same_tables.py compares two runs' tables, timings aside."""

import importlib.util
import multiprocessing
import os
import sys
from pathlib import Path

import pytest
from proj1_records import without_time

from proj1 import optional
from proj1.cli import main
from proj1.experiment import run_experiment
from proj1.jobs import JobError, run_jobs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def without(monkeypatch):
    """`without("joblib", ...)`: those packages cannot be imported (as when not installed),
    and `proj1.optional` has said nothing yet."""
    monkeypatch.setattr(optional, "_told", set())

    def block(*names):
        for name in names:
            monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError

    return block


def test_without_joblib_the_standard_librarys_pool_runs_the_jobs_said_once(without, capsys):
    without("joblib")
    pids = run_jobs(os.getpid, [(str(i), ()) for i in range(4)], 4, jobs=2)
    assert os.getpid() not in pids and len(set(pids)) == 2  # two workers, not this process
    assert run_jobs(os.getpid, [("c", ())], 1, jobs=2) == [os.getpid()]  # one job: here
    assert capsys.readouterr().err == (
        "joblib is not installed: the standard library's process pool runs the jobs\n"
    )


def test_without_joblib_a_failing_job_is_named_and_no_worker_is_left(without):
    without("joblib")
    before = set(multiprocessing.active_children())  # joblib's own workers of earlier tests
    with pytest.raises(JobError, match=r"^b failed: TypeError: bad operand type for abs"):
        run_jobs(abs, [("a", (1,)), ("b", ("x",)), ("c", (2,))], 3, jobs=2)
    assert set(multiprocessing.active_children()) <= before


def test_without_joblib_a_round_gives_the_records_of_one_process(without):
    without("joblib")
    runs = [run_experiment(["mlp"], 2, 1, "mnist-5k", tables=["best"], jobs=j) for j in (2, 1)]
    pooled, here = (without_time(run.rounds) for run in runs)
    assert pooled == here


def test_without_tqdm_no_bar_and_one_line_only_when_a_bar_was_asked_for(without, capsys):
    without("tqdm")
    with optional.progress_bar(total=3, disable=True) as bar:
        bar.update()
    assert capsys.readouterr().err == ""
    assert run_jobs(abs, [("a", (-1,)), ("b", (-2,))], 2, progress=True) == [1, 2]
    assert capsys.readouterr().err == "tqdm is not installed: no progress bar\n"


def test_without_matplotlib_and_typst_the_cli_writes_json_and_markdown(without, tmp_path, capsys):
    without("matplotlib", "typst")
    argv = ["--archs", "mlp", "--rounds", "1", "--epochs", "1", "--jobs", "1"]
    assert main(argv + ["--source", "mnist-5k", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "matplotlib is not installed: no figures\n" in captured.err
    assert "typst is not installed: no report.pdf\n" in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.md",
        "results.json",
        "rounds.jsonl",
    ]
    assert ".png" not in (tmp_path / "report.md").read_text()
    assert ".png" not in captured.out.splitlines()[-1]  # the list of what was written


def _same_tables():
    spec = importlib.util.spec_from_file_location(
        "same_tables", ROOT / "scripts" / "same_tables.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLE = """\
data source: mnist-5k; 2 rounds
arch     params   test err %  s/round
-------------------------------------
cnn      70,906  38.75 ± 10.39     {cnn}
siamese  70,224   45.65 ± 0.64     {siamese}

effect   wins  verdict
----------------------
sharing   2/2  not distinguishable at 2 rounds
"""


def test_same_tables_ignores_only_the_timings(tmp_path, capsys):
    same_tables = _same_tables()
    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    a.write_text(TABLE.format(cnn="2.29", siamese="0.30"))
    b.write_text(TABLE.format(cnn="12.31", siamese="0.29").replace("-----\n", "------\n"))
    c.write_text(TABLE.format(cnn="2.29", siamese="0.30").replace("45.65", "45.66"))
    assert same_tables.main([str(a), str(b)]) == 0
    assert "same tables" in capsys.readouterr().out
    assert same_tables.main([str(a), str(c)]) == 1
    diff = capsys.readouterr().out
    assert "-siamese  70,224  45.65 ± 0.64  *" in diff and "+siamese  70,224  45.66" in diff
