"""The student edition of notebooks/06*.ipynb (a file of its own: see student_harness)."""

from student_harness import check_student_edition


def test_student_edition(tmp_path):
    check_student_edition("06", tmp_path)
