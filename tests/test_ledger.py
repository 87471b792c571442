"""The ledger: SQLite file, migrations, transactions and the state moves of docs/architecture.md#ledger."""

from __future__ import annotations

import sqlite3

import pytest

from newsletter.sending import State
from newsletter.sending.ledger import Ledger
from newsletter.state import LEDGER, RUNNING_PREFIX

POST = "/posts/what-matters"


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / ".newsletter" / "ledger.db") as ledger:
        yield ledger


def states(ledger) -> dict[str, str]:
    return dict(ledger.db.execute("SELECT address, state FROM deliveries").fetchall())


def test_the_ledger_is_a_wal_sqlite_file_with_every_migration_recorded_once(tmp_path):
    path = tmp_path / "ledger.db"
    Ledger(path).close()
    Ledger(path).close()  # reopening applies nothing twice
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [row[0] for row in db.execute("SELECT name FROM migrations")]
    assert names == list(LEDGER.names)


def test_atomic_rolls_back_everything_on_an_error(ledger):
    with pytest.raises(RuntimeError):
        with ledger.atomic() as db:
            db.execute("INSERT INTO meta VALUES ('since', 'x')")
            raise RuntimeError("boom")
    assert ledger.get_meta("since") is None


def test_meta_values_are_kept(ledger):
    ledger.set_meta("since", "2026-11-25T00:00:00+00:00")
    ledger.set_meta("since", "2026-11-26T00:00:00+00:00")
    assert ledger.get_meta("since") == "2026-11-26T00:00:00+00:00"


def test_a_claimed_batch_is_committed_as_submitting_before_anything_is_sent(ledger, tmp_path):
    ledger.claim(POST, ["a@x.org", "b@x.org"], "outbox")
    # Another connection (another process) sees the rows at once: they are committed.
    other = sqlite3.connect(ledger.path)
    assert dict(other.execute("SELECT address, state FROM deliveries")) == {
        "a@x.org": "submitting", "b@x.org": "submitting"}


def test_results_move_rows_to_sent_or_failed_keeping_ids_and_reasons(ledger):
    ledger.claim(POST, ["a@x.org", "b@x.org"], "postmark")
    ledger.record(POST, [("a@x.org", State.SENT, "pm-1", None),
                         ("b@x.org", State.FAILED, None, "422 inactive recipient")])
    [failed] = ledger.deliveries(POST, [State.FAILED])
    [sent] = ledger.deliveries(POST, [State.SENT])
    assert (sent.provider_message_id, sent.provider, sent.attempts) == ("pm-1", "postmark", 1)
    assert failed.reason == "422 inactive recipient"


def test_outcomes_shared_by_many_readers_are_written_for_each_of_them(ledger):
    # One UPDATE per 500 addresses for readers with the same outcome: none may be missed.
    addresses = [f"r{n}@x.org" for n in range(1203)]
    other_post = [f"s{n}@x.org" for n in range(3)]
    ledger.claim(POST, addresses, "sendgrid")
    ledger.claim("/posts/other", other_post, "sendgrid")
    ledger.mark(POST, addresses[:1100], State.SENT, None, "sg-batch-1")
    ledger.record(POST, [(a, State.FAILED, None, "bounced") for a in addresses[1100:1202]]
                  + [(addresses[1202], State.SENT, "sg-2", None)])
    sent = ledger.deliveries(POST, [State.SENT])
    assert {row.address: row.provider_message_id for row in sent} == {
        **{a: "sg-batch-1" for a in addresses[:1100]}, addresses[1202]: "sg-2"}
    assert {row.reason for row in ledger.deliveries(POST, [State.FAILED])} == {"bounced"}
    assert len(ledger.deliveries(POST, [State.FAILED])) == 102
    assert ledger.counts("/posts/other")["/posts/other"] == {State.SUBMITTING: 3}


