"""Write the student edition of the notebooks: solutions replaced by stubs, outputs cleared.

    python scripts/student.py SRC_DIR DEST_DIR        (`make student`: notebooks -> student)

An exercise is a code cell with nbgrader's solution metadata (`nbgrader.solution: true`, a
`grade_id`) and a one-sentence hint in `ee559.hint`; the code the student writes lies between
a line containing `BEGIN SOLUTION` and one containing `END SOLUTION` (written `### BEGIN
SOLUTION`), and the next code cell, graded (`grade_id` = `check_<id>`), checks it. Regions
follow nbgrader's `ClearSolutions` exactly: the markers are found anywhere in a line, and the
region, marker lines included, becomes the stub at the indentation of its BEGIN line. The stub
is `raise NotImplementedError("<hint>")`. Where nbgrader would silently do something surprising
this is stricter: an END without a BEGIN, and a solution cell without a region (nbgrader would
replace the whole cell), are errors. Each check cell of the student edition gets the tag
`raises-exception`, so that Run All in JupyterLab (and nbconvert --execute) goes on past an
unsolved exercise's failing check to the end of the notebook. The modules beside the notebooks
(`grading.py`, whose `unavailable` the checks use) are copied along.

Why not nbgrader itself: it installs cleanly with the pinned set (measured 2026-11-27), but adds
9 packages (SQLAlchemy, alembic, Mako, notebook 7, ipywidgets, rapidfuzz, ...), 89 MB and 18 s
to the install, for the few lines of `ClearSolutions` used here. Courses that grade with
nbgrader can run it on the instructor notebooks: the markers and metadata are its own.
"""

import copy
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"


class MarkerError(ValueError):
    """A notebook breaks the exercise convention (markers, metadata or check cell)."""


@dataclass
class Exercise:
    """An exercise cell and its check cell, by index in the notebook's cells."""

    grade_id: str
    hint: str
    index: int
    check_index: int


def cell_label(name, index, cell):
    """'<notebook>, cell <index> (grade_id <id>)': how errors name a cell."""
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "-")
    return f"{name}, cell {index} (grade_id {grade_id})"


def replace_regions(source, stub, where):
    """`source` with each solution region replaced by `stub`; return (text, number of regions).

    Every line of `stub` gets the indentation of the region's BEGIN line; `where` names the
    cell in error messages.
    """
    lines, regions, begin_line = [], 0, None
    for number, line in enumerate(source.split("\n"), start=1):
        if BEGIN in line:
            if begin_line is not None:
                raise MarkerError(
                    f"{where}: nested {BEGIN!r} on line {number}, the region opened on line "
                    f"{begin_line} is not closed; expected {END!r} first"
                )
            begin_line, regions = number, regions + 1
            indent = re.match(r"\s*", line).group(0)
            lines += [(indent + s).rstrip() for s in stub.split("\n")]
        elif END in line:
            if begin_line is None:
                raise MarkerError(
                    f"{where}: {END!r} on line {number} without a {BEGIN!r} before it"
                )
            begin_line = None
        elif begin_line is None:
            lines.append(line)
    if begin_line is not None:
        raise MarkerError(f"{where}: {BEGIN!r} on line {begin_line} has no {END!r} after it")
    return "\n".join(lines), regions


def stub(hint):
    """The line that replaces a solution: raise NotImplementedError with the hint."""
    return f"raise NotImplementedError({json.dumps(hint, ensure_ascii=False)})"


def is_solution(cell):
    return bool(cell.metadata.get("nbgrader", {}).get("solution", False))


def exercises(nb, name):
    """The notebook's exercises, after checking each against the convention."""
    found = []
    for i, cell in enumerate(nb.cells):
        if not is_solution(cell):
            continue
        where = cell_label(name, i, cell)
        grade_id = cell.metadata["nbgrader"].get("grade_id")
        hint = cell.metadata.get("ee559", {}).get("hint")
        if cell.cell_type != "code" or not grade_id or not hint:
            raise MarkerError(
                f"{where}: a solution cell must be a code cell with nbgrader's grade_id and a "
                "one-sentence hint in its 'ee559': {'hint': ...} metadata"
            )
        following = [j for j in range(i + 1, len(nb.cells)) if nb.cells[j].cell_type == "code"]
        check_id = f"check_{grade_id}"
        check = nb.cells[following[0]].metadata.get("nbgrader", {}) if following else {}
        if check.get("grade_id") != check_id or not check.get("grade"):
            raise MarkerError(
                f"{where}: the next code cell must be its check, graded with grade_id "
                f"{check_id!r}; found grade_id {check.get('grade_id')!r}"
            )
        found.append(Exercise(grade_id, hint, i, following[0]))
    return found


def student_edition(nb, name):
    """A copy of `nb` with every solution region stubbed and every output cleared."""
    found = exercises(nb, name)
    hints = {e.index: e.hint for e in found}
    edition = copy.deepcopy(nb)
    for e in found:  # an unsolved check raises: Run All (JupyterLab, nbconvert) goes on after it
        tags = edition.cells[e.check_index].metadata.setdefault("tags", [])
        tags += [] if "raises-exception" in tags else ["raises-exception"]
    for i, cell in enumerate(edition.cells):
        where = cell_label(name, i, cell)
        cell.source, regions = replace_regions(cell.source, stub(hints.get(i, "")), where)
        if regions and i not in hints:
            raise MarkerError(
                f"{where}: solution region in a cell without nbgrader's solution metadata"
            )
        if i in hints and not regions:
            raise MarkerError(f"{where}: solution cell without a {BEGIN!r} / {END!r} region")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)  # the instructor run's timestamps
    return edition


def main(argv):
    if len(argv) != 2:
        raise SystemExit("usage: python scripts/student.py SRC_DIR DEST_DIR")
    src, dest = map(Path, argv)
    paths = sorted(src.glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks (*.ipynb) in {src}")
    dest.mkdir(parents=True, exist_ok=True)
    seen = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        try:
            found, edition = exercises(nb, path.name), student_edition(nb, path.name)
        except MarkerError as error:
            raise SystemExit(f"error: {error}") from None
        for e in found:
            if e.grade_id in seen:
                raise SystemExit(
                    f"error: {path.name}, cell {e.index}: grade_id {e.grade_id!r} is already used "
                    f"in {seen[e.grade_id]}; grade_ids must be unique across notebooks"
                )
            seen[e.grade_id] = path.name
        nbformat.write(edition, dest / path.name)
        print(f"{dest / path.name}: {len(found)} exercise{'s' * (len(found) != 1)}")
    for module in sorted(src.glob("*.py")):  # what the notebooks import (grading.py)
        shutil.copy(module, dest / module.name)
        print(f"{dest / module.name}: copied")


if __name__ == "__main__":
    main(sys.argv[1:])
