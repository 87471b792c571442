"""`newsletter reconcile` against each provider's fake lookup API (docs/reconcile.md).

Six readers go out in two batches of three, one batch at a time; the first batch's request
times out. Whether the provider took it in decides what `reconcile` must find, and a rerun of
`send` must then leave every reader with exactly one message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import sqlite3
import time

import pytest
from fake_lookups import Logged
from fake_providers import HANGUP, KEYS, LOST, Behaviour, provider_environ, slow
from test_provider_matrix import HTTP_PROVIDERS, POST, READERS, SHORT_TIMEOUT, run  # noqa: F401

from conftest import invoke
from newsletter.config import load_settings
from newsletter.providers import DECLARATIONS
from newsletter.providers import lookup
from newsletter.providers.lookup import READ_TRIES
from newsletter.sending import Ledger, State
from newsletter.sending.retry import RetryPolicy
from tests.pg_support import move_to_postgresql, pg_url  # noqa: F401 (a fixture)

FIRST_BATCH, SECOND_BATCH = READERS[:3], READERS[3:]
ONE_ATTEMPT = RetryPolicy(attempts=1)


@pytest.fixture(autouse=True)
def failed_reads_retried_at_once(monkeypatch):
    """A search read that gets a 5xx is still tried READ_TRIES times, without the half second
    between tries."""
    monkeypatch.setattr(lookup, "FAILED_READ_PAUSE", 0.001)


# In doubt at once, where how the batch came to be in doubt is not the point: the request is
# read, then the connection closed with no answer, so no client timeout is waited out (the
# first two tests below wait theirs: slow() and LOST).
LOST_AT_ONCE = Behaviour("lost")  # the provider never took it in
TAKEN_AT_ONCE = HANGUP  # the provider took it in

@pytest.fixture(params=["files", "postgresql"])
def store(request, tmp_path):
    """How a campaign's site keeps its list and ledger: a function that moves it onto the
    store (its files: nothing to do; or PostgreSQL), before anything is sent."""
    if request.param == "files":
        return lambda campaign: None
    url = request.getfixturevalue("pg_url")

    def move(campaign) -> None:
        move_to_postgresql(campaign.site, url, tmp_path / "copy-state")
        campaign.settings = load_settings(campaign.site, provider_environ(campaign.name))
    return move


def in_doubt_first_batch(run, name, behaviour, store=lambda campaign: None):  # noqa: F811
    """A send whose first batch is left in doubt by ``behaviour``; the second goes out (on the
    site's files, or the store ``store`` moves it to)."""
    campaign = run(name, timeout=SHORT_TIMEOUT, concurrency=1)
    store(campaign)
    # One attempt: Resend would retry an in-doubt batch under its Idempotency-Key, each retry
    # another timeout (test_resend_retries_an_in_doubt_batch_... covers those retries).
    campaign.server.enqueue(behaviour)
    campaign.send(retry=ONE_ATTEMPT)
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}
    return campaign


def reconcile(campaign, *options):
    return invoke(campaign.site, "reconcile", *options,
                  env=provider_environ(campaign.name))


def provider_ids(campaign) -> dict[str, str]:
    with Ledger.open(campaign.settings) as ledger:
        return {d.address: d.provider_message_id
                for d in ledger.deliveries(POST, [State.SENT])}


@pytest.mark.parametrize("name", HTTP_PROVIDERS)
def test_a_batch_accepted_before_the_timeout_is_found_and_never_sent_again(run, name, store):  # noqa: F811
    campaign = in_doubt_first_batch(run, name, slow(), store)
    assert set(campaign.server.accepted) == set(READERS)  # the provider has them all

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 0, result.output
    assert f"{POST}: 3 in doubt; 3 found at {name} (now sent)" in result.output
    assert campaign.counts() == {State.SENT: 6}
    logged = {e.address: e.provider_id for e in campaign.server.sent_log.entries}
    recorded = provider_ids(campaign)
    # Mailgun's events name a message without the <...> of its send API's answer: a reader
    # found is recorded with the same id, in the same form, as one sent straight through.
    assert {a: recorded[a].strip("<>") for a in FIRST_BATCH} == {
        a: logged[a].strip("<>") for a in FIRST_BATCH}
    assert {recorded[a][0] == "<" for a in READERS} == {name == "mailgun"}
    requests_before = len(campaign.server.requests)

    again = invoke(campaign.site, "send", POST, "--yes", env=provider_environ(name))

    assert len(campaign.server.requests) == requests_before  # nothing sent
    assert max(campaign.server.accepted.values()) == 1, again.output


