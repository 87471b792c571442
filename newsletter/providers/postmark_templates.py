"""Postmark's templates API for a send: the post stored once, each reader's values per message.

With ``/email/batch`` every message carries the whole post again (23 KB a reader for the
reference post). For a send, :class:`PostTemplate` stores the post's subject, HTML and text
as a Postmark template made for it, and ``/email/batchWithTemplates`` sends each reader only
their address, headers and ``TemplateModel``: the values ``Email.fill`` would put in,
already escaped as the email needs them (docs/providers.md#postmark-templates).

Mustachio, Postmark's template language, is kept to one construct: ``{{{name}}}``, which
inserts a model value as it is (``{{name}}`` would HTML-escape it, in the text part too).
Anything in the post itself that Mustachio could read as a tag starts with ``{{``; every
``{{`` of the post becomes ``{{{nl_braces}}}``, whose value is ``{{``. So the message a
reader gets is byte for byte ``Email.fill`` of their values (tests/test_preview_parity.py).

Templates are found by alias, ``newsletter-<site>-<content hash>``: a send killed before it
removed its template finds it again on the next run (same post, same content) and reuses
it; templates this site left behind for other content are removed when a send begins.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import secrets
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from newsletter.errors import AuthError, NewsletterError
from newsletter.message import one_line
from newsletter.providers.http import HttpRequest, json_body, json_field
from newsletter.providers.postmark_codes import TEMPLATE_NOT_FOUND
from newsletter.records import record
from newsletter.render import RECIPIENT_FIELDS

if TYPE_CHECKING:
    from newsletter.message import Message
    from newsletter.providers.base import Alone
    from newsletter.providers.http import HttpProvider
    from newsletter.render import Email

logger = logging.getLogger(__name__)

ALIAS_PREFIX = "newsletter-"
BRACES = "nl_braces"  # model value "{{": the post's own "{{" never reads as a tag
LIST_PAGE = 100  # templates per page when listing (a server holds at most 100)


def _tag(name: str) -> str:
    return "{{{" + name + "}}}"


def site_key(site_url: str) -> str:
    """The part of an alias that names the site (sites may share a Postmark server)."""
    return hashlib.sha256(site_url.encode()).hexdigest()[:8]


@record(frozen=True)
class PostTemplate:
    """One post as a Postmark template, and how to fill it per reader."""

    email: Email
    alias: str
    subject: str
    html: str
    text: str
    fields: tuple[str, ...]  # model names the template uses, e.g. "unsubscribe_url_html"

    @classmethod
    def of(cls, email: Email, site_url: str) -> PostTemplate:
        marker = f"nlvalue{secrets.token_hex(8)}"
        html_part, _ = email.fill({key: f"{marker}{key}_html{marker}" for key in RECIPIENT_FIELDS})
        _, text_part = email.fill({key: f"{marker}{key}{marker}" for key in RECIPIENT_FIELDS})
        subject = one_line(email.subject)
        found: set[str] = set()

        def template(text: str) -> str:
            pieces = re.split(f"{marker}(\\w+?){marker}", text)
            for name in pieces[1::2]:
                found.add(name)
            return "".join(_tag(p) if i % 2 else _escape(p) for i, p in enumerate(pieces))

        html_t, text_t, subject_t = template(html_part), template(text_part), template(subject)
        if "{{" in email.html + email.text + subject:
            found.add(BRACES)
        digest = hashlib.sha256("\0".join((email.post_id, subject_t, html_t, text_t)).encode())
        alias = f"{ALIAS_PREFIX}{site_key(site_url)}-{digest.hexdigest()[:20]}"
        return cls(email, alias, subject_t, html_t, text_t, tuple(sorted(found)))

    def fits(self, message: Message) -> bool:
        """True when ``message`` is this post's, as the template says it (not a test copy)."""
        return (message.email is self.email and not message.test
                and _escape(message.subject) == self.subject)

    def model(self, message: Message) -> dict[str, str]:
        """The reader's TemplateModel: each value escaped as Email.fill escapes it."""
        values = message.values
        model = {}
        for name in self.fields:
            if name == BRACES:
                model[name] = "{{"
            elif name.endswith("_html"):
                model[name] = html.escape(values[name[:-5]], quote=True)
            else:
                model[name] = values[name]
        return model

    def definition(self) -> dict:
        """The body that creates or edits the template."""
        return {"Name": f"newsletter: {self.email.post_id}"[:200], "Alias": self.alias,
                "Subject": self.subject, "HtmlBody": self.html, "TextBody": self.text,
                "TemplateType": "Standard"}


def _escape(text: str) -> str:
    return text.replace("{{", _tag(BRACES))


