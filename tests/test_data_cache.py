"""The per-process cache of IDX files: no stale reads, no caller can corrupt it."""

import os

import pytest
import torch
from idx_files import fake_digits, idx_bytes, write, write_mnist

from proj1 import data
from proj1.idx import IMAGES_MAGIC, IdxFormatError

TRAIN_IMAGES = "train-images-idx3-ubyte"


def test_a_file_truncated_after_a_read_is_read_again(tmp_path):
    write_mnist(tmp_path)
    data.load_mnist("mnist", tmp_path)  # now cached
    path = tmp_path / TRAIN_IMAGES
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(IdxFormatError, match=f"{TRAIN_IMAGES}: truncated"):
        data.load_mnist("mnist", tmp_path)


def test_a_file_rewritten_with_the_same_size_is_read_again(tmp_path):
    write_mnist(tmp_path, n_train=40)
    before, _ = data.load_mnist("mnist", tmp_path)
    other, _ = fake_digits(40, seed=9)
    path = write(tmp_path / TRAIN_IMAGES, idx_bytes(other, IMAGES_MAGIC))
    stat = path.stat()  # the same size: only the mtime tells; make sure it moves
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after, _ = data.load_mnist("mnist", tmp_path)
    assert torch.equal(after, other) and not torch.equal(after, before)


@pytest.mark.parametrize("source", ["mnist", "mnist-5k"])
def test_changing_what_load_mnist_returns_changes_nothing_else(tmp_path, source):
    write_mnist(tmp_path)
    images, labels = data.load_mnist(source, tmp_path)
    original = images.clone(), labels.clone()
    pairs = data.generate_pair_sets(
        5, source=source, data_dir=tmp_path, generator=torch.Generator().manual_seed(0)
    )
    images.zero_()
    labels.fill_(7)
    again = data.load_mnist(source, tmp_path)
    assert torch.equal(again[0], original[0]) and torch.equal(again[1], original[1])
    redrawn = data.generate_pair_sets(
        5, source=source, data_dir=tmp_path, generator=torch.Generator().manual_seed(0)
    )
    assert all(torch.equal(a, b) for a, b in zip(pairs, redrawn))
