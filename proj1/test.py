"""The assignment's executable for Project 1: the default comparison (the study).

`python proj1/test.py` (no arguments, from any folder): both tables of the study
(`proj1.study`: each architecture at its best, and the controlled family), 10 rounds x 25
epochs on 1000 train / 1000 test pairs, then for each table its errors (mean ± std over
rounds) and its effects with their verdicts, and the data source.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# python puts this folder first on sys.path, where test.py and data.py would shadow the
# stdlib's `test` and any top-level `data`; the repository root goes there instead, so
# that a fresh clone runs without being installed
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from proj1.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["--no-save"]))
