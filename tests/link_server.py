"""An HTTP server on 127.0.0.1 whose answers a link checker must tell apart, for tests.

``/missing...`` answers 404, ``/never...`` accepts the request and never answers, ``/loop``
redirects to itself, anything else answers 200. Every request path is recorded.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.server.paths.append(self.path)
        if self.path.startswith("/never"):
            self.server.released.wait(30)  # until the test ends: the client must time out
            return
        if self.path.startswith("/missing"):
            self._answer(404)
        elif self.path == "/loop":
            self._answer(302, [("Location", "/loop")])
        else:
            self._answer(200)

    def _answer(self, status: int, headers: list[tuple[str, str]] = ()) -> None:
        body = b"<!doctype html><title>page</title>"
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def link_server() -> Iterator[tuple[str, list[str]]]:
    """(base URL, the paths requested so far)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.paths = []
    server.released = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.paths
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
