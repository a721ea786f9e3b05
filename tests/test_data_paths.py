"""proj1.data and proj1.idx paths the other suites leave out: reads bounded by the header,
mnist-5k's missing split, which folder wins when several hold MNIST, raw vs gz."""

import gzip
import hashlib
import http.server
import inspect
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import torch
from idx_files import fake_digits, idx_bytes, write, write_mnist
from local_http import local_server

from proj1 import data
from proj1.download import DownloadError, download, fetch
from proj1.idx import (
    IMAGES_MAGIC,
    LABELS_MAGIC,
    IdxFormatError,
    parse_idx,
    read_idx,
)


def test_read_idx_reads_raw_and_gz_files_alike(tmp_path):
    images, labels = fake_digits(7, 0)
    raw = write(tmp_path / "i", idx_bytes(images, IMAGES_MAGIC))
    gz = write(tmp_path / "l", idx_bytes(labels, LABELS_MAGIC), gz=True)
    assert torch.equal(read_idx(raw, IMAGES_MAGIC), images)
    assert gz.suffix == ".gz" and torch.equal(read_idx(gz, LABELS_MAGIC).long(), labels)
    with pytest.raises(IdxFormatError, match="wrong magic number 0x00000801, expected 0x00000803"):
        read_idx(gz, IMAGES_MAGIC)


def counting_gzip_reads(monkeypatch):
    """The sizes of the blocks read from every gzip file opened from now on."""
    reads, real_open = [], gzip.open

    def counting_open(*args, **kwargs):
        f = real_open(*args, **kwargs)
        real_read = f.read

        def read(size=-1):
            block = real_read(size)
            reads.append(len(block))
            return block

        f.read = read
        return f

    monkeypatch.setattr(gzip, "open", counting_open)
    return reads


def test_a_gzip_bomb_is_decompressed_no_further_than_its_header_announces(tmp_path, monkeypatch):
    images, _ = fake_digits(3, 0)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    with gzip.open(path, "wb") as f:  # 2,352 bytes of digits, then 64 MB of zeros
        f.write(idx_bytes(images, IMAGES_MAGIC))
        for _ in range(64):
            f.write(bytes(1 << 20))
    assert path.stat().st_size < 100_000
    reads = counting_gzip_reads(monkeypatch)
    with pytest.raises(IdxFormatError) as info:
        read_idx(path, IMAGES_MAGIC)
    assert str(info.value) == (
        f"{path}: too long: the header announces 3 x 28 x 28 = 2352 bytes of data but the file "
        "holds more than 2352"
    )
    assert sum(reads) == 16 + 2352 + 1  # the header, the data announced, one byte to tell


def test_a_header_announcing_more_than_the_file_holds(tmp_path, monkeypatch):
    images, _ = fake_digits(3, 0)
    content = IMAGES_MAGIC.to_bytes(4, "big") + b"".join(
        n.to_bytes(4, "big") for n in (2**32 - 1, 28, 28)
    )
    content += idx_bytes(images, IMAGES_MAGIC)[16:]
    for gz in (False, True):
        path = write(tmp_path / "i", content, gz=gz)
        with pytest.raises(IdxFormatError) as info:
            read_idx(path, IMAGES_MAGIC)
        assert str(info.value) == (
            f"{path}: truncated: the header announces 4294967295 x 28 x 28 = 3367254359280 bytes "
            "of data but the file holds 2352"
        )


@pytest.mark.parametrize(
    "content",
    [
        b"not gzip at all",
        gzip.compress(idx_bytes(torch.zeros(3, 28, 28), IMAGES_MAGIC))[:12],  # cut short
    ],
    ids=["garbage", "truncated"],
)
def test_read_idx_on_a_damaged_gzip_names_the_file(tmp_path, content):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(content)
    with pytest.raises(IdxFormatError, match=r"train-images-idx3-ubyte.gz: not a readable gzip"):
        read_idx(path, IMAGES_MAGIC)


def test_read_idx_on_a_short_file(tmp_path):
    path = write(tmp_path / "short", IMAGES_MAGIC.to_bytes(4, "big") + b"\x00\x00")
    with pytest.raises(IdxFormatError, match="short: truncated inside the header"):
        read_idx(path, IMAGES_MAGIC)


