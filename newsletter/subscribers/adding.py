"""Adding a reader who may be listed already: what `subscribers add` did, why it refused, and
the name and tags a listed reader takes from an add or an import (one rule on both stores)."""

from __future__ import annotations

from typing import Iterable

from newsletter.errors import SubscriberError
from newsletter.subscribers.rows import SPILLED, Status, split_tags

# What an add changed ("" when nothing: the reader was active with that name and those tags).
ADDED = "added"
ACTIVE_AGAIN = "active again"  # with --resubscribe
UPDATED = "updated"  # their name or tags


def readd_refusal(address: str, status: str, where: str) -> SubscriberError:
    """Why `subscribers add` leaves a suppressed reader as they are, and what to do."""
    if status == SPILLED:
        return SubscriberError(f"{address}'s row has more cells than its header: whether they "
                               "left is a guess", where=where,
                               hint="fix that row by hand first (`newsletter subscribers check`)")
    if status == Status.UNCONFIRMED:
        hint = ("they signed up but never confirmed; pass --resubscribe only if they agreed "
                "to receive it")
    else:
        hint = "pass --resubscribe only if they asked to come back"
    return SubscriberError(f"{address} is {status}", where=where, hint=hint)


def with_details(name: str, tags: str, new_name: str, new_tags: Iterable[str]) -> tuple[str, str]:
    """A listed reader's (name, tags cell) once given more: a name only where none is listed,
    new tags after theirs (the cell as it was when nothing is new). A tag is new unless the
    reader has it in any case, as `send --tag` picks readers ("Founding" is "founding")."""
    listed = split_tags(tags)
    known = {tag.lower() for tag in listed}
    extra = []
    for tag in split_tags(",".join(new_tags)):
        if tag.lower() not in known:
            known.add(tag.lower())
            extra.append(tag)
    return name or new_name, ",".join([*listed, *extra]) if extra else tags
