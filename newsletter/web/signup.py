"""Sign-ups from the blog (double opt-in): ``POST /subscribe`` and ``/confirm/<token>``.

- ``signup.path`` (``/subscribe``): ``POST`` a form or JSON; ``OPTIONS`` answers a browser's
  CORS preflight for ``signup.allowed_origins``. A sign-up is journalled and answered at once,
  with the same answer whoever the address belongs to; the worker
  (:mod:`newsletter.web.signup_worker`) adds the unconfirmed row and sends the email. Bots
  (honeypot, too fast) take the same path, limits and answer included, so neither the answer
  nor its time tells them apart; their journal row keeps nothing they sent.
- the path of ``signup.confirm_url``: ``GET`` shows a page with a Confirm button and changes
  nothing (mail scanners follow links, docs/signup.md#confirmation-tokens); ``POST`` from that
  button makes the reader active and records their consent. A link confirms the sign-up it was
  sent for, once: confirming spends every link of that address, so none undoes a later
  unsubscribe; and a link sent before its address unsubscribed, bounced or complained (one-click,
  `subscribers remove`, `subscribers sync`, a webhook) confirms nothing.

Why the answer comes before the work: docs/signup.md#why-the-answer-comes-before-the-work.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import sqlite3
import time
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit

from newsletter.addresses import address_key
from newsletter.config import confirm_token, duration_words
from newsletter.errors import ConfigError, StoreError, SubscriberError
from newsletter.render import CONFIRM, has_notice
from newsletter.subscribers import (
    Consent,
    PostgresStore,
    ReaderStore,
    Signup,
    Standing,
    confirm_signup,
    left_since,
)
from newsletter.web.client import (
    client_ip,
    client_network,
    salted_hash,
    trusted_networks,
    untrusted_forwarder,
)
from newsletter.web.confirm_refusals import left_since_sent, row_to_fix
from newsletter.web.confirm_tokens import Confirmation, TokenError, read_confirm_token
from newsletter.web.origins import AllowedOrigins
from newsletter.web.pages import (
    Response,
    back_link,
    button_form,
    error_heading,
    html_page,
    json_response,
)
from newsletter.web.request import HttpError, Request, try_again
from newsletter.web.signup_journal import JOURNAL_FILE, Limits, Refused, SignupJournal
from newsletter.web.signup_journal_pg import SignupJournalInPostgres
from newsletter.web.signup_mail import SignupMailer
from newsletter.web.signup_request import on_the_blog, read_signup
from newsletter.web.signup_worker import SignupWorker

logger = logging.getLogger(__name__)

PREFLIGHT_MAX_AGE = "600"  # seconds a browser may reuse a preflight answer
FORM_HEADINGS = {403: "This form cannot be sent from here"}  # no link is involved
REFUSALS = {  # what a sender over a limit hears; no answer depends on the address
    "client": (429, "Too many sign-ups came from your network. Please try again in an hour."),
    "daily": (503, "We cannot take more sign-ups today. Please try again tomorrow."),
}


def signup_routes(settings, store: ReaderStore, secret: str) -> SignupRoutes | None:
    """The sign-up routes, or None when sign-ups are off (``signup.enabled``) or the site has
    no confirmation email to send (then a warning says how to turn them on)."""
    if not settings.signup.enabled:
        return None
    if not has_notice(settings, CONFIRM):
        logger.warning("sign-ups are off: templates/confirm.html and confirm.txt are missing; "
                       "run `newsletter init` to write them again (it keeps every file that "
                       "exists), or set enabled = false under [signup]")
        return None
    try:
        return SignupRoutes(settings, store, secret)
    except ConfigError as error:  # the provider's key is missing: unsubscribes still work
        logger.warning("sign-ups are off: confirmation emails cannot be sent (%s)", error)
        return None


class SignupRoutes:
    """The sign-up and confirmation routes of one site, and the worker behind them."""

    def __init__(self, settings, store: ReaderStore, secret: str):
        self.settings = settings
        self.store = store
        self.secret = secret
        signup = settings.signup
        self.mailer = SignupMailer(settings, secret)  # first: it fails without the provider's key
        self.limits = Limits(signup.max_per_address, signup.max_per_ip, signup.max_per_day)
        self.journal = (SignupJournalInPostgres(store.database)
                        if isinstance(store, PostgresStore)
                        else SignupJournal(settings.state_dir / JOURNAL_FILE))
        self.worker = SignupWorker(settings, store, self.journal, self.mailer, self.limits)
        self.trusted = trusted_networks(signup.trusted_proxies)
        self.origins = AllowedOrigins(signup.allowed_origins)
        self.confirm_path = urlsplit(signup.confirm_url).path
        self._daily_logged = -3600.0  # when the daily cap was last logged (monotonic)
        self._proxy_warned = False

    def close(self) -> None:
        """Stop the worker (after the batch and emails at hand), then release files."""
        self.worker.stop()
        self.journal.close()
        self.mailer.close()

    def route(self, request: Request) -> Response | None:
        """The answer if the request's path is one of ours, else None."""
        path = request.path
        if path == self.settings.signup.path:
            return self.subscribe(request)
        token = confirm_token(path, self.confirm_path)
        return None if token is None else self.confirm(request, token)

    # -- the form ---------------------------------------------------------------------------

    def subscribe(self, request: Request) -> Response:
        """``signup.path``: a sign-up (POST) or a CORS preflight (OPTIONS)."""
        origin, method = request.headers.get("origin"), request.method
        if method == "OPTIONS":
            return self.preflight(origin)
        as_json = request.content_type == "application/json"
        # No CORS header for a refused origin: the browser keeps the answer from the page.
        cors = ((("Access-Control-Allow-Origin", origin), ("Vary", "Origin"))
                if self.origins.allows(origin) else ())
        try:
            if method != "POST":
                raise HttpError(405, "Sign up with the form on the blog.",
                                [("Allow", "POST, OPTIONS")])
            # Refused here, not only by the browser: a plain form post needs no preflight
            # (docs/signup.md#cors-and-origins).
            self.origins.check(origin)
            back = self.take(request)
        except HttpError as error:
            heading = FORM_HEADINGS.get(error.status) or error_heading(error.status)
            return self.answer(as_json, error.status, heading,
                               error.message, [*cors, *error.headers])
        words = duration_words(self.settings.signup.confirm_within)
        return self.answer(as_json, 200, "Check your inbox",
                           "If this address is not subscribed yet, we have sent it an email: open "
                           f"it and press Confirm to finish. The link works for {words}.", cors,
                           back)

    def take(self, request: Request) -> str:
        """Journal the sign-up in this request; HttpError if refused. Returns the page the
        form was on, if known.

        A bot's sign-up (honeypot, too fast) is journalled the same way, in the same one
        statement and commit, as a row holding none of what it sent: its answer costs what a
        person's costs and meets the same limits, so its timing does not give the trap away.
        """
        asked = read_signup(request, self.settings)
        ip = client_ip(request, self.trusted)
        self.warn_of_an_untrusted_proxy(request)
        client = salted_hash(self.secret, "signup-client", client_network(ip))
        signup = Signup(asked.address, asked.name, asked.tags)
        trapped = asked.looks_automated
        try:
            with try_later_if_the_disk_fails("a sign-up"):
                self.journal.admit(signup, asked.page, client, self.limits, trapped=trapped)
        except Refused as refused:
            status, message = REFUSALS[refused.limit]
            if refused.limit == "daily" and time.monotonic() - self._daily_logged > 3600:
                self._daily_logged = time.monotonic()
                logger.warning("daily cap reached: sign-ups are refused until fewer than %d "
                               "confirmation emails went out in 24 hours (signup.max_per_day)",
                               self.limits.per_day)
            raise HttpError(status, message, [("Retry-After", "3600")]) from None
        if trapped:
            logger.info("ignored a sign-up that looks automated (honeypot or too fast)")
        else:
            self.worker.wake()
        return asked.page

    def warn_of_an_untrusted_proxy(self, request: Request) -> None:
        """Once: a proxy that is not trusted makes every reader one client, and the hourly
        limit per client then turns readers away (429) after ``max_per_ip`` sign-ups."""
        proxy = None if self._proxy_warned else untrusted_forwarder(request, self.trusted)
        if proxy is not None:
            self._proxy_warned = True
            logger.warning("sign-ups come through %s with X-Forwarded-For, but it is not in "
                           "signup.trusted_proxies: every reader behind it counts as one client "
                           "(max_per_ip); if it is your proxy, add it there", proxy)

    def preflight(self, origin: str | None) -> Response:
        """OPTIONS: let an allowed origin's page POST JSON here (the Fetch standard's CORS)."""
        if not self.origins.allows(origin):
            return Response(403, b"", (("Vary", "Origin"),))
        return Response(204, b"", (
            ("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Methods", "POST"),
            ("Access-Control-Allow-Headers", "Content-Type"),
            ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE), ("Vary", "Origin")))

    def answer(self, as_json: bool, status: int, heading: str, message: str,
               headers=(), back: str = "") -> Response:
        """The answer to the form: JSON for ``fetch``, else a page linking back to the blog
        (to ``back``, the form's page, when known)."""
        if as_json:  # one line for the page to show: the heading leads an accepted one
            text = message if status >= 400 else f"{heading}. {message}"
            return json_response(status, {"ok": status < 400, "message": text}, headers)
        site = self.settings.site
        body = f"<p>{html.escape(message)}</p>" + back_link(site.title, back or site.url)
        return html_page(site.title, status, heading, body, headers)

    # -- the confirmation link --------------------------------------------------------------

    def confirm(self, request: Request, token: str) -> Response:
        """``/confirm/<token>``: GET shows the button, its POST confirms."""
        if request.method not in ("GET", "HEAD", "POST"):
            raise HttpError(405, "Use GET or POST.", [("Allow", "GET, HEAD, POST")])
        asked = self.read_token(token)
        with try_later_if_the_disk_fails("a confirmation"):
            return self._confirm(request, asked)

    def _confirm(self, request: Request, asked: Confirmation) -> Response:
        address, key = asked.address, address_key(asked.address)
        site = html.escape(self.settings.site.title)
        who = html.escape(address)
        entry = self.journal.signup(asked.signup_id, key)
        back = entry.page if entry is not None and on_the_blog(entry.page, self.settings) else ""
        subscribed = self.page(200, "You are subscribed",
                               f"<p>New posts of {site} come to {who}.</p>", back)
        if entry is None or entry.spent:  # used, or gone: a later unsubscribe stays
            if self.store.is_active(address):
                return subscribed
            raise HttpError(410, "This confirmation link was used already, or is too old. To "
                                 "subscribe, please sign up again on the blog: the new email "
                                 "will hold a fresh link.")
        if left_since(self.store, entry.signup) and not self.store.is_active(address):
            raise left_since_sent(address)  # (one added back since is simply subscribed)
        if request.method != "POST":
            if self.store.is_active(address):
                return subscribed
            return self.page(200, "Confirm your subscription",
                             f"<p>Get the new posts of {site} by email at {who}?</p>"
                             + button_form("confirm", "yes", "Confirm"), back)
        form = request.form()
        if form.get("confirm") != ["yes"]:
            raise HttpError(400, "Please press the Confirm button on the page.")
        spent_at = time.time()
        with self.journal.together():
            if not self.journal.spend(entry.id, key, spent_at):  # pressed twice at once
                return subscribed
            try:
                before = self.record_consent(request, entry.signup, back)
            except (HttpError, OSError, sqlite3.Error, StoreError):
                self.journal.unspend(key, spent_at)  # nothing recorded: the link still works
                raise
            if before in (Standing.LEFT_SINCE, Standing.UNREADABLE):
                self.journal.unspend(key, spent_at)  # this link, or a later one, still works
                raise (left_since_sent if before is Standing.LEFT_SINCE else row_to_fix)(address)
        if before is Standing.COMPLAINED:
            return self.page(200, "We cannot subscribe you here",
                             f"<p>{who} once marked our email as spam, so we do not write to it "
                             f"any more. To come back, write to "
                             f"{html.escape(self.settings.email.from_address)}.</p>", back)
        if before is not Standing.ACTIVE:  # sent in the background: the page need not wait
            self.worker.mailing.submit(self.mailer.send_welcome, address, entry.signup.name)
        return self.page(200, "You are subscribed",
                         f"<p>Thank you! New posts of {site} will come to {who}.</p>", back)

    def read_token(self, token: str) -> Confirmation:
        """The sign-up a confirmation token is for; HttpError 403 (forged) or 410 (expired)."""
        lifetime = self.settings.signup.confirm_lifetime.total_seconds()
        try:
            return read_confirm_token(self.secret, token, lifetime)
        except TokenError as error:
            logger.info("refused a confirmation link: %s", error.reason)
            if error.reason == "expired":
                raise HttpError(410, "This confirmation link has expired. Please sign up again "
                                     "on the blog: the new email will hold a fresh link.") from None
            raise HttpError(403, "This confirmation link is not valid. Please use the link "
                                 "from the email as it is.") from None

    def record_consent(self, request: Request, signup: Signup, page: str) -> Standing:
        """Make the reader active with their consent record; where they stood before."""
        ip = client_ip(request, self.trusted)
        consent = Consent(dt.datetime.now(dt.timezone.utc), page,
                          salted_hash(self.secret, "consent-ip", ip))
        try:
            return confirm_signup(self.store, signup, consent)
        except SubscriberError as error:  # the list stayed locked: ask the reader to come back
            logger.warning("confirmation of %s not recorded: %s", signup.address, error)
            raise try_again() from None

    def page(self, status: int, heading: str, body: str, back: str = "") -> Response:
        """A page of this site, ending with a link back to the blog (to ``back``, the page the
        form was on, when known); ``body`` is HTML."""
        site = self.settings.site
        return html_page(site.title, status, heading, body + back_link(site.title, back or site.url))


@contextmanager
def try_later_if_the_disk_fails(what: str) -> Iterator[None]:
    """A full disk or a read-only folder under the journal or the list, or a PostgreSQL store
    down or busy: 503 with Retry-After, as unsubscribes answer, never a 500; the reader's
    request is not lost, only not taken."""
    try:
        yield
    except (sqlite3.Error, OSError, StoreError) as error:
        logger.warning("%s not recorded: %s", what, error)
        raise try_again() from None
