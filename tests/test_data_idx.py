"""The IDX reader and the search for full MNIST: good files, damaged files, both layouts."""

from pathlib import Path

import pytest
import torch
from idx_files import fake_digits, idx_bytes, write, write_mnist

from proj1 import data
from proj1.idx import (
    IMAGES_MAGIC,
    LABELS_MAGIC,
    IdxFormatError,
    parse_idx,
    read_images_and_labels,
)


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("layout", ["mnist/MNIST/raw", "MNIST/raw", "."])
def test_load_mnist_reads_every_layout(tmp_path, layout, gz):
    written = write_mnist(tmp_path / layout, gz=gz)
    for train, prefix in ((True, "train"), (False, "t10k")):
        images, labels = data.load_mnist("mnist", data_dir=tmp_path, train=train)
        assert images.dtype == torch.uint8 and labels.dtype == torch.int64
        assert torch.equal(images, written[prefix][0])
        assert torch.equal(labels, written[prefix][1])
    assert data.resolve_source("auto", tmp_path) == "mnist"


def test_data_root_comes_from_the_environment(tmp_path, monkeypatch):
    write_mnist(tmp_path / "mnist" / "MNIST" / "raw")
    monkeypatch.setenv("PYTORCH_DATA_DIR", str(tmp_path))
    assert data.data_root() == tmp_path
    assert data.resolve_source() == "mnist"
    assert data.data_root(tmp_path / "elsewhere") == tmp_path / "elsewhere"


@pytest.mark.parametrize("environment", [None, ""])
def test_data_root_is_data_without_an_environment_variable(environment, monkeypatch):
    monkeypatch.delenv("PYTORCH_DATA_DIR", raising=False)
    if environment is not None:
        monkeypatch.setenv("PYTORCH_DATA_DIR", environment)
    assert data.data_root() == Path("data")
    assert data.candidate_dirs() == [
        Path("data/mnist/MNIST/raw"),
        Path("data/MNIST/raw"),
        Path("data"),
    ]


def damaged(tmp_path, content, name="train-images-idx3-ubyte"):
    return write(tmp_path / name, content)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b[:-5], "truncated: the header announces 3 x 28 x 28 = 2352 bytes of data "
         "but the file holds 2347"),
        (lambda b: b + b"\0", "too long: the header announces 3 x 28 x 28 = 2352 bytes of data "
         "but the file holds 2353"),
        (lambda b: b[:10], "truncated inside the header (10 bytes)"),
        (lambda b: b[:4], "truncated inside the header (4 bytes)"),  # the magic alone
        (lambda b: b[:2], "truncated, only 2 bytes (no IDX header)"),
        (lambda b: (0x0801).to_bytes(4, "big") + b[4:],
         "wrong magic number 0x00000801, expected 0x00000803 (IDX images)"),
    ],
    ids=["truncated-data", "too-long", "truncated-header", "magic-only", "tiny", "wrong-magic"],
)  # fmt: skip
def test_damaged_image_files_name_the_file_and_the_problem(tmp_path, mutate, message):
    images, labels = fake_digits(3, 0)
    path = damaged(tmp_path, mutate(idx_bytes(images, IMAGES_MAGIC)))
    labels_path = write(tmp_path / "labels", idx_bytes(labels, LABELS_MAGIC))
    with pytest.raises(IdxFormatError) as info:
        read_images_and_labels(path, labels_path)
    assert str(info.value) == f"{path}: {message}"


def test_every_byte_of_the_header_sizes_counts():
    magic = IMAGES_MAGIC.to_bytes(4, "big")
    sizes = b"".join(n.to_bytes(4, "big") for n in (0, 28, 2**16 + 28))
    assert parse_idx(magic + sizes, "x", IMAGES_MAGIC).shape == (0, 28, 65564)
    sizes = b"".join(n.to_bytes(4, "big") for n in (2**24 + 1, 28, 28))
    with pytest.raises(IdxFormatError) as info:
        parse_idx(magic + sizes, "x", IMAGES_MAGIC)
    assert str(info.value) == (
        "x: truncated: the header announces 16777217 x 28 x 28 = 13153338128 bytes of data but "
        "the file holds 0"
    )


