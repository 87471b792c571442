"""Two `newsletter send POST` processes share one campaign on the PostgreSQL store: each reader
is sent once, whichever claims it; a killed sender leaves in doubt only what it had in flight,
and the next run sends the rest (docs/store.md#several-hosts)."""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import psycopg
import pytest
from fake_providers import KEYS, provider_environ, slow, start_fake, write_provider_settings
from sending_support import write_readers

from tests.conftest import invoke, picture_on_the_web, run_cli, start_cli
from tests.pg_support import own_cluster, pg_url, use_postgresql  # noqa: F401 (fixtures)

POST = "/posts/what-matters"
BATCH, CONCURRENCY = 10, 2


def on_postgresql(site, url, readers: int, latency: float):
    """The site's list (``readers`` generated) copied into PostgreSQL, sending through a
    Postmark fake that answers after ``latency`` seconds (the post's picture on the web: the
    sharing is the point, not 60 KB inline in each message)."""
    picture_on_the_web(site)
    addresses = write_readers(site, readers)
    assert invoke(site, "store", "copy", "--to", url).exit_code == 0
    for path in (site / "subscribers").iterdir():
        path.unlink()
    use_postgresql(site, url)
    fake = start_fake("postmark", KEYS["postmark"], latency=latency)
    write_provider_settings(site, name="postmark", api_url=fake.url, timeout=60,
                            batch_size=BATCH, concurrency=CONCURRENCY)
    return addresses, fake


def ledger(url) -> dict[str, str]:
    with psycopg.connect(url) as db:
        return dict(db.execute("SELECT address, state FROM deliveries WHERE post_id = %s",
                               (POST,)))


def each_sent_once(processes, outputs, fake, addresses, url) -> None:
    """Both senders ended well, and every reader got the post once, as the ledger says."""
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert sorted(fake.accepted) == sorted(addresses)
    assert set(fake.accepted.values()) == {1}  # nobody twice
    states = ledger(url)
    assert set(states.values()) == {"sent"} and len(states) == len(addresses)


