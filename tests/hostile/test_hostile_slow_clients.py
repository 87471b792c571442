"""`newsletter serve` put straight on the network (``--host 0.0.0.0``) outlasts slow clients.

Before, waitress's defaults held: 100 connections at most, each kept while it sent a byte
every two minutes. A hundred sockets that opened a request and went quiet took every slot,
and a reader's one-click waited in the kernel's queue for minutes.
"""

from __future__ import annotations

import re
import socket
import subprocess
from contextlib import ExitStack

import requests
from conftest import start_cli
from web_server import SECRET

IDLE_CLIENTS = 150  # past waitress's default connection_limit of 100


def test_a_crowd_of_silent_connections_leaves_room_for_a_reader(site):
    server = start_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": SECRET},
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = re.search(r"http://127\.0\.0\.1:(\d+)", server.stdout.readline())
        with ExitStack() as idle:
            for _ in range(IDLE_CLIENTS):  # a request begun, never finished
                sock = idle.enter_context(socket.create_connection(("127.0.0.1",
                                                                    int(base.group(1)))))
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            answer = requests.get(f"{base.group(0)}/no-such-page", timeout=10)
    finally:
        server.terminate()
        server.wait(30)
    assert answer.status_code == 404


def test_a_silent_connection_is_hung_up(site):
    from newsletter.cli.serve import SLOW_CLIENT_LIMITS

    server = start_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": SECRET},
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)", server.stdout.readline()).group(1))
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\n")
            sock.settimeout(SLOW_CLIENT_LIMITS["channel_timeout"]
                            + SLOW_CLIENT_LIMITS["cleanup_interval"] + 10)
            assert sock.recv(1024) == b""  # closed, nothing answered
    finally:
        server.terminate()
        server.wait(30)
