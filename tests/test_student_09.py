"""The student edition of notebooks/09*.ipynb: one test per cell it runs (see student_harness)."""

from student_harness import student_tests

student_runs, test_student_cell = student_tests("09")
