"""Which post a delivery event is about: the ledger's messages to its reader, and the post id
its message was tagged with (docs/events.md#tying-an-event-to-its-post-and-reader)."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path

from newsletter.sending.events import Connections, InDatabase
from newsletter.sending.ledger import LEDGER_FILE
from newsletter.sending.states import State
from newsletter.state import LEDGER, postgres, sqlite

# Rows whose message may have reached the reader: an event can be about them.
MAILED = (State.SENT, State.IN_DOUBT, State.SUBMITTING)
POST_IDS_FOR = 60.0  # seconds the ledger's list of posts is reused
POST_IDS_MISS = 5.0  # a tag no post had at the last read re-reads it at most this often
UNKNOWN_TAGS = 1000  # such tags remembered
# The ledger's distinct post ids, one index probe a post (its key starts with post_id): a
# DISTINCT read every row, 120 ms on a ledger of two posts to a million readers.
POST_IDS = ("WITH RECURSIVE p(id) AS (SELECT min(post_id) FROM deliveries UNION ALL "
            "SELECT (SELECT min(post_id) FROM deliveries WHERE post_id > p.id) FROM p "
            "WHERE p.id IS NOT NULL) SELECT id FROM p WHERE id IS NOT NULL")


class PostFinder:
    """Which post an event is about.

    The post its message was tagged with, when the ledger mailed that post to the reader; else
    the post whose id the tag is once punctuation is ignored (a tag-safe form of the id); else,
    with no tag, the post the ledger most recently mailed the reader; else None: a tag of no
    post the ledger mailed this reader is another sender's message through the same account
    (an app's password reset, another blog, a staging copy of this one), never their latest.
    """

    def __init__(self, state_dir: Path, database: postgres.Database | None = None):
        self.path = Path(state_dir) / LEDGER_FILE
        self._in_database = database is not None
        self._connections = Connections(self._connect) if database is None \
            else InDatabase(database, LEDGER, owned=False)
        # (when read, the post ids, their loose forms); tags no post had at the last read
        self._post_ids: tuple[float, frozenset[str], frozenset[str]] = (
            float("-inf"), frozenset(), frozenset())
        self._unknown: set[str] = set()
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        # Only reads, of the table every ledger version has; a send writes meanwhile (WAL).
        return sqlite3.connect(self.path, isolation_level=None, timeout=sqlite.BUSY_TIMEOUT,
                               check_same_thread=False)

    def close(self) -> None:
        self._connections.close()

    def post_for(self, reader: str, tag: str, *, in_doubt_too: bool = False) -> str | None:
        """The post of an event about ``reader`` whose message was tagged ``tag`` ("": none).
        Without a tag, the latest post the ledger knows was sent to the reader, never one it
        holds the reader in doubt for: every message of ours is tagged, so an untagged event
        may be another sender's (an app's password reset through the same account), and must
        not settle that reader in `reconcile`. With ``in_doubt_too`` (a one-click unsubscribe,
        whose link names no post), the latest post mailed in any way."""
        if not self._in_database and not self.path.exists():
            return None
        # The tag itself first, whatever the list of posts says: a post sent since it was read
        # has its first events seconds after its send.
        if tag and self._mailed(reader, [tag]):
            return tag
        loose = _loose(tag)
        posts, known = self._known_posts(loose)
        if tag and not _ours(tag, loose, known):
            return None
        mailed = self._mailed(reader, sorted(posts),
                              MAILED if tag or in_doubt_too else (State.SENT,))
        if tag:
            mailed = {post: at for post, at in mailed.items()
                      if _ours(tag, loose, frozenset([_loose(post)]))}
        return max(mailed, key=mailed.__getitem__) if mailed else None

    def _mailed(self, reader: str, posts: list[str],
                states: tuple[State, ...] = MAILED) -> dict[str, str]:
        """post -> when it was mailed to ``reader``, for those of ``posts`` it was (its row in
        one of ``states``): one query (a blog of a hundred posts made a hundred a one-click
        unsubscribe)."""
        if not posts:
            return {}
        rows = self._connections.rows(
            "SELECT post_id, state, updated_at FROM deliveries WHERE address = ? AND post_id "
            f"IN ({', '.join('?' * len(posts))})", (reader, *posts))
        return {post: at for post, state, at in rows if state in states}

    def _known_posts(self, loose: str) -> tuple[frozenset[str], frozenset[str]]:
        """The ledger's post ids and their loose forms, re-read after a while, or at once when
        ``loose`` (a tag,
        letters and digits only) names none of them: a post sent since. A tag still unknown
        after a fresh read re-reads at most every POST_IDS_MISS seconds."""
        now = time.monotonic()
        with self._lock:
            loaded, posts, known = self._post_ids
            missing = loose and loose not in known
            stale = now - loaded > POST_IDS_FOR or (missing and (
                loose not in self._unknown or now - loaded > POST_IDS_MISS))
            if stale:
                posts = frozenset(row[0] for row in self._connections.rows(POST_IDS))
                known = frozenset(_loose(post) for post in posts)
                self._post_ids = (now, posts, known)
                if loose and loose not in known:
                    if len(self._unknown) >= UNKNOWN_TAGS:
                        self._unknown.clear()
                    self._unknown.add(loose)
            return posts, known


def _loose(text: str) -> str:
    """Letters and digits only, lower-cased: how a tag a provider made safe still matches."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


TAG_CUT = 256  # characters of a tag-safe id Resend's tag keeps (providers.safe_label)


def _ours(tag: str, loose: str, known: frozenset[str]) -> bool:
    """Whether ``tag`` (``loose``: its loose form) names one of the ledger's posts (``known``:
    theirs), perhaps cut short at TAG_CUT characters."""
    return loose in known or (len(tag) >= TAG_CUT and any(post.startswith(loose)
                                                           for post in known))

