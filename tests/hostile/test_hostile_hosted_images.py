"""Before a send with hosted images, each image's URL is fetched: a server that trickles its
answer cannot hold the send (and the site's lock) longer than the check's time per image.

Before, each read had 10 s and the answer none: a server sending a header line every few
seconds held `send` (and `send --due` from cron) for as long as it liked.
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator

from conftest import invoke
from lumen_site import PAPER_ID, make_lumen_site

LINES = 150  # one every 0.2 s: 30 s of headers, then an image's


@contextmanager
def trickling_server() -> Iterator[tuple[str, list[int]]]:
    """(base URL, header lines sent per connection) of a server that answers every request
    with one header line every 0.2 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)  # so that the accepting thread sees the stop
    stop = threading.Event()
    sent: list[int] = []

    def trickle(client: socket.socket) -> None:
        with client:
            client.recv(65536)
            sent.append(0)
            try:
                client.sendall(b"HTTP/1.1 200 OK\r\n")
                for line in range(LINES):
                    if stop.wait(0.2):
                        return
                    client.sendall(f"X-Line-{line}: slow\r\n".encode())
                    sent[-1] += 1
                client.sendall(b"Content-Type: image/png\r\nContent-Length: 0\r\n\r\n")
            except OSError:  # the client hung up
                return

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            threading.Thread(target=trickle, args=(client,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", sent
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def test_a_hosted_image_server_trickling_its_answer_cannot_hold_the_send(tmp_path, monkeypatch):
    monkeypatch.setattr("newsletter.sending.images.CHECK_TIMEOUT", 1.0)
    with trickling_server() as (url, sent):
        site = make_lumen_site(tmp_path / "blog", mode="hosted", url=url)
        result = invoke(site, "send", PAPER_ID, "--yes")
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert line.startswith("error: 2 of the post's 2 images are not online: ")
    assert line.count("(did not answer within 1 s)") == 2
    assert all(lines < LINES for lines in sent)  # hung up long before the headers ended
    assert not (site / "outbox").exists()
