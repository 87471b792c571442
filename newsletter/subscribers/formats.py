"""What another service's export says about each reader, by the columns that service writes.

Each format is recognised by its header (docs/imports.md lists every column and where it comes
from) and read into our five columns: the address, a name, a status (active, unsubscribed,
bounced, complained or unconfirmed), tags and the sign-up time. A status value a format does
not define is never guessed: that row is reported and not imported.
"""

from __future__ import annotations

from typing import Callable

from newsletter.records import record
from newsletter.subscribers.export_cells import (
    ACTIVE,
    BOUNCED,
    COMPLAINED,
    UNCONFIRMED,
    UNSUBSCRIBED,
    Reading,
    Values,
    boolean,
    first,
    full_name,
    mapped,
    parse_tags,
    whole_tags,
)
from newsletter.subscribers.rows import Status
from newsletter.subscribers.status_columns import named_status


@record(frozen=True)
class ExportFormat:
    """A service's export: how to recognise it and how to read one row."""

    name: str  # as --from names it
    title: str  # as summaries name it
    recognise: Callable[[frozenset[str]], bool]  # from the lower-cased header names
    required: tuple[str, ...]  # columns --from needs (the first of each "a|b" present)
    read: Callable[[Values, str], Reading]  # (row, file name) -> Reading; UnknownStatus


# -- the formats -----------------------------------------------------------------------------

def _ghost(values: Values, file_name: str) -> Reading:
    column = "subscribed_to_emails" if "subscribed_to_emails" in values else "subscribed"
    subscribed = boolean(values, column) and not values.get("deleted_at")  # deleted: left
    return Reading(values["email"], ACTIVE if subscribed else UNSUBSCRIBED,
                   values.get("name", ""), parse_tags(values.get("labels", "")),
                   values.get("created_at", ""))


def _substack(values: Values, file_name: str) -> Reading:
    disabled = values.get("email_disabled", "") != "" and boolean(values, "email_disabled")
    return Reading(values["email"], UNSUBSCRIBED if disabled else ACTIVE,
                   subscribed_at=values.get("created_at", ""))


BUTTONDOWN_TYPES = {
    **dict.fromkeys(("regular", "premium", "trialed", "unpaid", "gifted", "churning", "paused",
                     "past_due"), ACTIVE),
    "unactivated": UNCONFIRMED,
    **dict.fromkeys(("unsubscribed", "removed", "spammy"), UNSUBSCRIBED),
    "undeliverable": BOUNCED,
    "complained": COMPLAINED,
}


def _buttondown(values: Values, file_name: str) -> Reading:
    column = "subscriber_type" if "subscriber_type" in values else "type"
    return Reading(first(values, "email", "email_address"),
                   mapped(BUTTONDOWN_TYPES, values, column), values.get("name", ""),
                   parse_tags(values.get("tags", "")),
                   first(values, "creation_date", "created_date", "created_at"))


# A contact table's "Email Marketing" column, and the statuses of Mailchimp's API.
MAILCHIMP_STATUSES = {"subscribed": ACTIVE, "unsubscribed": UNSUBSCRIBED, "cleaned": BOUNCED,
                      "archived": UNSUBSCRIBED, "non-subscribed": UNCONFIRMED,
                      "nonsubscribed": UNCONFIRMED, "transactional": UNCONFIRMED,
                      "pending": UNCONFIRMED, "": UNCONFIRMED}
MAILCHIMP_STATUS_COLUMNS = ("email marketing", "email marketing status")


def _mailchimp(values: Values, file_name: str) -> Reading:
    # One file per status: the unsubscribed and cleaned exports add their own time column.
    name = file_name.lower()
    column = next((column for column in MAILCHIMP_STATUS_COLUMNS if column in values), None)
    if column is not None:  # a file of every status says each one's
        status = mapped(MAILCHIMP_STATUSES, values, column)
    elif "unsub_time" in values or "unsubscribed" in name:
        status = UNSUBSCRIBED
    elif "clean_time" in values or "cleaned" in name:
        status = BOUNCED  # "cleaned": addresses Mailchimp removed after hard bounces
    elif "nonsubscribed" in name or not (values.get("optin_time") or values.get("confirm_time")):
        status = UNCONFIRMED  # no record of an opt-in: never mailed until they confirm
    else:
        status = ACTIVE
    return Reading(values["email address"], status,
                   full_name(values, "first name", "last name"),
                   parse_tags(values.get("tags", "")),
                   first(values, "confirm_time", "optin_time"))


