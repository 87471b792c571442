"""A send whose readers are read and prepared in a helper process (newsletter.sending.reader_feed).

The helper is what a long list (over reader_feed.HELPER_MIN_BYTES) gets; these tests lower the
threshold to 0 so a short list takes the same path, and run the key cases both with the send's
process alone (the helper may be forked) and with another thread running (it is spawned).
The send through the helper must be the send without it: the same readers, the same
Message-IDs and unsubscribe links, in the same order; unsubscribes during the send honoured; no
helper left behind when the send stops early; and a helper that dies stops the send with an
error that a rerun recovers from.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import signal
import threading
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest
from conftest import copy_example_site, run_cli

from newsletter.sending import reader_feed
from newsletter.errors import (
    AuthError, InputError, NewsletterError, SubscriberError, TransientError,
)
from newsletter.providers.outbox import OutboxProvider
from newsletter.subscribers import SubscriberStore
from sending_support import (
    AuthFailProvider, RecordingProvider, ledger_states, run_send, site_settings, write_readers,
)

HELPER = "newsletter list reader"  # the helper process's name
LONG_LIST = 10_000  # prepared, more than the helper's pipe holds: the helper waits on the send


@pytest.fixture
def helper_runs(monkeypatch) -> Iterator[list[Path]]:
    """Every send reads its list through the helper, however short; lists each helper run."""
    monkeypatch.setattr(reader_feed, "HELPER_MIN_BYTES", 0)
    runs: list[Path] = []
    start_helper = reader_feed._start

    def counted(store, signer, tags):
        runs.append(store.directory)
        return start_helper(store, signer, tags)

    monkeypatch.setattr(reader_feed, "_start", counted)
    yield runs
    for child in multiprocessing.active_children():  # one a failed test left behind
        if child.name == HELPER:
            child.terminate()
            child.join()


@pytest.fixture(params=["send alone", "another thread running"])
def bystander(request) -> Iterator[str]:
    """The send's process alone at the start of the send, or with another thread running (where
    forking the helper would be unsafe, so it is spawned): each way of starting the helper."""
    if request.param == "send alone":
        yield request.param
        return
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="bystander")
    thread.start()
    try:
        yield request.param
    finally:
        stop.set()
        thread.join()


def helper_pids() -> list[int]:
    """The pids of this process's live helper processes."""
    return [child.pid for child in multiprocessing.active_children() if child.name == HELPER]


class FastRecordingProvider(RecordingProvider):
    """RecordingProvider with room for a long list."""

    max_batch = 100


# -- the same send, with or without the helper -------------------------------------------------

READERS = [f"reader{number:03d}@example.org" for number in range(300)]
MESSY_MAIN = (
    "email,name,status,tags,subscribed_at\n"
    "reader007@example.org,,unsubscribed,,\n"  # suppresses the active row below it
    + "".join(f"{address},Reader {number},active,,\n" for number, address in enumerate(READERS))
    + "reader010@example.org,Reader Ten Again,active,,\n"  # a repeat in the same file
    "josé@example.org,José Núñez,active,,\n"  # non-ASCII address and name
    'smith@example.org,"Smith, John ""JJ""",,,\n'  # comma and quotes in the name
    "zoe@bücher.de,Zoë Ångström,active,,\n"  # internationalised domain
    "\n"
    "not-an-address,Broken,active,,\n"  # invalid: skipped
    ",No Address,active,,\n"  # invalid: skipped
    "short@localhost,Short,active,,\n"  # invalid (special-use domain): skipped
    "paused@example.org,Paused,paused,,\n"  # unknown status: never mailed
)
MESSY_IMPORT = (  # an extra column: these rows take the slow path
    "email,name,status,source\n"
    "READER005@Example.ORG,Shouting Five,active,import\n"  # mixed-case repeat across files
    "Reader100@EXAMPLE.org,,active,import\n"
    "reader020@example.org,,unsubscribed,webhook\n"  # a suppressed copy of an active reader
    "READER021@EXAMPLE.ORG,,bounced,webhook\n"
    "JOSÉ@example.org,,active,import\n"
    "newcomer@example.net,New Reader,active,import\n"
)
SUPPRESSED = {"reader007@example.org", "reader020@example.org", "reader021@example.org"}
EXPECTED = ([a for a in READERS if a not in SUPPRESSED]
            + ["josé@example.org", "smith@example.org", "zoe@bücher.de", "newcomer@example.net"])


