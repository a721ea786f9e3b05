"""SIGTERM and Ctrl-C on a real `python -m proj1` with worker processes: it stops, no process
of its own is left running, the finished rounds are kept, and --resume completes them to the
records of an uninterrupted run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from proj1_records import without_time

from proj1 import cli
from proj1.experiment import run_experiment
from proj1.jobs import usable_cores

ROOT = Path(__file__).resolve().parents[1]
# 4 jobs of ~0.3 s on 2 workers: the signal comes once the first is kept, before the last
ARCHS, ROUNDS, EPOCHS = ["cnn"], 4, 8
ARGV = ["--archs", *ARCHS, "--rounds", str(ROUNDS), "--epochs", str(EPOCHS)]
ARGV += ["--source", "mnist-5k", "--no-curves"]


def by_arm_seed(records):
    """{(arm, seed): record without its training time} of `Round`s or their dicts."""
    return {(r["arch"], r["seed"]): r for r in without_time(records)}


@pytest.fixture(scope="module")
def uninterrupted():
    result = run_experiment(ARCHS, ROUNDS, EPOCHS, "mnist-5k", jobs=1)
    return by_arm_seed(result.rounds)


def records(log):
    try:
        lines = log.read_text().splitlines()[1:]
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.endswith("}")]


def alive_in_session(sid):
    """Processes of session `sid` still running (zombies, already dead, do not count)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(stat.parent.name)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads sessions from /proc")
@pytest.mark.skipif(usable_cores() < 2, reason="--jobs 2 needs two usable cores")
@pytest.mark.parametrize(
    ("signum", "to_group", "status"),
    [(signal.SIGTERM, False, 143), (signal.SIGINT, True, 130)],  # kill / timeout, Ctrl-C
    ids=["SIGTERM", "SIGINT"],
)
def test_a_signal_stops_the_workers_keeps_the_rounds_and_resume_completes_them(
    tmp_path, signum, to_group, status, uninterrupted, capsys
):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    run = subprocess.Popen(
        [sys.executable, "-m", "proj1", *ARGV, "--jobs", "2", "--out", str(out)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own session: every process it starts is found by it
    )
    log = out / "rounds.jsonl"
    deadline = time.monotonic() + 120
    while not records(log) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    (os.killpg if to_group else os.kill)(run.pid, signum)
    _, err = run.communicate(timeout=60)
    for _ in range(100):  # the killed workers may take a moment to go
        left = alive_in_session(run.pid)
        if not left:
            break
        time.sleep(0.05)
    assert left == []
    assert run.returncode == status, err
    kept = records(log)
    assert err.splitlines()[-1] == (
        f"interrupted by {signal.Signals(signum).name}; the finished rounds are kept "
        f"({len(kept)} in {log}); rerun with --resume to continue"
    )
    assert "Traceback" not in err
    assert 1 <= len(kept) < ROUNDS  # interrupted in the middle
    kept = by_arm_seed(kept)
    assert kept == {key: uninterrupted[key] for key in kept}
    assert cli.main([*ARGV, "--jobs", "1", "--out", str(out), "--resume"]) == 0
    assert f"0/{ROUNDS - len(kept)}" in capsys.readouterr().err  # only the missing rounds ran
    doc = json.loads((out / "results.json").read_text())
    assert by_arm_seed(doc["rounds"]) == uninterrupted
