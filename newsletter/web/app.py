"""The web endpoint, a WSGI application: one-click unsubscribe and provider webhooks.

Routes:

- the path of ``email.unsubscribe_url``: ``GET`` shows a page with a button (link scanners
  GET, so a GET never changes anything); ``POST`` with ``List-Unsubscribe=One-Click`` in the body
  (RFC 8058, or the page's button) unsubscribes at once and answers 200. No cookies, no
  confirmation step. The token names the reader (:mod:`newsletter.message.tokens`); links of the
  old ``?email=...&token=...`` kind keep working.
- ``/health``: ``GET`` or ``HEAD`` answers 200 ``ok`` while the endpoint answers, for load
  balancers and uptime monitors (every other path answers 4xx to a bare request).
- ``/webhooks/<provider>``, under any path prefix: ``POST`` from Postmark, SendGrid, Mailgun or
  Resend (:mod:`newsletter.web.webhooks`).
- ``signup.path`` and the path of ``signup.confirm_url``: sign-ups from the blog with double
  opt-in (:mod:`newsletter.web.signup`).

``newsletter serve`` runs it under waitress; any WSGI server can run
``newsletter.web:create_app()``.
"""

from __future__ import annotations

import html
import logging
import os
import sqlite3
import threading
import time
from contextlib import nullcontext
from http import HTTPStatus
from pathlib import Path
from typing import Iterable

from newsletter.config import HEALTH_PATH  # for load balancers and uptime monitors
from newsletter.errors import ConfigError, NewsletterError
from newsletter.addresses import address_key
from newsletter.message import UnsubscribeTokens, verify_legacy_token
from newsletter.sending import (
    EVENT_KINDS,
    ONE_CLICK_PROVIDER,
    DeliveryEvent,
    EventStore,
    PostFinder,
)
from newsletter.state import postgres
from newsletter.subscribers import (
    BackgroundFolder,
    Suppression,
    open_store,
    record_suppressions,
)
from newsletter.web.pages import (
    Response,
    back_link,
    button_form,
    error_heading,
    html_page,
    text_response,
)
from newsletter.web.replay import used_tokens
from newsletter.web.request import HttpError, Request, try_again
from newsletter.web.routes import UnsubscribeRoute, webhook_provider
from newsletter.web.signup import signup_routes
from newsletter.web.webhooks import (
    WEBHOOKS,
    EventSink,
    WebhookError,
    WebhookRequest,
    handle_webhook,
)

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BODY = 4 * 1024 * 1024  # SendGrid posts batches of events in one request
ONE_CLICK = ("List-Unsubscribe", "One-Click")  # RFC 8058 section 3.1: the POST body's key=value