class OrderedOutbox(OutboxProvider):
    """The real outbox, remembering what each message held of its reader, in the order sent."""

    def __init__(self, settings):
        super().__init__(settings)
        self.order: list[tuple[str, ...]] = []

    def send_batch(self, messages):
        self.order.extend((m.to_address, m.headers["To"], m.message_id,
                           m.values["unsubscribe_url"], m.headers["List-Unsubscribe"])
                          for m in messages)
        return super().send_batch(messages)


def messy_site(path: Path) -> Path:
    """A copy of the example site whose list is MESSY_MAIN and MESSY_IMPORT."""
    site = copy_example_site(path)
    folder = site / "subscribers"
    for old in folder.glob("*.csv"):
        old.unlink()
    (folder / "a-list.csv").write_text(MESSY_MAIN, encoding="utf-8")
    (folder / "b-import.csv").write_text(MESSY_IMPORT, encoding="utf-8")
    return site


def outbox_files(site: Path) -> dict[str, bytes]:
    """Each .eml of the reference post, without what differs between two runs by design
    (the Date header and the random MIME boundary)."""
    folder = site / "outbox" / "what-matters"
    files = {}
    for path in folder.glob("*.eml"):
        data = re.sub(rb"\r\nDate: [^\r]*", b"", path.read_bytes())
        files[path.name] = re.sub(rb"=_nl_[0-9a-f]{24}", b"BOUNDARY", data)
    return files


def test_the_helper_sends_what_the_send_alone_sends_byte_for_byte_in_the_same_order(
        tmp_path, monkeypatch, helper_runs, bystander):
    alone, helped = messy_site(tmp_path / "alone"), messy_site(tmp_path / "helped")
    sends = {}
    for site, threshold in ((alone, 1 << 40), (helped, 0)):
        monkeypatch.setattr(reader_feed, "HELPER_MIN_BYTES", threshold)
        settings = site_settings(site, concurrency=1, batch_size=7)
        provider = OrderedOutbox(settings)
        report = run_send(settings, provider)
        assert report.complete and report.sent == len(EXPECTED)
        sends[site] = provider.order
    assert helper_runs == [helped / "subscribers"]  # only the second send used the helper

    # Repeats once (first copy), suppressed copies win, invalid rows skipped; list order.
    assert [reader[0] for reader in sends[helped]] == EXPECTED
    assert sends[helped] == sends[alone]  # To, Message-ID, unsubscribe link: identical
    to_headers = {reader[0]: reader[1] for reader in sends[helped]}
    assert to_headers["smith@example.org"] == '"Smith, John \\"JJ\\"" <smith@example.org>'
    assert to_headers["zoe@bücher.de"] == "Zoë Ångström <zoe@bücher.de>"
    assert to_headers["reader005@example.org"] == "Reader 5 <reader005@example.org>"
    assert outbox_files(helped) == outbox_files(alone)
    assert len(outbox_files(helped)) == len(EXPECTED)  # one file each, no .dup
    assert multiprocessing.active_children() == []


# -- unsubscribes during the send ---------------------------------------------------------------

class UnsubscribingProvider(RecordingProvider):
    """At its ``at``-th call, unsubscribes ``leaving`` as a reader would: through the list, and
    one of them with `newsletter subscribers remove`."""

    def __init__(self, settings, site: Path, leaving: list[str], at: int):
        super().__init__(settings)
        self.site, self.leaving, self.at = site, leaving, at

    def answer(self, messages):
        if self.calls == self.at:
            store = SubscriberStore(self.settings)
            for address in self.leaving[1:]:
                store.set_status(address, "unsubscribed", reason="clicked the link")
            removed = run_cli(self.site, "subscribers", "remove", self.leaving[0])
            assert removed.returncode == 0, removed.stderr
        return super().answer(messages)


def test_a_reader_who_unsubscribes_while_the_helper_feeds_the_send_gets_nothing(
        site, helper_runs):
    addresses = write_readers(site, 300)
    leaving = addresses[-30:]  # already prepared by the helper: its one chunk holds the list
    settings = site_settings(site, concurrency=1)
    provider = UnsubscribingProvider(settings, site, leaving, at=3)
    report = run_send(settings, provider)

    assert len(helper_runs) == 1
    assert set(provider.addresses).isdisjoint(leaving)
    assert Counter(provider.addresses) == Counter(addresses[:-30])
    assert report.sent == 270 and report.skipped == 30
    states = ledger_states(settings)
    assert set(states) == set(addresses[:-30]) and set(states.values()) == {"sent"}


# -- a send that stops early --------------------------------------------------------------------

class RefusingProvider(AuthFailProvider):
    """Refuses the credentials; remembers which helper processes were alive when it did."""

    def __init__(self, settings):
        super().__init__(settings)
        self.helpers_seen: set[int] = set()

    def answer(self, messages):
        self.helpers_seen.update(helper_pids())
        return super().answer(messages)


