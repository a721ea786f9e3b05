"""python -m proj1: a 1-round run writes its files; bad arguments exit 2 without a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from proj1 import plots, study
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


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--archs", "resnet"], "unknown arm 'resnet'; choose from mlp, cnn, split,"),
        (["--rounds", "0"], "--rounds: must be >= 1"),
        (["--epochs", "-1"], "--epochs: must be >= 1"),
        (["--source", "imagenet"], "imagenet"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv + ["--no-save"])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_cuda_absent_exits_2(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit) as exit_info:
        main(["--device", "cuda", "--no-save"])
    assert exit_info.value.code == 2
    assert "cuda" in capsys.readouterr().err


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