class NewsletterApp:
    """The WSGI application for one site."""

    def __init__(self, settings):
        self.settings = settings
        self.secret = settings.secrets.get("NEWSLETTER_SECRET")
        if not self.secret:
            raise ConfigError("NEWSLETTER_SECRET is not set", where="environment",
                              hint="set it to the secret the newsletters were sent with (their "
                              "links need it), or, before the first real send, to a long "
                              "random string")
        self.route = UnsubscribeRoute(settings.email.unsubscribe_url)
        self.tokens = UnsubscribeTokens(self.secret)
        # PostgreSQL: one pool for every thread; the list takes each change at once (nothing
        # to fold), and every host serving the site shares its state.
        self.database = postgres.Database(settings.store_url, pooled=True,
                                          site=settings.site.url) if settings.store_url else None
        if self.database is not None:  # a store it cannot use is refused now, in one line, as
            with self.database.connection():  # the files' journal is: not at every request
                pass
        self.store = open_store(settings, self.database)
        self.used_tokens = used_tokens(settings, self.database)
        self.signups = signup_routes(settings, self.store, self.secret)
        untracked = {kind for kinds, on in (
            (("opened", "machine_opened"), settings.tracking.opens),
            (("clicked", "machine_clicked"), settings.tracking.clicks)) if not on for kind in kinds}
        self.events = EventSink(EventStore(settings.state_dir, self.database),
                                PostFinder(settings.state_dir, self.database),
                                frozenset(EVENT_KINDS) - untracked)
        self._folder: BackgroundFolder | None = None
        self._folder_lock = threading.Lock()
        if self.database is None and self.store.journal.pending().entries:
            self.journalled()  # left by an earlier run: fold them soon

    def start(self) -> None:
        """Start the background work: sign-ups journalled before a restart are finished."""
        if self.signups is not None:
            self.signups.worker.start()

    def journalled(self) -> None:
        """The journal holds new changes: have them folded into the files soon (many at once)."""
        if self.database is not None:
            return  # in PostgreSQL the list itself took them
        with self._folder_lock:
            if self._folder is None:
                self._folder = BackgroundFolder(self.store)
        self._folder.poke()

    def close(self) -> None:
        """Stop the background work (after the fold in progress, if any); release files and
        connections."""
        if self.signups is not None:
            self.signups.close()
        with self._folder_lock:
            folder, self._folder = self._folder, None
        if folder is not None:
            folder.close()
        self.events.store.close()
        self.events.finder.close()
        if self.database is not None:
            self.database.close()

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        method = environ.get("REQUEST_METHOD")
        try:
            response = self.respond(Request(environ))
        except HttpError as error:
            site = self.settings.site
            response = self.page(error.status, error_heading(error.status),
                                 f"<p>{html.escape(error.message)}</p>"
                                 + back_link(site.title, site.url), error.headers)
        reason = HTTPStatus(response.status).phrase
        start_response(f"{response.status} {reason}", [
            *response.headers, ("Content-Length", str(len(response.body)))])
        return [] if method == "HEAD" else [response.body]

    def respond(self, request: Request) -> Response:
        """Route one request. The sign-up paths come before the unsubscribe path: one at the
        root of its host (``/{token}``) would take ``/subscribe`` too."""
        path, method = request.path, request.method
        answer = self.signups and self.signups.route(request)
        if answer is not None:
            return answer
        if path.rstrip("/") == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                raise HttpError(405, "Use GET or HEAD.", [("Allow", "GET, HEAD")])
            return text_response(200, "ok", [("Cache-Control", "no-store")])
        from_path = self.route.match(path)
        if from_path is not None:
            if method not in ("GET", "HEAD", "POST"):
                raise HttpError(405, "Use GET or POST.", [("Allow", "GET, HEAD, POST")])
            address, token = self.route.recipient(from_path, request.query)
            if method == "POST":
                return self.unsubscribe(request, address, token)
            return self.confirmation_page(self.reader(address, token))
        provider = webhook_provider(path)
        if provider is not None:
            if provider not in WEBHOOKS:
                raise HttpError(404, "No such webhook.")
            if method != "POST":
                raise HttpError(405, "Webhooks are POSTed.", [("Allow", "POST")])
            return self.webhook(request, provider)
        raise HttpError(404, "Please check the link: it may have been cut short.")

    def confirmation_page(self, address: str) -> Response:
        """GET: a page whose button POSTs back to the same URL; nothing changes here."""
        who = html.escape(address)
        try:
            active = self.store.is_active(address)
        except (sqlite3.Error, NewsletterError) as error:  # the journal or database broken
            logger.warning("unsubscribe page of %s not shown: %s", address, error)
            raise try_again() from None
        if not active:
            return self.page(200, "You are unsubscribed",
                             f"<p>{who} gets no newsletters from {self.site_name}.</p>"
                             + self.way_back)
        form = button_form(*ONE_CLICK, "Unsubscribe")
        return self.page(200, "Unsubscribe?",
                         f"<p>Stop sending the {self.site_name} newsletter to {who}?</p>{form}")

    def unsubscribe(self, request: Request, address: str, token: str) -> Response:
        """POST: unsubscribe at once (RFC 8058); repeating it changes nothing more."""
        form = request.form(plain_text=True)  # a text/plain one-click: docs/unsubscribes.md
        if form.get(ONE_CLICK[0]) != [ONE_CLICK[1]]:
            raise HttpError(400, "This is not a one-click unsubscribe request "
                                 "(the body must be List-Unsubscribe=One-Click).")
        address = self.reader(address, token)
        try:
            with self.one_connection():
                # One append to the journal, on disk before the 200, whatever the length of
                # the list (docs/subscribers.md#the-suppression-journal). A valid token proves
                # we mailed this address: if its row is gone, the fold keeps a record.
                recorded = record_suppressions(
                    self.store, [Suppression(address, "unsubscribed", "one-click unsubscribe")],
                    record_unknown=True)
                self.count_unsubscribe(address)
        except (sqlite3.Error, NewsletterError) as error:  # the journal is busy or broken
            logger.warning("unsubscribe of %s not recorded: %s", address, error)
            raise try_again() from None
        if recorded:
            logger.info("unsubscribed %s (one-click)", address)
            self.journalled()
        return self.page(200, "You are unsubscribed",
                         f"<p>{html.escape(address)} gets no more newsletters from "
                         f"{self.site_name}.</p>" + self.way_back)

    def webhook(self, request: Request, provider: str) -> Response:
        """POST /webhooks/<provider>: verify, then apply the events."""
        delivered = WebhookRequest(request.headers, request.body(MAX_WEBHOOK_BODY))
        try:
            report = handle_webhook(provider, delivered, self.store, self.settings.secrets,
                                    self.used_tokens, self.events)
        except WebhookError as error:
            logger.warning("%s webhook refused (%d): %s", provider, error.status, error.message)
            return text_response(error.status, error.message, error.headers.items())
        except (sqlite3.Error, OSError, NewsletterError) as error:  # busy or broken: retried
            logger.warning("%s webhook not applied: %s", provider, error)
            return text_response(503, "busy, try again", [("Retry-After", "60")])
        if report.changes:
            self.journalled()
        return text_response(200, f"ok: {len(report.changes)} status changes, "
                                  f"{report.new_events} events recorded, {report.repeated} "
                                  f"seen before, {report.ignored} ignored"
                                  + (f", {report.malformed} malformed (skipped)"
                                     if report.malformed else ""))

    def count_unsubscribe(self, address: str) -> None:
        """Count a one-click unsubscribe against the post last mailed to the reader (the link
        does not name the post), once per reader and post; the unsubscribe itself is already
        recorded, so a failure here is only logged."""
        reader = address_key(address)
        try:
            post = self.events.finder.post_for(reader, "", in_doubt_too=True)
            self.events.store.record([DeliveryEvent(
                ONE_CLICK_PROVIDER, f"one-click:{post}:{reader}", "unsubscribed", reader,
                post, time.time(), "one-click unsubscribe")])
        except (sqlite3.Error, OSError, NewsletterError) as error:
            logger.warning("one-click unsubscribe of %s not counted: %s", address, error)

    def one_connection(self):
        """On PostgreSQL, one pooled connection for every statement of the block (checked
        once as it is lent); nothing on the files."""
        return self.database.shared() if self.database is not None else nullcontext()

    def reader(self, address: str, token: str) -> str:
        """The address a link names: its token's, or (old links) ``address`` if the token is
        its HMAC; HttpError 403 when neither holds."""
        from_token = self.tokens.read(token)
        if from_token:
            return from_token
        if address and verify_legacy_token(self.secret, address, token):
            return address
        logger.info("refused an unsubscribe link with a bad token")
        raise HttpError(403, "This unsubscribe link is not valid. Please use the link from "
                                 "the newsletter as it is, or reply to the newsletter.")

    @property
    def way_back(self) -> str:
        """For a reader who unsubscribed by mistake: the blog, where the form is (sign-ups on)."""
        if self.signups is None:
            return back_link(self.settings.site.title, self.settings.site.url)
        blog = f'<a href="{html.escape(self.settings.site.url)}">{self.site_name}</a>'
        return f"<p>Changed your mind? You can sign up again on {blog}.</p>"

    @property
    def site_name(self) -> str:
        return html.escape(self.settings.site.title)

    def page(self, status: int, heading: str, body: str,
             extra_headers: Iterable[tuple[str, str]] = ()) -> Response:
        """A small HTML page; ``body`` is HTML, ``heading`` plain text."""
        return html_page(self.settings.site.title, status, heading, body, extra_headers)


def create_app(site: str | os.PathLike | None = None) -> NewsletterApp:
    """The app for a site folder (default: $NEWSLETTER_SITE, else the current folder).

    For other WSGI servers, e.g. ``gunicorn 'newsletter.web:create_app()'``.
    """
    from newsletter.config import load_settings

    root = Path(site or os.environ.get("NEWSLETTER_SITE") or ".")
    app = NewsletterApp(load_settings(root, os.environ))
    app.start()
    return app
