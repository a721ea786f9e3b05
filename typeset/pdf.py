"""Typst source compiled to a PDF file, written atomically; skipped without the typst package."""

import os
import sys
import tempfile
from pathlib import Path


def write_pdf(source: str, path: str | Path) -> Path | None:
    """Compile Typst `source` into the PDF `path`; the images it names are read relative to
    `path`'s folder. The file appears whole or not at all. Without the `typst` package,
    says so in one line on stderr and returns None."""
    try:
        import typst
    except ImportError:
        print(f"typst is not installed: no {Path(path).name}", file=sys.stderr)
        return None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the fonts Typst embeds, not the system's: the same pages on every machine
    pdf = typst.compile(source.encode(), root=path.parent, ignore_system_fonts=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        os.chmod(temporary, 0o644)  # mkstemp makes it private
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
