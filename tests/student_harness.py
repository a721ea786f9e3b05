"""Run a notebook's student edition in one kernel, cell by cell, and grade its exercises' checks.

Each tests/test_student_NN.py holds the run of notebooks/NN*.ipynb as one test per code cell,
like nbval's items. `make test` runs `pytest -n 2 --dist loadfile`, which keeps a file on one
worker and hands out the files with the most tests first: a file per notebook, with as many
tests as the notebook has code cells, lets the two workers run a notebook's student edition
beside its nbval run, both early, instead of one worker running every student edition last.
"""

import importlib.util
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, start_new_kernel

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
    """An IPython kernel of this interpreter started in `cwd` (nbval's --nbval-current-env)."""

    def __init__(self, cwd):
        self.manager, self.client = start_new_kernel(
            kernel_name=CURRENT_ENV_KERNEL_NAME, cwd=str(cwd)
        )

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, code):
        """Execute `code`; return (stdout, None) or (stdout, (exception class names, message))."""
        stdout = []

        def hook(msg):
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                stdout.append(msg["content"]["text"])

        try:
            reply = self.client.execute_interactive(code, timeout=CELL_TIMEOUT, output_hook=hook)
        except TimeoutError:
            self.manager.interrupt_kernel()  # stop the cell; the next cells report what follows
            self.client.get_shell_msg(timeout=CELL_TIMEOUT)  # its reply: the kernel is free
            message = f"TimeoutError: no reply within {CELL_TIMEOUT} s (nbval's cell timeout)"
            return "".join(stdout), (["TimeoutError"], message)
        if reply["content"]["status"] == "ok":
            return "".join(stdout), None
        classes = []  # the exception's classes, from IPython's sys.last_value (ename is one name)
        self.client.execute_interactive(
            "print(*(c.__name__ for c in type(__import__('sys').last_value).__mro__))",
            timeout=CELL_TIMEOUT,
            store_history=False,
            output_hook=lambda m: classes.extend(m["content"].get("text", "").split()),
        )
        content = reply["content"]  # status "error", or "aborted" after an error
        message = f"{content.get('ename', content['status'])}: {content.get('evalue', '')}"
        return "".join(stdout), (classes, message)


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
    wrong = f"tests/wrong_answers/{exercise.grade_id}.py"
    _, error = kernel.run(wrong_answer_source(nb, exercise, name, wrong_answers))
    if error is not None:
        problems.append(
            f"{where}: the exercise cell with {wrong} raised {error[1]}; it must only define"
        )
    else:
        _, error = kernel.run(check)
        if error is None or "AssertionError" not in error[0]:
            got = "passed" if error is None else f"raised {error[1]}"
            problems.append(
                f"{where}: against {wrong} the check {got}; it must raise AssertionError"
            )
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


class StudentRun:
    """The student edition of one notebook, written to `tmp_path`, run in a kernel cell by cell.

    The kernel starts in the notebook's folder, as nbval's does. Every cell but the checks
    must succeed; each check must fail with the stub's NotImplementedError (its hint), fail
    with AssertionError on the wrong answer, and pass on the instructor's solution.
    """

    def __init__(self, path, tmp_path, wrong_answers=WRONG_ANSWERS):
        self.name, self.nb, self.wrong_answers = path.name, read(path), wrong_answers
        nbformat.write(student.student_edition(self.nb, path.name), tmp_path / path.name)
        self.edition = read(tmp_path / path.name)
        self.checks = {e.check_index: e for e in student.exercises(self.nb, path.name)}
        self.kernel = Kernel(path.parent)

    def close(self):
        self.kernel.close()

    def problems(self, i):
        """Run code cell `i` (a check is graded three ways); list the problems."""
        if i in self.checks:
            exercise = self.checks[i]
            return grade_exercise(
                self.kernel, self.nb, self.edition, exercise, self.name, self.wrong_answers
            )
        _, error = self.kernel.run(self.edition.cells[i].source)
        if error is None:
            return []
        problem = f"{self.name}, cell {i}: fails in the student edition with {error[1]}"
        if i > min(e.index for e in self.checks.values()):
            problem += (
                "; a cell after an exercise must use the package's version, not the student's"
            )
        return [problem]


def code_cells(nb):
    return [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]


def student_problems(path, tmp_path, wrong_answers=WRONG_ANSWERS):
    """Every problem of the student edition of notebook `path`, run top to bottom."""
    run = StudentRun(path, tmp_path, wrong_answers)
    try:
        return [problem for i in code_cells(run.nb) for problem in run.problems(i)]
    finally:
        run.close()


def student_tests(prefix):
    """The fixture and the test (one per code cell) of a tests/test_student_NN.py file.

    They run the student edition of each notebook `notebooks/<prefix>*.ipynb` with exercises.
    """
    graded = [p for p in NOTEBOOKS.glob(f"{prefix}*.ipynb") if student.exercises(read(p), p.name)]
    cells = [(p.name, i) for p in sorted(graded) for i in code_cells(read(p))]
    ids = [f"{name}::cell {i}" for name, i in cells]
    if not cells:
        skip = pytest.mark.skip(reason=f"no notebooks/{prefix}*.ipynb with exercises")
        cells, ids = [pytest.param(None, None, marks=skip)], ["no exercises"]

    @pytest.fixture(scope="module")
    def student_runs(tmp_path_factory):
        runs = {p.name: StudentRun(p, tmp_path_factory.mktemp("student")) for p in graded}
        yield runs
        for run in runs.values():
            run.close()

    @pytest.mark.parametrize("name, index", cells, ids=ids)
    def test_student_cell(student_runs, name, index):
        problems = student_runs[name].problems(index)
        assert not problems, "\n".join(problems)

    return student_runs, test_student_cell
