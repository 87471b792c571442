"""A lean fake Postmark or SendGrid API in its own process, for bench_providers.py.

    python bench/fake_server.py postmark KEY LATENCY_SECONDS

Prints the base URL, serves until stdin closes. ``GET /_stats`` reports requests, bytes
received and messages accepted. It answers like the API but does not parse the body: it counts
the items by the bytes that start each one (``{"From":`` for Postmark, ``{"to":[`` for a
SendGrid personalization; inside JSON strings those quotes are escaped, so bodies cannot fake
them). tests/fake_providers.py parsed and checked every 11 MB batch, and on two shared cores the
fake then set the pace of both the send and the baseline. Both face this same server.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEM_START = {"postmark": b'{"From":', "sendgrid": b'{"to":['}
AUTH = {"postmark": ("X-Postmark-Server-Token", "{key}"),
        "sendgrid": ("Authorization", "Bearer {key}")}


@lru_cache(maxsize=8)
def postmark_answer(count: int) -> bytes:
    """Postmark's 200: one accepted entry per message, in order."""
    return json.dumps([{"To": "", "SubmittedAt": "2026-11-26T00:00:00Z", "MessageID": f"bench-{i}",
                        "ErrorCode": 0, "Message": "OK"} for i in range(count)]).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default 5 drops connections under load

    def __init__(self, provider: str, key: str, latency: float):
        super().__init__(("127.0.0.1", 0), Handler)
        self.provider, self.latency = provider, latency
        header, value = AUTH[provider]
        self.auth_header, self.auth_value = header, value.format(key=key)
        self.lock = threading.Lock()
        self.stats = {"requests": 0, "bytes": 0, "accepted": 0}


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
        with self.server.lock:
            self._answer(200, json.dumps(self.server.stats).encode())

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        count = body.count(ITEM_START[server.provider])
        with server.lock:
            server.stats["requests"] += 1
            server.stats["bytes"] += len(body)
        if self.headers.get(server.auth_header) != server.auth_value:
            self._answer(401, b'{"Message": "bad key"}')
            return
        if server.latency:
            time.sleep(server.latency)
        with server.lock:
            server.stats["accepted"] += count
        if server.provider == "postmark":
            self._answer(200, postmark_answer(count))
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
