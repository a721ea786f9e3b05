"""Run a notebook's student edition in one kernel, the cells its exercises need, and grade them.

How an exercise is graded, one mechanism for every notebook: its check runs four ways, and must
* fail with the stub's `NotImplementedError`, whose message is the exercise's hint;
* fail with `AssertionError` for each wrong answer in `tests/wrong_answers/<grade_id>/` (at
  least MIN_WRONG files besides the shortcut);
* fail for `tests/wrong_answers/<grade_id>/shortcut.py`, an answer that calls the package's own
  solution: the check runs the student's code inside `with grading.unavailable("<the package
  function>", ...):` (notebooks/grading.py), which raises `grading.ShortcutError` (an
  AssertionError) when that function is called; then, with `unavailable` made a no-op, the
  check must pass for the shortcut, which proves it a working answer and the block what stops
  it. (A check may instead reject the shortcut by a value no such call gives, as notebook 02's
  central difference at a large step does against autograd.)
* pass, printing one line, for the instructor's solution.
A wrong answer is a fragment of the exercise cell that replaces its solution region (indented
as the region, names from the cell), opening with a comment that says what is wrong with it.
A new exercise plugs in with its cells (scripts/student.py says which metadata) and that folder.

What runs: the exercise cells, their checks and the cells these need, transitively, in notebook
order. A code cell needs, for each module-level name it may read before binding it, the latest
earlier code cell that binds it for sure and those after it that may (`dependencies`: Python's
symbol table per statement, in order).

Why the other cells need no run here: nbval runs every cell of the instructor edition, and the
student edition differs from it only in its exercise cells (and so its failing checks).
`exercise_uses`, a test per notebook in tests/test_student.py, proves that no other cell reads a
name bound by an exercise or a check cell. So, cell by cell in order, each other cell reads only
values that other cells computed from the instructor's code: it runs as under nbval, and the
student edition runs top to bottom with only the checks failing. The proof follows names, not
objects: a cell that mutates an object another cell reads (a random generator's state, an
appended list), or a function reading a global rebound after its definition, is not seen; and a
`with` block is taken to run whole (a manager that swallows an error, like pytest.raises, can
skip bindings).

Each tests/test_student_NN.py holds the run of notebooks/NN*.ipynb as one test per executed
cell, like nbval's items. `make test` runs `pytest -n 2 --dist loadfile`, which keeps a file on
one worker and hands out the files with the most tests first: a file per notebook lets the two
workers run a notebook's student edition beside its nbval run instead of one worker running
every student edition last.
"""

import ast
import importlib.util
import symtable
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GRADING = NOTEBOOKS / "grading.py"  # what the checks import; the student edition gets a copy
WRONG_ANSWERS = Path(__file__).parent / "wrong_answers"
SHORTCUT = "shortcut.py"  # the wrong answer that calls the package's own solution
# grading.unavailable as a no-op, and back, in the kernel, binding no name there
UNBLOCK = (
    "__import__('grading').blocking = __import__('grading').unavailable\n"
    "__import__('grading').unavailable = lambda *names: __import__('contextlib').nullcontext()"
)
REBLOCK = "__import__('grading').unavailable = __import__('grading').blocking"
MIN_WRONG = 2  # wrong answers besides the shortcut, per exercise
CELL_TIMEOUT = 300  # seconds, nbval's --nbval-cell-timeout

_spec = importlib.util.spec_from_file_location("student", ROOT / "scripts" / "student.py")
student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student)


