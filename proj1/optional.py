"""The packages proj1 uses when they are installed and does without otherwise.

torch is the only one the study needs (the assignment's VM has nothing else): without
joblib the jobs run in the standard library's process pool, without tqdm there is no
progress bar, without matplotlib there are no figures. Each absence is said once, in one
line on stderr.
"""

import importlib
import sys
from types import ModuleType

_told: set[str] = set()


def optional(name: str, without: str) -> ModuleType | None:
    """The module `name`, or None after saying once `<name> is not installed: <without>`."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if name not in _told:
            _told.add(name)
            print(f"{name} is not installed: {without}", file=sys.stderr)
        return None


def plotting(module: str) -> ModuleType | None:
    """The plotting module `module` (e.g. "proj1.plots") with matplotlib drawing to files
    only, or None when matplotlib is not installed."""
    matplotlib = optional("matplotlib", "no figures")
    if matplotlib is None:
        return None
    matplotlib.use("Agg")  # files only: no display needed
    return importlib.import_module(module)


class _NoBar:
    """What a tqdm bar does for its caller, without showing anything."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def update(self, n: int = 1) -> None:
        pass


def progress_bar(*, disable: bool = False, **options):
    """A text tqdm bar (tqdm.auto wants ipywidgets inside Jupyter); a silent stand-in when
    `disable` or when tqdm is not installed."""
    tqdm = None if disable else optional("tqdm", "no progress bar")
    return _NoBar() if tqdm is None else tqdm.tqdm(**options)