def test_parse_idx_shapes_and_bytes():
    content = idx_bytes(torch.arange(6).view(6), LABELS_MAGIC)
    assert content[:8] == b"\x00\x00\x08\x01\x00\x00\x00\x06"
    assert parse_idx(content, "x", LABELS_MAGIC).tolist() == [0, 1, 2, 3, 4, 5]
    images = torch.arange(2 * 28 * 28).remainder(256).view(2, 28, 28)
    parsed = parse_idx(idx_bytes(images, IMAGES_MAGIC), "x", IMAGES_MAGIC)
    assert parsed.dtype == torch.uint8 and torch.equal(parsed.long(), images)
    with pytest.raises(IdxFormatError, match="x: truncated inside the header"):
        parse_idx(IMAGES_MAGIC.to_bytes(4, "big") + b"\x00" * 6, "x", IMAGES_MAGIC)
    with pytest.raises(IdxFormatError, match=r"wrong magic number 0x00000803.*\(IDX labels\)"):
        parse_idx(idx_bytes(images, IMAGES_MAGIC), "x", LABELS_MAGIC)
    with pytest.raises(IdxFormatError, match=r"wrong magic number 0x00000801.*\(IDX images\)"):
        parse_idx(idx_bytes(torch.zeros(3), LABELS_MAGIC), "x", IMAGES_MAGIC)
    with pytest.raises(IdxFormatError, match="too long"):
        parse_idx(idx_bytes(torch.zeros(3), LABELS_MAGIC) + b"\x00", "x", LABELS_MAGIC)


def test_mnist_5k_splits_into_two_pools_of_2500():
    train_images, train_labels = data.load_mnist("mnist-5k", train=True)
    test_images, test_labels = data.load_mnist("mnist-5k", train=False)
    assert len(train_images) == len(test_images) == 2500 and data.max_pairs("mnist-5k") == 1250
    assert not torch.equal(train_images, test_images)
    assert torch.equal(train_labels, test_labels)  # 250 of each class, in the same order


def test_the_torchvision_layout_wins_over_the_others(tmp_path):
    # different digits in each folder: the one read tells which folder won
    write_mnist(tmp_path, n_train=10, n_test=10)
    write_mnist(tmp_path / "MNIST" / "raw", n_train=20, n_test=10)
    assert len(data.load_mnist("mnist", tmp_path)[0]) == 20  # MNIST/raw before the root
    write_mnist(tmp_path / "mnist" / "MNIST" / "raw", n_train=30, n_test=12)
    assert len(data.load_mnist("mnist", tmp_path)[0]) == 30  # the prologue's layout first
    assert len(data.load_mnist("mnist", tmp_path, train=False)[0]) == 12
    folder = data.find_mnist(tmp_path)["train"][0].parent
    assert folder == tmp_path / "mnist" / "MNIST" / "raw"
    assert data.candidate_dirs(tmp_path) == [
        tmp_path / "mnist" / "MNIST" / "raw",
        tmp_path / "MNIST" / "raw",
        tmp_path,
    ]


def test_raw_file_preferred_to_gz_in_one_folder(tmp_path):
    write_mnist(tmp_path, n_train=10, n_test=10, gz=True)
    write_mnist(tmp_path, n_train=14, n_test=10, gz=False)
    paths = data.find_mnist(tmp_path)
    assert paths["train"][0].name == "train-images-idx3-ubyte"
    assert paths["test"][1].name == "t10k-labels-idx1-ubyte"
    assert len(data.load_mnist("mnist", tmp_path)[0]) == 14


def test_max_pairs_of_full_mnist_is_half_the_smaller_split(tmp_path):
    write_mnist(tmp_path, n_train=40, n_test=22)
    assert data.max_pairs("mnist", tmp_path) == 11
    with pytest.raises(ValueError, match="nb must be between 1 and 11 for source 'mnist', got 12"):
        data.generate_pair_sets(12, source="mnist", data_dir=tmp_path)
    sets = data.generate_pair_sets(11, source="mnist", data_dir=tmp_path)
    assert [len(s) for s in sets] == [11] * 6


def test_generate_pair_sets_bounds_on_mnist_5k():
    with pytest.raises(ValueError, match="between 1 and 1250"):
        data.generate_pair_sets(0, source="mnist-5k")
    sets = data.generate_pair_sets(1250, source="mnist-5k", generator=torch.Generator())
    assert len(sets[0]) == 1250
    assert [len(s) for s in data.generate_pair_sets(1, source="mnist-5k")] == [1] * 6
    images, labels = data.load_mnist("mnist-5k")
    assert data.mnist_to_pairs(1, images[:2].unsqueeze(1).float(), labels[:2])[0].shape == (
        1,
        2,
        14,
        14,
    )


