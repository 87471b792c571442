"""A post's status in words, shared by `newsletter posts`, `status` and the preview pages.

Before sending starts a post's status is its class (draft, scheduled, ready, ...); afterwards the
ledger's counts say more: "sent 4 of 4", or "sent 3 of 4 (1 in doubt)" for a partial campaign.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Collection

from newsletter.config import Settings
from newsletter.posts import Post, PostStatus, classify
from newsletter.sending.accounting import recover_dead_runs
from newsletter.sending.ledger import Ledger
from newsletter.sending.schedule import GoingOn
from newsletter.state import ledger_on_disk
from newsletter.sending.states import REPORT_ORDER, State

_CLASS_WORDS = {PostStatus.PAGE: "page (not emailed)", PostStatus.OPTED_OUT: "newsletter: false",
                PostStatus.EXPIRED: "expired (not published)"}
BEFORE_SINCE = ("before-since", "before since (not sent by --due)")
NOT_YET_SENT = "not yet sent"  # active readers the ledger does not hold for the post


def ledger_counts(settings: Settings, post_id: str | None = None) -> dict[str, Counter]:
    """Ledger rows per state for each post id, or for ``post_id`` only (an index's search,
    not a read of every row: a ledger of 200 posts to 100,000 readers is 20 million rows), a
    dead run's batches found in doubt first; empty when nothing was ever sent from the site."""
    if not settings.store_url and not ledger_on_disk(settings.state_dir):
        return {}
    recover_dead_runs(settings)
    with Ledger.open_existing(settings) as ledger:
        return ledger.counts(post_id)


def status_words(post: Post, now: dt.datetime, counts: dict[str, Counter],
                 unsent: dict[str, int] | None = None,
                 since: dt.datetime | None = None,
                 held: dict[str, str | None] | None = None) -> tuple[str, str]:
    """(kind, words) for a post; kind is "sent", "partial", "before-since", "renamed" or the
    post's class.

    With ``unsent`` (post id -> active readers the ledger lacks), those count too: "sent 40
    of 120 (80 not yet sent)". A published post dated before ``since`` is one `send --due`
    never sends: said so, because a wrong year in its date would otherwise go unnoticed. So is
    one in ``held`` (:func:`~newsletter.sending.schedule.held_back`): a sent post renamed, one
    dated by its file's time that an edit made look new, or one a run found no readers for.
    """
    states = counts.get(post.id)
    if states:
        missing = (unsent or {}).get(post.id, 0)
        done, total = states["sent"], sum(states.values()) + missing
        others = [f"{states[state]} {state.words}" for state in REPORT_ORDER[1:] if states[state]]
        if missing:
            others.append(f"{missing} {NOT_YET_SENT}")
        words = f"sent {done} of {total}" + (f" ({', '.join(others)})" if others else "")
        return ("sent" if done == total else "partial"), words
    status = classify(post, now)
    if status is PostStatus.READY and held and post.id in held:
        sent_as = held[post.id]
        if sent_as is None:
            return BEFORE_SINCE
        if sent_as == post.id:
            return "sent", "sent to nobody (no active readers then)"
        if isinstance(sent_as, GoingOn):
            return "partial", f"renamed: going out as {sent_as} (send --due sends the rest)"
        return "renamed", f"renamed: sent as {sent_as} (not sent by --due)"
    if (since is not None and status in (PostStatus.READY, PostStatus.SCHEDULED)
            and post.date < since):
        return BEFORE_SINCE
    return status.value, _CLASS_WORDS.get(status, status.value)


def schedule_note(posts: list[Post], now: dt.datetime, held: Collection[str],
                  since: dt.datetime | None) -> str | None:
    """Why published posts are not what `send --due` sends, in the words `posts` uses; the one
    sentence `posts`, `check` and the preview index all say. None when nothing needs saying.
    ``held``: the ids of the posts the ledger holds rows of (its counts will do; `check` asks
    for the ids alone, not a count of every row)."""
    if since is not None:
        before = sum(post.id not in held and
                     status_words(post, now, {}, since=since)[0] == BEFORE_SINCE[0]
                     for post in posts)
        if not before:
            return None
        return (f"{_posts(before)} {'is' if before == 1 else 'are'} {BEFORE_SINCE[1]}: "
                f"[schedule] since is {since:%Y-%m-%d %H:%M %Z}; send one on purpose with "
                "`newsletter send POST`, or move since.")
    ready = [post.date for post in posts
             if classify(post, now) is PostStatus.READY and post.id not in held]
    if not ready:
        return None
    # init writes no since: the line that sends the newest post only (since the oldest would
    # mail a blog's whole archive at once).
    newest = max(ready).astimezone(dt.timezone.utc)
    return (f"No send --due has run yet: the first one records its time as [schedule] since, "
            f"so the {_posts(len(ready))} ready now {'is' if len(ready) == 1 else 'are'} "
            f"{BEFORE_SINCE[1]}; to have it send the newest, put since = "
            f"{newest:%Y-%m-%dT%H:%M:%SZ} under [schedule] in newsletter.toml, or send one "
            "on purpose with `newsletter send POST`.")


def _posts(count: int) -> str:
    return f"{count} post{'' if count == 1 else 's'}"


def state_summary(counts: Counter, unsent: int | None = None) -> str:
    """"sent 3, failed 0, in doubt 1, pending 0" (and "in flight N" while rows are submitting),
    then "not yet sent N" when ``unsent`` is given."""
    words = [f"{state.words} {counts[state]}" for state in REPORT_ORDER
             if counts[state] or state is not State.SUBMITTING]
    if unsent is not None:
        words.append(f"{NOT_YET_SENT} {unsent}")
    return ", ".join(words)
