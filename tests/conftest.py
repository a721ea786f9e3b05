"""Unit-test configuration: under `make mutation`, each mutant's tests run fastest first."""

import json
import os
from pathlib import Path


def pytest_collection_modifyitems(items):
    """mutmut runs a mutant's tests in no particular order and stops at the first failure
    (-x): sorted by the durations that mutmut recorded, a killed mutant fails sooner. Only
    the order changes (the tests are independent); outside mutmut nothing does."""
    stats = Path("mutmut-stats.json")  # mutmut runs the tests from inside mutants/
    if not os.environ.get("MUTANT_UNDER_TEST") or not stats.exists():
        return
    duration = json.loads(stats.read_text())["duration_by_test"]
    items.sort(key=lambda item: duration.get(item.nodeid, 0.0))
