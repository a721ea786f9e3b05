"""Small IDX files written by the tests: real MNIST layout, made-up digits."""

import gzip
from pathlib import Path

import torch

from proj1.idx import IMAGES_MAGIC, LABELS_MAGIC


def idx_bytes(tensor, magic):
    """The IDX encoding of a uint8 tensor: magic, big-endian sizes, then the bytes."""
    header = magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in tensor.shape)
    return header + bytes(tensor.to(torch.uint8).flatten().tolist())


def fake_digits(n, seed):
    """`n` random 28x28 uint8 images and their int64 labels (each class present)."""
    g = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (n, 28, 28), generator=g, dtype=torch.uint8)
    labels = torch.arange(n) % 10
    return images, labels


def write_mnist(folder, n_train=40, n_test=20, gz=False):
    """Write the four MNIST files into `folder`; return the digits written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    digits = {"train": fake_digits(n_train, 1), "t10k": fake_digits(n_test, 2)}
    for prefix, (images, labels) in digits.items():
        write(folder / f"{prefix}-images-idx3-ubyte", idx_bytes(images, IMAGES_MAGIC), gz)
        write(folder / f"{prefix}-labels-idx1-ubyte", idx_bytes(labels, LABELS_MAGIC), gz)
    return digits


def write(path, content, gz=False):
    path = Path(path)
    if gz:
        path = path.with_name(path.name + ".gz")
        content = gzip.compress(content)
    path.write_bytes(content)
    return path
