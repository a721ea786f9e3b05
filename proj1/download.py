"""Downloading full MNIST from the public mirrors, verified by MD5, written atomically.

A mirror's failure (unreachable, HTTP error, bad Content-Length, truncated or damaged
file) moves on to the next mirror; a failure to write here (disk full, read-only folder)
stops at once, as no mirror can help. A failed download leaves no partial file and no
folder it created empty; the temporary files of a download that was killed are removed
by the next one.
"""

import contextlib
import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from proj1.optional import progress_bar

# The mirrors and checksums torchvision uses.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
RESOURCES = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f8d3de2",
}
CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """No mirror delivered a file intact; the message lists what each mirror did."""


class LocalWriteError(DownloadError):
    """A file or folder could not be written here (disk full, read-only, ...)."""


def check_mirror(url, name="mirror"):
    """`url` as a mirror folder (ending in /) if it is an http, https or file URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or (
        parts.scheme != "file" and not parts.netloc
    ):
        raise ValueError(f"{name} must be an http://, https:// or file:// URL, got {url!r}")
    return url if url.endswith("/") else url + "/"


def md5sum(path):
    """Hex MD5 of a file's bytes."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _writing(path):
    """Turn an OSError of the body into a LocalWriteError naming `path`."""
    try:
        yield
    except OSError as exc:
        raise LocalWriteError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _content_length(response):
    length = response.headers.get("Content-Length")
    if length is None:
        return None
    if not length.strip().isdigit():
        raise DownloadError(f"bad Content-Length header {length!r}")
    return int(length)


def fetch(url, destination, md5, *, timeout=30, progress=True):
    """Download `url` to `destination` if its MD5 is `md5`; nothing is left on failure."""
    destination = Path(destination)
    with _writing(destination.parent):
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    try:
        digest, received = hashlib.md5(), 0
        # unbuffered: a failed write (disk full) shows at the write, not at a later flush
        out = os.fdopen(handle, "wb", buffering=0)
        with out, urllib.request.urlopen(url, timeout=timeout) as r:
            total = _content_length(r)
            with progress_bar(total=total, unit="B", unit_scale=True, desc=destination.name,
                      disable=not progress, leave=False) as bar:  # fmt: skip
                for block in iter(lambda: r.read(CHUNK), b""):
                    with _writing(destination):
                        out.write(block)
                    digest.update(block)
                    received += len(block)
                    bar.update(len(block))
            with _writing(destination):
                os.fsync(out.fileno())
        if total is not None and received != total:
            raise DownloadError(f"truncated transfer: {received} of {total} bytes")
        if digest.hexdigest() != md5:
            raise DownloadError(f"checksum mismatch: MD5 {digest.hexdigest()}, expected {md5}")
        with _writing(destination):
            os.chmod(temporary, 0o644)  # mkstemp makes it private; data folders are often shared
            os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def download(directory, *, mirrors=MIRRORS, resources=RESOURCES, timeout=30, progress=True):
    """Fetch every file of `resources` (name -> MD5) into `directory`, trying each mirror.

    Files already present with the right checksum are kept. Raises `DownloadError`
    naming the file and what every mirror did when none delivers it intact, or
    `LocalWriteError` when a file cannot be written here.
    """
    directory = Path(directory)
    created = [d for d in (directory, *directory.parents) if not d.exists()]
    try:
        with _writing(directory):
            directory.mkdir(parents=True, exist_ok=True)
        for name, md5 in resources.items():
            destination = directory / name
            for leftover in directory.glob(f".{name}.*"):  # of a download that was killed
                leftover.unlink(missing_ok=True)
            if destination.is_file() and md5sum(destination) == md5:
                continue
            failures = []
            for mirror in mirrors:
                try:
                    fetch(mirror + name, destination, md5, timeout=timeout, progress=progress)
                    break
                except LocalWriteError as exc:
                    raise LocalWriteError(f"could not download {name}: {exc}") from exc
                except (OSError, http.client.HTTPException, DownloadError) as exc:
                    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                    failures.append(f"{mirror}{name}: {reason}")
            else:
                raise DownloadError(
                    f"could not download {name}, every mirror failed:\n  " + "\n  ".join(failures)
                )
    except BaseException:
        for folder in created:  # innermost first; a folder holding files stays
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return directory
