"""The student edition: scripts/student.py's transformation, its errors, the exercise set, and
the def-use analysis that lets the harness run only the cells the exercises need.

The runs of each notebook's student edition live in tests/test_student_NN.py.
"""

import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from student_harness import (
    GRADING,
    ROOT,
    WRONG_ANSWERS,
    exercise_uses,
    needed_cells,
    notebook_paths,
    read,
    student,
    student_problems,
    wrong_answer_problems,
)

SOLUTION = """def double(x):
    \"\"\"Twice x.\"\"\"
    ### BEGIN SOLUTION
    y = x + x
    return y
    ### END SOLUTION"""


def exercise_cell(source=SOLUTION, grade_id="double", hint="Return 2 * x."):
    nbgrader = {
        "grade": False,
        "grade_id": grade_id,
        "locked": False,
        "schema_version": 3,
        "solution": True,
    }
    return new_code_cell(source, metadata={"nbgrader": nbgrader, "ee559": {"hint": hint}})


def check_cell(grade_id="double"):
    nbgrader = {
        "grade": True,
        "grade_id": f"check_{grade_id}",
        "locked": True,
        "points": 1,
        "schema_version": 3,
        "solution": False,
    }
    return new_code_cell(
        "assert double(2) == 4\nprint('check_double: passed')", metadata={"nbgrader": nbgrader}
    )


def notebook(*cells):
    return new_notebook(cells=[new_markdown_cell("# Title"), *cells])


# -- the transformation ------------------------------------------------------------------------


def test_region_becomes_the_hint_at_the_begin_markers_indentation():
    nb = notebook(exercise_cell(), check_cell())
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="old\n")]
    nb.cells[1].execution_count = 3
    edition = student.student_edition(nb, "t.ipynb")
    assert edition.cells[1].source == (
        'def double(x):\n    """Twice x."""\n    raise NotImplementedError("Return 2 * x.")'
    )
    assert edition.cells[1].outputs == [] and edition.cells[1].execution_count is None
    assert edition.cells[1].metadata == nb.cells[1].metadata  # nbgrader's metadata is kept
    assert edition.cells[2].source == nb.cells[2].source
    assert edition.cells[2].metadata.tags == ["raises-exception"]  # Run All goes on after it
    assert "tags" not in nb.cells[2].metadata
    assert nb.cells[1].source == SOLUTION  # the instructor's notebook is untouched


def test_stub_raises_the_hint_and_code_around_the_region_stays():
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION\n"
    source += "    return y"
    hint = 'Return "x" \\ 2, shape (N,).'
    edition = student.student_edition(notebook(exercise_cell(source, hint=hint), check_cell()), "t")
    namespace = {}
    exec(edition.cells[1].source, namespace)
    with pytest.raises(NotImplementedError) as caught:
        namespace["f"](1)
    assert str(caught.value) == hint


def test_markers_follow_nbgraders_syntax():
    # nbgrader finds the markers anywhere in a line, with any comment style around them
    source = "class A:\n    def f(self):\n        # BEGIN SOLUTION here\n        pass\n"
    source += "        #END SOLUTION"
    text, regions = student.replace_regions(source, "raise X", "w")
    assert (text, regions) == ("class A:\n    def f(self):\n        raise X", 1)


def test_two_regions_in_one_cell_are_both_stubbed():
    source = (
        "def f():\n    ### BEGIN SOLUTION\n    a\n    ### END SOLUTION\n\n\ndef g():\n"
        "    ### BEGIN SOLUTION\n    b\n    ### END SOLUTION"
    )
    text, regions = student.replace_regions(source, "stub", "w")
    assert regions == 2 and text == "def f():\n    stub\n\n\ndef g():\n    stub"


def test_command_line_writes_every_notebook(tmp_path):
    (tmp_path / "src").mkdir()
    nbformat.write(notebook(exercise_cell(), check_cell()), tmp_path / "src" / "01_a.ipynb")
    plain = notebook(new_code_cell("1 + 1"))
    nbformat.write(plain, tmp_path / "src" / "02_b.ipynb")
    (tmp_path / "src" / "helper.py").write_text("X = 1\n")  # the checks' module goes along
    script = ROOT / "scripts" / "student.py"
    args = [sys.executable, script, tmp_path / "src", tmp_path / "out"]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    assert "01_a.ipynb: 1 exercise\n" in done.stdout
    assert "NotImplementedError" in read(tmp_path / "out" / "01_a.ipynb").cells[1].source
    assert read(tmp_path / "out" / "02_b.ipynb").cells == plain.cells
    assert (tmp_path / "out" / "helper.py").read_text() == "X = 1\n"


