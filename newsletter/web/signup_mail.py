"""The sign-up emails, through the site's own provider: confirmations and the optional welcome.

Each notice is rendered once (premailer is the slow part) and again only when one of its
template files changes. Provider calls are serialised: the worker sends confirmations while a
request thread may send a welcome.
"""

from __future__ import annotations

import logging
import threading
import time

from newsletter.errors import InDoubtError, ProviderError, SubscriberError
from newsletter.message import MessageFactory, NoticeFactory
from newsletter.providers import make_provider
from newsletter.render import CONFIRM, WELCOME, has_notice, notice_templates, render_notice
from newsletter.sending import RateLimiter, RetryPolicy, send_with_retries
from newsletter.web.confirm_tokens import make_confirm_token
from newsletter.web.signup_journal import Entry

logger = logging.getLogger(__name__)


class SignupMailer:
    """Renders and sends the sign-up emails of one site."""

    def __init__(self, settings, secret: str, retry: RetryPolicy = RetryPolicy()):
        self.settings = settings
        self.secret = secret
        self.retry = retry
        self.provider = make_provider(settings)
        self._rendered: dict[str, tuple[tuple, object]] = {}
        self._rendering = threading.Lock()
        self.factory(CONFIRM)  # a broken template stops `serve` at its start, not at a sign-up

    def factory(self, kind: str):
        """The message factory of a notice, rendered afresh if its templates changed."""
        paths = (*notice_templates(self.settings.templates_dir, kind),
                 self.settings.templates_dir / "email.css")
        signature = tuple(path.stat().st_mtime_ns if path.exists() else None for path in paths)
        with self._rendering:
            cached = self._rendered.get(kind)
            if cached is None or cached[0] != signature:
                email = render_notice(self.settings, kind)
                made = (NoticeFactory(self.settings, email) if kind == CONFIRM
                        else MessageFactory(self.settings, email, self.secret))
                self._rendered[kind] = cached = (signature, made)
        return cached[1]

    def confirm_link(self, entry: Entry) -> str:
        """The confirmation URL for the journalled sign-up ``entry``, valid from now on."""
        token = make_confirm_token(self.secret, entry.id, entry.signup.address)
        return self.settings.signup.confirm_url.format(token=token)

    def send_confirmations(self, entries: list[Entry]) -> bool:
        """Hand a confirmation email for each sign-up to the provider, in one batch of at most
        ``provider.max_batch``; failures are logged. False when the provider took none of them
        and a later try may (down, refusing, the outbox unwritable): then they are to be sent
        again. Safe to call from several threads at once, as a send's workers call the
        provider."""
        factory = self.factory(CONFIRM)
        messages = []
        for entry in entries:
            signup = entry.signup
            try:  # no name: whoever filled in the form may not be the address's owner
                messages.append(factory.build(signup.address, "", self.confirm_link(entry)))
            except SubscriberError as error:
                logger.warning("no confirmation email for %s: %s", signup.address, error)
        return self._send(messages, "confirmation") if messages else True

    def send_welcome(self, address: str, name: str) -> None:
        """The welcome email, if the site has templates/welcome.html and .txt."""
        if has_notice(self.settings, WELCOME):
            self._send([self.factory(WELCOME).build(address, name)], "welcome")

    def _send(self, messages: list, kind: str) -> bool:
        """Send ``messages``; False when none was sent and they may be sent again (a batch in
        doubt may have gone out: never twice)."""
        try:
            results = send_with_retries(self.provider, messages, self.provider.sender(messages),
                                        self.retry, RateLimiter(None), time.sleep)
        except (ProviderError, OSError) as error:  # OSError: the outbox could not write
            logger.error("%d %s email(s) not sent (%s): %s", len(messages), kind,
                         self.provider.name, error)
            return isinstance(error, InDoubtError)
        for message, result in zip(messages, results):
            if result.status == "sent":
                logger.info("%s email to %s handed to %s", kind, message.to_address,
                            self.provider.name)
            else:
                logger.warning("%s email to %s rejected: %s", kind, message.to_address,
                               result.reason)
        return True

    def close(self) -> None:
        """Release the provider's connections."""
        self.provider.close()