def sender(site) -> subprocess.Popen:
    return start_cli(site, "send", "what-matters", "--yes", env=provider_environ("postmark"),
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_senders_share_a_campaign_and_each_reader_gets_it_once(site, pg_url):
    """The fake holds every answer until both senders have a batch in flight (one sender has
    at most CONCURRENCY), so both take part however slowly the second one starts."""
    addresses, fake = on_postgresql(site, pg_url, 400, latency=0.0)
    fake.enqueue(*[slow()] * (CONCURRENCY + 1))
    try:
        first, second = sender(site), sender(site)
        deadline = time.monotonic() + 120
        while fake.request_count <= CONCURRENCY and time.monotonic() < deadline:
            time.sleep(0.02)
        fake.closing.set()  # every answer now, the held ones first
        outputs = [process.communicate(timeout=300) for process in (first, second)]
    finally:
        fake.close()
    each_sent_once((first, second), outputs, fake, addresses, pg_url)
    sent = [int(out.split("Sent ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(sent) == 400 and all(sent), sent  # both took a share
    # The last sender to end removes the post's template, made once for both, and the mark
    # of a run in progress (else `send --due` would take the post for one left unfinished).
    assert fake.api.templates.by_alias == {}
    assert running_marks(pg_url) == []


def running_marks(url) -> list[str]:
    with psycopg.connect(url) as db:
        return [key for (key,) in db.execute(
            "SELECT key FROM ledger_meta WHERE key LIKE 'running:%'")]


def test_rows_a_sender_held_as_it_died_are_sent_by_the_sender_beside_it(site, pg_url):
    """Another host's sender holds the list's first rows, then dies once this sender has
    walked past them: this one goes back for them before it ends, and everyone gets the post
    once; with no run dead, a sender does not walk the post's rows again."""
    from newsletter.sending.ledger_pg import RUN_LOCK

    addresses, fake = on_postgresql(site, pg_url, 60, latency=0.0)
    fake.enqueue(*[slow()] * CONCURRENCY)  # this sender stops with its first batches in flight
    dying = psycopg.connect(pg_url)
    try:
        with dying.transaction():
            run = dying.execute("INSERT INTO runs (post_id, started_at) VALUES (%s, 'earlier') "
                                "RETURNING id", (POST,)).fetchone()[0]
            dying.execute(f"SELECT pg_advisory_lock({RUN_LOCK})", (run,))
            dying.execute("INSERT INTO deliveries (post_id, address, state, attempts, "
                          "created_at, updated_at) SELECT %s, key, 'pending', 0, 'earlier', "
                          "'earlier' FROM subscribers ORDER BY position", (POST,))
        dying.execute("SELECT id FROM deliveries ORDER BY id LIMIT %s FOR UPDATE", (BATCH,))
        process = sender(site)
        deadline = time.monotonic() + 120
        while fake.request_count < CONCURRENCY and time.monotonic() < deadline:
            time.sleep(0.02)
        dying.close()
        with psycopg.connect(pg_url, autocommit=True) as db:
            while db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                             "AND objsubid = 1 AND objid = %s", (run,)).fetchone()[0] \
                    and time.monotonic() < deadline:
                time.sleep(0.02)
        fake.closing.set()
        out, err = process.communicate(timeout=300)
    finally:
        dying.close()
        fake.close()
    assert process.returncode == 0, out + err
    assert sorted(fake.accepted) == sorted(addresses)
    assert set(fake.accepted.values()) == {1}  # nobody twice
    assert set(ledger(pg_url).values()) == {"sent"}
    assert running_marks(pg_url) == []


def test_a_killed_sender_leaves_in_doubt_only_its_batches_in_flight_and_nothing_twice(
        site, pg_url):
    addresses, fake = on_postgresql(site, pg_url, 300, latency=0.2)
    try:
        process = sender(site)
        deadline = time.monotonic() + 60
        while len(fake.accepted) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        in_doubt_before = {a for a, s in ledger(pg_url).items() if s == "submitting"}
        assert len(in_doubt_before) <= BATCH * CONCURRENCY
        wait_for_the_server_to_drop_its_lock(pg_url)
        rerun = run_cli(site, "send", "what-matters", "--yes", env=provider_environ("postmark"))
    finally:
        fake.close()
    # readers in doubt: the writer must look (a kill between two batches leaves none)
    assert rerun.returncode == (1 if in_doubt_before else 0), rerun.stdout
    states = ledger(pg_url)
    in_doubt = {a for a, s in states.items() if s == "in_doubt"}
    assert in_doubt == in_doubt_before
    assert {a for a, s in states.items() if s == "sent"} == set(addresses) - in_doubt
    assert max(fake.accepted.values()) == 1  # nobody twice
    assert set(fake.accepted) >= set(addresses) - in_doubt


def test_a_sender_killed_beside_another_leaves_its_batches_in_doubt_and_the_other_says_so(
        site, pg_url):
    """The sender left alone sends everyone else once; the batches the killed one had on
    their way are in doubt when it ends (it said "in doubt 0" and exited 0, and they stayed
    `submitting` until some later command)."""
    addresses, fake = on_postgresql(site, pg_url, 600, latency=0.2)
    try:
        killed, survivor = sender(site), sender(site)
        deadline = time.monotonic() + 60
        while len(fake.accepted) < 80 and time.monotonic() < deadline:
            time.sleep(0.02)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        out, err = survivor.communicate(timeout=300)
    finally:
        fake.close()
    states = ledger(pg_url)
    in_doubt = {a for a, s in states.items() if s == "in_doubt"}
    assert "submitting" not in states.values()
    assert {a for a, s in states.items() if s == "sent"} == set(addresses) - in_doubt
    assert max(fake.accepted.values()) == 1  # nobody twice
    assert set(fake.accepted) >= set(addresses) - in_doubt
    if in_doubt:  # (a kill between two batches leaves none)
        assert survivor.returncode == 1, out + err
        assert "Another run of the post stopped with messages on their way: they are now in " \
               "doubt" in out
        assert f"Left by earlier runs: in doubt {len(in_doubt)}." in out
        assert len(in_doubt) <= BATCH * CONCURRENCY


def wait_for_the_server_to_drop_its_lock(pg_url: str) -> None:
    """A killed sender's server session ends a moment after it (on a loaded machine, later than
    the next command starts); until then its share of the senders' lock says a sender is alive,
    and a rerun rightly leaves its batches in flight."""
    from newsletter.sending.ledger_pg import SENDERS

    deadline = time.monotonic() + 30
    with psycopg.connect(pg_url, autocommit=True) as db:
        while db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                         "classid = %s::oid AND objid::bigint = hashtext(current_schema()) "
                         "& 4294967295", (SENDERS,)).fetchone()[0] and time.monotonic() < deadline:
            time.sleep(0.02)


def test_send_due_on_a_second_host_waits_for_no_one_and_sends_nothing(site, pg_url):
    """The advisory lock a `send --due` holds is the one every host asks for."""
    from newsletter.sending.ledger_pg import DUE

    addresses, fake = on_postgresql(site, pg_url, 20, latency=0.0)
    env = provider_environ("postmark")
    try:
        with psycopg.connect(pg_url, autocommit=True) as other_host:
            other_host.execute("SELECT pg_advisory_lock(%s, hashtext(current_schema()))", (DUE,))
            locked_out = run_cli(site, "send", "--due", "--first-run", env=env)
            assert locked_out.returncode == 0, locked_out.stderr
            assert not fake.accepted and ledger(pg_url) == {}
        alone = run_cli(site, "send", "--due", env=env)
    finally:
        fake.close()
    assert alone.returncode == 0, alone.stderr
    assert sorted(fake.accepted) == sorted(addresses)


def test_a_database_restart_mid_send_duplicates_nothing_and_loses_nothing(site, own_cluster):
    """`pg_ctl restart` while batches are in flight: the sender stops with one line, and the
    next run sends the rest; in doubt only what was in flight when the database went away."""
    addresses, fake = on_postgresql(site, own_cluster.url, 400, latency=0.2)
    try:
        process = sender(site)
        deadline = time.monotonic() + 60
        while len(fake.accepted) < 60 and time.monotonic() < deadline:
            time.sleep(0.02)
        own_cluster.restart()
        out, err = process.communicate(timeout=120)
        rerun = run_cli(site, "send", "what-matters", "--yes", env=provider_environ("postmark"))
    finally:
        fake.close()
    assert process.returncode == 1
    assert err.splitlines()[-1].startswith("error: the PostgreSQL store: cannot be used (")
    assert "Traceback" not in err + rerun.stderr
    states = ledger(own_cluster.url)
    in_doubt = {a for a, s in states.items() if s == "in_doubt"}
    assert len(in_doubt) <= BATCH * CONCURRENCY
    assert {a for a, s in states.items() if s == "sent"} == set(addresses) - in_doubt
    assert max(fake.accepted.values()) == 1  # nobody twice
    assert set(fake.accepted) >= set(addresses) - in_doubt


def test_a_sender_takes_only_readers_active_in_its_segment_as_each_batch_is_taken(site, pg_url):
    """The run writes its readers' rows at the start; a reader who unsubscribes after that is
    never sent (their row goes), and a row left pending for a reader outside the segment
    stays for the run that includes them."""
    readers = [f"reader{n:02d}@example.org" for n in range(40)]
    (site / "subscribers" / "subscribers.csv").write_text("email,name,status,tags\n" + "".join(
        f"{a},Reader {n},active,{'weekly' if n % 2 == 0 else 'monthly'}\n"
        for n, a in enumerate(readers)))
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    (site / "subscribers" / "subscribers.csv").unlink()
    use_postgresql(site, pg_url)
    fake = start_fake("postmark", KEYS["postmark"])
    write_provider_settings(site, name="postmark", api_url=fake.url, timeout=60, batch_size=5,
                            concurrency=1)
    fake.enqueue(slow())  # the first batch waits until the unsubscribe below is in
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("INSERT INTO deliveries (post_id, address, state, attempts, created_at, "
                   "updated_at) VALUES (%s, %s, 'pending', 1, 'earlier', 'earlier')",
                   (POST, readers[1]))  # left by an earlier run, outside the segment
    try:
        process = start_cli(site, "send", "what-matters", "--yes", "--tag", "weekly",
                            env=provider_environ("postmark"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not fake.request_count and time.monotonic() < deadline:
            time.sleep(0.02)
        with psycopg.connect(pg_url, autocommit=True) as db:
            written = db.execute("SELECT count(*) FROM deliveries WHERE post_id = %s",
                                 (POST,)).fetchone()[0]
        assert invoke(site, "subscribers", "remove", readers[38]).exit_code == 0
        fake.closing.set()
        out, err = process.communicate(timeout=300)
    finally:
        fake.close()
    assert process.returncode == 0, out + err
    weekly = readers[0::2]
    assert written == len(weekly) + 1  # the run had written its rows before the unsubscribe
    assert sorted(fake.accepted) == sorted(set(weekly) - {readers[38]})
    assert "Sent 19, failed 0, in doubt 0, pending 0, skipped 1" in out
    states = ledger(pg_url)
    assert readers[38] not in states
    assert states.pop(readers[1]) == "pending"
    assert set(states.values()) == {"sent"}


def as_before_m010(url: str) -> None:
    """The ledger's shape as m009 left it: the partial index of `pending` rows, pages filled."""
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("DROP INDEX deliveries_by_post")
        db.execute("ALTER TABLE deliveries RESET (fillfactor)")
        db.execute("CREATE INDEX deliveries_pending ON deliveries (post_id, id) "
                   "WHERE state = 'pending'")
        db.execute("DELETE FROM newsletter_migrations "
                   "WHERE name = 'm010_keep_updates_off_the_indexes'")


@pytest.mark.parametrize("store", ["new", "from before m010"])
def test_two_senders_send_each_reader_once_on_a_new_store_and_on_one_migrated_mid_send(
        site, pg_url, store):
    """A run that stopped after writing its rows, then the ledger brought to m010 by `store
    migrate`: the pending rows are taken in list order as before, by both senders."""
    addresses, fake = on_postgresql(site, pg_url, 200, latency=0.0)
    with psycopg.connect(pg_url, autocommit=True) as db:  # left by the run that stopped
        db.execute("INSERT INTO deliveries (post_id, address, state, attempts, created_at, "
                   "updated_at) SELECT %s, key, 'pending', 0, 'earlier', 'earlier' "
                   "FROM subscribers ORDER BY position LIMIT 150", (POST,))
    if store != "new":
        as_before_m010(pg_url)
        migrated = run_cli(site, "store", "migrate")
        assert "the PostgreSQL store (ledger): 1 migration(s) applied" in migrated.stdout
    try:
        first, second = sender(site), sender(site)
        outputs = [process.communicate(timeout=300) for process in (first, second)]
    finally:
        fake.close()
    each_sent_once((first, second), outputs, fake, addresses, pg_url)


def test_two_senders_write_a_long_lists_rows_as_they_go_and_send_each_reader_once(site, pg_url):
    """The rows are written a stretch of the list at a time: the first request goes out
    before the whole list is written, and every reader still gets the post once."""
    from newsletter.sending.queue_pg import STRETCH

    count = STRETCH + 1000
    addresses, fake = on_postgresql(site, pg_url, count, latency=0.0)
    write_provider_settings(site, name="postmark", api_url=fake.url, timeout=60,
                            batch_size=500, concurrency=CONCURRENCY)
    # Every answer waits until the rows are counted: both senders stop at their first batches.
    fake.enqueue(*[slow()] * (2 * CONCURRENCY))
    try:
        first, second = sender(site), sender(site)
        deadline = time.monotonic() + 120
        while fake.request_count < 2 * CONCURRENCY and time.monotonic() < deadline:
            time.sleep(0.02)
        with psycopg.connect(pg_url, autocommit=True) as db:
            written = db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
        fake.closing.set()
        outputs = [process.communicate(timeout=300) for process in (first, second)]
    finally:
        fake.close()
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert written == STRETCH  # the list's first stretch
    assert sorted(fake.accepted) == sorted(addresses)
    assert set(fake.accepted.values()) == {1}  # nobody twice
    states = ledger(pg_url)
    assert set(states.values()) == {"sent"} and len(states) == count


def test_a_sender_ending_waits_out_a_recovery_check_but_not_a_live_sender(site, pg_url):
    """`status` or a starting sender holds the senders' lock for a moment to recover dead
    runs: the last sender to end waits for it (and so removes the post's template), while a
    live sender, holding the lock shared, answers at once that it is not alone."""
    from newsletter.sending.ledger_pg import SENDERS, PostgresLedger

    use_postgresql(site, pg_url)
    assert invoke(site, "store", "migrate").exit_code == 0
    lock = "SELECT {}(%s, hashtext(current_schema()))"
    with psycopg.connect(pg_url, autocommit=True) as other, PostgresLedger(pg_url) as ending:
        other.execute(lock.format("pg_advisory_lock"), (SENDERS,))  # a recovery check
        threading.Timer(0.2, other.execute, (lock.format("pg_advisory_unlock"), (SENDERS,))
                        ).start()
        with ending.alone() as alone:
            assert alone
        other.execute(lock.format("pg_advisory_lock_shared"), (SENDERS,))  # a live sender
        with ending.alone() as alone:
            assert not alone
