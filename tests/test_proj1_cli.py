"""python -m proj1: a 1-round run writes its files; bad arguments exit 2 without a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from proj1 import cli, plots, study
from proj1.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_one_round_one_epoch_writes_json_and_figures(tmp_path, capsys):
    argv = ["--archs", "split", "siamese", "split_swap", "--rounds", "1", "--epochs", "1"]
    assert main(argv + ["--source", "mnist-5k", "--aux-sweep", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "data source: mnist-5k" in out
    assert "split_swap" in out and "sharing, no aux, equal budget" in out
    for table in study.TABLES.values():
        assert f"\n== {table.title} ({table.name}): {table.question}\n" in out
    doc = json.loads((tmp_path / "results.json").read_text())
    assert {t: [s["arch"] for s in rows] for t, rows in doc["summaries"].items()} == {
        "best": ["split", "siamese"],
        "controlled": ["split", "siamese", "split_swap"],
    }
    assert len(doc["rounds"]) == 5 and len(doc["rounds"][0]["history"]["test_error"]) == 1
    sweep = json.loads((tmp_path / "aux_sweep.json").read_text())
    assert {(r["arch"], r["aux_weight"]) for r in sweep} >= {
        ("siamese_aux", 0.0),
        ("split_aux", 4.0),
    }
    figures = [f"{kind}_{t}.png" for t in study.TABLES for kind in ("errors", "curves")]
    for name in (*figures, "aux_sweep.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "report.md").read_text().startswith("# Project 1")


def test_aux_sweep_figure(tmp_path):
    rows = [
        {"arch": a, "aux_weight": w, "rounds": 3}
        | {"test_error": {"mean": 0.1 / (1 + w), "std": 0.01, "min": 0.05, "max": 0.1}}
        for a in ("split_aux", "siamese_aux")
        for w in (0.0, 1.0, 4.0)
    ]
    plots.plot_aux_sweep(rows, tmp_path / "aux.png")
    assert (tmp_path / "aux.png").stat().st_size > 0


CORES = 4  # usable_cores() during these tests, whatever the machine has
TINY = ["--archs", "mlp", "--rounds", "1", "--epochs", "1", "--source", "mnist-5k"]
# (options, the message after "python -m proj1: error: "); {tmp} is the test's folder. Every
# one is refused before any training and writes nothing.
BAD = [
    (["--archs", "resnet"], "unknown arm 'resnet'; choose from "),
    (["--archs", "mlp", "cnn", "mlp"], "--archs names 'mlp' more than once"),
    (["--rounds", "0"], "--rounds must be between 1 and 10000, got 0"),
    (["--rounds", "2.5"], "argument --rounds: invalid int value: '2.5'"),
    (["--rounds", str(10**19)], "--rounds must be between 1 and 10000, got 10000000000000000000"),
    (["--rounds", str(10**12)], "--rounds must be between 1 and 10000, got 1000000000000"),
    (["--epochs", "-1"], "--epochs must be between 1 and 10000, got -1"),
    (["--epochs", str(10**9)], "--epochs must be between 1 and 10000, got 1000000000"),
    (["--seed", "-1"], "--seed must be between 0 and 9223372036854775807, got -1"),
    (["--seed", str(2**64)],
     "--seed must be between 0 and 9223372036854775807, got 18446744073709551616"),
    (["--seed", str(2**63 - 1), "--rounds", "2"], "--seed 9223372036854775807 with 2 rounds uses "
     "seeds up to 9223372036854775808, past 2**63 - 1; expected --seed <= 9223372036854775806"),
    (["--device", "tpu"], "--device must be cpu, cuda or cuda:N, got 'tpu'"),
    (["--device", ""], "--device must be cpu, cuda or cuda:N, got ''"),
    (["--device", "CUDA"], "--device must be cpu, cuda or cuda:N, got 'CUDA'"),
    (["--jobs", "0"], "--jobs must be between 1 and 4 (the usable cores), got 0"),
    (["--jobs", "-1"], "--jobs must be between 1 and 4 (the usable cores), got -1"),
    (["--jobs", "5"], "--jobs must be between 1 and 4 (the usable cores), got 5"),
    (["--threads", "0"], "--threads must be between 1 and 4 (the usable cores), got 0"),
    (["--threads", "999"], "--threads must be between 1 and 4 (the usable cores), got 999"),
    (["--source", "imagenet"], "argument --source: invalid choice: 'imagenet' (choose from "),
    (["--source", "MNIST"], "argument --source: invalid choice: 'MNIST' (choose from "),
    (["--data-dir", "{tmp}/missing"], "--data-dir must be an existing folder, got '{tmp}/missing'"),
    (["--data-dir", "{tmp}/a_file"], "--data-dir must be an existing folder, got '{tmp}/a_file'"),
    (["--data-dir", ""], "--data-dir must be an existing folder, got ''"),
    (["--source", "mnist", "--data-dir", "{tmp}"], "full MNIST not found (looked in {tmp}/mnist/"),
    (["--out", ""], "--out must name a folder, got ''"),
    (["--out", "{tmp}/a_file"], "--out '{tmp}/a_file' is a file; expected a folder"),
    (["--out", "{tmp}/a_file/sub"], "--out '{tmp}/a_file/sub' cannot be written: Not a directory"),
    (["--out", "{tmp}/with_folder"], "--out '{tmp}/with_folder' holds 'errors_best.png', which is "
     "not a file, where an output file goes; remove it or choose another --out"),
    (["--out", "{tmp}/another_run"], "--out '{tmp}/another_run' holds another run's outputs "
     "(results.json, report.md); add --resume to continue it, --force to replace it, or choose "
     "another --out"),
    (["--out", "{tmp}/another_run", "--resume", "--force"],
     "argument --force: not allowed with argument --resume"),
    (["--resume", "--no-save"], "--resume needs saved rounds: drop --no-save"),
    (["--force", "--no-save"], "--force needs saved rounds: drop --no-save"),
    (["--aux-sweep", "--no-save"], "--aux-sweep writes its results into --out: drop --no-save"),
]  # fmt: skip


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """{tmp}: a file, a folder holding a folder named errors_best.png, one holding another run."""
    (tmp_path / "a_file").write_text("not a folder")
    (tmp_path / "with_folder" / "errors_best.png").mkdir(parents=True)
    (tmp_path / "another_run").mkdir()
    for name in ("results.json", "report.md", "notes.txt"):  # notes.txt: not an output
        (tmp_path / "another_run" / name).write_text("kept")
    monkeypatch.setattr(cli, "usable_cores", lambda: CORES)

    def no_training(*args, **kwargs):
        raise AssertionError("trained despite a bad option")

    monkeypatch.setattr(cli, "run_experiment", no_training)
    return tmp_path


def listing(folder):
    return sorted((str(p.relative_to(folder)), p.is_dir()) for p in folder.rglob("*"))


@pytest.mark.parametrize(("options", "message"), BAD, ids=[" ".join(o)[:40] for o, _ in BAD])
def test_bad_options_exit_2_with_one_line_naming_them_before_any_work(
    folders, options, message, capsys
):
    before = listing(folders)
    options = [o.replace("{tmp}", str(folders)) for o in options]
    given = {o for o in options if o.startswith("--")}
    base = [o for i, o in enumerate(TINY) if (TINY[i - i % 2]) not in given]
    save = [] if given & {"--out", "--no-save"} else ["--out", str(folders / "out")]
    with pytest.raises(SystemExit) as exit_info:
        main(base + options + save)
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("python -m proj1: error: " + message.replace("{tmp}", str(folders)))
    assert listing(folders) == before  # nothing written, no folder created


def test_cuda_absent_exits_2(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit) as exit_info:
        main(["--device", "cuda", "--no-save"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "python -m proj1: error: --device 'cuda' was asked for but torch.cuda.is_available() is "
        "False (no GPU that torch can use); use cpu"
    )


def test_module_entry_point_reports_without_traceback():
    done = subprocess.run(
        [sys.executable, "-m", "proj1", "--archs", "nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "unknown arm 'nope'" in done.stderr and "Traceback" not in done.stderr
