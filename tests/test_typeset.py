"""typeset: one document rendered to Markdown and to Typst, compiled to PDF bytes that read
back as its text (the callers write them, atomically), skipped in one line without typst."""

import io
import struct
import sys
import zlib

import pypdf
import pytest
import typst

from typeset import (
    Bullets,
    Code,
    Column,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    compile_pdf,
    escape_typst,
    markdown,
)
from typeset import typst as to_typst

# every character with a meaning in Typst markup, and sequences that Typst would turn into
# something else (a list item, a heading, a comment, an ellipsis...)
AWKWARD = "- = + / # * _ ` $ < > @ [ ] ~ \\ // /* -- ' \" a*b*c 2 < 3 -> 4; p = 0.05 ± 1.5e-3"
ROWS = [{"arch": "split_aux", "params": 69474, "err": 0.0396}, {"arch": "mlp", "params": 7}]
TABLE = Table(
    [
        Column("arch", lambda r: f"`{r['arch']}`", "left"),
        Column("params", lambda r: f"{r['params']:,}"),
        Column("test error %", lambda r: f"{100 * r['err']:.2f}" if "err" in r else "-"),
    ],
    ROWS,
    caption="Two rows | one caption.",
)


def one_pixel_png() -> bytes:
    """A 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80")  # filter byte, one grey pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_text(pdf: bytes) -> str:
    """The text of every page, no-break spaces (Typst's "Table~1") as spaces."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\xa0", " ")


def compile_text(source: str) -> str:
    return pdf_text(typst.compile(source.encode(), ignore_system_fonts=True))


def test_escaped_text_reads_back_as_it_was():
    assert compile_text(escape_typst(AWKWARD)) == AWKWARD
    # a list item would read back the same, indented: its dot is escaped
    assert escape_typst("12. not a list, 1.5 a number") == "12\\. not a list, 1.5 a number"


def test_marks_become_code_and_bold_and_nothing_else_is_read_as_markup():
    source = to_typst(Document("T", [Paragraph("run `param()`; then **bold** (`x`). " + AWKWARD)]))
    assert "`param()`" in source and "*bold*" in source
    assert compile_text(source) == f"T\nrun param(); then bold (x). {AWKWARD}\n1 / 1"  # page 1


def test_markdown_of_every_block():
    document = Document(
        "Title",
        [
            Heading("Section"),
            Paragraph("text with `code`"),
            Bullets(["one", "two"]),
            Code("a = 1"),
            TABLE,
            Heading("Sub", level=2),
            Figure("errors.png", "The errors."),
        ],
        subtitle="Made from a run.",
    )
    assert markdown(document) == (
        "# Title\n\nMade from a run.\n\n## Section\n\ntext with `code`\n\n* one\n* two\n\n"
        "```\na = 1\n```\n\n"
        "| arch | params | test error % |\n|---|---:|---:|\n"
        "| `split_aux` | 69,474 | 3.96 |\n| `mlp` | 7 | - |\n\nTwo rows | one caption.\n\n"
        "### Sub\n\n![The errors.](errors.png)\n"
    )


def test_pdf_holds_the_table_the_figure_and_no_date(tmp_path):
    (tmp_path / "dot.png").write_bytes(one_pixel_png())
    document = Document("Report", [Heading("Results"), TABLE, Figure("dot.png", "A dot.", 0.2)])
    pdf = compile_pdf(to_typst(document), tmp_path)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = pdf_text(pdf)
    assert "Table 1: Two rows | one caption.\narch params test error %\n" in text
    assert "split_aux 69,474 3.96\nmlp 7 -\n" in text and "Figure 1: A dot." in text
    assert [len(page.images) for page in reader.pages] == [1]
    assert "/CreationDate" not in reader.metadata and reader.metadata.title == "Report"
    assert compile_pdf(to_typst(document), tmp_path) == pdf


def test_a_failed_compilation_leaves_no_file(tmp_path):
    with pytest.raises(typst.TypstError):
        compile_pdf("#unknown-function()", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_without_typst_one_line_and_no_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "typst", None)
    assert compile_pdf("= Title", tmp_path, "report.pdf") is None
    assert capsys.readouterr().err == "typst is not installed: no report.pdf\n"
    assert list(tmp_path.iterdir()) == []


def test_unknown_alignment_and_block_are_refused():
    with pytest.raises(ValueError, match="Column 'x': align must be 'left' or 'right'"):
        Column("x", str, "centre")
    with pytest.raises(TypeError, match="unknown block str"):
        markdown(Document("T", ["not a block"]))
