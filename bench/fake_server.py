"""A lean fake Postmark, SendGrid, Mailgun or Resend API in its own process, for the benchmarks.

    python bench/fake_server.py postmark KEY LATENCY_SECONDS

Prints the base URL, serves until stdin closes. ``GET /_stats`` reports requests, bytes
received, messages accepted and when the first message request came (Unix time). It answers
like the API but does not parse the body: it counts the items by the bytes that start each one
(``{"From":`` for a Postmark message, ``{"to":[`` for a SendGrid personalization, ``{"from":``
for a Resend email, a ``name="to"`` form field for Mailgun; inside JSON strings those quotes
are escaped, so bodies cannot fake them). Postmark's /templates calls are answered (an empty
list; made, edited, removed) and not counted as requests. tests/fake_providers.py parses and
checks every batch, and on two shared cores that fake would set the pace of both the send and
the baseline. Both face this same server.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import sys
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEM_START = {"postmark": re.compile(rb'\{"From":'), "sendgrid": re.compile(rb'\{"to": ?\['),
              "resend": re.compile(rb'\{"from":'), "mailgun": re.compile(rb'name="to"')}
AUTH = {"postmark": ("X-Postmark-Server-Token", "{key}"),
        "sendgrid": ("Authorization", "Bearer {key}"),
        "resend": ("Authorization", "Bearer {key}"),
        "mailgun": ("Authorization", "Basic {basic}")}


@lru_cache(maxsize=8)
def postmark_answer(count: int) -> bytes:
    """Postmark's 200: one accepted entry per message, in order."""
    return json.dumps([{"To": "", "SubmittedAt": "2026-11-26T00:00:00Z", "MessageID": f"bench-{i}",
                        "ErrorCode": 0, "Message": "OK"} for i in range(count)]).encode()


@lru_cache(maxsize=8)
def resend_answer(count: int) -> bytes:
    """Resend's 200: one id per email."""
    return json.dumps({"data": [{"id": f"bench-{i}"} for i in range(count)]}).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default 5 drops connections under load

    def __init__(self, provider: str, key: str, latency: float):
        super().__init__(("127.0.0.1", 0), Handler)
        self.provider, self.latency = provider, latency
        header, value = AUTH[provider]
        basic = base64.b64encode(f"api:{key}".encode()).decode()
        self.auth_header, self.auth_value = header, value.format(key=key, basic=basic)
        self.lock = threading.Lock()
        self.stats = {"requests": 0, "bytes": 0, "accepted": 0, "first_at": None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real APIs
    server: Server

    def setup(self):
        super().setup()
        # Without TCP_NODELAY, Nagle + delayed ACK add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/templates"):
            self._answer(200, b'{"TotalCount":0,"Templates":[]}')
            return
        with self.server.lock:
            if self.path == "/_reset":  # between two runs against the same server
                self.server.stats.update(requests=0, bytes=0, accepted=0, first_at=None)
            self._answer(200, json.dumps(self.server.stats).encode())

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer(200, b'{"TemplateId":1,"Alias":"bench","Active":true}')

    do_DELETE = do_PUT

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/templates":
            self._answer(200, b'{"TemplateId":1,"Alias":"bench","Active":true}')
            return
        count = len(ITEM_START[server.provider].findall(body))
        with server.lock:
            server.stats["requests"] += 1
            server.stats["bytes"] += len(body)
            if server.stats["first_at"] is None:
                server.stats["first_at"] = time.time()
        if self.headers.get(server.auth_header) != server.auth_value:
            self._answer(401, b'{"Message": "bad key"}')
            return
        if server.latency:
            time.sleep(server.latency)
        with server.lock:
            server.stats["accepted"] += count
        if server.provider == "postmark":
            self._answer(200, postmark_answer(count))
        elif server.provider == "resend":
            self._answer(200, resend_answer(count))
        elif server.provider == "mailgun":
            self._answer(200, b'{"id":"<bench@mg.example.com>","message":"Queued. Thank you."}')
        else:
            self._answer(202, b"", {"X-Message-Id": "bench"})

    def _answer(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    provider, key, latency = sys.argv[1], sys.argv[2], float(sys.argv[3])
    server = Server(provider, key, latency)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    main()