@pytest.mark.parametrize("name", HTTP_PROVIDERS)
def test_a_batch_lost_before_the_provider_took_it_goes_out_exactly_once(run, name, store):  # noqa: F811
    campaign = in_doubt_first_batch(run, name, LOST, store)
    assert set(campaign.server.accepted) == set(SECOND_BATCH)

    dry = reconcile(campaign, "--settle", "0", "--dry-run", "--json")
    assert json.loads(dry.output)["posts"][0]["pending"] == 3
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}  # a dry run changes nothing

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 0, result.output
    assert "3 never reached" in result.output
    assert campaign.counts() == {State.SENT: 3, State.PENDING: 3}
    again = invoke(campaign.site, "send", POST, "--yes", env=provider_environ(name))
    assert again.exit_code == 0, again.output
    assert campaign.counts() == {State.SENT: 6}
    assert dict(campaign.server.accepted) == {reader: 1 for reader in READERS}


def test_mailgun_messages_of_a_post_whose_tag_contains_this_ones_are_not_found(run):  # noqa: F811
    """Mailgun's tag filter is a search expression: asked for this post's tag it also lists
    messages of a post whose tag contains it. Those readers never got this post."""
    campaign = in_doubt_first_batch(run, "mailgun", LOST_AT_ONCE)
    longer = POST + "-again"
    campaign.server.sent_log.add([
        Logged(time.time(), reader, f"other-{n}@mg.example.com", longer,
               {"post": longer, "reader": reader}, "Again")
        for n, reader in enumerate(FIRST_BATCH)])

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 0, result.output
    assert f"{POST}: 3 in doubt; 3 never reached mailgun" in result.output
    assert campaign.counts() == {State.SENT: 3, State.PENDING: 3}


def test_resend_takes_no_later_email_of_the_same_subject_for_the_lost_one(run):  # noqa: F811
    """Resend's list of emails names no post: a message is matched by its reader and subject.
    The batch lost two hours ago; an hour ago another post with the same subject ("Weekly
    notes") went to the same readers. That email is not this post's: they must get it."""
    campaign = in_doubt_first_batch(run, "resend", LOST_AT_ONCE)
    two_hours_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)
    with Ledger.open(campaign.settings) as ledger:
        ledger.db.execute("UPDATE batches SET claimed_at = ?", (two_hours_ago.isoformat(),))
        ledger.db.execute("UPDATE deliveries SET updated_at = ? WHERE state = ?",
                          (two_hours_ago.isoformat(), State.IN_DOUBT))
        (subject,) = ledger.db.execute("SELECT DISTINCT subject FROM batches").fetchone()
    campaign.server.sent_log.add([Logged(time.time() - 3600, reader, f"re-later-{n}",
                                         subject=subject)
                                  for n, reader in enumerate(FIRST_BATCH)])

    result = reconcile(campaign)

    assert f"{POST}: 3 in doubt; 3 never reached resend" in result.output, result.output
    assert campaign.counts() == {State.SENT: 3, State.PENDING: 3}


@pytest.mark.parametrize("name", HTTP_PROVIDERS)
def test_an_empty_search_is_not_believed_before_the_indexing_delay(run, name, store):  # noqa: F811
    campaign = in_doubt_first_batch(run, name, LOST_AT_ONCE, store)

    result = reconcile(campaign)  # the provider's own delay: minutes, not yet passed

    assert result.exit_code == 1
    assert "3 still in doubt" in result.output and "search may lag behind" in result.output
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}


