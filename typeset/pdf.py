"""Typst source compiled to a PDF (bytes: the caller writes them); skipped without the typst
package."""

import sys
from pathlib import Path


def compile_pdf(source: str, root: str | Path, name: str = "report.pdf") -> bytes | None:
    """The PDF of Typst `source`, the images it names read relative to `root`. Without the
    `typst` package, says so in one line on stderr (naming the file `name` it would have
    made) and returns None."""
    try:
        import typst
    except ImportError:
        print(f"typst is not installed: no {name}", file=sys.stderr)
        return None
    # the fonts Typst embeds, not the system's: the same pages on every machine
    return typst.compile(source.encode(), root=Path(root), ignore_system_fonts=True)
