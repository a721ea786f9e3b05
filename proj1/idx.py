"""Reading MNIST's IDX files (raw or gzipped) into tensors, with clear errors on damage.

A file is read no further than its header announces (plus one byte, to tell a file that
is too long): a gzipped file that would decompress to gigabytes is refused after its
first few kilobytes, not after filling the memory.
"""

import gzip
import math
import zlib
from pathlib import Path

import torch

IMAGES_MAGIC, LABELS_MAGIC = 0x00000803, 0x00000801  # unsigned bytes, 3 or 1 dimensions
CHUNK = 1 << 20  # bytes decompressed at a time


class IdxFormatError(ValueError):
    """An IDX file is damaged or is not what it should be; the message names the file."""


def parse_header(content, path, magic):
    """The shape an IDX header announces, from the file's first bytes (at least the header)."""
    if len(content) < 4:
        raise IdxFormatError(f"{path}: truncated, only {len(content)} bytes (no IDX header)")
    found = int.from_bytes(content[:4], "big")
    if found != magic:
        kind = "images" if magic == IMAGES_MAGIC else "labels"
        raise IdxFormatError(
            f"{path}: wrong magic number 0x{found:08x}, expected 0x{magic:08x} (IDX {kind})"
        )
    ndim = magic & 0xFF
    if len(content) < 4 + 4 * ndim:
        raise IdxFormatError(f"{path}: truncated inside the header ({len(content)} bytes)")
    return [int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]


def _tensor(payload, shape, path, holds=None):
    """uint8 tensor of `shape` from the data bytes; `holds` is the file's data size, None
    when unknown (a gzipped file read no further than one byte past the announced size)."""
    expected = math.prod(shape)
    if len(payload) != expected:
        problem = "truncated" if len(payload) < expected else "too long"
        size = holds if holds is not None else f"more than {expected}"
        raise IdxFormatError(
            f"{path}: {problem}: the header announces {' x '.join(map(str, shape))} = "
            f"{expected} bytes of data but the file holds {size}"
        )
    if expected == 0:  # torch.frombuffer refuses an empty buffer
        return torch.empty(shape, dtype=torch.uint8)
    return torch.frombuffer(bytearray(payload), dtype=torch.uint8).view(*shape)


def parse_idx(content, path, magic):
    """IDX bytes -> uint8 tensor of the shape its header gives (`(N, 28, 28)` or `(N,)`)."""
    shape = parse_header(content, path, magic)
    header = 4 + 4 * len(shape)
    return _tensor(content[header:], shape, path, holds=len(content) - header)


def _read_at_most(f, size):
    blocks = []
    while size > 0:
        block = f.read(min(size, CHUNK))
        if not block:
            break
        blocks.append(block)
        size -= len(block)
    return b"".join(blocks)


def read_idx(path, magic):
    """Read one IDX file (`IMAGES_MAGIC` or `LABELS_MAGIC`, gzipped when it ends in `.gz`)."""
    path = Path(path)
    gz = path.suffix == ".gz"
    try:
        with (gzip.open if gz else open)(path, "rb") as f:
            head = f.read(4 + 4 * (magic & 0xFF))
            shape = parse_header(head, path, magic)
            payload = _read_at_most(f, math.prod(shape) + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise IdxFormatError(f"{path}: not a readable gzip file ({exc})") from exc
    if gz:  # read to its end unless it is too long
        holds = len(payload) if len(payload) <= math.prod(shape) else None
    else:
        holds = path.stat().st_size - len(head)
    return _tensor(payload, shape, path, holds)


def read_images_and_labels(images_path, labels_path):
    """Images `(N, 28, 28)` uint8 and labels `(N,)` int64 in 0..9 from two IDX files.

    Refuses damage that training would trip over later: other image sizes, counts that
    disagree, labels out of range, and images that are all one value (no pixel spread).
    """
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
    if len(images) and images.min() == images.max():
        raise IdxFormatError(
            f"{images_path}: every pixel of the {len(images)} images is {int(images[0, 0, 0])}: "
            "no digits to learn from"
        )
    return images, labels.long()
