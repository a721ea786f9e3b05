"""The MNIST downloader against a local HTTP server: success, bad checksums, failures."""

import hashlib
import http.server
import socket
import threading

import pytest

from proj1 import data
from proj1.download import DownloadError, download

FILES = {"a.gz": b"first file " * 1000, "b.gz": b"second file " * 500}
MD5 = {name: hashlib.md5(content).hexdigest() for name, content in FILES.items()}


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves FILES under /good/, lies about the length under /truncated/, 404 elsewhere."""

    def do_GET(self):
        folder, _, name = self.path.strip("/").partition("/")
        content = FILES.get(name)
        if content is None or folder not in ("good", "truncated"):
            self.send_error(404)
            return
        self.send_response(200)
        extra = 1000 if folder == "truncated" else 0
        self.send_header("Content-Length", str(len(content) + extra))
        self.end_headers()
        self.wfile.write(content)
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


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


def test_server_down_is_a_clear_error(tmp_path):
    url = closed_port_url()
    with pytest.raises(DownloadError, match=f"(?s)could not download a.gz.*{url}a.gz: .*refused"):
        get(tmp_path, [url])
    assert list(tmp_path.iterdir()) == []


def test_download_command_reports_failure(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(data, "download_mnist", lambda d: get(d, [closed_port_url()]))
    assert data.main(["download", "--data-dir", str(tmp_path)]) == 1
    assert "every mirror failed" in capsys.readouterr().err
