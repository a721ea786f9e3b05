"""Reports made from the numbers of a run: a document of blocks (headings, paragraphs, lists,
tables, figures) rendered to Markdown and to Typst, and compiled to PDF with Typst.

Text is plain but for two marks, as in Markdown: `code` and **bold**; each renderer escapes
everything else. The PDF needs the `typst` package (`pip install typst`), which is optional.
"""

from .document import Bullets, Code, Column, Document, Figure, Heading, Paragraph, Table
from .pdf import compile_pdf
from .render import escape_typst, markdown, typst

__all__ = [
    "Document",
    "Heading",
    "Paragraph",
    "Bullets",
    "Code",
    "Column",
    "Table",
    "Figure",
    "markdown",
    "typst",
    "escape_typst",
    "compile_pdf",
]