def batch_body(template: PostTemplate, messages: list[Message], fixed: dict,
               headers: Callable[[Message], dict[str, str]],
               metadata: Callable[[Message], dict[str, str]]) -> bytes:
    """``{"Messages": [...]}`` for ``/email/batchWithTemplates``.

    ``fixed`` holds the fields equal for every message (From, stream, tracking, tag...): they
    are encoded once per batch, and each message adds only To, TemplateModel, Headers and its
    Metadata (which names its reader).
    """
    first = messages[0]
    head = json_body({**fixed, "TemplateAlias": template.alias, "InlineCss": False})[:-1]
    own = headers(first)
    shared = {name: value for name, value in own.items()
              if all(headers(m).get(name) == value for m in messages)}
    encoded_shared = {name: '{"Name":%s,"Value":%s}' % (encode_basestring(name),
                                                        encode_basestring(value))
                      for name, value in shared.items()}
    names_start = {name: '{"Name":%s,"Value":' % encode_basestring(name) for name in own}
    parts: list[str] = []
    for message in messages:
        items = [encoded_shared.get(name) or names_start[name] + encode_basestring(value) + "}"
                 for name, value in headers(message).items()]
        model = ",".join(f"{encode_basestring(k)}:{encode_basestring(v)}"
                         for k, v in template.model(message).items())
        labels = ",".join(f"{encode_basestring(k)}:{encode_basestring(v)}"
                          for k, v in metadata(message).items())
        parts.append(f',"To":{encode_basestring(message.headers["To"])},'
                     f'"TemplateModel":{{{model}}},"Headers":[{",".join(items)}],'
                     f'"Metadata":{{{labels}}}}}')
    head_text = head.decode()
    return ('{"Messages":[' + ",".join(head_text + part for part in parts) + "]}").encode()


class TemplateStore:
    """The templates of one site on a Postmark server: made, reused, removed."""

    def __init__(self, provider: HttpProvider, site_url: str):
        self.provider = provider
        self.prefix = f"{ALIAS_PREFIX}{site_key(site_url)}-"
        self.headers = {"X-Postmark-Server-Token": provider.api_key, "Accept": "application/json"}

    def open(self, template: PostTemplate, alone: Alone) -> None:
        """Remove this site's other leftover templates (when no other sender runs: they may
        be its own), then make or update this one."""
        existing = self._aliases()
        with alone() as only:
            for alias in existing - {template.alias} if only else ():
                self.remove(alias)
        if template.alias in existing:
            path = f"/templates/{quote(template.alias)}"
            self._call("PUT", path, json_body(template.definition()))
            return
        try:
            self._call("POST", "/templates", json_body(template.definition()))
        except AuthError:
            raise
        except NewsletterError:
            # Two senders sharing the send both found no template and both made it: the
            # alias names the content, so the other's template is this one.
            if template.alias not in self._aliases():
                raise

    def remove(self, alias: str) -> None:
        """Delete one template (gone already is fine: a sender sharing the send removed it);
        a failure is logged, and the next send removes it."""
        try:
            self._call("DELETE", f"/templates/{quote(alias)}", gone_ok=True)
        except NewsletterError as error:
            logger.warning("postmark: template %s left on the server: %s", alias, error)

    def _aliases(self) -> set[str]:
        aliases: set[str] = set()
        for offset in range(0, 10 * LIST_PAGE, LIST_PAGE):
            page = json_field(self._call("GET", f"/templates?Count={LIST_PAGE}&Offset={offset}"
                                             "&TemplateType=Standard"), "Templates")
            if not isinstance(page, list):
                raise NewsletterError("postmark answered /templates without a list of templates")
            aliases.update(t["Alias"] for t in page if isinstance(t, dict)
                           and isinstance(t.get("Alias"), str)
                           and t["Alias"].startswith(self.prefix))
            if len(page) < LIST_PAGE:
                break
        return aliases

    def _call(self, method: str, path: str, body: bytes | None = None, gone_ok: bool = False):
        provider = self.provider
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = provider.post(HttpRequest(path, body, headers), method)
        except Exception as error:  # noqa: BLE001 - a bad URL or timeout too: no template then
            raise NewsletterError(f"postmark: {method} {path.split('?')[0]} failed "
                                  f"({type(error).__name__})") from None
        if response.status_code in (401, 403):
            raise AuthError(provider.describe_response(response),
                            hint=f"check {provider.secret_name}; templates need a server token")
        if gone_ok and response.status_code == 422 and _error_code(response) == TEMPLATE_NOT_FOUND:
            return response
        if not 200 <= response.status_code < 300:
            raise NewsletterError(provider.describe_response(response),
                                  where=f"{method} {path.split('?')[0]}")
        return response


def _error_code(response) -> object:
    """Postmark's ErrorCode in an error answer (None when the body is not one)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("ErrorCode") if isinstance(body, dict) else None
