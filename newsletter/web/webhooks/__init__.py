"""Provider webhooks: check that the provider sent the request, then act on its events.

Each provider module holds only what differs: ``verify(request, secrets, now)`` raises a
:class:`WebhookError` unless the provider's documented authentication or signature checks out,
and ``parse_events(body)`` turns the JSON body into :class:`Event`s. Verification always runs
before the body is parsed, so nothing from an unverified request is ever read or acted on.

Hard bounces, spam complaints and provider-side unsubscribes change the subscriber's status
(through :func:`newsletter.subscribers.record_suppressions`: journalled before the answer,
in effect at once, folded into the files soon after); soft bounces are only counted and logged.
"""

from __future__ import annotations

import importlib
import logging
import time
from dataclasses import dataclass, field

from newsletter.providers import DECLARATIONS
from newsletter.subscribers import Suppression, record_suppressions
from newsletter.web.webhooks import mailgun
from newsletter.web.webhooks.common import (
    SOFT_BOUNCE,
    STATUS_KINDS,
    Replayed,
    WebhookError,
    WebhookRequest,
    load_json,
)

__all__ = ["WEBHOOKS", "WebhookError", "WebhookReport", "WebhookRequest", "handle_webhook"]

logger = logging.getLogger(__name__)

# The parser module each provider's declaration names (newsletter/providers/<name>.py).
WEBHOOKS = {name: importlib.import_module(f"{__name__}.{declaration.webhook}")
            for name, declaration in DECLARATIONS.items() if declaration.webhook}
# Providers whose signature leaves the events unsigned: each signature is accepted once. The
# others sign the whole body, so a replay can only repeat the same events, which change nothing
# the second time (docs/providers.md#webhook-guarantees).
ONE_USE_TOKENS = {"mailgun": mailgun.signature_token}


@dataclass
class WebhookReport:
    """What one webhook request did."""

    changes: list[Suppression] = field(default_factory=list)  # journalled
    soft_bounces: int = 0
    ignored: int = 0


def handle_webhook(provider: str, request: WebhookRequest, store, secrets,
                   used_tokens) -> WebhookReport:
    """Verify a webhook request from ``provider``, refuse a replayed one, then apply its
    events to ``store``. ``used_tokens`` is a :class:`newsletter.web.replay.UsedTokens`."""
    module, now = WEBHOOKS[provider], time.time()
    module.verify(request, secrets, now)
    token = ONE_USE_TOKENS[provider](request) if provider in ONE_USE_TOKENS else None
    if token and not used_tokens.claim(provider, *token, now):
        raise Replayed(f"this {provider} signature was already used")
    try:
        return _apply(provider, module, request, store)
    except BaseException:
        if token:  # not applied: the provider's retry of this very request must get through
            used_tokens.release(provider, token[0])
        raise


def _apply(provider: str, module, request: WebhookRequest, store) -> WebhookReport:
    """Turn a verified request's events into status changes on the list."""
    events = module.parse_events(load_json(request.body))
    report = WebhookReport()
    suppressions = []
    for event in events:
        if event.kind in STATUS_KINDS:
            suppressions.append(Suppression(event.address, event.kind, f"{provider}: {event.detail}"))
        elif event.kind == SOFT_BOUNCE:
            report.soft_bounces += 1
            logger.info("%s: soft bounce for %s (%s), not acted on", provider, event.address,
                        event.detail)
        else:
            report.ignored += 1
    report.changes = record_suppressions(store, suppressions)
    for change in report.changes:
        logger.info("%s: %s recorded as %s (%s)", provider, change.address, change.status,
                    change.reason)
    return report
