"""Serve the newsletter WSGI app with waitress on 127.0.0.1 in a thread, for tests."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from waitress.server import create_server

SECRET = "test-secret"


def subscriber_csv(site: Path, *addresses: str, status: str = "active") -> None:
    """Replace the site's subscriber list with these readers."""
    rows = [f"{address},Reader {i},{status},,2026-01-01T00:00:00+00:00"
            for i, address in enumerate(addresses)]
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags,subscribed_at\n" + "\n".join(rows) + "\n")


def statuses(site: Path) -> dict[str, str]:
    """address -> status, as the store reads the list now."""
    from newsletter.subscribers import SubscriberStore

    readers, _ = SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter").load()
    return {reader.address: str(reader.status) for reader in readers}


@contextmanager
def serving(app, threads: int = 8) -> Iterator[str]:
    """Run ``app`` under waitress on a free port; yield its base URL; stop it (and the app's
    background folding) afterwards."""
    from newsletter.web import MAX_WEBHOOK_BODY, NewsletterApp

    server = create_server(app, host="127.0.0.1", port=0, threads=threads,
                           max_request_body_size=MAX_WEBHOOK_BODY,
                           clear_untrusted_proxy_headers=False)  # as `newsletter serve` runs it
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Let the worker threads finish first: a request's thread pulls the wake-up trigger as
        # its task ends, and once the trigger is closed that is an error waitress logs.
        server.task_dispatcher.shutdown()
        # Close everything from inside the server's own loop, which then ends (its map empty).
        try:
            server.trigger.pull_trigger(lambda: _close_all(server))
        except OSError:
            # waitress queues the thunk, then writes to the trigger outside its lock: a request
            # finishing meanwhile woke the loop, which ran the thunk and closed the trigger
            # first. Harmless if the loop has ended.
            thread.join(5)
            if thread.is_alive():
                raise
        # Wait for the loop to finish closing: a later test must not get a descriptor number
        # this server is still about to close.
        thread.join(60)
        assert not thread.is_alive(), "the test server did not stop"
        server.task_dispatcher.shutdown()
        if isinstance(app, NewsletterApp):  # the preview server's app is a plain function
            app.close()


def _close_all(server) -> None:
    server.close()  # the listening socket and the wake-up trigger
    for channel in list(server._map.values()):  # open keep-alive connections
        channel.close()