LISTMONK_STATUSES = {"enabled": ACTIVE, "disabled": UNSUBSCRIBED, "blocklisted": UNSUBSCRIBED}


def _listmonk(values: Values, file_name: str) -> Reading:
    return Reading(values["email"], mapped(LISTMONK_STATUSES, values, "status"),
                   values.get("name", ""), subscribed_at=values.get("created_at", ""))


KIT_STATES = {"active": ACTIVE, "cold": ACTIVE, "inactive": UNCONFIRMED,  # cold: confirmed,
              "cancelled": UNSUBSCRIBED, "bounced": BOUNCED,  # opens nothing lately
              "complained": COMPLAINED}


def _kit(values: Values, file_name: str) -> Reading:
    column = "state" if "state" in values else "status"
    return Reading(first(values, "email_address", "email"), mapped(KIT_STATES, values, column),
                   first(values, "first_name", "name"), parse_tags(values.get("tags", "")),
                   values.get("created_at", ""))


BEEHIIV_STATUSES = {"active": ACTIVE, "inactive": UNSUBSCRIBED, "invalid": BOUNCED,
                    "pending": UNCONFIRMED, "validating": UNCONFIRMED,
                    "needs_attention": UNCONFIRMED}


def _beehiiv(values: Values, file_name: str) -> Reading:
    status = mapped(BEEHIIV_STATUSES, values, "status")
    if values.get("unsubscribed_at"):
        status = UNSUBSCRIBED
    return Reading(values["email"], status,
                   full_name(values, "first name", "last name") or values.get("name", ""),
                   parse_tags(values.get("tags", "")), values.get("created_at", ""))


# MailPoet's global status, and a list's own ("unsubscribed" from that list only). "inactive":
# confirmed, but opened nothing for months, so MailPoet stopped mailing them; never mailed here
# either, and (as unconfirmed) never demoting a reader who is active here.
MAILPOET_STATUSES = {"subscribed": ACTIVE, "unconfirmed": UNCONFIRMED, "inactive": UNCONFIRMED,
                     "unsubscribed": UNSUBSCRIBED, "bounced": BOUNCED}


def _mailpoet(values: Values, file_name: str) -> Reading:
    status = mapped(MAILPOET_STATUSES, values, "global status")
    if status is ACTIVE and values.get("list status"):  # none for readers on no list
        status = mapped(MAILPOET_STATUSES, values, "list status")
    return Reading(values["email"], status, full_name(values, "first name", "last name"),
                   whole_tags([values.get("list", "")]),  # one row per reader and list
                   first(values, "confirmation time", "subscription time"))


# The Newsletter plugin's (thenewsletterplugin.com) one-letter statuses: Confirmed, Subscribed
# but not confirmed, Unsubscribed, Bounced, and P for a complaint.
TNP_STATUSES = {"c": ACTIVE, "s": UNCONFIRMED, "u": UNSUBSCRIBED, "b": BOUNCED, "p": COMPLAINED}


def _newsletter_plugin(values: Values, file_name: str) -> Reading:
    return Reading(values["email"], mapped(TNP_STATUSES, values, "status"),
                   full_name(values, "name", "surname"), subscribed_at=values.get("date", ""))


SENDY_STATUSES = {"active": ACTIVE, "unconfirmed": UNCONFIRMED, "unsubscribed": UNSUBSCRIBED,
                  "bounced": BOUNCED, "marked as spam": COMPLAINED}


def _sendy(values: Values, file_name: str) -> Reading:
    return Reading(values["email"], mapped(SENDY_STATUSES, values, "status"),
                   values.get("name", ""), subscribed_at=values.get("joined", ""))


