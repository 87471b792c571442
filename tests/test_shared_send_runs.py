"""The runs of a shared send on the PostgreSQL store: a run that died is ended once a command
finds it so (and its batches in flight are in doubt), and a sender ending as another starts
never removes the running mark of the one starting (docs/store.md#several-hosts)."""

from __future__ import annotations

import json
import time

import psycopg
from fake_providers import slow

from tests.conftest import invoke
from tests.pg_support import pg_url  # noqa: F401 (fixture)
from tests.test_shared_send import POST, ledger, on_postgresql, running_marks, sender


def another_hosts_run(db: psycopg.Connection) -> int:
    """What a sender on another host does as its run starts, in ``db``'s open transaction:
    the post's running mark, the run's row and the lock it holds while it lives."""
    from newsletter.sending.ledger_pg_runs import MARKS, RUN_LOCK

    db.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", (MARKS,))
    db.execute("INSERT INTO ledger_meta VALUES (%s, 'now') ON CONFLICT (key) DO UPDATE "
               "SET value = excluded.value", ("running:" + POST,))
    run = db.execute("INSERT INTO runs (post_id, started_at) VALUES (%s, 'now') RETURNING id",
                     (POST,)).fetchone()[0]
    db.execute(f"SELECT pg_advisory_lock({RUN_LOCK})", (run,))
    return run


def wait_until_its_lock_is_free(url: str, run: int) -> None:
    """A closed session's locks go a moment after it (later still on a loaded machine)."""
    deadline = time.monotonic() + 30
    with psycopg.connect(url, autocommit=True) as db:
        while db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                         "AND objsubid = 1 AND objid = %s", (run,)).fetchone()[0] \
                and time.monotonic() < deadline:
            time.sleep(0.02)


def last_run(site) -> dict:
    result = invoke(site, "status", "what-matters", "--json")
    return json.loads(result.output)["last_run"]


def test_a_run_that_died_is_ended_when_found_so_and_its_batches_are_in_doubt(site, pg_url):
    """Its row said "running" forever (and every later run took the careful path), and with
    its post's mark gone its batches stayed `submitting`: now `status` finds it dead, puts
    its batches in doubt and ends it; a run still alive beside it is left running."""
    addresses, fake = on_postgresql(site, pg_url, 20, latency=0.0)
    fake.close()
    dying, alive = psycopg.connect(pg_url), psycopg.connect(pg_url)
    try:
        dead = another_hosts_run(dying)
        dying.execute("INSERT INTO deliveries (post_id, address, state, attempts, created_at, "
                      "updated_at) SELECT %s, key, 'submitting', 1, 'now', 'now' "
                      "FROM subscribers ORDER BY position LIMIT 3", (POST,))
        dying.execute("DELETE FROM ledger_meta WHERE key LIKE 'running:%'")  # mark lost
        dying.commit()
        dying.close()
        wait_until_its_lock_is_free(pg_url, dead)
        assert last_run(site)["ended"] is not None  # found dead, ended
        assert sorted(ledger(pg_url).values()) == ["in_doubt"] * 3
        living = another_hosts_run(alive)
        alive.commit()
        assert last_run(site)["ended"] is None  # alive: still running
        with psycopg.connect(pg_url) as db:
            ended = dict(db.execute("SELECT id, ended_at IS NOT NULL FROM runs"))
        assert ended == {dead: True, living: False}
    finally:
        dying.close()
        alive.close()


def test_a_sender_ending_as_another_starts_keeps_the_running_mark_of_the_one_starting(
        site, pg_url):
    """The ending sender finds no other run and removes the post's mark while a run starting
    on another host sets it: that run went on without a mark, and had it died its batches in
    flight would have stayed `submitting` for good. Now one waits for the other: the mark
    stays while that run lives, and once it dies the next command ends it."""
    addresses, fake = on_postgresql(site, pg_url, 40, latency=0.0)
    fake.enqueue(slow())  # the sender's first answer waits until the other run is starting
    starting = psycopg.connect(pg_url)
    try:
        process = sender(site)
        deadline = time.monotonic() + 120
        while fake.request_count < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        run = another_hosts_run(starting)
        fake.closing.set()
        with psycopg.connect(pg_url, autocommit=True) as db:  # the sender ends, and waits
            while not db.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> "
                                 "%s", (starting.info.backend_pid,)).fetchone()[0] \
                    and time.monotonic() < deadline:
                time.sleep(0.02)
        starting.commit()
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, out + err
        assert sorted(fake.accepted) == sorted(addresses)
        assert running_marks(pg_url) == ["running:" + POST]  # the other run's, alive
        starting.close()
        wait_until_its_lock_is_free(pg_url, run)
        assert last_run(site)["ended"] is not None
        assert running_marks(pg_url) == []
    finally:
        starting.close()
        fake.close()


