"""Unit-test configuration: hermetic data root, plain test ids, mutants' tests fastest first."""

import json
import os
import re
from pathlib import Path

import pytest
import torch

PLAIN_ID = re.compile(r"[ -\[\]-~]*")  # printable ASCII but the backslash


@pytest.fixture(autouse=True, scope="session")
def empty_data_root(tmp_path_factory):
    """$PYTORCH_DATA_DIR points to an empty folder: a test that uses the default data root
    sees no full MNIST, whatever ./data holds, and writes nothing there."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTORCH_DATA_DIR", str(tmp_path_factory.mktemp("data-root")))
        yield


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """One torch thread per test process: `make test` runs two workers (and notebook kernels)
    on two cores, and two threads each spin on every small op (see `proj1.cli`)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def pytest_collection_modifyitems(items):
    """Test ids must be plain (pytest escapes a newline, a backslash or a non-ASCII character,
    and escapes it again when the same module is collected twice: mutmut's forked runs then
    cannot find the test and count the mutant as a timeout). Under mutmut, a mutant's tests
    run fastest first (by its recorded durations): it stops at the first failure (-x), so a
    killed mutant fails sooner. Only the order changes; the tests are independent."""
    odd = [item.nodeid for item in items if not PLAIN_ID.fullmatch(item.nodeid)]
    if odd:
        raise pytest.UsageError(f"test ids with escaped characters: {odd}")
    stats = Path("mutmut-stats.json")  # mutmut runs the tests from inside mutants/
    if not os.environ.get("MUTANT_UNDER_TEST") or not stats.exists():
        return
    duration = json.loads(stats.read_text())["duration_by_test"]
    items.sort(key=lambda item: duration.get(item.nodeid, 0.0))