@pytest.mark.parametrize("name", HTTP_PROVIDERS)
def test_a_failing_lookup_leaves_them_in_doubt_with_the_reason(
        run, name, store, monkeypatch):  # noqa: F811
    # Every retry is paced; SendGrid's documented 10 s between reads would make four tries
    # take half a minute, so its pace here is a shorter one (still paced, still retried).
    module = importlib.import_module(f"newsletter.providers.{name}")
    monkeypatch.setattr(module, "LOOKUP", dataclasses.replace(
        module.LOOKUP, interval=min(module.LOOKUP.interval, 0.1)))
    campaign = in_doubt_first_batch(run, name, TAKEN_AT_ONCE, store)
    campaign.server.lookup_queue.extend([(500, {}, {"message": "fake failure 500"})] * READ_TRIES)

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 1
    assert "3: the lookup failed" in result.output and "500" in result.output
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}
    status = invoke(campaign.site, "status", POST, env=provider_environ(name))
    assert "the lookup failed" in status.output  # the reason stays with the readers


def test_status_tells_what_the_send_saw_and_what_reconcile_learned_last(run, store):  # noqa: F811
    campaign = in_doubt_first_batch(run, "postmark", LOST_AT_ONCE, store)
    with Ledger.open(campaign.settings) as ledger:
        (at_send,) = {d.reason for d in ledger.deliveries(POST, [State.IN_DOUBT])}
    assert "reconcile" not in at_send  # the send's own words: its connection was lost

    assert "search may lag behind" in reconcile(campaign).output  # too soon to believe
    campaign.server.lookup_queue.extend([(500, {}, {"message": "fake failure 500"})] * READ_TRIES)
    assert reconcile(campaign, "--settle", "0").exit_code == 1

    status = invoke(campaign.site, "status", POST, env=provider_environ("postmark")).output
    assert f"  3 readers: {at_send}; reconcile: the lookup failed: " in status
    assert "search may lag behind" not in status  # the latest finding replaces the earlier
    assert status.count(at_send) == 1


def test_sendgrid_without_the_activity_add_on_says_so(run):  # noqa: F811
    campaign = in_doubt_first_batch(run, "sendgrid", TAKEN_AT_ONCE)
    campaign.server.activity_feed = False

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 1
    assert "Email Activity API is not available on this account" in result.output
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}


@pytest.mark.parametrize("name", HTTP_PROVIDERS)
def test_a_batch_older_than_the_retention_is_not_searched(run, name, store):  # noqa: F811
    campaign = in_doubt_first_batch(run, name, LOST_AT_ONCE, store)
    _backdate(campaign, dt.timedelta(days=DECLARATIONS[name].lookup.retention.days + 1),
              in_doubt=False)

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 1
    assert f"longer ago than {name} is sure to keep messages" in result.output
    assert campaign.server.lookups == []  # an answer could prove nothing
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}


def test_resend_retries_an_in_doubt_batch_under_the_key_the_ledger_recorded_first(run):  # noqa: F811
    campaign = run("resend", timeout=SHORT_TIMEOUT, concurrency=1)
    campaign.server.enqueue(slow())

    campaign.send()

    assert campaign.counts() == {State.SENT: 6}
    first, retry = campaign.server.requests[:2]
    assert first.headers["idempotency-key"] == retry.headers["idempotency-key"]
    assert dict(campaign.server.accepted) == {reader: 1 for reader in READERS}
    with sqlite3.connect(campaign.settings.state_dir / "ledger.db") as db:
        covered = db.execute("SELECT d.address FROM deliveries d JOIN batches b ON b.id = d.batch"
                             " WHERE b.key = ? ORDER BY d.address",
                             (first.headers["idempotency-key"],)).fetchall()
    assert [address for (address,) in covered] == FIRST_BATCH


def _backdate(campaign, ago: dt.timedelta, *, in_doubt: bool = True) -> None:
    """The ledger's batches as if claimed ``ago`` (and, with ``in_doubt``, given up then), in
    the ledger of either store."""
    then = (dt.datetime.now(dt.timezone.utc) - ago).isoformat(timespec="milliseconds")
    mark = "%s" if campaign.settings.store_url else "?"
    with Ledger.open(campaign.settings) as ledger:
        ledger.db.execute(f"UPDATE batches SET claimed_at = {mark}", (then,))
        if in_doubt:
            ledger.db.execute(f"UPDATE deliveries SET updated_at = {mark} "
                              "WHERE state = 'in_doubt'", (then,))


