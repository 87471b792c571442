"""Findings about the message as a reader gets it: size, footer, text part, the reader's address."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

import lxml.html

from newsletter.check.findings import Finding, error, warning
from newsletter.message import SAMPLE_ADDRESS
from newsletter.render import (
    CLIP_WARNING_BYTES,
    GMAIL_CLIP_BYTES,
    PLACEHOLDERS,
    cta_url,
    encoded_html_size,
)

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext

UNSUBSCRIBE_PLACEHOLDER = PLACEHOLDERS["unsubscribe_url"]
# A URL in the text part: up to a space or an angle bracket; trailing punctuation is prose.
_TEXT_URL = re.compile(r"(?:https?|mailto):[^\s<>\"]+")
_TRAILING_PROSE = ".,;:!?)'\""


def message_findings(context: CheckContext) -> list[Finding]:
    """Size, unsubscribe link and postal address, text/HTML parity, the address in URLs."""
    sample = context.sample
    document = lxml.html.document_fromstring(sample.html)
    html_urls = [(element.get("href") or "").strip() for element in document.iter("a")]
    return [*_size(context), *_footer(context, document), *_parity(context, html_urls),
            *_address_in_urls(context, document)]


def _size(context: CheckContext) -> list[Finding]:
    size = encoded_html_size(context.sample.html)
    where = context.sources.post.name
    shown = f"the HTML part is {size / 1024:.0f} KB encoded"
    if size > GMAIL_CLIP_BYTES:
        return [error("size-clipped", where, f"{shown}: Gmail clips it near "
                      f"{GMAIL_CLIP_BYTES // 1024} KB and hides the rest, unsubscribe link included",
                      "shorten the post or split it in two")]
    if size > CLIP_WARNING_BYTES:
        return [warning("size-clipped", where, f"{shown}, close to where Gmail clips it "
                        f"({GMAIL_CLIP_BYTES // 1024} KB)", "shorten the post, or check it in Gmail")]
    return []


def _footer(context: CheckContext, document) -> list[Finding]:
    """Bulk mail must carry a way to unsubscribe and the sender's postal address, in both parts
    (docs/email.md#footer)."""
    email, sources = context.email, context.sources
    html_text = _words(document.text_content())
    address = _words(context.settings.email.postal_address)
    found = []
    rendered = lxml.html.document_fromstring(email.html)
    if not any(a.get("href") == UNSUBSCRIBE_PLACEHOLDER for a in rendered.iter("a")):
        found.append(error("footer-no-unsubscribe", sources.html_template.name,
                           "the HTML part has no unsubscribe link (the law and Gmail require one)",
                           'put <a href="{{ unsubscribe_url }}">Unsubscribe</a> in the footer'))
    if UNSUBSCRIBE_PLACEHOLDER not in email.text:
        found.append(error("footer-no-unsubscribe", sources.text_template.name,
                           "the text part has no unsubscribe link",
                           "put Unsubscribe: {{ unsubscribe_url }} at the end"))
    if address not in html_text:
        found.append(error("footer-no-address", sources.html_template.name,
                           "the HTML part does not show your postal address (anti-spam laws "
                           "require it in bulk mail)", "put {{ postal_address }} in the footer"))
    if address not in _words(email.text):
        found.append(error("footer-no-address", sources.text_template.name,
                           "the text part does not show your postal address",
                           "put {{ postal_address }} at the end"))
    return found


def _parity(context: CheckContext, html_urls: list[str]) -> list[Finding]:
    """Every web or mail link of the HTML part is in the text part too (some readers and spam
    filters read only that part; docs/email.md#text-part)."""
    in_text = {_plain(url) for url in text_urls(context.sample.text)}
    # A text part without its unsubscribe link is the footer check's (an error).
    in_text.add(_plain(context.sample.values["unsubscribe_url"]))
    # The call to action's link as the email carries it: a quote in it (cta_url: "...?q='a'")
    # ends a URL found in prose, yet the text part has it whole.
    if (call := cta_url(context.settings, context.post)) in context.sample.text:
        in_text.add(_plain(call))
    missing = [url for url in dict.fromkeys(html_urls)
               if re.match(r"(?:https?|mailto):", url) and _plain(url) not in in_text]
    where = context.sources.text_template.name
    return [warning("text-missing-link", where, f"the HTML part links to {url}, the text part "
                    "does not", f"add it to {where}") for url in missing]


def _address_in_urls(context: CheckContext, document) -> list[Finding]:
    """The reader's address in a URL leaks into server logs and referrers, and spam filters
    count it (docs/email.md#one-click-unsubscribe)."""
    sample = context.sample
    urls = [value for element in document.iter("a", "img")
            for value in (element.get("href"), element.get("src")) if value]
    urls += text_urls(sample.text) + re.findall(r"<([^<>]+)>", sample.headers["List-Unsubscribe"])
    leaking = [url for url in urls if SAMPLE_ADDRESS in unquote(url).lower()]
    if not leaking:
        return []
    sources = context.sources
    if "{email}" in context.settings.email.unsubscribe_url:
        where = sources.settings_file.setting_where("email", "unsubscribe_url")
        hint = "use the token alone: unsubscribe_url = \"https://.../unsubscribe/{token}\""
    else:
        where = (sources.html_template.where_match(r"(?:href|src)=[^>]*recipient_email", 0)
                 or sources.html_template.name)
        hint = "take {{ recipient_email }} out of the link"
    return [warning("spam-address-in-url", where,
                    f"each reader's address is in clear in a link ({leaking[0]})",
                    hint + "; the address would land in server logs, and spam filters count it")]


def text_urls(text: str) -> list[str]:
    """The URLs in a text part, without the prose punctuation after them; one written in
    ``<...>``, as the text part writes a link's address, is whole."""
    return [match[0] if text[match.start() - 1:match.start()] == "<" and
            text[match.end():match.end() + 1] == ">" else _without_prose(match[0])
            for match in _TEXT_URL.finditer(text)]


def _without_prose(url: str) -> str:
    while url and url[-1] in _TRAILING_PROSE:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # https://en.wikipedia.org/wiki/Mercury_(planet)
        url = url[:-1]
    return url


def _plain(url: str) -> str:
    """The URL as compared: escapes decoded (the HTML part's href escapes a link to
    zh.wikipedia.org/wiki/标点 that the text part shows as written), no trailing slash."""
    return unquote(url).rstrip("/")


def _words(text: str) -> str:
    return " ".join(text.split())
