"""A throwaway HTTP server on 127.0.0.1 for the download tests (nothing leaves the machine)."""

import contextlib
import http.server
import threading


@contextlib.contextmanager
def local_server(handler):
    """Serve `handler` (a BaseHTTPRequestHandler class) on a free port; yield the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
