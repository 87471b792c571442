"""state.sqlite.immediate: one write transaction that never leaves its connection inside it."""

from __future__ import annotations

import sqlite3

import pytest

from newsletter.state import sqlite


def test_a_commit_that_fails_is_rolled_back_and_the_next_transaction_starts(tmp_path):
    """A COMMIT can fail on its own (a full disk; here a deferred foreign key): before, the
    connection stayed inside the transaction, and every later write on it failed with
    "cannot start a transaction within a transaction"."""
    db = sqlite.connect(tmp_path / "state.db")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("CREATE TABLE posts (id TEXT PRIMARY KEY)")
    db.execute("CREATE TABLE sends (post TEXT REFERENCES posts (id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError), sqlite.immediate(db):
        db.execute("INSERT INTO sends VALUES ('missing')")
    assert not db.in_transaction
    with sqlite.immediate(db):
        db.execute("INSERT INTO posts VALUES ('kept')")
    assert db.execute("SELECT id FROM posts").fetchall() == [("kept",)]
    assert db.execute("SELECT count(*) FROM sends").fetchone() == (0,)
    db.close()