def _age(campaign, hours: int) -> None:
    """The send as if it happened ``hours`` ago, at the provider too: past any indexing delay."""
    campaign.server.sent_log.shift(-hours * 3600)
    _backdate(campaign, dt.timedelta(hours=hours))


@pytest.mark.parametrize(("behaviour", "news"), [
    (LOST_AT_ONCE, "0 found (sent), 3 never reached it"), (TAKEN_AT_ONCE, "3 found (sent), 0 never reached it")])
def test_send_due_reconciles_first_so_cron_heals_itself(run, behaviour, news, store):  # noqa: F811
    campaign = in_doubt_first_batch(run, "postmark", behaviour, store)
    _age(campaign, hours=1)

    result = invoke(campaign.site, "send", "--due", "--now", "2026-11-27T12:00:00Z",
                    env=provider_environ("postmark"))

    assert f"Reconciled {POST} with postmark: {news}" in result.output, result.output
    assert campaign.counts() == {State.SENT: 6}
    assert dict(campaign.server.accepted) == {reader: 1 for reader in READERS}
    again = invoke(campaign.site, "reconcile", env=provider_environ("postmark"))
    assert again.output == "Nothing is in doubt.\n"


def test_status_says_how_to_reconcile_and_another_provider_asks_nobody(run, site):  # noqa: F811
    campaign = in_doubt_first_batch(run, "postmark", LOST_AT_ONCE)
    status = invoke(site, "status", POST, env=provider_environ("postmark"))
    assert "Ask postmark what became of them: newsletter reconcile what-matters" in status.output

    campaign.configure(name="outbox")  # its folder cannot tell what postmark took in
    result = invoke(site, "reconcile", env={"NEWSLETTER_SECRET": "s"})
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{POST}: 3 in doubt; 3 still in doubt",
        "  3: sent through postmark; provider.name is now outbox"]


# provider -> (readers in doubt, seconds a search answer takes): several pages to read each.
KILLED = {"postmark": (12_000, 1.0), "mailgun": (3_000, 0.5), "resend": (3_000, 0.3)}


@pytest.mark.parametrize("name", sorted(KILLED))
def test_sigkill_during_reconcile_then_a_rerun_reaches_the_same_end(site, name, monkeypatch):
    """Readers in doubt, half of them taken in; reconcile reads the provider's search slowly.
    Killed once its first findings are on disk, a rerun finishes the job: the same end as one
    run. (SendGrid is asked once a batch, 6 times a minute: too slow to test this way.)"""
    from contextlib import closing

    from fake_providers import DEFAULTS, KEYS, start_fake, write_provider_settings
    from reconcile_support import seed_in_doubt, states

    from conftest import start_cli
    from newsletter.config import load_settings

    count, latency = KILLED[name]
    with closing(start_fake(name, KEYS[name])) as server:
        server.lookup_latency = latency
        extra = {"domain": DEFAULTS["domain"]} if name == "mailgun" else {}
        write_provider_settings(site, name=name, api_url=server.url,
                                timeout=DEFAULTS["timeout"], **extra)
        settings = load_settings(site, provider_environ(name))
        taken = seed_in_doubt(settings, server, count)
        process = start_cli(site, "reconcile", "--settle", "0", env=provider_environ(name))
        try:
            while "sent" not in states(settings).values():
                assert process.poll() is None, "reconcile ended before it was killed"
                time.sleep(0.05)
            assert process.poll() is None
            process.kill()  # SIGKILL
        finally:
            process.wait(30)
        assert process.returncode == -9  # killed, not ended: its work was cut short

        server.lookup_latency = 0  # slow only to give the kill its moment
        module = importlib.import_module(f"newsletter.providers.{name}")  # paced, but faster
        monkeypatch.setattr(module, "LOOKUP", dataclasses.replace(
            module.LOOKUP, interval=min(module.LOOKUP.interval, 0.02)))
        rerun = invoke(site, "reconcile", "--settle", "0", env=provider_environ(name))

        assert rerun.exit_code == 0, rerun.output
        final = states(settings)
        assert {a for a, s in final.items() if s == "sent"} == taken
        assert {a for a, s in final.items() if s == "pending"} == set(final) - taken


