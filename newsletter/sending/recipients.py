"""Who a run sends to: active readers the ledger does not hold as settled, in batches."""

from __future__ import annotations

import datetime as dt
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence, TypeVar

from newsletter.errors import InputError
from newsletter.posts import PostStatus, classify
from newsletter.sending.ledger import Ledger
from newsletter.sending.states import SETTLED, State

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post
    from newsletter.providers import Provider
    from newsletter.render import Email

R = TypeVar("R")  # a reader: anything with a `key`
M = TypeVar("M")  # a message


def settled_states(retry_failed: bool = False, resend_in_doubt: bool = False) -> tuple[State, ...]:
    """Ledger states whose readers a run skips, given the --retry-failed/--resend-in-doubt flags."""
    skipped = {State.FAILED} if retry_failed else set()
    if resend_in_doubt:
        skipped.add(State.IN_DOUBT)
    return tuple(state for state in SETTLED if state not in skipped)


def batch_size(settings: Settings, provider: Provider, email: Email) -> int:
    """Messages per provider call: the provider's maximum for this email (its request-size
    limit counts the images each message carries), or less if batch_size says so."""
    largest = provider.max_batch_for(email)
    return min(largest, settings.provider.batch_size or largest)


def unsettled_batches(readers: Iterable[R], ledger: Ledger | None, post_id: str, size: int,
                      states: Iterable[State] = SETTLED) -> Iterator[list[R]]:
    """``readers`` (each with a ``key``) the ledger does not hold in ``states``, ``size`` at a
    time (streamed)."""
    states = tuple(states)
    batch: list[R] = []
    readers = iter(readers)
    while chunk := list(islice(readers, size)):
        if ledger and (done := ledger.settled(post_id, [r.key for r in chunk], states)):
            chunk = [r for r in chunk if r.key not in done]
        batch.extend(chunk)
        while len(batch) >= size:
            yield batch[:size]
            batch = batch[size:]
    if batch:
        yield batch


def selected(readers: Iterable[R], select: Callable[[list[str]], set[str]],
             size: int) -> Iterator[R]:
    """``readers`` whose keys ``select`` keeps, asked ``size`` keys at a time (streamed)."""
    readers = iter(readers)
    while chunk := list(islice(readers, size)):
        keep = select([r.key for r in chunk])
        yield from (r for r in chunk if r.key in keep)


def claimed_part(messages: list[M], keys: list[str], claimed: Sequence[str]
                 ) -> tuple[list[M], list[str]]:
    """The messages and keys of a batch that its claim got (a sender sharing the campaign
    claimed the others)."""
    mine = set(claimed)
    kept = [(message, key) for message, key in zip(messages, keys) if key in mine]
    return [message for message, _ in kept], [key for _, key in kept]


def check_sendable(post: Post, now: dt.datetime, *, test: bool = False,
                   where: str | None = None) -> None:
    """Refuse drafts, expired and scheduled posts, pages and opted-out posts (tests may send
    drafts)."""
    status = classify(post, now)
    # Lambdas: only the refusal that applies is worded (a page has no date to format).
    refusals = {
        PostStatus.DRAFT: lambda: ("is a draft", _publish_hint(post)),
        PostStatus.SCHEDULED: lambda: (f"is scheduled for {post.date:%Y-%m-%d %H:%M %Z}",
                                       "wait for its date, or test it with --to EMAIL"),
        PostStatus.PAGE: lambda: (f"is a page ({post.page}), not a newsletter", None),
        PostStatus.EXPIRED: lambda: (f"expired on {post.expires:%Y-%m-%d %H:%M %Z}",
                                     "remove or move its expiryDate to publish it again"),
        PostStatus.OPTED_OUT: lambda: ("says newsletter: false", "remove that line to email it"),
    }
    if status in refusals and not (test and status in (PostStatus.DRAFT, PostStatus.SCHEDULED)):
        reason, hint = refusals[status]()
        raise InputError(f"{post.id} {reason}: not sent", where=where or post.path.name, hint=hint)


def _publish_hint(post: Post) -> str:
    if post.site is not None and post.site.generator.name == "jekyll":
        return ("move it to _posts as YYYY-MM-DD-title.md (or remove published: false) to "
                "publish it, or test it with --to EMAIL")
    return "set draft: false to publish it, or test it with --to EMAIL"
