"""The output folder of a run: checked before any work, written atomically, never mixed.

* `check_folder` refuses, before training, an `--out` that cannot hold the outputs: an
  empty name, an existing file, a folder that cannot be written, a folder where an output
  file would go, or a folder holding another run's outputs (unless `resume` or `force`).
* `atomic_path` / `write_text` write a file under a temporary name beside it, then
  rename it into place: a reader never sees half a file, an interrupted write leaves none,
  and a symlink in the way is replaced, never written through.
* `remove_stale` removes the outputs a rerun no longer makes (`curves.png` after
  `--no-curves`), so that a folder never shows figures of another run.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path


class OutputError(ValueError):
    """The output folder cannot be used as asked; the message names it and says what to do."""


def check_folder(out, outputs: Iterable[str], *, resume=False, force=False, option="--out"):
    """Refuse an output folder `out` for `outputs` (file names) before any work is done.

    `resume` accepts a folder holding a run's outputs (to continue it), `force` one whose
    outputs are to be replaced; a folder holding other files only is fine either way.
    """
    if str(out) == "":
        raise OutputError(f"{option} must name a folder, got ''")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{option} {str(out)!r} is a file; expected a folder")
    outputs = list(outputs)
    found = []
    for name in outputs:
        path = out / name
        if path.is_symlink() or path.is_file():
            found.append(name)
        elif path.exists():
            raise OutputError(
                f"{option} {str(out)!r} holds {name!r}, which is not a file, where an output "
                f"file goes; remove it or choose another {option}"
            )
    if found and not (resume or force):
        raise OutputError(
            f"{option} {str(out)!r} holds another run's outputs ({', '.join(found)}); add "
            f"--resume to continue it, --force to replace it, or choose another {option}"
        )
    _check_writable(out, option)


def _check_writable(out: Path, option: str) -> None:
    """Create `out` if needed and a file in it, then remove what was created."""
    missing = [d for d in (out, *out.parents) if not d.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=out, prefix=".write-test.")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(
            f"{option} {str(out)!r} cannot be written: {exc.strerror or exc}"
        ) from exc
    finally:
        for folder in missing:  # innermost first: created for the check only
            with contextlib.suppress(OSError):
                folder.rmdir()


@contextlib.contextmanager
def atomic_path(path) -> Iterator[Path]:
    """A temporary path beside `path` (same suffix) to write; renamed to `path` on success.

    On an error or an interrupt the temporary file is removed and `path` is unchanged.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix
    )
    os.close(handle)
    try:
        yield Path(temporary)
        with open(temporary, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; results are for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path, text: str) -> Path:
    """Write `text` to `path` atomically (see `atomic_path`); returns `path`."""
    with atomic_path(path) as temporary:
        temporary.write_text(text)
    return Path(path)


def write_bytes(path, content: bytes) -> Path:
    """Write `content` to `path` atomically (see `atomic_path`); returns `path`."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(content)
    return Path(path)


def remove_stale(out, outputs: Iterable[str], written: Iterable[str | Path]) -> list[Path]:
    """Remove the files among `out / outputs` that this run did not write; the ones removed."""
    written = {Path(w).name for w in written}
    removed = []
    for name in outputs:
        path = Path(out) / name
        if name not in written and (path.is_symlink() or path.is_file()):
            path.unlink()
            removed.append(path)
    return removed
