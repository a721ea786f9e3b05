"""`python -m proj1 --help`: the architecture comparison of Project 1."""

import sys

from proj1.cli import main

sys.exit(main())
