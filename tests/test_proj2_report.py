"""proj2: the Project 2 study and its report, compiled from a small run and read back."""

import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import torch
from pdf_text import pdf_text

from minidl import disk
from proj2 import gradients, speed
from proj2.cli import main, write_report
from proj2.study import Study, run_study
from proj2.writeup import percent

ROOT = Path(__file__).resolve().parents[1]
QUICK = {"warmup": 1, "epochs": 1, "repeats": 1}  # a timing that only has to run


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A study of 2 rounds x 3 epochs and the files its report wrote."""
    out = tmp_path_factory.mktemp("proj2")
    study = run_study(rounds=2, epochs=3, timing=QUICK)
    return study, out, write_report(study, out)


def test_the_report_writes_its_four_files_and_the_study_reads_back(small):
    study, out, written = small
    names = ["results.json", "disk.png", "report.md", "report.pdf"]
    assert written == [out / name for name in names]
    assert Study.load(out / "results.json") == study
    assert (out / "disk.png").read_bytes()[:4] == b"\x89PNG"
    assert (
        "![" in (out / "report.md").read_text() and "(disk.png)" in (out / "report.md").read_text()
    )


def test_every_output_is_written_by_rename_never_through_a_link(small, tmp_path):
    study, _, _ = small
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("results.json", "disk.png", "report.md", "report.pdf"):
        (out / name).symlink_to(elsewhere)
    write_report(study, out)
    assert elsewhere.read_text() == "mine"
    assert not any(p.is_symlink() for p in out.iterdir())
    assert sorted(p.name for p in out.iterdir()) == [
        "disk.png", "report.md", "report.pdf", "results.json"
    ]  # fmt: skip


def test_the_pdf_has_two_or_three_pages_and_the_figure(small):
    _, out, _ = small
    reader = pypdf.PdfReader(out / "report.pdf")
    assert len(reader.pages) in (2, 3)
    assert sum(len(page.images) for page in reader.pages) == 1


def test_the_pdf_holds_the_numbers_of_the_study(small):
    study, out, _ = small
    text = pdf_text(out / "report.pdf")
    s = study.summary()
    assert f"train {percent(s['train_error_mean'], s['train_error_std'])} " in text
    assert f"test {percent(s['test_error_mean'], s['test_error_std'])} " in text
    assert "2 rounds of 3 epochs" in text and "seed r (0..1)" in text
    for row in study.gradients:
        cells = f"{row['tensors']} {row['values']:,} {row['max_abs_error']:.2e} "
        assert f"{row['module']} {cells}{row['max_rel_error']:.2e} yes" in text
    floor = study.speed[speed.FLOOR]
    for name, ms in study.speed.items():
        assert f"{name} {ms:.3f} {ms / floor:.2f} " in text
    first = study.rounds[0]
    assert f"network of seed 0 (test error {percent(first['test_error'])} %)" in text
    assert "python minidl/test.py is the round of seed 0" in text


def test_minidl_test_py_is_the_round_of_seed_0(tmp_path):
    script = ROOT / "minidl" / "test.py"
    done = subprocess.run([sys.executable, script], cwd=tmp_path, capture_output=True, text=True)
    record = run_study(rounds=1, timing=None).rounds[0]
    assert done.stdout.splitlines()[-1] == (
        f"train error {100 * record['train_error']:.2f}%  "
        f"test error {100 * record['test_error']:.2f}%"
    )
    assert done.stdout.count("loss") == disk.EPOCHS


def test_without_speed_the_report_says_nothing_of_it(tmp_path, capsys):
    assert main(["--rounds", "1", "--epochs", "1", "--no-speed", "--out", str(tmp_path)]) == 0
    modules = len(gradients.cases(torch.Generator()))
    assert f"gradient check: {modules} of {modules} ok" in capsys.readouterr().out
    text = pdf_text(tmp_path / "report.pdf")
    assert "Speed" not in text and "over 1 round (" in text


@pytest.mark.parametrize(("argv", "message"), [(["--rounds", "0"], "--rounds: must be >= 1")])
def test_bad_arguments_exit_2_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_run_study_refuses_no_rounds():
    with pytest.raises(ValueError, match="rounds and epochs must be >= 1, got rounds=0"):
        run_study(rounds=0)