def test_empty_idx_files_are_uint8():
    empty = parse_idx(idx_bytes(torch.zeros(0, 28, 28), IMAGES_MAGIC), "x", IMAGES_MAGIC)
    assert empty.shape == (0, 28, 28) and empty.dtype == torch.uint8


def test_load_mnist_reads_full_mnist_by_default(tmp_path):
    with pytest.raises(data.MnistNotFoundError):
        data.load_mnist(data_dir=tmp_path)  # not mnist-5k, even when full MNIST is absent
    write_mnist(tmp_path, n_train=12, n_test=10)
    assert len(data.load_mnist(data_dir=tmp_path)[0]) == 12


def test_info_names_the_data_root_it_was_given(tmp_path, capsys):
    assert data.describe(tmp_path)[0] == f"data root: {tmp_path.resolve()}"
    with pytest.raises(SystemExit):
        data.main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m proj1.data")
    assert data.__doc__.splitlines()[0] in " ".join(out.split())  # help wraps lines


class NoLength(http.server.BaseHTTPRequestHandler):
    """Serves BODY with no Content-Length: the end of the body is the end of the connection."""

    protocol_version = "HTTP/1.0"

    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


BODY = bytes(range(256)) * 600  # larger than one read chunk


@pytest.fixture
def no_length_server():
    with local_server(NoLength) as url:
        yield url


def test_download_without_content_length_and_its_progress_bar(tmp_path, no_length_server, capsys):
    md5 = {"x.gz": hashlib.md5(BODY).hexdigest()}
    download(tmp_path / "quiet", mirrors=[no_length_server], resources=md5, progress=False)
    assert (tmp_path / "quiet" / "x.gz").read_bytes() == BODY
    assert capsys.readouterr().err == ""
    download(tmp_path / "loud", mirrors=[no_length_server], resources=md5)  # a bar by default
    assert (tmp_path / "loud" / "x.gz").read_bytes() == BODY
    err = capsys.readouterr().err
    assert "x.gz" in err and "B/s" in err  # the file, in bytes
    assert err.endswith("\r") and not err.endswith("\n")  # a finished bar is wiped


class Stalling(http.server.BaseHTTPRequestHandler):
    """Answers only after 2 s: a download with a shorter timeout must give up."""

    def do_GET(self):
        time.sleep(2)
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client hung up on the stalled answer: expected, not worth a traceback


def test_a_stalled_mirror_times_out(tmp_path):
    httpd = QuietServer(("127.0.0.1", 0), Stalling)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    md5 = {"x.gz": hashlib.md5(BODY).hexdigest()}
    try:
        with pytest.raises(DownloadError, match="timed out"):
            download(tmp_path, mirrors=[url], resources=md5, timeout=0.2, progress=False)
        assert list(tmp_path.iterdir()) == []  # no partial file left
    finally:
        httpd.shutdown()


def test_fetch_and_download_give_up_after_30_s_by_default(tmp_path, monkeypatch):
    for function in (download, fetch):
        parameters = inspect.signature(function).parameters
        assert parameters["timeout"].default == 30 and parameters["progress"].default is True
    asked = []

    def refuse(url, timeout):
        asked.append(timeout)
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    with pytest.raises(OSError):
        fetch("http://example.invalid/x.gz", tmp_path / "x.gz", "0" * 32)
    with pytest.raises(DownloadError):
        download(tmp_path, mirrors=["http://example.invalid/"], resources={"x.gz": "0" * 32})
    assert asked == [30, 30]  # seconds, by default
    assert list(tmp_path.iterdir()) == []


def test_missing_full_mnist_lists_where_it_looked(tmp_path):
    with pytest.raises(data.MnistNotFoundError) as error:
        data.load_mnist("mnist", tmp_path)
    for folder in data.candidate_dirs(tmp_path):
        assert str(folder) in str(error.value)


