"""An HTTP server on 127.0.0.1 whose answers a link checker must tell apart, for tests.

``/missing...`` answers 404, ``/never...`` accepts the request and never answers, ``/loop``
redirects to itself, ``/redirect?to=URL`` to URL, ``/trickle`` sends one header line every
half second for 20 s, anything else answers 200. Every request path and Host header is
recorded, and how many header lines ``/trickle`` got out.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

TRICKLED_LINES = 40


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.server.paths.append(self.path)
        self.server.hosts.append(self.headers.get("Host"))
        if self.path == "/trickle":
            self._trickle()
            return
        if self.path.startswith("/redirect?"):
            self._answer(302, [("Location", parse_qs(urlsplit(self.path).query)["to"][0])])
        elif self.path.startswith("/never"):
            self.server.released.wait(30)  # until the test ends: the client must time out
            return
        if self.path.startswith("/missing"):
            self._answer(404)
        elif self.path == "/loop":
            self._answer(302, [("Location", "/loop")])
        else:
            self._answer(200)

    def _trickle(self) -> None:
        """Headers slow enough that no single read waits long, and the whole answer does."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for line in range(TRICKLED_LINES):
            if self.server.released.wait(0.5):
                return
            try:
                self.wfile.write(f"X-Line-{line}: trickled\r\n".encode())
                self.wfile.flush()
            except OSError:  # the client hung up
                return
            self.server.trickled += 1
        self.wfile.write(b"Content-Length: 0\r\n\r\n")

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
def link_server(*, server_out: list | None = None) -> Iterator[tuple[str, list[str]]]:
    """(base URL, the paths requested so far); ``server_out`` gets the server (its ``hosts``
    and ``trickled``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.paths = []
    server.hosts = []
    server.trickled = 0
    if server_out is not None:
        server_out.append(server)
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
