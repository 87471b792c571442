"""Suppressions: statuses a provider or a reader asks for, applied through the subscriber store.

:func:`apply_suppressions` is the one place the unsubscribe endpoint, the webhooks and
``subscribers sync`` change a status. Each change is the store's own locked, atomic write.
:func:`sync_suppressions` pulls the configured provider's suppression lists over its API
(reusing the send adapter's URL, key and session) and applies them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from urllib.parse import quote, urlsplit

from newsletter.errors import AuthError, ConfigError, ProviderError, SubscriberError
from newsletter.subscribers.edits import index_copies, set_statuses
from newsletter.subscribers.rows import new_row
from newsletter.subscribers.store import Status, SubscriberStore, address_key, normalise_address

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers.http import HttpProvider

logger = logging.getLogger(__name__)

# When one address is on several lists, the strongest signal wins: a complaint hurts the
# sender's reputation most, a hard bounce next, an unsubscribe least.
PRIORITY = {"complained": 0, "bounced": 1, "unsubscribed": 2}
MAX_PAGES = 10_000  # a guard against a provider whose paging never ends


@dataclass(frozen=True)
class Suppression:
    """A status to give one address, and why."""

    address: str
    status: str  # bounced | complained | unsubscribed
    reason: str = ""


@dataclass
class SyncReport:
    """What `subscribers sync` found at the provider and what it changed."""

    provider: str
    listed: int = 0  # suppressions the provider listed
    changes: list[Suppression] = field(default_factory=list)


def apply_suppressions(store: SubscriberStore, suppressions: Iterable[Suppression], *,
                       record_unknown: bool = False) -> list[Suppression]:
    """Give each active reader its suppression's status; return the ones that changed a row.

    A reader already unsubscribed, bounced or complained keeps the status they have. Addresses
    not on the list are left alone (a provider's lists may hold other lists' readers), unless
    ``record_unknown``: then a suppression row is added, so a later import cannot mail them.
    All in one transaction of the store: one read and one write, however many changes.
    """
    strongest: dict[str, Suppression] = {}
    for suppression in sorted(suppressions, key=lambda s: PRIORITY[s.status]):
        try:
            strongest.setdefault(address_key(suppression.address), suppression)
        except SubscriberError:
            continue
    changed = []
    with store.transaction() as files:
        copies = index_copies(files, set(strongest))
        for key, suppression in strongest.items():
            rows = copies.get(key, [])
            if any(row.suppressed for _, _, row in rows) or not (rows or record_unknown):
                continue
            status = Status(suppression.status)
            if rows:
                set_statuses(rows, status, only_if=lambda row: True)
            else:
                files.default.append(new_row(normalise_address(suppression.address), status=status))
            changed.append(suppression)
    for change in changed:
        logger.info("%s is now %s (%s)", change.address, change.status, change.reason)
    return changed


def sync_suppressions(settings: Settings) -> SyncReport:
    """Pull the provider's suppression lists and apply them to the subscriber list."""
    from newsletter.providers import PROVIDERS

    name = settings.provider.name
    fetch = FETCHERS.get(name)
    if fetch is None:
        raise ConfigError(
            f"provider {name!r} keeps no suppression list to sync", where="provider.name",
            hint=f"sync works with {', '.join(FETCHERS)}",
        )
    provider = PROVIDERS[name](settings)
    try:
        suppressions = list(fetch(provider))
    finally:
        provider.close()
    report = SyncReport(provider=name, listed=len(suppressions))
    report.changes = apply_suppressions(SubscriberStore(settings), suppressions)
    return report


def get_json(provider: HttpProvider, path: str, **request: Any) -> Any:
    """GET ``path`` under the provider's API URL and return its JSON, or raise ProviderError."""
    import requests

    headers = {"Accept": "application/json", **request.pop("headers", {})}
    try:
        response = provider.session.get(provider.api_url + path, headers=headers,
                                         timeout=provider.timeout, allow_redirects=False, **request)
    except requests.RequestException as exc:
        raise ProviderError(f"{provider.name}: cannot read {path} ({type(exc).__name__})") from None
    if response.status_code in (401, 403):
        raise AuthError(provider.describe_response(response),
                        hint=f"check {provider.secret_name}; reading suppressions needs that right")
    if not 200 <= response.status_code < 300:
        raise ProviderError(provider.describe_response(response), where=path)
    try:
        return response.json()
    except ValueError:
        raise ProviderError(f"{provider.name} answered {path} with something that is not JSON") from None


def _records(body: Any, key: str | None, provider: str, path: str) -> list[dict]:
    """The list of records in a response (at ``body[key]``, or the body itself)."""
    records = body.get(key) if key and isinstance(body, dict) else body
    if not isinstance(records, list):
        raise ProviderError(f"{provider}: unexpected answer from {path}: no list of suppressions")
    return [r for r in records if isinstance(r, dict)]