def test_postmark_reads_more_than_ten_thousand_in_shorter_windows(site):
    """Postmark lists at most 10,000 messages a search: 21,000 in one window are read in
    halves, and every reader is found, none twice."""
    from contextlib import closing

    from fake_providers import DEFAULTS, KEYS, start_fake, write_provider_settings
    from reconcile_support import seed_in_doubt, states

    from newsletter.config import load_settings

    with closing(start_fake("postmark", KEYS["postmark"])) as server:
        write_provider_settings(site, name="postmark", api_url=server.url,
                                timeout=DEFAULTS["timeout"])
        settings = load_settings(site, provider_environ("postmark"))
        seed_in_doubt(settings, server, 21_000, accepted=lambda number: True)

        result = reconcile_cli(site)

        assert result.exit_code == 0, result.output
        assert "21000 in doubt; 21000 found at postmark (now sent)" in result.output
        assert set(states(settings).values()) == {"sent"}
        totals = [q for q in server.lookups if "offset=0&" in q]
        assert len(totals) >= 3  # the first window was too long, and was halved


def test_postmark_reads_more_than_ten_thousand_sent_within_three_seconds(site):
    """A big list goes out through Postmark at 5,000 messages a second: 12,000 readers of the
    post within three seconds. Halving a window of three seconds once gave one of its halves
    back whole (the halves shared their middle second), and reconcile searched it forever."""
    from contextlib import closing

    from fake_providers import DEFAULTS, KEYS, start_fake, write_provider_settings
    from reconcile_support import seed_in_doubt, states

    from conftest import start_cli
    from newsletter.config import load_settings

    with closing(start_fake("postmark", KEYS["postmark"])) as server:
        write_provider_settings(site, name="postmark", api_url=server.url,
                                timeout=DEFAULTS["timeout"])
        settings = load_settings(site, provider_environ("postmark"))
        seed_in_doubt(settings, server, 12_000, accepted=lambda number: True, per_second=5000)

        process = start_cli(site, "reconcile", "--settle", "0",
                            env=provider_environ("postmark"))
        try:  # 12,000 messages take 24 pages and a few halvings: far fewer searches than this
            while process.poll() is None and len(server.lookups) < 500:
                time.sleep(0.1)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(30)

        assert process.returncode == 0, f"{len(server.lookups)} searches, still going"
        assert set(states(settings).values()) == {"sent"}


def reconcile_cli(site):
    return invoke(site, "reconcile", "--settle", "0", env=provider_environ("postmark"))


def test_status_of_a_post_whose_id_ends_in_a_slash_names_it_in_each_hint(site):
    """Hugo's permalinks end in "/": the hints name the post by its last segment all the same,
    and so may the writer, once the post file is gone and only the ledger knows it."""
    gone = "/posts/old-one/"
    settings = load_settings(site, provider_environ("postmark"))
    with Ledger.open(settings) as ledger:
        ledger.claim(gone, READERS[:2], "postmark", key="batch-1", subject="Old one")
        ledger.mark(gone, READERS[:2], State.IN_DOUBT, "read timeout")

    result = invoke(site, "status", "old-one", env=provider_environ("postmark"))

    assert result.exit_code == 0, result.output
    assert f"{gone}: sent 0, failed 0, in doubt 2" in result.output
    assert "newsletter reconcile old-one" in result.output
    assert "newsletter send" not in result.output  # no send finds it until its file is back


