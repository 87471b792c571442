"""`newsletter serve` stopped as systemd, docker or kill stop it (SIGTERM): the request in
progress is answered and kept, the process exits 0 without a traceback."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading

import requests

from web_server import SECRET, statuses

from newsletter.message.tokens import UnsubscribeTokens
from tests.conftest import start_cli

READER = "ada@example.com"  # on the example site's list


def refuses_connections(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError:
        return True
    return False


def test_sigterm_finishes_the_unsubscribe_in_progress_then_exits_0(site):
    process = start_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": SECRET},
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", process.stdout.readline()).group(1))
        token = UnsubscribeTokens(SECRET).make(READER)
        body = b"List-Unsubscribe=One-Click"
        reader = socket.create_connection(("127.0.0.1", port), timeout=30)
        # The headers first; "100 Continue" says the server is reading this request.
        reader.sendall(f"POST /unsubscribe/{token} HTTP/1.1\r\nHost: blog.example.com\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\n"
                       f"Expect: 100-continue\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        assert reader.recv(100).startswith(b"HTTP/1.1 100 Continue")
        process.send_signal(signal.SIGTERM)
        while not refuses_connections(port):  # stopping: no new connections
            pass
        reader.sendall(body)  # the rest of the request in progress
        answer = reader.makefile("rb").readline()
        assert answer.startswith(b"HTTP/1.1 200"), answer
        assert process.wait(30) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert statuses(site)[READER] == "unsubscribed"


def test_a_server_on_two_addresses_stops_gently_too(site):
    """A host naming several addresses (localhost as 127.0.0.1 and ::1) makes waitress a
    MultiSocketServer: stopping it serves and then closes every address."""
    from waitress.server import MultiSocketServer, create_server

    from newsletter.cli.stopping import serve_until_stopped
    from newsletter.config import load_settings
    from newsletter.web import NewsletterApp

    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    server = create_server(app, listen="127.0.0.1:0 [::1]:0")
    assert isinstance(server, MultiSocketServer)
    bases = [f"http://{host if ':' not in host else f'[{host}]'}:{port}"
             for host, port in server.effective_listen]
    answers = []

    def ask_then_stop() -> None:
        try:
            answers.extend(requests.get(f"{base}/health", timeout=30).text for base in bases)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # as systemd stops the service

    asking = threading.Thread(target=ask_then_stop)
    asking.start()
    try:
        serve_until_stopped(server)  # here, in the main thread, which handles the signal
    finally:
        asking.join(30)
        app.close()
    assert answers == ["ok\n", "ok\n"]
    assert all(refuses_connections(port, host) for host, port in server.effective_listen)