# Postmark: one dump per message stream, no paging (providers.md 2.6).
POSTMARK_REASONS = {"HardBounce": "bounced", "SpamComplaint": "complained",
                    "ManualSuppression": "unsubscribed"}


def fetch_postmark(provider: HttpProvider) -> Iterator[Suppression]:
    """Every suppression on the newsletter's Postmark message stream."""
    stream = provider.settings.provider.message_stream
    path = f"/message-streams/{quote(stream, safe='')}/suppressions/dump"
    body = get_json(provider, path, headers={"X-Postmark-Server-Token": provider.api_key})
    for record in _records(body, "Suppressions", provider.name, path):
        reason = record.get("SuppressionReason")
        if reason in POSTMARK_REASONS and isinstance(record.get("EmailAddress"), str):
            yield Suppression(record["EmailAddress"], POSTMARK_REASONS[reason],
                              f"postmark {stream}: {reason} ({record.get('Origin', '?')})")


# SendGrid: five global lists, paged with limit/offset, at most 500 a page
# (sendgrid.suppressions.yaml, PaginationCommonLimit). SendGrid files blocks among its
# suppressions; we treat them as bounces, as the list's name says the receiver refused.
SENDGRID_LISTS = {"bounces": "bounced", "blocks": "bounced", "invalid_emails": "bounced",
                  "spam_reports": "complained", "unsubscribes": "unsubscribed"}
SENDGRID_PAGE = 500


def fetch_sendgrid(provider: HttpProvider) -> Iterator[Suppression]:
    """Every address on SendGrid's bounce, block, invalid, spam-report and unsubscribe lists."""
    headers = {"Authorization": f"Bearer {provider.api_key}"}
    for list_name, status in SENDGRID_LISTS.items():
        path = f"/v3/suppression/{list_name}"
        for page in range(MAX_PAGES):
            params = {"limit": SENDGRID_PAGE, "offset": page * SENDGRID_PAGE}
            records = _records(get_json(provider, path, headers=headers, params=params),
                               None, provider.name, path)
            for record in records:
                if isinstance(record.get("email"), str):
                    yield Suppression(record["email"], status, f"sendgrid {list_name}")
            if len(records) < SENDGRID_PAGE:
                break


# Mailgun: three lists per domain, paged by following `paging.next` until a page is empty
# (mailgun.yaml, GET /v3/{domain_name}/bounces). At most 1000 a page.
MAILGUN_LISTS = {"bounces": "bounced", "complaints": "complained", "unsubscribes": "unsubscribed"}


def fetch_mailgun(provider: HttpProvider) -> Iterator[Suppression]:
    """Every address on the Mailgun domain's bounce, complaint and unsubscribe lists."""
    domain = provider.settings.provider.domain  # the adapter refuses to start without it
    auth = ("api", provider.api_key)
    for list_name, status in MAILGUN_LISTS.items():
        path = f"/v3/{quote(domain, safe='')}/{list_name}?limit=1000"
        for _ in range(MAX_PAGES):
            body = get_json(provider, path, auth=auth)
            records = _records(body, "items", provider.name, path)
            for record in records:
                if isinstance(record.get("address"), str):
                    detail = record.get("error") or record.get("code") or list_name
                    yield Suppression(record["address"], status, f"mailgun {list_name}: {detail}")
            next_url = (body.get("paging") or {}).get("next") if records else None
            if not isinstance(next_url, str):
                break
            # Follow the path and query only: the API URL (region, test server) and the
            # credentials stay ours, whatever host the link names.
            parts = urlsplit(next_url)
            path = f"{parts.path}?{parts.query}" if parts.query else parts.path


# Resend: one list, cursor-paged with `after` while `has_more` (resend.yaml, /suppressions;
# private beta at the time of writing).
RESEND_ORIGINS = {"bounce": "bounced", "complaint": "complained", "manual": "unsubscribed"}


def fetch_resend(provider: HttpProvider) -> Iterator[Suppression]:
    """Every address on Resend's suppression list."""
    headers = {"Authorization": f"Bearer {provider.api_key}"}
    params: dict[str, Any] = {"limit": 100}
    for _ in range(MAX_PAGES):
        body = get_json(provider, "/suppressions", headers=headers, params=params)
        records = _records(body, "data", provider.name, "/suppressions")
        for record in records:
            status = RESEND_ORIGINS.get(record.get("origin"))
            if status and isinstance(record.get("email"), str):
                yield Suppression(record["email"], status, f"resend {record['origin']}")
        if not (records and body.get("has_more")):
            break
        params["after"] = records[-1].get("id")


FETCHERS: dict[str, Callable[[HttpProvider], Iterator[Suppression]]] = {
    "postmark": fetch_postmark,
    "sendgrid": fetch_sendgrid,
    "mailgun": fetch_mailgun,
    "resend": fetch_resend,
}
