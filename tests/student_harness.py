"""Run a notebook's student edition in one kernel and grade its exercises' checks.

Used by tests/test_student.py and by one small tests/test_student_NN.py per notebook number
(`make test` runs `pytest --dist loadfile`: one file per notebook lets the two xdist workers
share the student runs instead of one worker running them all).
"""

import importlib.util
import textwrap
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WRONG_ANSWERS = Path(__file__).parent / "wrong_answers"
CELL_TIMEOUT = 300  # seconds, nbval's --nbval-cell-timeout

_spec = importlib.util.spec_from_file_location("student", ROOT / "scripts" / "student.py")
student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student)


def notebook_paths():
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def wrong_answer_source(nb, exercise, name, wrong_answers):
    """The exercise cell with `wrong_answers`/<id>.py in place of its solution region."""
    code = textwrap.dedent((wrong_answers / f"{exercise.grade_id}.py").read_text()).rstrip("\n")
    where = f"{name}, cell {exercise.index} (grade_id {exercise.grade_id})"
    source, regions = student.replace_regions(nb.cells[exercise.index].source, code, where)
    assert regions == 1, f"{where}: {regions} solution regions; a wrong answer replaces exactly one"
    return source


class Kernel:
    """One IPython kernel started in `cwd`; runs code and reports its errors."""

    def __init__(self, cwd):
        self.cwd = cwd

    def __enter__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(self.cwd))
        return self

    def __exit__(self, *exc):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, code):
        """Execute `code`; return (stdout, None) or (stdout, (exception class names, message))."""
        stdout = []

        def hook(msg):
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                stdout.append(msg["content"]["text"])

        reply = self.client.execute_interactive(code, timeout=CELL_TIMEOUT, output_hook=hook)
        if reply["content"]["status"] == "ok":
            return "".join(stdout), None
        classes = []  # the exception's classes, from IPython's sys.last_value (ename is one name)
        self.client.execute_interactive(
            "print(*(c.__name__ for c in type(__import__('sys').last_value).__mro__))",
            timeout=CELL_TIMEOUT,
            store_history=False,
            output_hook=lambda m: classes.extend(m["content"].get("text", "").split()),
        )
        return "".join(stdout), (
            classes,
            f"{reply['content']['ename']}: {reply['content']['evalue']}",
        )


def _expect_error(kernel, code, expected, where, what):
    """Run `code`; return a problem (str) unless it raised `expected` (a class name)."""
    _, error = kernel.run(code)
    if error is None:
        return f"{where}: {what} passed; it must raise {expected}"
    if expected not in error[0]:
        return f"{where}: {what} raised {error[1]}; it must raise {expected}"
    return None


def grade_exercise(kernel, nb, edition, exercise, name, wrong_answers):
    """Run the check against the stub, the wrong answer and the solution; return the problems."""
    where = f"{name}, cell {exercise.check_index} (grade_id check_{exercise.grade_id})"
    check = nb.cells[exercise.check_index].source
    problems = []
    _, error = kernel.run(check)
    if error is None or "NotImplementedError" not in error[0]:
        got = "passed" if error is None else f"raised {error[1]}"
        problems.append(
            f"{where}: against the unsolved stub the check {got}; it must let the "
            f"stub's NotImplementedError through"
        )
    elif error[1] != f"NotImplementedError: {exercise.hint}":
        problems.append(
            f"{where}: against the stub the check raised {error[1]!r}, not the hint "
            f"{exercise.hint!r}"
        )
    _, error = kernel.run(wrong_answer_source(nb, exercise, name, wrong_answers))
    if error is not None:
        problems.append(
            f"{where}: the exercise cell with tests/wrong_answers/"
            f"{exercise.grade_id}.py raised {error[1]}; it must only define"
        )
    else:
        problem = _expect_error(
            kernel,
            check,
            "AssertionError",
            where,
            f"against tests/wrong_answers/{exercise.grade_id}.py the check",
        )
        problems += [problem] if problem else []
    _, error = kernel.run(nb.cells[exercise.index].source)
    stdout, check_error = kernel.run(check)
    if error is not None or check_error is not None:
        problems.append(
            f"{where}: against the instructor's solution the exercise or its check "
            f"raised {(error or check_error)[1]}; it must pass"
        )
    elif len(stdout.splitlines()) != 1:
        problems.append(f"{where}: a passing check prints one fixed line, printed {stdout!r}")
    # back to the student's stub: later cells must run without the solution
    kernel.run(edition.cells[exercise.index].source)
    return problems


def student_problems(path, tmp_path, wrong_answers=WRONG_ANSWERS):
    """Write the student edition of notebook `path` to `tmp_path`, run it; list the problems.

    It runs in one kernel started in the notebook's folder (as nbval runs it). Every cell but
    the checks must succeed; each check must fail with the stub's NotImplementedError (its
    hint), fail with AssertionError on the wrong answer, and pass on the instructor's solution.
    """
    nb = read(path)
    nbformat.write(student.student_edition(nb, path.name), tmp_path / path.name)
    edition = read(tmp_path / path.name)
    checks = {e.check_index: e for e in student.exercises(nb, path.name)}
    problems = []
    with Kernel(path.parent) as kernel:
        for i, cell in enumerate(edition.cells):
            if cell.cell_type != "code":
                continue
            if i in checks:
                problems += grade_exercise(kernel, nb, edition, checks[i], path.name, wrong_answers)
                continue
            _, error = kernel.run(cell.source)
            if error is not None:
                problems.append(
                    f"{path.name}, cell {i}: fails in the student edition with {error[1]}; "
                    "cells after an exercise must use the package's version, not the student's"
                )
    return problems


def check_student_edition(prefix, tmp_path):
    """Run the student edition of each notebook `notebooks/<prefix>*.ipynb` that has exercises."""
    paths = sorted(NOTEBOOKS.glob(f"{prefix}*.ipynb"))
    assert paths, f"no notebook notebooks/{prefix}*.ipynb"
    graded = [p for p in paths if student.exercises(read(p), p.name)]
    if not graded:
        pytest.skip(f"notebooks/{prefix}*.ipynb have no exercises")
    problems = [problem for path in graded for problem in student_problems(path, tmp_path)]
    assert not problems, "\n".join(problems)
