"""The web endpoint, a WSGI application: one-click unsubscribe and provider webhooks.

Routes:

- the path of ``email.unsubscribe_url``: ``GET`` shows a page with a button (link scanners
  GET, so a GET never changes anything); ``POST`` with ``List-Unsubscribe=One-Click`` in the body
  (RFC 8058, or the page's button) unsubscribes at once and answers 200. No cookies, no
  confirmation step. The address and token are read from where the URL template puts them.
- ``/webhooks/<provider>``: ``POST`` from Postmark, SendGrid, Mailgun or Resend
  (:mod:`newsletter.web.webhooks`).
- ``signup.path`` and the path of ``signup.confirm_url``: sign-ups from the blog with double
  opt-in (:mod:`newsletter.web.signup`).

``newsletter serve`` runs it under waitress; any WSGI server can run
``newsletter.web:create_app()``.
"""

from __future__ import annotations

import html
import logging
import os
import re
from http import HTTPStatus
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import parse_qs, parse_qsl, urlsplit

from newsletter.errors import ConfigError, SubscriberError
from newsletter.message import verify_token
from newsletter.subscribers import SubscriberStore, Suppression, apply_suppressions
from newsletter.web.pages import Response, button_form, html_page, text_response
from newsletter.web.request import (
    MAX_FORM_BODY,
    HttpError,
    parse_form,
    read_body,
    request_headers,
    request_path,
)
from newsletter.web.signup import signup_routes
from newsletter.web.webhooks import WEBHOOKS, WebhookError, WebhookRequest, handle_webhook

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BODY = 4 * 1024 * 1024  # SendGrid posts batches of events in one request
ONE_CLICK = ("List-Unsubscribe", "One-Click")  # RFC 8058 section 3.1: the POST body's key=value
WEBHOOK_PREFIX = "/webhooks/"
FIELDS = ("email", "token")

class UnsubscribeRoute:
    """The path of ``email.unsubscribe_url``, and where in the URL the address and token sit."""

    def __init__(self, template: str):
        parts = urlsplit(template)
        pieces = re.split(r"\{(email|token)\}", parts.path)
        # Literal text and placeholders alternate; a placeholder matches one path segment.
        self.path = re.compile("".join(
            f"(?P<{piece}>[^/]+)" if index % 2 else re.escape(piece)
            for index, piece in enumerate(pieces)
        ))
        self.query = {name: value[1:-1] for name, value in parse_qsl(parts.query)
                      if value in ("{email}", "{token}")}
        found = set(self.path.groupindex) | set(self.query.values())
        if found != set(FIELDS):
            raise ConfigError(
                "email.unsubscribe_url must hold both {email} and {token}", where="newsletter.toml",
                hint="for example https://blog.example.com/unsubscribe?email={email}&token={token}",
            )

    def match(self, path: str) -> dict[str, str] | None:
        """The placeholders found in ``path`` if it is the unsubscribe path, else None."""
        found = self.path.fullmatch(path)
        return found.groupdict() if found else None

    def recipient(self, from_path: dict[str, str], query: Mapping[str, list[str]]) -> tuple[str, str]:
        """(address, token) from the path and query string; HttpError 400 when missing."""
        values = dict(from_path)
        for name, field in self.query.items():
            given = set(query.get(name, []))
            if len(given) > 1:
                raise HttpError(400, f"The link gives {name} more than once.")
            if given:
                values[field] = given.pop()
        if not all(values.get(field) for field in FIELDS):
            raise HttpError(400, "This unsubscribe link is incomplete. Please use the link from "
                                 "the newsletter as it is.")
        return values["email"].strip(), values["token"].strip()