def test_a_send_stopped_early_leaves_the_readers_it_did_not_send_for_the_next_run(
        site, helper_runs):
    addresses = write_readers(site, LONG_LIST)
    settings = site_settings(site)
    provider = RefusingProvider(settings)
    report = run_send(settings, provider)

    assert provider.helpers_seen  # the helper was still reading when the send stopped
    assert "401 Unauthorized" in report.stopped and not report.complete
    states = ledger_states(settings)
    assert set(states.values()) == {"pending"}  # claimed, provably not sent
    assert 0 < len(states) <= provider.max_in_flight * provider.max_batch
    assert provider.sent == []

    again = FastRecordingProvider(settings)
    report = run_send(settings, again)
    assert report.complete and Counter(again.addresses) == Counter(addresses)
    assert len(helper_runs) == 2


def test_a_send_stopped_early_leaves_no_helper_running(site, helper_runs, bystander):
    write_readers(site, LONG_LIST)
    settings = site_settings(site)
    provider = RefusingProvider(settings)
    report = run_send(settings, provider)

    assert provider.helpers_seen and report.stopped  # stopped while the helper was reading
    # Ended and reaped by the time send_post returns, not left waiting on its pipe.
    assert multiprocessing.active_children() == []


# -- errors cross the process boundary ----------------------------------------------------------

@pytest.mark.parametrize("error", [
    NewsletterError("the helper stopped"),
    InputError("bad argument", where="newsletter.toml", hint="fix it"),
    SubscriberError("'x@' is not a valid address", where="subscribers/a.csv:7",
                    hint="fix the address; the row is skipped for sending"),
    TransientError("503 Service Unavailable", retry_after=7.5, where="postmark", hint="wait"),
    AuthError("401 Unauthorized"),
], ids=lambda error: type(error).__name__)
def test_an_error_pickled_in_the_helper_reads_the_same_in_the_send(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.message, copy.where, copy.hint) == (error.message, error.where, error.hint)
    assert str(copy) == str(error) and copy.args == error.args
    assert copy.exit_code == error.exit_code
    assert getattr(copy, "retry_after", None) == getattr(error, "retry_after", None)


# -- a helper that dies -------------------------------------------------------------------------

class HelperKillingProvider(FastRecordingProvider):
    """Accepts everything; at its first call, SIGKILLs the send's helper process."""

    def __init__(self, settings):
        super().__init__(settings)
        self.killed: list[int] = []

    def answer(self, messages):
        with self._lock:  # batches run in several threads: one of them kills
            if not self.killed:
                for pid in helper_pids():
                    os.kill(pid, signal.SIGKILL)
                    self.killed.append(pid)
        return super().answer(messages)


def send_until_the_helper_dies(site: Path):
    """A send of a long list whose helper is killed: (settings, provider, the error raised)."""
    settings = site_settings(site)
    provider = HelperKillingProvider(settings)
    with pytest.raises(NewsletterError) as raised:
        run_send(settings, provider)
    assert provider.killed  # the helper was alive, and it was killed
    return settings, provider, raised.value


def test_a_helper_that_dies_stops_the_send_and_a_rerun_sends_nobody_twice(
        site, helper_runs, bystander):
    addresses = write_readers(site, LONG_LIST)
    settings, first, error = send_until_the_helper_dies(site)

    assert "the helper process reading the subscriber list stopped (exit code -9)" in str(error)
    assert "run the send again" in str(error)
    assert multiprocessing.active_children() == []
    assert 0 < len(first.sent) < LONG_LIST  # it stopped part of the way
    states = ledger_states(settings)
    assert {a for a, state in states.items() if state == "sent"} <= set(first.addresses)

    again = FastRecordingProvider(settings)
    run_send(settings, again)
    both = Counter(first.addresses) + Counter(again.addresses)
    assert set(both) == set(addresses)  # everyone got it ...
    assert max(both.values()) == 1  # ... once
    assert len(helper_runs) == 2


def test_batches_on_their_way_when_the_helper_dies_are_recorded_as_sent(site, helper_runs):
    write_readers(site, LONG_LIST)
    settings, first, _ = send_until_the_helper_dies(site)

    # Every batch the provider accepted before the send stopped is in the ledger as sent: none
    # is left `submitting`, which the next run would turn into "in doubt" (and never resend).
    states = ledger_states(settings)
    assert Counter(states.values()) == {"sent": len(first.sent)}
    assert set(states) == set(first.addresses)
    report = run_send(settings, FastRecordingProvider(settings))
    assert report.complete and report.recovered == 0
