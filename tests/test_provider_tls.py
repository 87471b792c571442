"""Sending over TLS, as every real provider is reached: a TLS failure is retried only when it
came in the handshake, before any byte of the request; after the request left it is in doubt.

The server is a real TLS server on 127.0.0.1 with a self-signed certificate the sender trusts
(REQUESTS_CA_BUNDLE), except where the test is about an untrusted one.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading

import pytest
from certificates import self_signed
from fake_providers import fake_provider, make_messages  # noqa: F401

from newsletter.errors import AuthError, InDoubtError, TransientError

ADDRESSES = ["ann@example.com", "bob@example.org"]
PROVIDERS = ("postmark", "sendgrid", "mailgun", "resend")


class TlsServer:
    """Accepts connections on 127.0.0.1 and does ``mode`` with each:

    - ``reset``: completes the handshake, reads the whole request, then resets the connection;
    - ``alert``: the same, but ends with a fatal TLS alert (internal error), as a server or a
      load balancer giving up on the connection does;
    - ``silent``: never answers the handshake;
    - ``hangup``: closes the connection (a reset) as the handshake begins.
    """

    def __init__(self, certificate: tuple[str, str], mode: str):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(*certificate)
        self.mode, self.requests, self.held = mode, [], []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"https://localhost:{self.listener.getsockname()[1]}"

    def serve(self) -> None:
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return  # closed
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            if self.mode == "silent":
                self.held.append(raw)
            elif self.mode == "hangup":
                raw.close()
            else:
                self.read_then_reset(raw)

    def read_then_reset(self, raw: socket.socket) -> None:
        try:
            connection = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()  # the client refused our certificate
            return
        data = b""
        while b"\r\n\r\n" not in data:
            data += connection.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        while len(body) < length:
            body += connection.recv(65536)
        self.requests.append(head.split(b"\r\n")[0])
        if self.mode == "alert":  # a TLS record written under the TLS layer, as it is on the wire
            socket.socket.sendall(connection, bytes.fromhex("15030300020250"))
        connection.close()  # SO_LINGER 0: a reset

    def close(self) -> None:
        self.listener.close()
        for each in self.held:
            each.close()


@pytest.fixture
def tls_server(tmp_path, monkeypatch):
    certificate = self_signed(tmp_path, "localhost")
    servers = []

    def start(mode: str, *, trusted: bool = True) -> TlsServer:
        if trusted:
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
        servers.append(TlsServer(certificate, mode))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("name", PROVIDERS)
@pytest.mark.parametrize("mode", ["reset", "alert"])
def test_a_connection_broken_after_the_request_left_is_in_doubt_not_retried(
        fake_provider, tls_server, name, mode):
    server = tls_server(mode)
    provider, _ = fake_provider(name, api_url=server.url)

    with pytest.raises(InDoubtError, match="after sending"):
        provider.send_batch(make_messages(provider.settings, ADDRESSES))
    assert len(server.requests) == 1  # the provider had the whole request: a retry may send twice


@pytest.mark.parametrize(("mode", "trusted"), [("silent", True), ("hangup", True),
                                               ("reset", False)])
def test_a_tls_handshake_that_fails_is_retried_since_nothing_was_sent(
        fake_provider, tls_server, mode, trusted):
    server = tls_server(mode, trusted=trusted)
    provider, _ = fake_provider("postmark", api_url=server.url, timeout=0.5)

    with pytest.raises(TransientError) as caught:
        provider.send_batch(make_messages(provider.settings, ADDRESSES))
    assert server.requests == []
    # A reset can come as the TCP connection is made: no connection then, not a handshake.
    assert f"TLS handshake with {server.url} failed" in str(caught.value) or mode == "hangup"


class RefusingProxy:
    """An HTTP proxy on 127.0.0.1 that answers every CONNECT with ``status`` and hangs up."""

    def __init__(self, status: str):
        self.status, self.connects = status, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            with connection:
                self.connects.append(connection.recv(65536).split(b"\r\n")[0])
                connection.sendall(f"HTTP/1.1 {self.status}\r\nContent-Length: 0\r\n\r\n".encode())

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def close(self):
        self.listener.close()


@pytest.mark.parametrize(("status", "error"), [
    ("407 Proxy Authentication Required", AuthError), ("403 Forbidden", AuthError),
    ("502 Bad Gateway", TransientError)])
def test_a_proxy_refusing_the_tunnel_for_its_login_stops_the_run(fake_provider, monkeypatch,
                                                                  status, error):
    # A proxy wanting its login (or forbidding the host) was "cannot connect": each batch
    # retried with back-off until its retries ran out, every batch of the run alike. Nothing
    # reached the provider either way; one it cannot reach just now is still retried.
    proxy = RefusingProxy(status)
    try:
        for name in ("HTTPS_PROXY", "https_proxy"):
            monkeypatch.setenv(name, f"http://someone:proxy-password@127.0.0.1:{proxy.port}")
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        provider, server = fake_provider("postmark", api_url="https://api.postmark.example")

        with pytest.raises(error) as caught:
            provider.send_batch(make_messages(provider.settings, ADDRESSES))
    finally:
        proxy.close()
    assert [line.split()[:2] for line in proxy.connects] == [[b"CONNECT", b"api.postmark.example:443"]]
    assert "proxy-password" not in str(caught.value) and server.requests == []
    if error is AuthError:
        assert f"the proxy answered {status}; nothing was sent" in str(caught.value)
        assert "HTTPS_PROXY" in caught.value.hint
