"""Why a confirmation link, valid and unused, subscribes nobody: the answers its page gives."""

from __future__ import annotations

import logging

from newsletter.web.request import HttpError

logger = logging.getLogger("newsletter.web.signup")


def left_since_sent(address: str) -> HttpError:
    """An address that unsubscribed, bounced or complained after its link was sent: not
    brought back."""
    logger.info("refused a confirmation link of %s: it left the list since", address)
    return HttpError(410, "This address left the list (unsubscribed, or its mail bounced "
                          "or was marked as spam) after this link was sent, so the link no "
                          "longer subscribes it. To come back, please sign up again on the "
                          "blog.")


def row_to_fix(address: str) -> HttpError:
    """An address whose row on the list has its status out of place (a hand edit): whether
    it left is a guess, so nothing changes until the owner fixes the row; the link still works."""
    logger.warning("confirmation of %s not recorded: its row in subscribers/ has its status "
                   "out of place (`newsletter subscribers check` names the line); fix that row "
                   "and the reader's link works again", address)
    return HttpError(409, "Your subscription is not confirmed yet: the list holds a row for this "
                          "address that the newsletter's owner must fix first, and they have "
                          "been told. Please press Confirm again later: this link still works.")
