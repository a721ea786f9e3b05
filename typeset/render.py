"""A `Document` as Markdown or as Typst source; text marks `code` and **bold** in both."""

import re

from .document import Bullets, Code, Document, Figure, Heading, Paragraph, Table

MARKS = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*")
# characters with a meaning in Typst markup (Typst escapes any of them with a backslash)
TYPST_SPECIAL = set("\\#*_`$<>@[]~/=-+'\"")
NUMBERED = re.compile(r"^(\d+)\.(?=\s)")

# A4, one column; the fonts are those Typst embeds, so that every machine sets the same pages
PREAMBLE = """\
#set document(title: {title}, date: none)
#set page(paper: "a4", margin: (x: 1.8cm, y: 1.5cm), numbering: "1 / 1")
#set text(font: "Libertinus Serif", size: 10pt, lang: "en", hyphenate: false)
#set par(justify: true, spacing: 0.8em)
#set heading(numbering: "1.")
#show heading: set block(above: 1.1em, below: 0.6em)
#show raw: set text(font: "DejaVu Sans Mono", size: 0.85em)
#show figure.caption: set text(size: 9pt)
#show figure.where(kind: table): set figure.caption(position: top)
#set table(stroke: none, inset: (x: 3pt, y: 2pt))
#show table: set text(size: 8pt)
#show table: set par(justify: false)
#set list(spacing: 0.6em)
"""


def markdown(document: Document) -> str:
    """The document as Markdown (GitHub's tables), ending with a newline."""
    parts = [f"# {document.title}"]
    if document.subtitle:
        parts.append(document.subtitle)
    parts += [_markdown_block(block) for block in document.blocks]
    return "\n\n".join(parts) + "\n"


def _markdown_block(block) -> str:
    if isinstance(block, Heading):
        return "#" * (block.level + 1) + " " + block.text
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join(f"* {item}" for item in block.items)
    if isinstance(block, Code):
        return f"```\n{block.text}\n```"
    if isinstance(block, Figure):
        return f"![{block.caption}]({block.path})"
    if isinstance(block, Table):
        rule = "|" + "|".join("---:" if c.align == "right" else "---" for c in block.columns) + "|"
        rows = [[c.head for c in block.columns], *block.cells()]
        lines = ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        text = "\n".join([lines[0], rule, *lines[1:]])
        return text + (f"\n\n{block.caption}" if block.caption else "")
    raise TypeError(f"markdown: unknown block {type(block).__name__}")


def escape_typst(text: str) -> str:
    """`text` as Typst markup that shows it as it is (every special character escaped, and
    the dot of a leading "1. ", which would start a numbered list)."""
    escaped = "".join("\\" + c if c in TYPST_SPECIAL else c for c in text)
    return NUMBERED.sub(r"\1\\.", escaped)


def _string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _inline(text: str) -> str:
    """Text with its `code` and **bold** marks as Typst markup, the rest escaped."""
    out, end = [], 0
    for mark in MARKS.finditer(text):
        out.append(escape_typst(text[end : mark.start()]))
        code, bold = mark.groups()
        # markup, not `#raw(...)`: after an embedded expression Typst would read a `;` as its
        # end and a `.` or `(` as more of it
        out.append(f"`{code}`" if code is not None else f"*{_inline(bold)}*")
        end = mark.end()
    out.append(escape_typst(text[end:]))
    return "".join(out)


def typst(document: Document) -> str:
    """The document as Typst source: A4 pages, numbered sections, tables and figures."""
    parts = [PREAMBLE.format(title=_string(document.title))]
    parts.append(f'#align(center, text(15pt, weight: "bold")[{_inline(document.title)}])')
    if document.subtitle:
        parts.append(f"#align(center, text(9pt)[{_inline(document.subtitle)}])")
    parts += [_typst_block(block) for block in document.blocks]
    return "\n\n".join(parts) + "\n"


def _typst_block(block) -> str:
    if isinstance(block, Heading):
        return "=" * block.level + " " + _inline(block.text)
    if isinstance(block, Paragraph):
        return _inline(block.text)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_inline(item)}" for item in block.items)
    if isinstance(block, Code):
        return f"#block(raw({_string(block.text)}, block: true))"
    if isinstance(block, Figure):
        image = f"image({_string(block.path)}, width: {100 * block.width:g}%)"
        return f"#figure({image}, caption: [{_inline(block.caption)}])"
    if isinstance(block, Table):
        return _typst_table(block)
    raise TypeError(f"typst: unknown block {type(block).__name__}")


def _typst_table(table: Table) -> str:
    """A booktabs-like table (rules above, under the head and below), in a figure when it
    has a caption."""
    align = ", ".join(c.align for c in table.columns)
    head = ", ".join(f"[*{_inline(c.head)}*]" for c in table.columns)
    lines = [
        f"table(columns: {len(table.columns)}, align: ({align},),",
        "  table.hline(),",
        f"  table.header({head}),",
        "  table.hline(stroke: 0.5pt),",
    ]
    lines += ["  " + ", ".join(f"[{_inline(c)}]" for c in row) + "," for row in table.cells()]
    lines += ["  table.hline(),", ")"]
    body = "\n".join(lines)
    if table.caption is None:
        return "#" + body
    return f"#figure(\n{body},\ncaption: [{_inline(table.caption)}],\n)"
