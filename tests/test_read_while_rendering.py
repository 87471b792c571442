"""`send --yes` on a long list starts its helper process (newsletter.sending.reader_feed) before
the render, so that the list is read and signed while the post renders; the send takes it over,
and a send that stops before that leaves no helper behind."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path

import pytest
from conftest import invoke
from sending_support import ledger_states, site_settings, write_readers

import newsletter.cli.send as send_command
import newsletter.sending as sending
from newsletter.sending import reader_feed


@pytest.fixture
def steps(monkeypatch) -> list[str]:
    """Every list is long enough for the helper and is counted as it is sent; lists, in order,
    each helper started and each render."""
    monkeypatch.setattr(send_command, "COUNT_FIRST_MAX_BYTES", 0)
    monkeypatch.setattr(reader_feed, "HELPER_MIN_BYTES", 0)
    seen: list[str] = []
    start, prepare = reader_feed._start, sending.prepare_post

    def started(*args):
        seen.append("helper")
        return start(*args)

    def rendered(*args):
        seen.append("render")
        return prepare(*args)

    monkeypatch.setattr(reader_feed, "_start", started)
    monkeypatch.setattr(sending, "prepare_post", rendered)
    yield seen
    assert multiprocessing.active_children() == []  # no helper left running, whatever happened


def outbox_recipients(site: Path) -> Counter:
    return Counter(line.split(b"<")[-1].rstrip(b">\r\n").decode()
                   for path in (site / "outbox").rglob("*.eml")
                   for line in path.read_bytes().splitlines() if line.startswith(b"To: "))


def test_send_yes_reads_the_list_while_the_post_renders_and_sends_each_reader_once(site, steps):
    addresses = write_readers(site, 40)

    result = invoke(site, "send", "what-matters", "--yes")

    assert result.exit_code == 0, result.output
    assert steps == ["helper", "render"]  # one helper, started before the render, taken over
    assert "Sent 40, failed 0, in doubt 0, pending 0." in result.output
    assert outbox_recipients(site) == Counter(addresses)
    assert set(ledger_states(site_settings(site)).values()) == {"sent"}

    again = invoke(site, "send", "what-matters", "--yes")  # stops before the send: its helper too
    assert again.exit_code == 0 and "Nothing left to send" in again.output
    assert outbox_recipients(site) == Counter(addresses)


def test_a_send_that_asks_or_only_counts_starts_no_helper_before_the_render(site, steps):
    write_readers(site, 12)

    dry = invoke(site, "send", "what-matters", "--dry-run")
    asked = invoke(site, "send", "what-matters", input="n\n")

    assert dry.exit_code == 0 and "Dry run: nothing sent." in dry.output
    assert asked.exit_code != 0  # off a terminal a send must be told --yes
    assert steps == ["render", "render"]
    assert not (site / "outbox").exists() or outbox_recipients(site) == Counter()


def test_a_tagged_send_through_the_early_helper_reaches_the_tagged_readers_only(site, steps):
    with open(site / "subscribers" / "subscribers.csv", "w", encoding="utf-8") as handle:
        handle.write("email,name,status,tags\n")
        for number in range(30):
            handle.write(f"reader{number:02d}@example.org,Reader {number},active,"
                         f"{'news' if number % 3 == 0 else 'other'}\n")

    result = invoke(site, "send", "what-matters", "--tag", "news", "--yes")

    assert result.exit_code == 0, result.output
    assert steps == ["helper", "render"]
    assert outbox_recipients(site) == Counter(f"reader{n:02d}@example.org" for n in range(0, 30, 3))
    untagged = invoke(site, "send", "what-matters", "--yes")  # the others, nobody twice
    assert untagged.exit_code == 0, untagged.output
    assert outbox_recipients(site) == Counter(f"reader{n:02d}@example.org" for n in range(30))
