"""`newsletter serve` stopped as systemd, docker or kill stop it (SIGTERM): the request in
progress is answered and kept, the process exits 0 without a traceback."""

from __future__ import annotations

import re
import signal
import socket
import subprocess

from web_server import SECRET, statuses

from newsletter.message.tokens import UnsubscribeTokens
from tests.conftest import start_cli

READER = "ada@example.com"  # on the example site's list


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
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
