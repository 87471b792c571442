"""Two senders share a campaign on PostgreSQL, and one's batch fails for now: its readers go
back to `pending`, and the post stays flagged for `send --due` to resume, whichever sender
ends last (docs/store.md#several-hosts)."""

from __future__ import annotations

import dataclasses
import threading
import time

from fake_providers import fail, provider_environ, slow, write_provider_settings
from test_shared_send import ledger, on_postgresql, sender

from tests.conftest import run_cli
from tests.pg_support import pg_url  # noqa: F401 (fixture)


def held(behaviour, until: threading.Event):
    """``behaviour``, answered only once ``until`` is set."""
    return dataclasses.replace(behaviour, delay=120.0, until=until)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


def pending_rows(url) -> int:
    return list(ledger(url).values()).count("pending")


def test_a_sender_ending_after_the_other_put_readers_back_leaves_them_for_send_due(site, pg_url):
    """One sender's batch is answered 503 (a Retry-After too long to wait: left for the next
    run) while the other's last batch is still on its way; that one then ends, having walked
    the whole list with nothing left over of its own. The readers put back are still found
    by `send --due`, and everyone gets the post once."""
    addresses, fake = on_postgresql(site, pg_url, 20, latency=0.0)
    write_provider_settings(site, name="postmark", api_url=fake.url, timeout=60,
                            batch_size=10, concurrency=1)
    refuse, accept = threading.Event(), threading.Event()
    # Each sender has one batch in flight at most: the two requests are one of each.
    fake.enqueue(held(fail(503, retry_after=3600), refuse), held(slow(), accept))
    try:
        first, second = sender(site), sender(site)
        wait_for(lambda: fake.request_count == 2, "both senders have a batch on its way")
        refuse.set()
        wait_for(lambda: pending_rows(pg_url) == 10, "the refused batch is pending again")
        accept.set()
        outputs = [process.communicate(timeout=300) for process in (first, second)]
        assert [first.returncode, second.returncode] == [1, 0] or \
            [first.returncode, second.returncode] == [0, 1], outputs
        assert sorted(out.count("pending 10") for out, _ in outputs) == [0, 1], outputs
        assert len(fake.accepted) == 10
        resumed = run_cli(site, "send", "--due", env=provider_environ("postmark"))
        again = run_cli(site, "send", "--due", env=provider_environ("postmark"))
    finally:
        fake.close()
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "to 10 readers (resumed an unfinished run)" in resumed.stdout
    assert sorted(fake.accepted) == sorted(addresses)
    assert set(fake.accepted.values()) == {1}  # nobody twice
    assert set(ledger(pg_url).values()) == {"sent"}
    # The resumed run, alone, left nobody pending: the post is not resumed again.
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