def test_postmark_finds_a_message_of_the_hour_eastern_time_repeats(site):
    """Postmark reads its dates as US Eastern wall times, and on the night summer time ends
    01:00 to 02:00 happens twice: a batch given up on in the second of those hours (a 07:40
    CET send, say) is searched to past it, whichever hour Postmark takes "01:55" for."""
    from contextlib import closing

    from fake_providers import DEFAULTS, KEYS, start_fake, write_provider_settings

    from newsletter.providers import batch_key
    from newsletter.sending import reconcile_posts

    claimed = dt.datetime(2026, 11, 1, 5, 50, tzinfo=dt.timezone.utc)  # 01:50 EDT
    given_up = claimed + dt.timedelta(minutes=50)  # 01:40 EST, the second 01:40 that night
    later = claimed + dt.timedelta(hours=6)
    readers = READERS[:2]
    with closing(start_fake("postmark", KEYS["postmark"])) as server:
        server.clock = later.timestamp
        write_provider_settings(site, name="postmark", api_url=server.url,
                                timeout=DEFAULTS["timeout"])
        settings = load_settings(site, provider_environ("postmark"))
        server.sent_log.add([
            Logged((given_up + dt.timedelta(minutes=5)).timestamp(), reader, f"pm-{n}", POST,
                   {"post": POST, "reader": reader}, "What matters", stream="broadcast")
            for n, reader in enumerate(readers)])
        with Ledger.open(settings) as ledger:
            ledger.claim(POST, readers, "postmark", at=claimed.isoformat(),
                         key=batch_key(POST, readers), subject="What matters")
            ledger.mark(POST, readers, State.IN_DOUBT, "read timeout")
            ledger.db.execute("UPDATE deliveries SET updated_at = ? WHERE post_id = ?",
                              (given_up.isoformat(), POST))
            [report] = reconcile_posts(settings, ledger, [POST], settle=0, now=lambda: later)

    assert (report.in_doubt, report.sent, report.pending) == (2, 2, 0)


def _record_events(settings, readers, kind="delivered"):
    """The provider's webhook told `serve` of a message of POST to each of ``readers``."""
    from newsletter.addresses import address_key
    from newsletter.sending import DeliveryEvent, EventStore
    from newsletter.state import postgres

    events = EventStore(settings.state_dir, postgres.Database(settings.store_url), owned=True) \
        if settings.store_url else EventStore(settings.state_dir)
    try:
        events.record([DeliveryEvent(settings.provider.name, f"ev-{kind}-{n}", kind,
                                     address_key(reader), POST, time.time())
                       for n, reader in enumerate(readers)])
    finally:
        events.close()


def test_readers_its_webhooks_told_of_are_sent_without_its_search(run, store):  # noqa: F811
    """SendGrid's Email Activity API is a paid add-on most accounts lack, so its search cannot
    settle anyone; but its webhook's events (a delivery, a bounce) prove it took a message.
    Those readers are sent; only the one nobody heard of stays in doubt for the writer."""
    campaign = in_doubt_first_batch(run, "sendgrid", TAKEN_AT_ONCE, store)
    campaign.server.activity_feed = False
    _record_events(campaign.settings, FIRST_BATCH[:1])
    _record_events(campaign.settings, FIRST_BATCH[1:2], kind="bounced")
    figures = json.loads(invoke(campaign.site, "status", POST, "--json",
                                env=provider_environ("sendgrid")).stdout)
    assert (figures["sent"], figures["in_doubt"], figures["accepted"]) == (3, 3, 5)

    dry = json.loads(reconcile(campaign, "--settle", "0", "--dry-run", "--json").stdout)
    assert (dry["posts"][0]["in_doubt"], dry["posts"][0]["sent"]) == (3, 2)
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}
    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 1  # one still in doubt
    assert (f"{POST}: 3 in doubt; 2 known to sendgrid by its webhook events (now sent); "
            "1 still in doubt") in result.output, result.output
    assert "1: the lookup failed: SendGrid's Email Activity API" in result.output
    assert campaign.counts() == {State.SENT: 5, State.IN_DOUBT: 1}
    with Ledger.open(campaign.settings) as ledger:
        (left,) = ledger.deliveries(POST, [State.IN_DOUBT])
    assert left.address == FIRST_BATCH[2]


def test_a_mailgun_key_that_may_only_send_is_named_as_the_reason(run):  # noqa: F811
    """Mailgun's domain sending keys may only POST messages: its events API refuses them."""
    campaign = in_doubt_first_batch(run, "mailgun", TAKEN_AT_ONCE)
    campaign.server.lookup_queue.append((401, {}, {"message": "Forbidden"}))

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 1
    assert ("3: the lookup failed: mailgun answered 401: Forbidden; a domain sending key may "
            "only send") in result.output, result.output
    assert KEYS["mailgun"] not in result.output
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}