def notebook_paths():
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def _names(code):
    """(bound, read): the module-level names `code` binds, and those it or its nested scopes
    (function and class bodies, comprehensions) read, from Python's own symbol table."""
    top = symtable.symtable(code, "<cell>", "exec")
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    read = {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    tables = top.get_children()
    while tables:
        table = tables.pop()
        tables += table.get_children()
        read |= {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
    return bound, read


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _exposed(statements, bound, read):
    """Add to `read` the names that `statements` may read before binding them, given the names
    `bound` for sure before; return the names bound for sure after."""
    for stmt in statements:
        if isinstance(stmt, ast.If):
            read |= _names(ast.unparse(stmt.test))[1] - bound
            bound = _exposed(stmt.body, bound, read) & _exposed(stmt.orelse, bound, read)
        elif isinstance(stmt, ast.For):  # the body may not run: it binds nothing for sure
            read |= _names(ast.unparse(stmt.iter))[1] - bound
            target, target_read = _names(f"{ast.unparse(stmt.target)} = None")
            read |= target_read - bound
            _exposed(stmt.body, bound | target, read)
            _exposed(stmt.orelse, bound, read)
        elif isinstance(stmt, ast.With):  # its body runs whole: taken not to swallow errors
            for item in stmt.items:
                read |= _names(ast.unparse(item.context_expr))[1] - bound
                if item.optional_vars:
                    target, target_read = _names(f"{ast.unparse(item.optional_vars)} = None")
                    read |= target_read - bound
                    bound = bound | target
            bound = _exposed(stmt.body, bound, read)
        elif isinstance(stmt, ast.Try):  # each handler may start after any statement of the body
            done = _exposed(stmt.orelse, _exposed(stmt.body, bound, read), read)
            for handler in stmt.handlers:
                read |= (_names(ast.unparse(handler.type))[1] if handler.type else set()) - bound
                done &= _exposed(handler.body, bound | {handler.name} - {None}, read)
            bound = done | _exposed(stmt.finalbody, bound, read)
        elif hasattr(stmt, "body") and not isinstance(stmt, DEFINITIONS):
            read |= _names(ast.unparse(stmt))[1] - bound  # while, match: binds nothing for sure
        else:  # a simple statement, def or class: it reads, then binds
            stmt_bound, stmt_read = _names(ast.unparse(stmt))
            read |= stmt_read - bound
            bound = bound | stmt_bound
    return bound


def cell_names(source):
    """(bound, sure, read): the module-level names a code cell may bind, those it binds whenever
    it succeeds, and those it may read before it binds them (in nested scopes included).

    IPython's magic and shell lines (%..., !...) are dropped.
    """
    code = "\n".join(s for s in source.splitlines() if not s.lstrip().startswith(("%", "!")))
    read = set()
    sure = _exposed(ast.parse(code).body, set(), read)
    return _names(code)[0], sure, read


def dependencies(nb):
    """{code cell index: {name: the earlier code cells its value may come from}} for the names
    it reads: the latest cell binding the name for sure, and the cells after it that may.

    A name no earlier cell binds (a builtin) adds no dependency.
    """
    binders, found = {}, {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            bound, sure, read = cell_names(cell.source)
            found[i] = {name: binders[name] for name in sorted(read) if name in binders}
            for name in bound:
                binders[name] = [i] if name in sure else [*binders.get(name, []), i]
    return found


def graded_cells(nb, name):
    """{cell index: its grade_id} of the exercise and check cells."""
    found = student.exercises(nb, name)
    return {e.index: e.grade_id for e in found} | {
        e.check_index: f"check_{e.grade_id}" for e in found
    }


def needed_cells(nb, name):
    """The exercise and check cells and the cells they need, transitively, in notebook order."""
    found, todo, needed = dependencies(nb), list(graded_cells(nb, name)), set()
    while todo:
        i = todo.pop()
        if i not in needed:
            needed.add(i)
            todo += [j for cells in found[i].values() for j in cells]
    return sorted(needed)


def exercise_uses(nb, name):
    """Each read, by a cell other than an exercise or check, of a name such a cell binds."""
    graded = graded_cells(nb, name)
    return [
        f"{name}, cell {i} uses {var}, bound by the exercise/check cell {j} (grade_id "
        f"{graded[j]}): later cells must use the package's version"
        for i, uses in dependencies(nb).items()
        if i not in graded
        for var, cells in uses.items()
        for j in cells
        if j in graded
    ]


def wrong_answers_of(exercise, wrong_answers):
    """The files of `wrong_answers`/<grade_id>/, the shortcut first."""
    folder = wrong_answers / exercise.grade_id
    return sorted(folder.glob("*.py"), key=lambda p: (p.name != SHORTCUT, p.name))


def wrong_answer_problems(exercise, wrong_answers):
    """What the exercise lacks among its wrong answers: a shortcut and MIN_WRONG others."""
    files = [p.name for p in wrong_answers_of(exercise, wrong_answers)]
    where = f"tests/wrong_answers/{exercise.grade_id}/"
    problems = [] if SHORTCUT in files else [f"{where}{SHORTCUT}: missing (see student_harness)"]
    others = len(files) - (SHORTCUT in files)
    if others < MIN_WRONG:
        problems.append(f"{where}: {others} wrong answers besides the shortcut, need {MIN_WRONG}")
    return problems


def wrong_answer_source(nb, exercise, name, path):
    """The exercise cell with the wrong answer in file `path` in place of its solution region."""
    code = textwrap.dedent(path.read_text()).rstrip("\n")
    where = student.cell_label(name, exercise.index, nb.cells[exercise.index])
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

    def run(self, code, store_history=True):
        """Execute `code`; return (stdout, None) or (stdout, (exception class names, message))."""
        stdout = []

        def hook(msg):
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                stdout.append(msg["content"]["text"])

        try:
            reply = self.client.execute_interactive(
                code, timeout=CELL_TIMEOUT, output_hook=hook, store_history=store_history
            )
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
    """Run the check against the stub, each wrong answer and the solution; return the problems."""
    where = student.cell_label(name, exercise.check_index, nb.cells[exercise.check_index])
    check = nb.cells[exercise.check_index].source
    problems = wrong_answer_problems(exercise, wrong_answers)
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
    for path in wrong_answers_of(exercise, wrong_answers):
        wrong = f"tests/wrong_answers/{exercise.grade_id}/{path.name}"
        _, error = kernel.run(wrong_answer_source(nb, exercise, name, path))
        if error is not None:
            problems.append(
                f"{where}: the exercise cell with {wrong} raised {error[1]}; it must only define"
            )
            continue
        _, error = kernel.run(check)
        if error is None or "AssertionError" not in error[0]:
            got = "passed" if error is None else f"raised {error[1]}"
            problems.append(
                f"{where}: against {wrong} the check {got}; it must raise AssertionError"
            )
        elif path.name == SHORTCUT and "ShortcutError" in error[0]:
            # stopped by the check's `unavailable` block: a working answer once nothing is blocked
            kernel.run(UNBLOCK, store_history=False)
            _, error = kernel.run(check)
            kernel.run(REBLOCK, store_history=False)
            if error is not None:
                problems.append(
                    f"{where}: with nothing made unavailable, the check raised {error[1]} against "
                    f"{wrong}; a shortcut is a working call of the package's own solution"
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

    The kernel starts in the notebook's folder, as nbval's does. It runs `cells` (the exercises,
    their checks and the cells they need, in notebook order): every cell but the checks must
    succeed; each check must fail with the stub's NotImplementedError (its hint), with
    AssertionError on each wrong answer, with ShortcutError on the shortcut, and pass on the
    instructor's solution.
    """

    def __init__(self, path, tmp_path, wrong_answers=WRONG_ANSWERS):
        self.name, self.nb, self.wrong_answers = path.name, read(path), wrong_answers
        nbformat.write(student.student_edition(self.nb, path.name), tmp_path / path.name)
        self.edition = read(tmp_path / path.name)
        self.checks = {e.check_index: e for e in student.exercises(self.nb, path.name)}
        self.cells = needed_cells(self.nb, path.name)
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
        return [] if error is None else [f"{self.name}, cell {i}: fails with {error[1]}"]


def student_problems(path, tmp_path, wrong_answers=WRONG_ANSWERS):
    """Every problem of the student edition of notebook `path`: its cells that read a name an
    exercise or check binds, then the problems of its run."""
    run = StudentRun(path, tmp_path, wrong_answers)
    try:
        uses = exercise_uses(run.nb, run.name)
        return uses + [problem for i in run.cells for problem in run.problems(i)]
    finally:
        run.close()


def student_tests(prefix):
    """The fixture and the test (one per executed cell) of a tests/test_student_NN.py file.

    They run the student edition of each notebook `notebooks/<prefix>*.ipynb` with exercises.
    """
    graded = [p for p in NOTEBOOKS.glob(f"{prefix}*.ipynb") if student.exercises(read(p), p.name)]
    cells = [(p.name, i) for p in sorted(graded) for i in needed_cells(read(p), p.name)]
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
