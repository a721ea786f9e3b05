"""Typst source compiled to a PDF file, written atomically; skipped without the typst package."""

import os
import sys
import tempfile
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


def write_pdf(source: str, path: str | Path) -> Path | None:
    """Compile Typst `source` into the PDF `path` (`compile_pdf`, images relative to its
    folder); the file appears whole or not at all. None without the `typst` package."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = compile_pdf(source, path.parent, path.name)
    if pdf is None:
        return None
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