class NewsletterApp:
    """The WSGI application for one site."""

    def __init__(self, settings):
        self.settings = settings
        self.secret = settings.secrets.get("NEWSLETTER_SECRET")
        if not self.secret:
            raise ConfigError("NEWSLETTER_SECRET is not set", where="environment",
                              hint="use the secret the newsletters were sent with, or no link works")
        self.route = UnsubscribeRoute(settings.email.unsubscribe_url)
        self.store = SubscriberStore(settings)
        self.signups = signup_routes(settings, self.store, self.secret)

    def start(self) -> None:
        """Start the background work: sign-ups journalled before a restart are finished."""
        if self.signups is not None:
            self.signups.worker.start()

    def close(self) -> None:
        """Stop the background work and release files and connections."""
        if self.signups is not None:
            self.signups.close()

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        try:
            response = self.respond(environ)
        except HttpError as error:
            response = self.page(error.status, HTTPStatus(error.status).phrase,
                                 f"<p>{html.escape(error.message)}</p>", error.headers)
        reason = HTTPStatus(response.status).phrase
        start_response(f"{response.status} {reason}", [
            *response.headers, ("Content-Length", str(len(response.body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [response.body]

    def respond(self, environ: dict) -> Response:
        """Route one request."""
        path = request_path(environ)
        method = environ.get("REQUEST_METHOD", "GET")
        from_path = self.route.match(path)
        if from_path is not None:
            if method not in ("GET", "HEAD", "POST"):
                raise HttpError(405, "Use GET or POST.", [("Allow", "GET, HEAD, POST")])
            query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            address, token = self.route.recipient(from_path, query)
            if method == "POST":
                return self.unsubscribe(environ, address, token)
            return self.confirmation_page(address, token)
        if path.startswith(WEBHOOK_PREFIX):
            provider = path.removeprefix(WEBHOOK_PREFIX)
            if provider not in WEBHOOKS:
                raise HttpError(404, "No such webhook.")
            if method != "POST":
                raise HttpError(405, "Webhooks are POSTed.", [("Allow", "POST")])
            return self.webhook(environ, provider)
        answer = self.signups and self.signups.route(environ, path, method)
        if answer is not None:
            return answer
        raise HttpError(404, "There is nothing here.")

    def confirmation_page(self, address: str, token: str) -> Response:
        """GET: a page whose button POSTs back to the same URL; nothing changes here."""
        self.check_token(address, token)
        who = html.escape(address)
        if not self.store.is_active(address):
            return self.page(200, "You are unsubscribed",
                             f"<p>{who} gets no newsletters from {self.site_name}.</p>")
        form = button_form(*ONE_CLICK, "Unsubscribe")
        return self.page(200, "Unsubscribe?",
                         f"<p>Stop sending the {self.site_name} newsletter to {who}?</p>{form}")

    def unsubscribe(self, environ: dict, address: str, token: str) -> Response:
        """POST: unsubscribe at once (RFC 8058); repeating it changes nothing more."""
        form = parse_form(environ, read_body(environ, MAX_FORM_BODY))
        if form.get(ONE_CLICK[0]) != [ONE_CLICK[1]]:
            raise HttpError(400, "This is not a one-click unsubscribe request "
                                 "(the body must be List-Unsubscribe=One-Click).")
        self.check_token(address, token)
        try:
            # A valid token proves we mailed this address: if its row is gone, keep a record.
            changed = apply_suppressions(
                self.store, [Suppression(address, "unsubscribed", "one-click unsubscribe")],
                record_unknown=True)
        except SubscriberError as error:  # the list stayed locked: ask the client to come back
            logger.warning("unsubscribe of %s not recorded: %s", address, error)
            raise HttpError(503, "Please try again in a minute.", [("Retry-After", "60")]) from None
        if changed:
            logger.info("unsubscribed %s (one-click)", address)
        return self.page(200, "You are unsubscribed",
                         f"<p>{html.escape(address)} gets no more newsletters from "
                         f"{self.site_name}.</p>")

    def webhook(self, environ: dict, provider: str) -> Response:
        """POST /webhooks/<provider>: verify, then apply the events."""
        request = WebhookRequest(request_headers(environ), read_body(environ, MAX_WEBHOOK_BODY))
        try:
            report = handle_webhook(provider, request, self.store, self.settings.secrets)
        except WebhookError as error:
            logger.warning("%s webhook refused (%d): %s", provider, error.status, error.message)
            return text_response(error.status, error.message, error.headers.items())
        except SubscriberError as error:  # the list stayed locked; providers retry a 503
            logger.warning("%s webhook not applied: %s", provider, error)
            return text_response(503, "subscriber list busy", [("Retry-After", "60")])
        return text_response(200, f"ok: {len(report.changes)} changed, "
                                  f"{report.soft_bounces} soft bounces, {report.ignored} ignored")

    def check_token(self, address: str, token: str) -> None:
        """HttpError 403 unless ``token`` was made for ``address`` with our secret."""
        if not verify_token(self.secret, address, token):
            logger.info("refused an unsubscribe link with a bad token for %r", address)
            raise HttpError(403, "This unsubscribe link is not valid. Please use the link from "
                                 "the newsletter as it is, or reply to the newsletter.")

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
