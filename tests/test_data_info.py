"""python -m proj1.data info reads every file as training would and names the damage; the
downloader's command line (--mirror)."""

import gzip
import re

import pytest
import torch
from idx_files import fake_digits, idx_bytes, write_mnist

from proj1 import data
from proj1.idx import IMAGES_MAGIC, LABELS_MAGIC

N = 20  # digits per split


def header(magic, *sizes):
    return magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in sizes)


def images(n=N, size=28):
    return idx_bytes(fake_digits(n, 0)[0][:, :size, :size], IMAGES_MAGIC)


def labels(values):
    return idx_bytes(torch.tensor(values), LABELS_MAGIC)


TRAIN_IMAGES, TRAIN_LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
TEST_IMAGES, TEST_LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
# (file, its new content (gzipped unless raw=True), the damage info must name)
DAMAGE = {
    "10-byte image file": (TRAIN_IMAGES, images()[:10], "truncated inside the header (10 bytes)"),
    "truncated gzip": (
        TRAIN_IMAGES,
        gzip.compress(images())[:-30],
        "not a readable gzip file (Compressed file ended before the end-of-stream marker was "
        "reached)",
    ),
    "labels above 9": (TRAIN_LABELS, labels([12] * N), "label 12 at index 0 is out of range 0..9"),
    "27x27 images": (
        TRAIN_IMAGES,
        images(size=27),
        "images are 27 x 27 pixels, MNIST's are 28 x 28",
    ),
    "counts disagree": (
        TEST_LABELS,
        labels([*range(10), *range(9)]),
        "counts disagree, 20 images but 19 labels",
    ),
    "4294967295 images announced": (
        TRAIN_IMAGES,
        header(IMAGES_MAGIC, 2**32 - 1, 28, 28) + images()[16:],
        "truncated: the header announces 4294967295 x 28 x 28 = 3367254359280 bytes of data "
        "but the file holds 15680",
    ),
    "labels with the images' magic": (
        TEST_LABELS,
        header(IMAGES_MAGIC, N) + bytes(N),
        "wrong magic number 0x00000803, expected 0x00000801 (IDX labels)",
    ),
    "labels too long": (
        TRAIN_LABELS,
        labels([1] * N) + b"\0",
        "too long: the header announces 20 = 20 bytes of data but the file holds more than 20",
    ),
    "empty labels file": (TEST_LABELS, b"", "truncated, only 0 bytes (no IDX header)"),
    "not gzip at all": (TRAIN_IMAGES, b"hello", "not a readable gzip file"),
    "all-black digits": (
        TRAIN_IMAGES,
        header(IMAGES_MAGIC, N, 28, 28) + bytes(N * 784),
        "every pixel of the 20 images is 0: no digits to learn from",
    ),
    "4-d images": (
        TRAIN_IMAGES,
        header(0x804, N, 28, 28, 1) + bytes(N * 784),
        "wrong magic number 0x00000804, expected 0x00000803 (IDX images)",
    ),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_info_names_the_damaged_file_and_the_damage(tmp_path, case, capsys):
    name, content, damage = DAMAGE[case]
    write_mnist(tmp_path, n_train=N, n_test=N, gz=True)
    path = tmp_path / f"{name}.gz"
    path.write_bytes(
        content if case in ("truncated gzip", "not gzip at all") else gzip.compress(content)
    )
    assert data.main(["info", "--data-dir", str(tmp_path)]) == 0
    (line,) = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("mnist:")]
    assert line.startswith("mnist:    DAMAGED, ")
    assert f"{path.resolve()}" in line and damage in line, line
    assert line.endswith("(delete it and download again)")
    # training on the same files stops with the same damage named, before any round
    with pytest.raises(ValueError, match=re.escape(damage.split(" (")[0])):
        data.generate_pair_sets(5, source="mnist", data_dir=tmp_path)


def test_info_names_the_damage_of_both_splits(tmp_path, capsys):
    write_mnist(tmp_path, n_train=N, n_test=N)
    (tmp_path / TRAIN_LABELS).write_bytes(labels([10] * N))
    (tmp_path / TEST_IMAGES).write_bytes(images()[:-1])
    data.main(["info", "--data-dir", str(tmp_path)])
    (line,) = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("mnist:")]
    assert "label 10 at index 0 is out of range 0..9; " in line
    assert "t10k-images-idx3-ubyte: truncated: " in line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["download", "--mirror", "not a url"],
            "--mirror must be an http://, https:// or file:// ",
        ),
        (["download", "--mirror", "ftp://host/mnist/"], "--mirror must be an http://, https://"),
        (["info", "--mirror", "http://host/"], "--mirror is an option of download"),
        (["info", "--data-dir", ""], "--data-dir must be an existing folder, got ''"),
        (["info", "--data-dir", "nothing"], "--data-dir must be an existing folder, got 'nothing'"),
        (["download", "--data-dir", ""], "--data-dir must name a folder, got ''"),
    ],
)
def test_bad_data_options_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        data.main(argv)
    assert stopped.value.code == 2
    assert (
        capsys.readouterr()
        .err.splitlines()[-1]
        .startswith("python -m proj1.data: error: " + message)
    )
    assert list(tmp_path.iterdir()) == []


def test_mirror_options_reach_the_download(monkeypatch, tmp_path, capsys):
    asked = []
    monkeypatch.setattr(
        data, "download_mnist", lambda d, mirrors: asked.append(mirrors) or tmp_path
    )
    argv = ["download", "--data-dir", str(tmp_path), "--mirror", "http://a/mnist"]
    assert data.main(argv + ["--mirror", "file:///srv/mnist/"]) == 0
    assert data.main(["download", "--data-dir", str(tmp_path)]) == 0
    assert asked == [["http://a/mnist/", "file:///srv/mnist/"], list(data.MIRRORS)]