def _has(*names: str) -> Callable[[frozenset[str]], bool]:
    return lambda header: all(any(alt in header for alt in name.split("|")) for name in names)


BUTTONDOWN_MARKS = ("creation_date", "secondary_id", "referrer_url", "utm_source", "metadata")
FORMATS = {format_.name: format_ for format_ in (
    ExportFormat("mailchimp", "Mailchimp audience export",
                 lambda h: "email address" in h and bool({"member_rating", "leid", "euid",
                                                          "optin_time",
                                                          *MAILCHIMP_STATUS_COLUMNS} & h),
                 ("email address",), _mailchimp),
    ExportFormat("ghost", "Ghost members export",
                 lambda h: "email" in h and ("subscribed_to_emails" in h or (
                     "subscribed" in h and "complimentary_plan" in h)),
                 ("email", "subscribed_to_emails|subscribed"), _ghost),
    ExportFormat("substack", "Substack subscriber export",
                 lambda h: {"email", "email_disabled"} <= h and bool(
                     {"active_subscription", "expiry", "plan"} & h),
                 ("email", "email_disabled"), _substack),
    ExportFormat("buttondown", "Buttondown subscriber export",
                 lambda h: bool({"email", "email_address"} & h and {"subscriber_type", "type"} & h
                                and set(BUTTONDOWN_MARKS) & h),
                 ("email|email_address", "subscriber_type|type"), _buttondown),
    ExportFormat("listmonk", "listmonk subscriber export",
                 _has("uuid", "email", "attributes", "status"), ("email", "status"), _listmonk),
    ExportFormat("kit", "Kit (ConvertKit) subscriber export",
                 # Kit's own column is `state`: `status` beside `email_address` is as likely
                 # a list of ours (`email_address` is one of our address headers), so that
                 # takes --from kit.
                 _has("email_address", "state"),
                 ("email_address|email", "state|status"), _kit),
    ExportFormat("beehiiv", "beehiiv subscriber export",
                 lambda h: {"email", "status"} <= h and bool(
                     {"tier", "free tier", "premium tier", "subscription_tier"} & h),
                 ("email", "status"), _beehiiv),
    ExportFormat("mailpoet", "MailPoet subscribers export",
                 _has("email", "global status"), ("email", "global status"), _mailpoet),
    ExportFormat("newsletter-plugin", "Newsletter plugin (WordPress) export",
                 _has("email", "surname", "status", "date", "token"), ("email", "status"),
                 _newsletter_plugin),
    ExportFormat("sendy", "Sendy subscribers export",
                 # its columns every export has, none of them ours
                 _has("email", "status", "opt-in method", "added via", "last activity"),
                 ("email", "status"), _sendy),
)}
FORMAT_NAMES = ("newsletter", *FORMATS, "convertkit")  # convertkit: Kit's former name
ALIASES = {"convertkit": "kit"}

def status_in_name(file_name: str) -> Status | None:
    """The status a file's name gives everyone in it (``list-unsubscribed.csv``), if any."""
    named = named_status(file_name)
    return None if named is None else Status(named)


def recognise(header: frozenset[str]) -> ExportFormat | None:
    """The service whose export has this header (lower-cased names), if any."""
    return next((format_ for format_ in FORMATS.values() if format_.recognise(header)), None)


def missing_column(format_: ExportFormat, header: frozenset[str]) -> str | None:
    """The first column ``format_`` needs that ``header`` lacks (as "a" or "a or b")."""
    for need in format_.required:
        if not any(name in header for name in need.split("|")):
            return need.replace("|", " or ")
    return None


def status_column_reader(column: str, active_values: frozenset[str]) -> Callable[[Values], Status]:
    """--status-column NAME --active-values a,b: the values listed are active; unsubscribed,
    bounced, complained and unconfirmed mean what they say; anything else counts as
    unsubscribed (never guessed to be active)."""
    kept = {status.value: status for status in Status if status is not ACTIVE}

    def read(values: Values) -> Status:
        text = values.get(column, "").lower()
        return ACTIVE if text in active_values else kept.get(text, UNSUBSCRIBED)

    return read
