"""The MNIST downloader against a local HTTP server: success, bad checksums, failures."""

import errno
import hashlib
import http.server
import os
import socket
import tempfile
from pathlib import Path

import pytest
import torch
from idx_files import write_mnist
from local_http import local_server

from proj1 import data
from proj1.download import (
    RESOURCES,
    DownloadError,
    LocalWriteError,
    check_mirror,
    download,
    fetch,
)

FILES = {"a.gz": b"first file " * 1000, "b.gz": b"second file " * 500}
MD5 = {name: hashlib.md5(content).hexdigest() for name, content in FILES.items()}


def fake_mnist_gz(folder):
    """The four MNIST .gz files (made-up digits) under their official names, as bytes."""
    write_mnist(folder, n_train=30, n_test=10, gz=True)
    return {name: (folder / name).read_bytes() for name in RESOURCES}


SERVED = {"good": FILES, "truncated": FILES, "badlength": FILES}  # "mnist" added by a test
REQUESTS = []  # the paths asked for, in order


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves SERVED[folder][name], lies about the length under /truncated/, sends a length
    that is no number under /badlength/, 404 elsewhere."""

    def do_GET(self):
        REQUESTS.append(self.path)
        folder, _, name = self.path.strip("/").partition("/")
        content = SERVED.get(folder, {}).get(name)
        if content is None:
            self.send_error(404)
            return
        self.send_response(200)
        extra = 1000 if folder == "truncated" else 0
        length = "12abc" if folder == "badlength" else str(len(content) + extra)
        self.send_header("Content-Length", length)
        self.end_headers()
        self.wfile.write(content)
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    with local_server(Handler) as url:
        yield url


def closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def get(folder, mirrors, resources=MD5):
    return download(folder, mirrors=mirrors, resources=resources, timeout=5, progress=False)


def test_download_succeeds_and_keeps_good_files(tmp_path, server):
    get(tmp_path, [server + "good/"])
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == FILES
    mtime = (tmp_path / "a.gz").stat().st_mtime_ns
    get(tmp_path, [closed_port_url()])  # already there and intact: nothing fetched
    assert (tmp_path / "a.gz").stat().st_mtime_ns == mtime


def test_only_missing_or_damaged_files_are_fetched_again(tmp_path, server):
    get(tmp_path, [server + "good/"])
    intact = (tmp_path / "a.gz").stat().st_mtime_ns
    (tmp_path / "b.gz").write_bytes(b"damaged")  # after an intact file: the loop goes on
    get(tmp_path, [server + "good/"])
    assert (tmp_path / "b.gz").read_bytes() == FILES["b.gz"]
    assert (tmp_path / "a.gz").stat().st_mtime_ns == intact


def test_fetch_writes_a_hidden_file_beside_the_destination_with_a_bar(
    tmp_path, server, monkeypatch, capsys
):
    moves, real_replace = [], os.replace

    def replace(source, destination):
        moves.append((Path(source), Path(destination)))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    destination = tmp_path / "new" / "a.gz"
    fetch(server + "good/a.gz", destination, MD5["a.gz"])  # a progress bar by default
    [(source, target)] = moves
    assert target == destination and destination.read_bytes() == FILES["a.gz"]
    assert source.parent == destination.parent and source.name.startswith(".a.gz.")
    err = capsys.readouterr().err
    assert err.startswith("\ra.gz:   0%|") and "/11.0k" in err  # its total, in bytes


def test_next_mirror_is_tried(tmp_path, server):
    get(tmp_path, [server + "missing/", closed_port_url(), server + "good/"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gz", "b.gz"]


def test_checksum_mismatch_leaves_no_file(tmp_path, server):
    with pytest.raises(DownloadError, match=r"a\.gz.*checksum mismatch"):
        get(tmp_path, [server + "good/"], {"a.gz": "0" * 32})
    assert list(tmp_path.iterdir()) == []


def test_truncated_transfer_leaves_no_file(tmp_path, server):
    with pytest.raises(DownloadError, match="every mirror failed") as info:
        get(tmp_path, [server + "truncated/"])
    assert "a.gz" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_every_mirrors_failure_is_listed_in_order(tmp_path, server):
    mirrors = [server + "missing/", server + "truncated/", server + "good/"]
    with pytest.raises(DownloadError) as info:
        get(tmp_path, mirrors, {"a.gz": "0" * 32})
    assert str(info.value) == (
        "could not download a.gz, every mirror failed:\n"
        f"  {server}missing/a.gz: Not Found\n"  # an HTTP error by its reason
        f"  {server}truncated/a.gz: truncated transfer: 11000 of 12000 bytes\n"
        f"  {server}good/a.gz: checksum mismatch: MD5 {MD5['a.gz']}, expected {'0' * 32}"
    )
    assert list(tmp_path.iterdir()) == []


def test_server_down_is_a_clear_error(tmp_path):
    url = closed_port_url()
    with pytest.raises(DownloadError, match=f"(?s)could not download a.gz.*{url}a.gz: .*refused"):
        get(tmp_path, [url])
    assert list(tmp_path.iterdir()) == []


def test_download_command_reports_failure(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(data, "download_mnist", lambda d, **_: get(d, [closed_port_url()]))
    assert data.main(["download", "--data-dir", str(tmp_path)]) == 1
    assert "every mirror failed" in capsys.readouterr().err


def test_download_mnist_fills_the_torchvision_layout_that_auto_finds(tmp_path, server, monkeypatch):
    served = fake_mnist_gz(tmp_path / "made")
    monkeypatch.setitem(SERVED, "mnist", served)  # removed again after the test
    md5 = {name: hashlib.md5(content).hexdigest() for name, content in served.items()}
    root = tmp_path / "root"
    assert data.resolve_source("auto", root) == "mnist-5k"
    folder = data.download_mnist(root, mirrors=[server + "mnist/"], resources=md5, progress=False)
    assert folder == root / "mnist" / "MNIST" / "raw"
    assert sorted(p.name for p in folder.iterdir()) == sorted(RESOURCES)
    assert all((folder / name).stat().st_mode & 0o777 == 0o644 for name in RESOURCES)
    assert data.resolve_source("auto", root) == "mnist"
    images, labels = data.load_mnist("mnist", root, train=False)
    assert images.shape == (10, 28, 28) and torch.equal(labels, torch.arange(10))


def test_official_mirrors_and_checksums_are_the_defaults():
    assert set(RESOURCES) == {s + ".gz" for stems in data.FILES.values() for s in stems}
    assert RESOURCES["train-images-idx3-ubyte.gz"] == "f68b3c2dcbeaaa9fbdd348bbdeb94873"


def test_a_bad_content_length_is_a_mirror_failure_and_the_next_mirror_is_tried(tmp_path, server):
    with pytest.raises(DownloadError) as info:
        get(tmp_path, [server + "badlength/"], {"a.gz": MD5["a.gz"]})
    assert str(info.value) == (
        "could not download a.gz, every mirror failed:\n"
        f"  {server}badlength/a.gz: bad Content-Length header '12abc'"
    )
    get(tmp_path, [server + "badlength/", server + "good/"])
    assert (tmp_path / "a.gz").read_bytes() == FILES["a.gz"]


def test_a_local_write_failure_stops_at_once_without_trying_other_mirrors(
    tmp_path, server, monkeypatch
):
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def write(self, block):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    REQUESTS.clear()
    with pytest.raises(LocalWriteError) as info:
        get(tmp_path / "new", [server + "good/", server + "good/"])
    assert str(info.value) == (
        f"could not download a.gz: cannot write {tmp_path / 'new' / 'a.gz'}: "
        "No space left on device"
    )
    assert REQUESTS == ["/good/a.gz"]  # one mirror only
    assert not (tmp_path / "new").exists()  # no partial file, no folder it created


def test_a_folder_that_cannot_be_written_is_reported_before_any_request(
    tmp_path, server, monkeypatch
):
    def refuse(**options):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    REQUESTS.clear()
    with pytest.raises(LocalWriteError, match=f"cannot write {tmp_path}: Permission denied"):
        get(tmp_path, [server + "good/"])
    assert REQUESTS == []


def test_a_failed_download_leaves_no_empty_folder_but_keeps_finished_files(tmp_path, server):
    with pytest.raises(DownloadError):
        get(tmp_path / "a" / "b" / "c", [server + "missing/"])
    assert list(tmp_path.iterdir()) == []
    md5 = MD5 | {"missing.gz": "0" * 32}  # a.gz and b.gz arrive, then a failure
    with pytest.raises(DownloadError):
        get(tmp_path / "a" / "b", [server + "good/"], md5)
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["a.gz", "b.gz"]


def test_the_temporary_files_of_a_killed_download_are_removed_by_the_next(tmp_path, server):
    (tmp_path / ".a.gz.k1ll3d").write_bytes(b"half a download")
    (tmp_path / ".other.gz.keep").write_bytes(b"not ours")
    get(tmp_path, [server + "good/"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.gz.keep", "a.gz", "b.gz"]


def test_a_mirror_must_be_a_url():
    assert check_mirror("http://host/mnist") == "http://host/mnist/"
    assert check_mirror("file:///srv/mnist/") == "file:///srv/mnist/"
    for bad in ("host/mnist", "ftp://host/", "http:///nohost/", ""):
        with pytest.raises(ValueError, match="mirror must be an http://, https:// or file:// URL"):
            check_mirror(bad)
