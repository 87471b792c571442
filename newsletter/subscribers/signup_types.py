"""What a sign-up is and what confirming one records, for either store
(:mod:`newsletter.subscribers.signups`, :mod:`newsletter.subscribers.postgres_signups`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from enum import StrEnum

from newsletter.records import record

CONSENT_COLUMNS = ("consent_at", "consent_page", "consent_ip_hash")


class Standing(StrEnum):
    """Where an address stood on the list when it signed up."""

    NEW = "new"  # not listed: an unconfirmed row was added
    UNCONFIRMED = "unconfirmed"  # signed up before, not confirmed yet
    ACTIVE = "active"  # already receives the newsletter
    LEFT = "left"  # unsubscribed or bounced: back only by confirming
    LEFT_SINCE = "left since"  # left after this sign-up: its link brings nobody back
    COMPLAINED = "complained"  # marked a newsletter as spam: never back through the form
    UNREADABLE = "unreadable"  # a row of it has its status out of place: nothing changes


@record(frozen=True)
class Signup:
    """One request to join: a normalised address and what the form said."""

    address: str
    name: str = ""
    tags: tuple[str, ...] = ()
    received_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


@record(frozen=True)
class Consent:
    """What a confirmation records: when, on which page the form was, and who (hashed IP)."""

    at: dt.datetime
    page: str
    ip_hash: str

    def cells(self) -> dict[str, str]:
        """The consent columns of the reader's row, by name."""
        return dict(zip(CONSENT_COLUMNS, (timestamp(self.at), self.page, self.ip_hash)))


@record
class PruneReport:
    """What `subscribers prune` removed (or would remove), and what it could not date."""

    removed: list[str] = field(default_factory=list)
    undated: int = 0


def timestamp(moment: dt.datetime) -> str:
    """A time as the list writes it: ISO 8601 in UTC, to the second."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def parse_time(text: str) -> dt.datetime | None:
    """A time the list wrote (ISO 8601; UTC when it has no zone), or None. An imported one
    may end in " UTC", as beehiiv and listmonk write their times."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().removesuffix(" UTC"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
