"""proj1's report.pdf: the report of a made-up default study (both tables, ten rounds),
compiled and read back: two or three A4 pages holding the tables' numbers, the error figures
embedded, the same content as report.md."""

import matplotlib
import pypdf
import pytest
from pdf_text import pdf_text
from proj1_records import make_round

import typeset
from proj1 import outputs, plots, report, study, tables
from proj1.models import count_parameters
from proj1.results import Result

matplotlib.use("Agg")
BASE = {"mlp": 0.18, "cnn": 0.165, "siamese_exact": 0.031, "siamese_exact_bn": 0.022}


def made_up_study() -> Result:
    """The default study's shape (every arm of both tables, ten rounds, their settings), its
    errors set by hand: a base error per arm plus a spread that differs by round."""
    rounds = []
    for table in study.TABLES.values():
        for i, arm in enumerate(table.arms):
            params = count_parameters(study.build(arm.network))
            base = BASE.get(arm.name, 0.04 if arm.architecture.aux else 0.15)
            for r in range(10):
                error = base + 0.003 * ((3 * r + i) % 7 - 3)
                settings = study.settings(table.name, arm.name)
                rounds.append(
                    make_round(
                        arm.name,
                        r,
                        error,
                        table.name,
                        params=params,
                        train_error=error / 4,
                        seconds=1.0 + i / 10,
                        settings=settings,
                    )
                )
    config = {"rounds": 10, "epochs": 25, "seed": 0, "nb": 1000}
    return Result("mnist-5k", config, rounds)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The study, and the folder where its figures, report.md and report.pdf are."""
    out = tmp_path_factory.mktemp("proj1-report")
    result = made_up_study()
    figures = {}
    for name in result.tables:
        figures[name] = f"errors_{name}.png"
        plots.plot_errors(result.table_rounds(name), out / figures[name], table=name)
    document = report.document(result, figures)
    (out / "report.md").write_text(typeset.markdown(document))
    outputs.write_bytes(out / "report.pdf", typeset.compile_pdf(typeset.typst(document), out))
    return result, out


def test_two_or_three_a4_pages_with_the_figures(written):
    _, out = written
    reader = pypdf.PdfReader(out / "report.pdf")
    assert len(reader.pages) in (2, 3)
    assert {tuple(round(x) for x in page.mediabox[2:]) for page in reader.pages} == {(595, 842)}
    assert sum(len(page.images) for page in reader.pages) == len(study.TABLES)


def test_the_tables_hold_the_numbers_of_the_result(written):
    result, out = written
    text = pdf_text(out / "report.pdf")
    for name in result.tables:
        for s in result.summaries[name]:
            row = [s.arch, f"{s.params:,}", tables.percent(s.train_error)]
            assert " ".join(row + [tables.percent(s.test_error)]) in text, s.arch
        for e in result.effects[name]:
            cells = [c.cell(e) for c in tables.EFFECT_COLUMNS]
            assert " ".join(cells) in text, e.effect


def test_the_pdf_says_what_the_markdown_says(written):
    """One document: every sentence of the conclusions is in report.md and in the PDF."""
    result, out = written
    text = pdf_text(out / "report.pdf")
    markdown = (out / "report.md").read_text()
    for line in report.conclusions(result):
        assert f"* {line}" in markdown
        assert " ".join(line.replace("`", "").split()) in text
