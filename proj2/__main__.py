"""`python -m proj2 --help`: the Project 2 study and its report."""

import sys

from proj2.cli import main

sys.exit(main())
