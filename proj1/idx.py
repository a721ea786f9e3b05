"""Reading MNIST's IDX files (raw or gzipped) into tensors, with clear errors on damage."""

import gzip
import zlib
from pathlib import Path

import torch

IMAGES_MAGIC, LABELS_MAGIC = 0x00000803, 0x00000801  # unsigned bytes, 3 or 1 dimensions


class IdxFormatError(ValueError):
    """An IDX file is damaged or is not what it should be; the message names the file."""


def read_bytes(path):
    """The content of `path`, decompressed when it ends in `.gz`."""
    path = Path(path)
    content = path.read_bytes()
    if path.suffix != ".gz":
        return content
    try:
        return gzip.decompress(content)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise IdxFormatError(f"{path}: not a readable gzip file ({exc})") from exc


def parse_idx(content, path, magic):
    """IDX bytes -> uint8 tensor of the shape its header gives (`(N, 28, 28)` or `(N,)`)."""
    if len(content) < 4:
        raise IdxFormatError(f"{path}: truncated, only {len(content)} bytes (no IDX header)")
    found = int.from_bytes(content[:4], "big")
    if found != magic:
        kind = "images" if magic == IMAGES_MAGIC else "labels"
        raise IdxFormatError(
            f"{path}: wrong magic number 0x{found:08x}, expected 0x{magic:08x} (IDX {kind})"
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(content) < header:
        raise IdxFormatError(f"{path}: truncated inside the header ({len(content)} bytes)")
    shape = [int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    expected = 1
    for size in shape:
        expected *= size
    payload = len(content) - header
    if payload != expected:
        problem = "truncated" if payload < expected else "too long"
        raise IdxFormatError(
            f"{path}: {problem}: the header announces {' x '.join(map(str, shape))} = "
            f"{expected} bytes of data but the file holds {payload}"
        )
    if expected == 0:  # torch.frombuffer refuses an empty buffer
        return torch.empty(shape, dtype=torch.uint8)
    return torch.frombuffer(bytearray(content), dtype=torch.uint8, offset=header).view(*shape)


def read_idx(path, magic):
    """Read one IDX file (`IMAGES_MAGIC` or `LABELS_MAGIC`) into a uint8 tensor."""
    return parse_idx(read_bytes(path), path, magic)


def read_idx_count(path, magic):
    """The number of items an IDX file announces, read from its header only."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            head = f.read(8)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise IdxFormatError(f"{path}: not a readable gzip file ({exc})") from exc
    if len(head) < 8 or int.from_bytes(head[:4], "big") != magic:
        raise IdxFormatError(f"{path}: not an IDX file with magic number 0x{magic:08x}")
    return int.from_bytes(head[4:8], "big")


def read_images_and_labels(images_path, labels_path):
    """Images `(N, 28, 28)` uint8 and labels `(N,)` int64 in 0..9 from two IDX files."""
    images = read_idx(images_path, IMAGES_MAGIC)
    if images.shape[1:] != (28, 28):
        size = " x ".join(map(str, images.shape[1:]))
        raise IdxFormatError(f"{images_path}: images are {size} pixels, MNIST's are 28 x 28")
    labels = read_idx(labels_path, LABELS_MAGIC)
    if len(images) != len(labels):
        raise IdxFormatError(
            f"{images_path} and {labels_path}: counts disagree, "
            f"{len(images)} images but {len(labels)} labels"
        )
    if len(labels) and labels.max() > 9:
        bad = int((labels > 9).nonzero()[0])
        raise IdxFormatError(
            f"{labels_path}: label {int(labels[bad])} at index {bad} is out of range 0..9"
        )
    return images, labels.long()