def test_a_sender_walks_the_rows_there_before_it_began_whatever_another_run_walked(
        site, pg_url):
    """A sender starts its look past the furthest another live run of the post has walked,
    but only among rows written since it began: the rows already there (an earlier run's,
    or put back to `pending` by --retry-failed) that another run walked past are its own to
    walk, and every reader gets the post once; its walk leaves no mark behind."""
    from newsletter.sending.queue_pg import WALKED_PREFIX

    addresses, fake = on_postgresql(site, pg_url, 60, latency=0.0)
    other = psycopg.connect(pg_url)
    try:
        run = another_hosts_run(other)
        other.execute("INSERT INTO deliveries (post_id, address, state, attempts, created_at, "
                      "updated_at) SELECT %s, key, 'pending', 0, 'now', 'now' "
                      "FROM subscribers ORDER BY position", (POST,))
        # its walk came to the last of them (as its look walked rows not to send then)
        other.execute("INSERT INTO ledger_meta SELECT %s, max(id)::text FROM deliveries",
                      (f"{WALKED_PREFIX}{POST}:null:{run}",))
        other.commit()
        out, err = sender(site).communicate(timeout=300)
    finally:
        other.close()
        fake.close()
    assert "Sent 60," in out, out + err
    assert sorted(fake.accepted) == sorted(addresses)
    assert set(fake.accepted.values()) == {1}
    assert set(ledger(pg_url).values()) == {"sent"}
    with psycopg.connect(pg_url) as db:
        marks = [key for (key,) in db.execute("SELECT key FROM ledger_meta WHERE key LIKE "
                                              "'walked:%' ORDER BY key")]
    assert marks == [f"{WALKED_PREFIX}{POST}:null:{run}"]  # the other run's, alive


def test_rows_a_sender_held_past_its_walks_mark_as_it_died_are_sent_by_the_one_beside_it(
        site, pg_url):
    """Another host's sender takes every row this one has not, marks its walk past them, then
    dies before its claim: this sender's next look starts past that mark and finds nothing,
    so it walks again from the start, jumping no more, and everyone gets the post once."""
    from newsletter.sending.queue_pg import WALKED_PREFIX
    from tests.test_shared_send import BATCH, CONCURRENCY

    addresses, fake = on_postgresql(site, pg_url, 60, latency=0.0)
    fake.enqueue(*[slow()] * CONCURRENCY)  # this sender waits with its first batches in flight
    dying = psycopg.connect(pg_url)
    try:
        run = another_hosts_run(dying)
        dying.commit()
        process = sender(site)
        deadline = time.monotonic() + 120
        while fake.request_count < CONCURRENCY and time.monotonic() < deadline:
            time.sleep(0.02)
        held = dying.execute("SELECT id FROM deliveries WHERE state = 'pending' ORDER BY id "
                             "FOR UPDATE SKIP LOCKED").fetchall()
        with psycopg.connect(pg_url, autocommit=True) as db:
            db.execute("INSERT INTO ledger_meta VALUES (%s, %s)",
                       (f"{WALKED_PREFIX}{POST}:null:{run}", str(held[-1][0])))
        dying.close()
        wait_until_its_lock_is_free(pg_url, run)
        fake.closing.set()
        out, err = process.communicate(timeout=300)
    finally:
        dying.close()
        fake.close()
    assert len(held) == len(addresses) - CONCURRENCY * BATCH
    assert process.returncode == 0, out + err
    assert sorted(fake.accepted) == sorted(addresses)
    assert set(fake.accepted.values()) == {1}  # nobody twice
    assert set(ledger(pg_url).values()) == {"sent"}
