"""proj1's report.pdf: the report of a ten-round study, compiled and read back: two or three
A4 pages holding the tables' numbers, the error figure embedded, the same content as
report.md."""

import matplotlib
import pypdf
import pytest

import typeset
from proj1 import plots, writeup
from proj1.experiment import STUDY, Result
from proj1.models import ARCHITECTURES, build, count_parameters
from proj1.report import percent
from proj1.tuning import settings

matplotlib.use("Agg")
BASE = dict(zip(STUDY, (0.166, 0.169, 0.151, 0.040, 0.152, 0.039, 0.135, 0.032, 0.029, 0.022)))


def study() -> Result:
    """The default study's shape (ten architectures x ten rounds, tuned settings), its errors
    set by hand: each architecture's base error plus a spread that differs by round."""
    rounds = []
    for r in range(10):
        for i, arch in enumerate(STUDY):
            model, train = settings(arch)
            error = BASE[arch] + 0.003 * ((3 * r + i) % 7 - 3)
            rounds.append(
                {"arch": arch, "round": r, "seed": r, "params": PARAMS[arch]}
                | {"train_error": error / 4, "test_error": error, "digit_error": None}
                | {"seconds": 1.0 + i / 10, "settings": model | train}
            )
    return Result("mnist-5k", {"rounds": 10, "epochs": 25, "seed": 0, "nb": 1000}, rounds)


PARAMS = {arch: count_parameters(build(arch)) for arch in STUDY if arch in ARCHITECTURES}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The study, and the folder where its errors.png, report.md and report.pdf are."""
    out = tmp_path_factory.mktemp("proj1-report")
    result = study()
    plots.plot_errors(result.rounds, out / "errors.png", source=result.source)
    document = writeup.document(result, "errors.png")
    (out / "report.md").write_text(typeset.markdown(document))
    typeset.write_pdf(typeset.typst(document), out / "report.pdf")
    return result, out


def pdf_text(path) -> str:
    """The text of every page, all white space as one space."""
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


def test_two_or_three_a4_pages_with_the_figure(report):
    _, out = report
    reader = pypdf.PdfReader(out / "report.pdf")
    assert len(reader.pages) in (2, 3)
    assert {tuple(round(x) for x in page.mediabox[2:]) for page in reader.pages} == {(595, 842)}
    assert sum(len(page.images) for page in reader.pages) == 1


def test_the_tables_hold_the_numbers_of_the_result(report):
    result, out = report
    text = pdf_text(out / "report.pdf")
    for s in result.summary:
        train = percent(s["train_error_mean"], s["train_error_std"]).strip()
        test = percent(s["test_error_mean"], s["test_error_std"]).strip()
        assert f"{s['arch']} {s['params']:,} {train} {test} " in text
    for e in result.effects:
        interval = f"[{100 * e['ci_low']:.2f}, {100 * e['ci_high']:.2f}]"
        numbers = f"{100 * e['mean']:.2f} {interval} {e['wins']}/{e['rounds']} {e['p_holm']:.4f}"
        assert f"{e['without']} -> {e['with']} {numbers} {e['verdict']}" in text
    assert "siamese_aux" in text and "target + digit classes (weight 2)" in text


def test_the_pdf_says_what_the_markdown_says(report):
    """One source: every sentence of report.md's conclusions is in the PDF."""
    result, out = report
    text = pdf_text(out / "report.pdf")
    for line in writeup.conclusions(result):
        assert " ".join(line.replace("`", "").split()) in text