def test_counts_that_disagree(tmp_path):
    images, labels = fake_digits(5, 0)
    images_path = write(tmp_path / "i", idx_bytes(images, IMAGES_MAGIC))
    labels_path = write(tmp_path / "l", idx_bytes(labels[:4], LABELS_MAGIC))
    with pytest.raises(IdxFormatError, match="counts disagree, 5 images but 4 labels"):
        read_images_and_labels(images_path, labels_path)


def test_labels_out_of_range(tmp_path):
    images, _ = fake_digits(5, 0)
    labels = torch.tensor([3, 9, 0, 10, 4])  # the one label over 9, after a 9
    images_path = write(tmp_path / "i", idx_bytes(images, IMAGES_MAGIC))
    labels_path = write(tmp_path / "l", idx_bytes(labels, LABELS_MAGIC))
    with pytest.raises(IdxFormatError) as info:
        read_images_and_labels(images_path, labels_path)
    assert str(info.value) == f"{labels_path}: label 10 at index 3 is out of range 0..9"


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(b"this is not gzip")
    with pytest.raises(IdxFormatError, match="not a readable gzip file"):
        read_images_and_labels(path, path)


def test_missing_full_mnist_says_how_to_download(tmp_path):
    assert data.find_mnist(tmp_path) is None
    assert data.resolve_source("auto", tmp_path) == "mnist-5k"
    with pytest.raises(data.MnistNotFoundError, match="python -m proj1.data download"):
        data.generate_pair_sets(10, source="mnist", data_dir=tmp_path)


def test_incomplete_set_is_not_found(tmp_path):
    write_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    assert data.find_mnist(tmp_path) is None


def test_info_command(tmp_path, capsys):
    assert data.main(["info", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "mnist:    absent" in out
    assert "mnist-5k: 2500 train + 2500 test digits shipped with the package (offline)" in out
    write_mnist(tmp_path, n_train=30, n_test=12, gz=True)
    data.main(["info", "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert "mnist:    30 train + 12 test" in out and "auto ->   mnist" in out


def test_truncated_gzip(tmp_path):
    images, labels = fake_digits(3, 0)
    path = write(tmp_path / "train-images-idx3-ubyte", idx_bytes(images, IMAGES_MAGIC), gz=True)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(IdxFormatError, match="not a readable gzip file"):
        read_images_and_labels(path, path)


def test_labels_with_the_images_magic(tmp_path):
    images, labels = fake_digits(3, 0)
    images_path = write(tmp_path / "i", idx_bytes(images, IMAGES_MAGIC))
    labels_path = write(tmp_path / "l", idx_bytes(labels, IMAGES_MAGIC))
    with pytest.raises(IdxFormatError, match="l: wrong magic number 0x00000803, expected .*labels"):
        read_images_and_labels(images_path, labels_path)


def test_images_that_are_not_28_by_28(tmp_path):
    images_path = write(tmp_path / "i", idx_bytes(torch.zeros(2, 32, 32), IMAGES_MAGIC))
    labels_path = write(tmp_path / "l", idx_bytes(torch.zeros(2), LABELS_MAGIC))
    with pytest.raises(IdxFormatError, match="i: images are 32 x 32 pixels, MNIST's are 28 x 28"):
        read_images_and_labels(images_path, labels_path)


def test_empty_files_read_as_empty_tensors(tmp_path):
    images_path = write(tmp_path / "i", idx_bytes(torch.zeros(0, 28, 28), IMAGES_MAGIC))
    labels_path = write(tmp_path / "l", idx_bytes(torch.zeros(0), LABELS_MAGIC))
    images, labels = read_images_and_labels(images_path, labels_path)
    assert images.shape == (0, 28, 28) and labels.shape == (0,)


def test_info_reports_damaged_files_instead_of_failing(tmp_path, capsys):
    write_mnist(tmp_path)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(b"\0\0")
    assert data.main(["info", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "mnist:    DAMAGED" in out and "t10k-images-idx3-ubyte" in out