class WithLength(NoLength):
    """BODY with its Content-Length, in more than one read chunk."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


def test_a_long_download_counts_every_chunk(tmp_path, capsys):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WithLength)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        md5 = {"x.gz": hashlib.md5(BODY).hexdigest()}
        download(tmp_path, mirrors=[url], resources=md5)
        assert (tmp_path / "x.gz").read_bytes() == BODY
        assert "/154k" in capsys.readouterr().err  # 153,600 bytes, scaled
    finally:
        httpd.shutdown()


def test_a_refused_connection_is_reported_by_its_reason(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/"
    with pytest.raises(DownloadError) as error:
        download(tmp_path, mirrors=[url], resources={"x.gz": "0" * 32}, progress=False)
    assert "refused" in str(error.value) and "urlopen error" not in str(error.value)


def test_the_download_command_says_where_it_put_the_files(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(data, "download_mnist", lambda data_dir, **_: tmp_path / "here")
    assert data.main(["download", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(f"full MNIST is in {tmp_path / 'here'}\n")


def test_info_lines_exactly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default root, ./data, resolved from here
    monkeypatch.delenv("PYTORCH_DATA_DIR", raising=False)
    shipped = "mnist-5k: 2500 train + 2500 test digits shipped with the package (offline)"
    assert data.describe() == [
        f"data root: {tmp_path / 'data'}",
        "mnist:    absent (get it with: python -m proj1.data download)",
        shipped,
        "auto ->   mnist-5k",
    ]
    folder = Path("custom/MNIST/raw")  # relative, as the root given, but for its first line
    write_mnist(folder, n_train=30, n_test=12, gz=True)
    assert data.describe("custom") == [
        f"data root: {tmp_path / 'custom'}",
        f"mnist:    30 train + 12 test in {folder}",
        shipped,
        "auto ->   mnist",  # in the root given, not in ./data
    ]
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(b"\0\0"))
    damaged = tmp_path / folder / "t10k-images-idx3-ubyte.gz"  # as read: resolved
    damage = f"{damaged}: truncated, only 2 bytes (no IDX header)"
    assert (
        data.describe("custom")[1] == f"mnist:    DAMAGED, {damage} (delete it and download again)"
    )
    monkeypatch.setattr(data, "MNIST_5K_DIR", tmp_path / "nowhere")
    missing = tmp_path / "nowhere" / "mnist5k-images-idx3-ubyte.gz"
    assert data.describe()[2] == (
        f"mnist-5k: DAMAGED, {missing} is missing: this installation of proj1 lacks its mnist-5k "
        "digits; reinstall it (pip install .) or use source='mnist' (reinstall the package)"
    )


def test_the_missing_full_mnist_message_exactly(tmp_path):
    with pytest.raises(data.MnistNotFoundError) as error:
        data.load_mnist("mnist", tmp_path)
    looked = f"{tmp_path}/mnist/MNIST/raw, {tmp_path}/MNIST/raw, {tmp_path}"
    files = "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
    files += "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"
    assert str(error.value) == (
        f"full MNIST not found (looked in {looked} for {files}); download it with "
        f"`python -m proj1.data download --data-dir {tmp_path}` or use source='mnist-5k'"
    )


def test_the_command_line_help_and_an_unknown_command(capsys):
    with pytest.raises(SystemExit):
        data.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())  # help wraps lines as the terminal allows
    assert out == (
        "usage: python -m proj1.data [-h] [--data-dir DATA_DIR] [--mirror URL] {info,download} "
        "Project 1 data: MNIST digit pairs, compatible with the course's `dlc_practical_prologue`. "
        "positional arguments: {info,download} options: -h, --help show this help message and "
        "exit --data-dir DATA_DIR data root (default: $PYTORCH_DATA_DIR or ./data) --mirror URL "
        "a folder URL to download from instead of torchvision's mirrors (repeat it to try "
        "several in turn)"
    )
    with pytest.raises(SystemExit) as stopped:
        data.main(["fetch"])
    assert stopped.value.code == 2
    assert "argument command: invalid choice: 'fetch'" in capsys.readouterr().err


def test_auto_reads_the_data_root_it_is_given(tmp_path):
    written = write_mnist(tmp_path, n_train=12, n_test=30)  # fewer train digits than test
    images, _ = data.load_mnist("auto", tmp_path, train=False)
    assert torch.equal(images, written["t10k"][0])
    assert data.max_pairs(data_dir=tmp_path) == 6  # auto: the smaller split, halved
    assert data.max_pairs() == 1250  # auto, with the tests' empty data root: mnist-5k


def test_unknown_source_names_the_choices():
    with pytest.raises(ValueError) as error:
        data.resolve_source("emnist")
    assert str(error.value) == "unknown data source 'emnist'; choose from auto, mnist, mnist-5k"
