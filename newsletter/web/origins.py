"""Which pages may send the sign-up form: ``signup.allowed_origins`` (the blog's own origin
among them), compared with ``Origin`` as a browser writes it (docs/signup.md#cors-and-origins).

A form post from a page that hides its origin, by ``Referrer-Policy: no-referrer`` or
``same-origin`` (a sandboxed frame and a ``file:`` page too), comes with ``Origin: null``: it
cannot be told from another site's, so it is refused, and the log says once what to change.
"""

from __future__ import annotations

import logging
from typing import Iterable

from newsletter.web.request import HttpError

logger = logging.getLogger(__name__)

HIDDEN = "null"  # the Origin of a page that hides where it is
MAX_LOGGED = 300  # characters of a refused Origin the log keeps (a host name has at most 253)


class AllowedOrigins:
    """The origins whose pages may send the form."""

    def __init__(self, origins: Iterable[str]):
        self.origins = frozenset(origins)
        self._hidden_told = False

    def allows(self, origin: str | None) -> bool:
        """True for a browser's request from an allowed page."""
        return origin is not None and origin.lower() in self.origins

    def check(self, origin: str | None) -> None:
        """HttpError 403 for a form sent from a page not allowed. A request without ``Origin``
        did not come from a browser's page, so no page of another site sent it."""
        if origin is None or self.allows(origin):
            return
        if origin != HIDDEN:
            logger.info("refused a sign-up from origin %r (signup.allowed_origins)",
                        origin[:MAX_LOGGED])  # any length a client sends: not into the log
        elif not self._hidden_told:
            self._hidden_told = True
            logger.warning(
                "refused a sign-up sent with Origin: null: browsers send that from a page with "
                "Referrer-Policy no-referrer or same-origin, so the form's site is unknown; if "
                "your blog's pages send such a policy, let them send strict-origin-when-cross-"
                "origin, or use the form of `newsletter form --json-example`, whose requests "
                "always name their origin")
        raise HttpError(403, "This form may not be sent from another site.")
