"""Reading a sign-up: a form post or a JSON body, every field checked before it is used.

Fields: ``email`` (required), ``name``, ``tags`` (only those in ``signup.tags`` are kept),
``page`` (the page the form was on; only kept when it belongs to an allowed origin), and the two
bot traps of the form snippet: ``website`` (a field people never see, so never fill) and
``elapsed`` (milliseconds between the page loading and the form being sent).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from newsletter.addresses import normalise_address
from newsletter.config import origin_of
from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.urls import split_url
from newsletter.web.request import MAX_FORM_FIELDS, HttpError, Request

MAX_SIGNUP_BODY = 8 * 1024  # an address, a name, a few tags and a URL
MAX_EMAIL = 320
MAX_NAME = 200
MAX_PAGE = 1000
HONEYPOT = "website"
ELAPSED = "elapsed"
TEXT_FIELDS = ("email", "name", "page", HONEYPOT)
# Control characters and line separators: never part of a name or a URL we keep.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
# What makes a "name" an advertisement: an address, a URL, or a host name (evil.example/x).
_NOT_A_NAME = re.compile(r"@|://|\bwww\.|[\w-]{2,}\.[a-z]{2,}\b", re.IGNORECASE)
# A cell starting with one of these runs as a formula when the list is opened in a spreadsheet
# (docs/signup.md#what-a-sign-up-may-write-into-the-list).
FORMULA_STARTS = ("=", "+", "-", "@")


@record(frozen=True)
class SignupRequest:
    """What a sign-up asked for, checked."""

    address: str  # normalised
    name: str
    tags: tuple[str, ...]
    page: str  # "" when none came, or it was not on an allowed origin
    looks_automated: bool  # filled the honeypot, or sent the form too fast


def read_signup(request: Request, settings) -> SignupRequest:
    """The checked sign-up in a request; HttpError 400/413/415 when it cannot be one."""
    signup = settings.signup
    if request.content_type == "application/json":  # the snippet's ``fetch``
        fields = _json_fields(request.body(MAX_SIGNUP_BODY))
    else:  # one field per box of the writer's tags a reader may tick, and the others
        most = max(MAX_FORM_FIELDS, len(TEXT_FIELDS) + 1 + len(signup.tags))
        fields = _form_fields(request.form(MAX_SIGNUP_BODY, max_fields=most))
    honeypot = fields.get(HONEYPOT, "")
    elapsed = _milliseconds(fields.get(ELAPSED))
    too_fast = elapsed is not None and elapsed < signup.min_fill_seconds * 1000
    allowed = {tag.lower(): tag for tag in signup.tags}
    tags = tuple(dict.fromkeys(allowed[tag.strip().lower()] for tag in fields.get("tags", [])
                               if tag.strip().lower() in allowed))
    page = next((url for url in (fields.get("page", ""), request.headers.get("referer", ""))
                 if on_the_blog(url, settings)), "")
    return SignupRequest(_address(fields.get("email", "")), _name(fields.get("name", "")), tags,
                         page, bool(honeypot.strip()) or too_fast)


def _address(text: str) -> str:
    text = text.strip()
    if not text:
        raise HttpError(400, "Please enter your email address.")
    if len(text) > MAX_EMAIL or text.startswith(FORMULA_STARTS):
        raise HttpError(400, "That does not look like an email address. Please check it.")
    try:
        return normalise_address(text)
    except SubscriberError:
        raise HttpError(400, "That does not look like an email address. Please check it.") from None


def _name(text: str) -> str:
    """The name, on one line; a name holding an address or a URL is refused: a stranger may
    sign up someone else, and the writer's emails must not carry the stranger's words."""
    name = " ".join(_CONTROLS.sub(" ", text).split())[:MAX_NAME]
    if _NOT_A_NAME.search(name):
        raise HttpError(400, "Please give just your name, without a web or email address.")
    return name.lstrip("".join(FORMULA_STARTS) + " ")


def on_the_blog(url: str, settings) -> bool:
    """Whether ``url`` is a page of ``signup.allowed_origins`` or ``site.url``'s origin as a
    browser reads it: a browser ends the host at a backslash (``https://evil.example\\@blog/``
    goes to evil.example, where Python reads a user name and the blog), and no page of the
    blog has a user name; nor is a URL no parser takes (``http://[x``, a port out of range).
    Asked again of a journalled page (the confirmation's "Back to" link): an older version
    kept any."""
    origins = {*settings.signup.allowed_origins, origin_of(settings.site.url)}
    url = url.strip()
    if not url or len(url) > MAX_PAGE or _CONTROLS.search(url) or "\\" in url:
        return False
    parts = split_url(url)
    return (parts is not None and parts.scheme.lower() in ("https", "http")
            and "@" not in parts.netloc and origin_of(url) in origins)


def _milliseconds(value: Any) -> float | None:
    """The ``elapsed`` field: None when absent (no JavaScript: the form cannot be timed)."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0  # a value no browser sends: count it as too fast
    return number if math.isfinite(number) and number >= 0 else 0.0


def _form_fields(form: dict[str, list[str]]) -> dict[str, Any]:
    fields: dict[str, Any] = {"tags": form.get("tags", [])}
    for name in (*TEXT_FIELDS, ELAPSED):
        values = form.get(name, [])
        if len(values) > 1:
            raise HttpError(400, f"The form gives {name} more than once.")
        if values:
            fields[name] = values[0]
    return fields


def _json_fields(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HttpError(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise HttpError(400, "Send the sign-up as a JSON object.")
    for name in TEXT_FIELDS:
        if not isinstance(data.get(name, ""), str):
            raise HttpError(400, f"{name} must be a string.")
    tags = data.get("tags", [])
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise HttpError(400, "tags must be a list of strings.")
    elapsed = data.get(ELAPSED)
    if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float, str, type(None))):
        raise HttpError(400, f"{ELAPSED} must be a number.")
    for text in (*(data.get(name, "") for name in TEXT_FIELDS), *tags):
        try:  # JSON may escape a lone surrogate (\ud800): no text, and no UTF-8 file takes it
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise HttpError(400, "The request holds text that is not valid Unicode.") from None
    return {**{name: data[name] for name in TEXT_FIELDS if name in data},
            "tags": tags, ELAPSED: elapsed}  # as many as MAX_SIGNUP_BODY holds