def test_command_line_rejects_a_grade_id_used_twice(tmp_path):
    for name in ("01_a.ipynb", "02_b.ipynb"):
        nbformat.write(notebook(exercise_cell(), check_cell()), tmp_path / name)
    args = [sys.executable, ROOT / "scripts" / "student.py", tmp_path, tmp_path / "out"]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode != 0
    assert "02_b.ipynb, cell 1: grade_id 'double' is already used in 01_a.ipynb" in done.stderr


def test_run_all_goes_past_an_unsolved_check(tmp_path):
    nb = notebook(exercise_cell(), check_cell(), new_code_cell("print(2 + 2)"))
    edition = student.student_edition(nb, "nb")
    NotebookClient(edition, resources={"metadata": {"path": tmp_path}}).execute()
    assert edition.cells[2].outputs[-1].ename == "NotImplementedError"
    assert edition.cells[3].outputs[0].text == "4\n"


# -- malformed markers and metadata: each error names the notebook, cell and grade_id ---------

MALFORMED = {
    "BEGIN without END": (
        "def f():\n    ### BEGIN SOLUTION\n    pass",
        "nb.ipynb, cell 1 (grade_id double): 'BEGIN SOLUTION' on line 2 has no 'END SOLUTION'",
    ),
    "nested BEGIN": (
        "def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    ### END SOLUTION",
        "nb.ipynb, cell 1 (grade_id double): nested 'BEGIN SOLUTION' on line 3",
    ),
    "END without BEGIN": (
        "def f():\n    pass\n    ### END SOLUTION",
        "nb.ipynb, cell 1 (grade_id double): 'END SOLUTION' on line 3 without a 'BEGIN SOLUTION'",
    ),
    "no region": (
        "def f():\n    pass",
        "nb.ipynb, cell 1 (grade_id double): solution cell without a 'BEGIN SOLUTION'",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_markers_are_named(case):
    source, message = MALFORMED[case]
    with pytest.raises(student.MarkerError, match=re.escape(message)):
        student.student_edition(notebook(exercise_cell(source), check_cell()), "nb.ipynb")


def test_region_outside_a_solution_cell_is_an_error():
    nb = notebook(new_code_cell(SOLUTION))
    with pytest.raises(student.MarkerError, match=r"nb, cell 1 \(grade_id -\): solution region"):
        student.student_edition(nb, "nb")


def test_exercise_without_hint_or_check_is_an_error():
    with pytest.raises(student.MarkerError, match=r"cell 1 \(grade_id double\).*hint"):
        student.exercises(notebook(exercise_cell(hint="")), "nb")
    with pytest.raises(student.MarkerError, match="must be its check.*'check_double'"):
        student.exercises(notebook(exercise_cell(), new_code_cell("pass")), "nb")


# -- the harness: it must notice a check that cannot fail -------------------------------------


def test_harness_reports_checks_that_cannot_fail_and_cells_that_need_a_solution(tmp_path):
    blocking = check_cell()  # the package's `twice` is unavailable while double runs
    blocking.source = (
        "from grading import unavailable\n\nwith unavailable('pkg.twice'):\n    mine = double(2)\n"
        "assert mine == 4\nprint('check_double: passed')"
    )
    half = "def half(x):\n    ### BEGIN SOLUTION\n    return x / 2\n    ### END SOLUTION"
    lax_check = check_cell("half")
    lax_check.source = "half(4)\nprint('check_half: passed')"  # never asserts, blocks nothing
    nb = notebook(
        exercise_cell(),
        blocking,
        exercise_cell(half, grade_id="half", hint="Return x / 2."),
        lax_check,
        new_code_cell("print(double(3))"),  # needs the student's solution
    )
    (tmp_path / "src").mkdir()
    nbformat.write(nb, tmp_path / "src" / "nb.ipynb")
    shutil.copy(GRADING, tmp_path / "src")  # the kernel runs in the notebook's folder
    (tmp_path / "src" / "pkg.py").write_text("def twice(x):\n    return 2 * x\n")
    wrong = {
        "double/shortcut.py": "    import pkg\n\n    return pkg.twice(x)\n",
        "double/plus_one.py": "    # one more, not twice\n    return x + 1\n",
        "double/square.py": "    return x * x * 3\n",
        "half/shortcut.py": "    import pkg\n\n    return pkg.twice(x) / 4\n",
        "half/floor.py": "    return x // 2\n",
    }
    for name, text in wrong.items():
        (tmp_path / "wrong" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "wrong" / name).write_text(text)
    problems = student_problems(tmp_path / "src" / "nb.ipynb", tmp_path, tmp_path / "wrong")
    where = "nb.ipynb, cell 4 (grade_id check_half): "
    assert problems == [
        "nb.ipynb, cell 5 uses double, bound by the exercise/check cell 1 (grade_id double): "
        "later cells must use the package's version",
        "tests/wrong_answers/half/: 1 wrong answers besides the shortcut, need 2",
        f"{where}against tests/wrong_answers/half/shortcut.py the check passed; it must raise "
        "AssertionError",
        f"{where}against tests/wrong_answers/half/floor.py the check passed; it must raise "
        "AssertionError",
    ], problems


# -- the def-use analysis: which cells the run needs, and which must not read an exercise ------

USES = "nb, cell 3 uses double, bound by the exercise/check cell 1 (grade_id double): later "
USES += "cells must use the package's version"

LATER_CELLS = {  # a cell after the exercise and its check: does it read the exercise's name?
    "a call": ("print(double(3))", True),
    "a rebinding first": ("double = abs\nprint(double(-3))", False),
    "a read before the rebinding": ("y = double(2)\ndouble = abs", True),
    "a function body": ("def triple(x):\n    return double(x) + x", True),
    "a comprehension variable": ("print([double for double in range(3)])", False),
    "a comprehension's body": ("print([double(k) for k in range(3)])", True),
    "magics": ("%timeit double(2)\n!echo double(2)\nprint(1)", False),
    "a binding in one branch": ("if len('ab') > 1:\n    double = abs\nprint(double(2))", True),
    "a binding in both branches": (
        "if len('ab') > 1:\n    double = abs\nelse:\n    double = print\nprint(double(2))",
        False,
    ),
    "a loop variable": ("for double in (abs, print):\n    double(-1)", False),
    "after a loop that may not run": ("for double in ():\n    pass\nprint(double)", True),
    "an exception's name": (
        "try:\n    1 / 0\nexcept ZeroDivisionError as double:\n    print(double)",
        False,
    ),
}


@pytest.mark.parametrize("case", LATER_CELLS)
def test_later_cells_reading_an_exercises_name_are_reported(case):
    source, reads = LATER_CELLS[case]
    nb = notebook(exercise_cell(), check_cell(), new_code_cell(source))
    assert exercise_uses(nb, "nb") == ([USES] if reads else [])


def test_a_rebinding_in_between_hides_the_exercise_and_a_possible_one_does_not():
    check = check_cell()
    check.source = "twice = double(2)\nassert twice == 4\nprint('check_double: passed')"
    cells = [new_code_cell("from operator import neg as double"), new_code_cell("print(double(3))")]
    maybe = new_code_cell("if len('ab') > 1:\n    twice = 4")  # twice may still be the check's
    nb = notebook(exercise_cell(), check, *cells, maybe, new_code_cell("print(twice)"))
    assert exercise_uses(nb, "nb") == [
        "nb, cell 6 uses twice, bound by the exercise/check cell 2 (grade_id check_double): "
        "later cells must use the package's version"
    ]


def test_the_run_needs_the_cells_the_exercises_read_transitively():
    check = check_cell()
    check.source = "assert double(base) == 2 * base\nprint('check_double: passed')"
    nb = notebook(
        new_code_cell("%matplotlib inline\nimport math"),
        new_code_cell("base = math.pi"),
        new_code_cell("slow = sum(range(10**9))"),
        exercise_cell(),
        check,
        new_code_cell("print(slow, base)"),
    )
    assert needed_cells(nb, "nb") == [1, 2, 4, 5]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_no_cell_but_exercises_and_checks_reads_a_name_they_bind(path):
    """What lets the harness leave these cells to nbval (see student_harness)."""
    problems = exercise_uses(read(path), path.name)
    assert not problems, "\n".join(problems)


# -- the exercise set of the committed notebooks ------------------------------------------------


def all_exercises():
    return [
        (path.name, e)
        for path in notebook_paths()
        for e in student.exercises(read(path), path.name)
    ]


def test_every_exercise_has_a_shortcut_and_wrong_answers_and_back():
    """tests/wrong_answers/<grade_id>/: shortcut.py and MIN_WRONG others, for every exercise."""
    problems = [p for _, e in all_exercises() for p in wrong_answer_problems(e, WRONG_ANSWERS)]
    ids = {e.grade_id for _, e in all_exercises()}
    problems += [
        f"tests/wrong_answers/{p.name}: no exercise has grade_id {p.name!r}"
        for p in sorted(WRONG_ANSWERS.iterdir())
        if p.is_dir() and not p.name.startswith(".") and p.name not in ids
    ]
    assert not problems, "\n".join(problems)


def test_grade_ids_are_unique_snake_case():
    seen, problems = {}, []
    for name, e in all_exercises():
        if e.grade_id in seen:
            problems.append(
                f"{name}, cell {e.index}: grade_id {e.grade_id!r} also in {seen[e.grade_id]}"
            )
        if not re.fullmatch(r"[a-z][a-z0-9_]*", e.grade_id):
            problems.append(f"{name}, cell {e.index}: grade_id {e.grade_id!r} is not snake_case")
        seen[e.grade_id] = f"{name}, cell {e.index}"
    assert not problems, "\n".join(problems)


def test_every_notebook_with_exercises_has_its_student_run():
    numbers = {p.name[:2] for p in notebook_paths()}
    files = {p.stem.removeprefix("test_student_") for p in ROOT.glob("tests/test_student_*.py")}
    missing = [
        f"{p.name}: has exercises but no tests/test_student_{p.name[:2]}.py runs its student "
        "edition (copy tests/test_student_01.py)"
        for p in notebook_paths()
        if student.exercises(read(p), p.name) and p.name[:2] not in files
    ]
    orphans = [
        f"tests/test_student_{n}.py: no notebooks/{n}*.ipynb" for n in sorted(files - numbers)
    ]
    assert not missing + orphans, "\n".join(missing + orphans)


def test_at_least_16_exercises():
    found = all_exercises()
    summary = ", ".join(f"{name}: {e.grade_id}" for name, e in found)
    assert len(found) >= 16, f"{len(found)} exercises over the notebooks, expected >= 16: {summary}"


def opening_problems(cell):
    """What the opening cell lacks: '# title', 'Objectives' and 3-5 bullets, 'Assumes', duration."""
    if cell.cell_type != "markdown":
        return ["a markdown cell"]
    lines = cell.source.replace("**", "").splitlines()  # bold or not

    def find(word, start=0):
        return next((i for i, s in enumerate(lines) if word in s and i >= start), None)

    objectives = find("Objectives")
    assumes = find("Assumes", objectives or 0)
    problems = [] if lines and lines[0].startswith("# ") else ["a '# title' first line"]
    if objectives is None or assumes is None:
        return problems + ["'Objectives' then 'Assumes'"]
    bullets = [s for s in lines[objectives + 1 : assumes] if re.match(r" {0,3}([-*]|\d+\.) ", s)]
    if not 3 <= len(bullets) <= 5:
        problems.append(f"3-5 objectives as bullets (found {len(bullets)})")
    if not re.search(r"Duration: about \d+ minutes", cell.source.replace("**", "")):
        problems.append("'Duration: about N minutes'")
    return problems


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_notebook_opens_with_objectives_assumes_duration(path):
    problems = opening_problems(read(path).cells[0])
    assert not problems, f"{path.name}, cell 0 lacks: " + "; ".join(problems)
