"""Outputs written safely and nothing finished lost: the output folder's rules, atomic writes,
the record log, and python -m proj1's --resume / --force / reruns (in this process)."""

import json
import os
import signal
import time

import pytest
from proj1_records import without_time

from proj1 import cli, outputs
from proj1.experiment import run_experiment
from proj1.interrupts import Interrupted, stop_on_signals
from proj1.records import RecordLog, dumps, read_log

TINY = ["--archs", "mlp", "--rounds", "3", "--epochs", "1", "--source", "mnist-5k", "--jobs", "1"]


def test_a_folder_holding_other_files_only_is_fine_and_the_check_creates_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    outputs.check_folder(tmp_path, ["results.json"])
    outputs.check_folder(tmp_path / "a" / "b", ["results.json"])
    assert not (tmp_path / "a").exists()  # created to try a write, then removed
    (tmp_path / "results.json").write_text("{}")
    with pytest.raises(outputs.OutputError, match="holds another run's outputs"):
        outputs.check_folder(tmp_path, ["results.json"])
    outputs.check_folder(tmp_path, ["results.json"], resume=True)
    outputs.check_folder(tmp_path, ["results.json"], force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "results.json"]


def test_an_atomic_write_replaces_a_symlink_and_leaves_its_target(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    (tmp_path / "report.md").symlink_to(target)
    outputs.write_text(tmp_path / "report.md", "new report")
    assert target.read_text() == "precious"
    assert not (tmp_path / "report.md").is_symlink()
    assert (tmp_path / "report.md").read_text() == "new report"
    assert (tmp_path / "report.md").stat().st_mode & 0o777 == 0o644


def test_a_failed_or_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("old")
    for stop in (ValueError("failed"), KeyboardInterrupt()):
        with pytest.raises(type(stop)), outputs.atomic_path(path) as temporary:
            temporary.write_text("half")
            raise stop
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_remove_stale_removes_only_outputs_not_written(tmp_path):
    for name in ("curves.png", "errors.png", "notes.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "aux_sweep.png").symlink_to(tmp_path / "notes.txt")
    removed = outputs.remove_stale(
        tmp_path,
        ["errors.png", "curves.png", "aux_sweep.png", "report.md"],
        [tmp_path / "errors.png"],
    )
    assert sorted(p.name for p in removed) == ["aux_sweep.png", "curves.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["errors.png", "notes.txt"]


def test_the_record_log_appends_lines_and_resumes_what_was_kept(tmp_path):
    path = tmp_path / "rounds.jsonl"
    with RecordLog(path, {"epochs": 1}) as log:
        log.append({"arch": "mlp", "seed": 0})
        log.append({"arch": "mlp", "seed": 1})
    assert path.read_text().splitlines() == [
        '{"identity": {"epochs": 1}}',
        '{"arch": "mlp", "seed": 0}',
        '{"arch": "mlp", "seed": 1}',
    ]
    with open(path, "a") as f:
        f.write('{"arch": "mlp", "se')  # a kill in the middle of a line
    assert read_log(path)[1] == [{"arch": "mlp", "seed": 0}, {"arch": "mlp", "seed": 1}]
    with RecordLog(path, {"epochs": 1}, resume=True) as log:
        assert len(log.records) == 2
        log.append({"arch": "mlp", "seed": 2})
    assert [json.loads(line)["seed"] for line in path.read_text().splitlines()[1:]] == [0, 1, 2]
    with pytest.raises(outputs.OutputError) as error:
        RecordLog(path, {"epochs": 2}, resume=True)
    assert str(error.value) == (
        f"{path} holds records of epochs=1; this run has epochs=2: rerun with the same options, "
        "--force to replace them, or choose another --out"
    )
    with RecordLog(path, {"epochs": 2}) as log:  # not resumed: a new log
        assert log.records == []
    assert path.read_text() == '{"identity": {"epochs": 2}}\n'


def test_the_record_log_is_never_written_through_a_symlink(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious")
    (tmp_path / "rounds.jsonl").symlink_to(target)
    for resume in (False, True):
        with pytest.raises(outputs.OutputError, match="is a symlink"):
            RecordLog(tmp_path / "rounds.jsonl", {}, resume=resume)
    assert target.read_text() == "precious"


def test_json_never_holds_a_bare_nan():
    assert dumps({"a": 1.5}) == '{"a": 1.5}'
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            dumps({"loss": [0.5, bad]})


def run(argv):
    return cli.main(TINY + argv)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The records of the TINY run, uninterrupted, in this process."""
    result = run_experiment(["mlp"], 3, 1, "mnist-5k", jobs=1, curves=True)
    return without_time(result.rounds)


def interrupt_after(monkeypatch, count, signum=signal.SIGTERM):
    """python -m proj1 as if the signal came once `count` records are kept."""
    real = cli.run_experiment

    def interrupted(*args, on_record, **kwargs):
        def keep(record):
            if on_record is not None:
                on_record(record)
            if len(keep.seen) + 1 == count:
                raise Interrupted(signum)
            keep.seen.append(record)

        keep.seen = []
        return real(*args, on_record=keep, **kwargs)

    monkeypatch.setattr(cli, "run_experiment", interrupted)


def test_an_interrupted_run_keeps_its_rounds_and_resume_gives_the_same_records(
    tmp_path, monkeypatch, capsys, uninterrupted
):
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        interrupt_after(patch, 2)
        assert run(["--out", str(out)]) == 143
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"interrupted by SIGTERM; the finished rounds are kept (2 in {out / 'rounds.jsonl'}); "
        "rerun with --resume to continue"
    )
    assert sorted(p.name for p in out.iterdir()) == ["rounds.jsonl"]  # no figure, no report yet
    assert without_time(read_log(out / "rounds.jsonl")[1]) == uninterrupted[:2]
    assert run(["--out", str(out), "--resume"]) == 0
    assert "rounds:   0%|          | 0/1" in capsys.readouterr().err  # one round left to train
    doc = json.loads((out / "results.json").read_text())
    assert without_time(doc["rounds"]) == uninterrupted
    assert sorted(p.name for p in out.iterdir()) == [
        "curves_best.png",
        "errors_best.png",
        "report.md",
        "report.pdf",
        "results.json",
        "rounds.jsonl",
    ]
    # resumed once more with nothing left: the same results, written again
    assert run(["--out", str(out), "--resume"]) == 0
    assert without_time(json.loads((out / "results.json").read_text())["rounds"]) == uninterrupted


def test_resume_with_other_options_is_refused_before_any_work(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["--out", str(out), "--no-curves"]) == 0
    before = (out / "rounds.jsonl").read_bytes()
    with pytest.raises(SystemExit) as stopped:
        cli.main(
            TINY[:-6] + ["--epochs", "2", "--source", "mnist-5k", "--out", str(out), "--resume"]
        )
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"python -m proj1: error: {out / 'rounds.jsonl'} holds records of epochs=1, curves=False; "
        "this run has epochs=2, curves=True: rerun with the same options, --force to replace "
        "them, or choose another --out"
    )
    assert (out / "rounds.jsonl").read_bytes() == before


def test_more_rounds_resume_a_finished_run(tmp_path, capsys, uninterrupted):
    out = tmp_path / "out"
    assert cli.main(TINY[:2] + TINY[4:] + ["--rounds", "1", "--out", str(out)]) == 0
    assert run(["--out", str(out), "--resume"]) == 0
    assert "0/2" in capsys.readouterr().err  # the two rounds added only
    assert without_time(json.loads((out / "results.json").read_text())["rounds"]) == uninterrupted


def test_a_forced_rerun_removes_what_it_no_longer_makes(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["--out", str(out)]) == 0
    assert (out / "curves_best.png").exists()
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    (out / "report.md").unlink()
    (out / "report.md").symlink_to(target)
    (out / "notes.txt").write_text("mine")
    assert run(["--out", str(out), "--no-curves", "--force"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "errors_best.png",
        "notes.txt",
        "report.md",
        "report.pdf",
        "results.json",
        "rounds.jsonl",
    ]
    assert target.read_text() == "precious" and not (out / "report.md").is_symlink()
    rounds = json.loads((out / "results.json").read_text())["rounds"]
    assert all(r["history"]["test_error"] == [] for r in rounds)  # this run's, without curves


def test_a_failed_training_keeps_the_finished_rounds(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    real = cli.run_experiment

    def failing(*args, **kwargs):
        return real(*args, overrides={"schedule": "none"}, **kwargs)

    monkeypatch.setattr(cli, "run_experiment", failing)
    assert run(["--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: mlp (best), round 0 (seed 0) failed: ValueError: unknown schedule 'none'; choose "
        f"from constant, cosine; the finished rounds are kept (0 in {out / 'rounds.jsonl'}); rerun "
        "with --resume to continue"
    )


def test_interrupted_without_saving(monkeypatch, capsys):
    interrupt_after(monkeypatch, 1, signal.SIGINT)
    assert run(["--no-save"]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == ("interrupted by SIGINT; nothing was saved")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_either_signal_raises_interrupted_inside_and_the_handlers_come_back(signum):
    before = [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)]
    with pytest.raises(Interrupted) as stopped, stop_on_signals():
        os.kill(os.getpid(), signum)
        time.sleep(5)  # interrupted long before
    assert isinstance(stopped.value, KeyboardInterrupt) and stopped.value.signum == signum
    assert stopped.value.exit_status == 128 + signum
    assert stopped.value.name == {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}[signum]
    assert [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)] == before
