"""Provider webhooks: check that the provider sent the request, then act on its events.

Each provider module holds only what differs: ``verify(request, secrets, now)`` raises a
:class:`WebhookError` unless the provider's documented authentication or signature checks out,
and ``parse_events(body)`` turns the JSON body into :class:`Event`s. Verification always runs
before the body is parsed, so nothing from an unverified request is ever read or acted on.

Hard bounces, spam complaints and provider-side unsubscribes change the subscriber's status
(through :func:`newsletter.subscribers.record_suppressions`: journalled before the answer,
in effect at once, folded into the files soon after). Every delivery event (delivered,
bounced hard or soft, deferred, complained, unsubscribed; opened and clicked while tracked) is
recorded in the event store with its post and reader, once per provider event id, before the
answer (docs/events.md).
"""

from __future__ import annotations

import importlib
import logging
import time
from dataclasses import field

from newsletter.addresses import address_key
from newsletter.message import one_line
from newsletter.providers import DECLARATIONS
from newsletter.records import record
from newsletter.sending import DeliveryEvent, EventStore, PostFinder
from newsletter.subscribers import Suppression, record_suppressions
from newsletter.web.webhooks import mailgun, mailgun_legacy
from newsletter.web.webhooks.common import (
    MALFORMED,
    STATUS_KINDS,
    Event,
    Replayed,
    WebhookError,
    WebhookRequest,
    load_json,
)

__all__ = ["WEBHOOKS", "EventSink", "WebhookError", "WebhookReport", "WebhookRequest",
           "handle_webhook"]

logger = logging.getLogger(__name__)

# The parser module each provider's declaration names (newsletter/providers/<name>.py).
WEBHOOKS = {name: importlib.import_module(f"{__name__}.{declaration.webhook}")
            for name, declaration in DECLARATIONS.items() if declaration.webhook}
# Providers whose signature leaves the events unsigned: each signature is accepted once. The
# others sign the whole body, so a replay can only repeat the same events, which change nothing
# the second time (docs/providers.md#webhook-guarantees).
ONE_USE_TOKENS = {"mailgun": mailgun.signature_token}
# Providers with an older body shape still posted: read as the current one before anything.
LEGACY_BODIES = {"mailgun": mailgun_legacy.as_json}
MAX_DETAIL = 500  # characters of an event's detail kept (a bounce's reason, say)


@record
class WebhookReport:
    """What one webhook request did."""

    changes: list[Suppression] = field(default_factory=list)  # journalled
    new_events: int = 0  # stored, not seen before
    repeated: int = 0  # stored before: the provider sent them again
    ignored: int = 0
    malformed: int = 0  # items of a batch that are no event: skipped, the rest applied


@record(frozen=True)
class EventSink:
    """Where a webhook's delivery events go: the store, the finder of their posts, and the
    kinds kept (opens and clicks only while ``[tracking]`` turns them on)."""

    store: EventStore
    finder: PostFinder
    kinds: frozenset[str]


def handle_webhook(provider: str, request: WebhookRequest, store, secrets, used_tokens,
                   sink: EventSink) -> WebhookReport:
    """Verify a webhook request from ``provider``, refuse a replayed one, then apply its
    events to the list ``store`` and record them in ``sink``. ``used_tokens`` is a
    :class:`newsletter.web.replay.UsedTokens`."""
    module, now = WEBHOOKS[provider], time.time()
    if provider in LEGACY_BODIES:
        request = LEGACY_BODIES[provider](request)
    module.verify(request, secrets, now)
    token = ONE_USE_TOKENS[provider](request) if provider in ONE_USE_TOKENS else None
    if token and not used_tokens.claim(provider, *token, now):
        raise Replayed(f"this {provider} signature was already used")
    try:
        return _apply(provider, module.parse_events(load_json(request.body), request.headers),
                      store, sink, now)
    except BaseException:
        if token:  # not applied: the provider's retry of this very request must get through
            used_tokens.release(provider, token[0])
        raise


def _apply(provider: str, events: list[Event], store, sink: EventSink,
           now: float) -> WebhookReport:
    """Turn a verified request's events into status changes on the list, and keep them."""
    report = WebhookReport()
    suppressions, kept = [], []
    for event in events:
        if event.kind == MALFORMED:
            report.malformed += 1
            continue
        # The detail may be a receiving mail server's text (a bounce's reason): anyone with a
        # domain writes it, so it is kept on one line and short, as logs and the list show it.
        detail = one_line(event.detail[:MAX_DETAIL])
        if event.kind in STATUS_KINDS:
            suppressions.append(Suppression(event.address, event.kind, f"{provider}: {detail}"))
        if event.kind not in sink.kinds or not event.address:
            report.ignored += 1
            continue
        reader = address_key(event.address)
        kept.append(DeliveryEvent(provider, event.event_id, event.kind, reader,
                                  None if event.test else sink.finder.post_for(reader, event.post),
                                  now if event.at is None else event.at, detail))
    report.changes = record_suppressions(store, suppressions)
    for change in report.changes:
        logger.info("%s: %s recorded as %s (%s)", provider, change.address, change.status,
                    change.reason)
    report.new_events = sink.store.record(kept)
    report.repeated = len(kept) - report.new_events
    if report.malformed:
        logger.warning("%s webhook: %d item(s) of the batch were no event (not a JSON object): "
                       "skipped, the other %d applied", provider, report.malformed,
                       len(events) - report.malformed)
    return report