def ledger_as_of(path, migrations: int) -> sqlite3.Connection:
    """A ledger file built by the first ``migrations`` migrations only, as an older version left it."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for migration in LEDGER.migrations[:migrations]:
        migration.sqlite(db)
        db.execute("INSERT INTO migrations VALUES (?, '')", (migration.name,))
    return db


def test_a_ledger_from_before_m004_keeps_a_crashed_runs_rows_recoverable(tmp_path):
    path = tmp_path / "ledger.db"
    db = ledger_as_of(path, 3)
    db.execute("INSERT INTO deliveries (post_id, address, state, created_at, updated_at) "
               "VALUES (?, 'a@x.org', 'submitting', '', '')", (POST,))
    db.execute("INSERT INTO deliveries (post_id, address, state, created_at, updated_at) "
               "VALUES ('/posts/other', 'b@x.org', 'sent', '', '')")
    db.close()
    with Ledger(path) as ledger:
        indexes = ledger.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                    "AND tbl_name = 'deliveries' AND sql IS NOT NULL")
        assert [row[0] for row in indexes] == ["deliveries_by_reader"]  # none by state
        assert ledger.recover() == 1
        assert states(ledger) == {"a@x.org": "in_doubt", "b@x.org": "sent"}
        assert ledger.recover() == 0


def test_a_ledger_from_before_m005_keeps_every_row_and_field(tmp_path):
    path = tmp_path / "ledger.db"
    db = ledger_as_of(path, 4)
    rows = [(POST, "b@x.org", "sent", 1, None, "postmark", "pm-1", "<1@x>", "t1", "t2"),
            (POST, "a@x.org", "failed", 2, "422 inactive", "postmark", None, "<2@x>", "t1", "t3"),
            ("/posts/other", "a@x.org", "pending", 1, "not sent: 503", "sendgrid", None, "<3@x>",
             "t0", "t4")]
    db.executemany("INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()
    with Ledger(path) as ledger:
        kept = ledger.db.execute(
            "SELECT post_id, address, state, attempts, reason, provider, provider_message_id, "
            "message_id, created_at, updated_at FROM deliveries").fetchall()
        assert sorted(kept, key=str) == sorted(rows, key=str)
        ledger.claim("/posts/other", ["a@x.org"], "sendgrid")  # still one row a reader
        [again] = ledger.deliveries("/posts/other", [State.SUBMITTING])
        assert (again.attempts, again.reason) == (2, None)
        assert ledger.counts()[POST] == {State.SENT: 1, State.FAILED: 1}


def test_a_ledger_from_before_m006_still_knows_which_posts_have_readers_pending(tmp_path):
    db = ledger_as_of(tmp_path / "ledger.db", 5)
    db.executemany("INSERT INTO deliveries (post_id, address, state, created_at, updated_at) "
                   "VALUES (?, ?, ?, '', '')", [(POST, "a@x.org", "pending"),
                                               ("/posts/other", "a@x.org", "sent")])
    db.close()
    with Ledger(tmp_path / "ledger.db") as ledger:
        assert ledger.may_have_pending(POST)
        assert not ledger.may_have_pending("/posts/other")


def test_readers_moved_to_pending_flag_their_post_until_cleared(ledger):
    ledger.claim(POST, ["a@x.org", "b@x.org"], "outbox")
    ledger.record(POST, [("a@x.org", State.FAILED, None, "422"), ("b@x.org", State.SENT, "i", None)])
    assert not ledger.may_have_pending(POST)
    ledger.requeue(POST, State.FAILED)  # send --retry-failed
    assert ledger.may_have_pending(POST)
    ledger.clear_pending(POST)
    ledger.claim(POST, ["a@x.org"], "outbox")
    ledger.mark(POST, ["a@x.org"], State.PENDING, "not sent: 503")
    assert ledger.may_have_pending(POST)
    assert not ledger.may_have_pending("/posts/other")


def test_recover_turns_a_crashed_runs_submitting_rows_into_in_doubt(ledger):
    with pytest.raises(RuntimeError), ledger.running(POST):
        ledger.claim(POST, ["a@x.org"], "outbox")
        ledger.claim(POST, ["b@x.org"], "outbox")
        ledger.record(POST, [("b@x.org", State.SENT, "id", None)])
        raise RuntimeError("the run dies here")
    assert ledger.recover() == 1
    assert states(ledger) == {"a@x.org": "in_doubt", "b@x.org": "sent"}
    assert ledger.recover() == 0  # nothing left to look at


def test_a_run_that_ends_normally_leaves_nothing_for_recover(ledger):
    with ledger.running(POST):
        ledger.claim(POST, ["a@x.org"], "outbox")
        assert ledger.get_meta(RUNNING_PREFIX + POST) is not None
        ledger.record(POST, [("a@x.org", State.SENT, "id", None)])
    assert ledger.get_meta(RUNNING_PREFIX + POST) is None
    assert ledger.recover() == 0


def test_requeue_moves_failed_or_in_doubt_back_to_pending_and_attempts_count_up(ledger):
    ledger.claim(POST, ["a@x.org", "b@x.org"], "outbox")
    ledger.mark(POST, ["a@x.org"], State.IN_DOUBT, "timeout")
    ledger.record(POST, [("b@x.org", State.FAILED, None, "rejected")])
    assert ledger.requeue(POST, State.IN_DOUBT) == 1
    assert states(ledger) == {"a@x.org": "pending", "b@x.org": "failed"}
    ledger.claim(POST, ["a@x.org"], "outbox")
    [row] = ledger.deliveries(POST, [State.SUBMITTING])
    assert row.attempts == 2


def test_settled_names_the_readers_a_run_skips(ledger):
    addresses = [f"r{n}@x.org" for n in range(1200)]  # more than one IN (...) query
    ledger.claim(POST, addresses, "outbox")
    ledger.mark(POST, addresses[:5], State.PENDING, "not sent: 503")
    assert ledger.settled(POST, addresses) == set(addresses[5:])
    assert ledger.settled("/posts/other", addresses) == set()


def test_counts_per_post(ledger):
    ledger.claim(POST, ["a@x.org", "b@x.org"], "outbox")
    ledger.claim("/posts/other", ["a@x.org"], "outbox")
    ledger.record(POST, [("a@x.org", State.SENT, "id", None)])
    counts = ledger.counts()
    assert counts[POST] == {State.SENT: 1, State.SUBMITTING: 1}
    assert counts["/posts/other"] == {State.SUBMITTING: 1}
    assert list(ledger.counts(POST)) == [POST]


def test_one_posts_counts_hold_every_state_and_refuse_one_this_version_does_not_know(ledger):
    # A post's rows are counted in one pass (a count a state); a state written by something
    # else is refused as the count of every post refuses it, never left out of the total.
    readers = {state: [f"{state}{i}@x.org" for i in range(number + 1)]
               for number, state in enumerate(State)}
    for state, addresses in readers.items():
        ledger.claim(POST, addresses, "outbox")
        ledger.mark(POST, addresses, state, None)
    ledger.claim("/posts/other", ["a@x.org"], "outbox")
    expected = {state: len(addresses) for state, addresses in readers.items()}
    assert ledger.counts(POST) == {POST: expected} == {POST: ledger.counts()[POST]}
    assert ledger.counts("/posts/none") == {}
    ledger.db.execute("UPDATE deliveries SET state = 'bounced' WHERE address = 'sent0@x.org'")
    with pytest.raises(ValueError, match="bounced"):
        ledger.counts(POST)


def test_counts_of_some_states_leave_the_others_out_and_still_refuse_an_unknown_one(ledger):
    # A send's summary counts the unsettled rows only (left_as_it_ends): the sent ones, most
    # of a post's, are passed over; a state written by something else is still refused.
    from newsletter.sending.states import UNSETTLED

    for number, state in enumerate(State):
        addresses = [f"{state}{i}@x.org" for i in range(number + 1)]
        ledger.claim(POST, addresses, "outbox")
        ledger.mark(POST, addresses, state, None)
    ledger.claim("/posts/other", ["a@x.org"], "outbox")
    unsettled = {state: number + 1 for number, state in enumerate(State) if state in UNSETTLED}
    assert ledger.counts(POST, UNSETTLED) == {POST: unsettled}
    assert ledger.counts(None, [State.SUBMITTING]) == {POST: {State.SUBMITTING: 2},
                                                       "/posts/other": {State.SUBMITTING: 1}}
    assert ledger.counts("/posts/none", UNSETTLED) == {}
    ledger.db.execute("UPDATE deliveries SET state = 'bounced' WHERE address = 'sent0@x.org'")
    with pytest.raises(ValueError, match="bounced"):
        ledger.counts(POST, UNSETTLED)


def test_a_run_that_ends_with_a_batch_still_submitting_keeps_its_mark_for_recover(ledger):
    with ledger.running(POST):  # e.g. interrupted between a claim and its hand-over
        ledger.claim(POST, ["a@x.org"], "outbox")
    assert ledger.get_meta(RUNNING_PREFIX + POST) is not None
    assert ledger.recover() == 1
    assert states(ledger) == {"a@x.org": "in_doubt"}


def test_a_run_keeps_its_mark_while_any_claimed_reader_has_no_outcome(ledger):
    with ledger.running(POST):
        ledger.claim(POST, ["a@x.org", "b@x.org"], "outbox", key="k1")
        ledger.mark(POST, ["a@x.org", "b@x.org"], State.PENDING, "not sent: 503", batch="k1")
        ledger.claim(POST, ["a@x.org", "b@x.org"], "outbox", key="k2")  # tried again
        ledger.record(POST, [("a@x.org", State.SENT, "id", None)], batch="k2")
    assert ledger.get_meta(RUNNING_PREFIX + POST) is not None  # b is still on its way
    assert ledger.recover() == 1
    assert states(ledger) == {"a@x.org": "sent", "b@x.org": "in_doubt"}
    with ledger.running(POST):
        ledger.claim(POST, ["b@x.org"], "outbox")
        ledger.mark(POST, ["b@x.org"], State.SENT, None, "id")
    assert ledger.get_meta(RUNNING_PREFIX + POST) is None


def test_a_runs_claims_reach_the_disk_before_a_worker_sends_and_other_commits_wait_for_it(ledger):
    # Within a run, claims and outcomes are committed without waiting for the disk; the worker
    # sending a batch syncs the log first (Ledger.synced). Outside a run every commit waits.
    import os

    from newsletter.errors import NotSentError

    sent = []
    with ledger.running(POST):
        ledger.claim(POST, ["a@example.com"], "outbox", key="k1")
        assert ledger.synced(sent.append)("batch 1") is None and sent == ["batch 1"]
        ledger.mark(POST, ["a@example.com"], State.SENT, None, batch="k1")
        # A log that cannot be synced (a file descriptor no longer valid stands for a failing
        # disk): the batch must not leave, and that is said in one line.
        os.close(ledger._log._fd)
        with pytest.raises(NotSentError, match="could not be written to disk.*nothing was sent"):
            ledger.synced(sent.append)("batch 2")
        ledger._log._fd = os.open(ledger._log.log, os.O_RDONLY)  # for the run's end to close
    assert sent == ["batch 1"]
    assert ledger.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL outside a run
    assert states(ledger) == {"a@example.com": "sent"}


def test_one_sync_serves_every_claim_written_before_it_began(ledger):
    # Workers whose claims one fsync covered send without one each (a group sync); a claim
    # written after it still waits for the disk. A log that cannot be synced (its descriptor
    # closed stands for a failing disk) shows which batches asked the disk again.
    import os

    from newsletter.errors import NotSentError

    sent = []
    with ledger.running(POST):
        assert ledger.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL in a run
        ledger.claim(POST, ["a@example.com"], "outbox", key="k1")
        ledger.claim(POST, ["b@example.com"], "outbox", key="k2")
        ledger.synced(sent.append)("batch 1")
        os.close(ledger._log._fd)
        ledger.synced(sent.append)("batch 2")  # its claim was on disk with batch 1's
        ledger.claim(POST, ["c@example.com"], "outbox", key="k3")
        with pytest.raises(NotSentError, match="could not be written to disk"):
            ledger.synced(sent.append)("batch 3")
        ledger._log._fd = os.open(ledger._log.log, os.O_RDONLY)  # for the run's end to close
    assert sent == ["batch 1", "batch 2"]
    assert ledger.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL after the run
