"""What the endpoint answers: small self-contained HTML pages, plain text and JSON."""

from __future__ import annotations

import html
import json
from http import HTTPStatus
from typing import Iterable

from newsletter.records import record

# Nothing on these pages loads anything, and a token in the URL never leaves in a Referer.
PAGE_HEADERS = (
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy",
     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"),
)
# Dark text on light, or light on dark as the reader's system asks; an address of 300
# characters without a break wraps rather than widening a phone's page.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>{heading} · {site}</title>
<style>body{{font:17px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;
color:#222;background:#fafafa;overflow-wrap:anywhere}}a{{color:#0645ad}}
button{{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:6px;
background:#333;color:#fff;cursor:pointer}}
@media (prefers-color-scheme:dark){{body{{color:#eee;background:#181818}}a{{color:#8ab4f8}}
button{{background:#e8e8e8;color:#111}}}}</style></head>
<body><main><h1>{heading}</h1>{body}</main></body></html>
"""


# The heading of an error page a reader may meet: HTTP's own phrases ("Gone", "Forbidden")
# read as the server's jargon. The rest come from requests no reader's browser makes.
READER_HEADINGS = {
    400: "Something is missing or wrong",
    403: "This link does not work",
    404: "There is nothing here",
    405: "This is not a page to open",
    410: "This link no longer works",
    413: "That is too much to send",
    429: "Please wait a little",
    503: "Please try again soon",
}


def error_heading(status: int) -> str:
    """The heading of the page answering ``status``."""
    return READER_HEADINGS.get(status) or HTTPStatus(status).phrase


@record(frozen=True)
class Response:
    """What the application answers: a status, headers and a body."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def html_page(site_title: str, status: int, heading: str, body: str,
              extra_headers: Iterable[tuple[str, str]] = ()) -> Response:
    """A small HTML page; ``body`` is HTML, ``heading`` and ``site_title`` plain text."""
    text = PAGE.format(heading=html.escape(heading), site=html.escape(site_title), body=body)
    return Response(status, text.encode(), (*PAGE_HEADERS, *extra_headers))


def back_link(site_title: str, url: str) -> str:
    """A paragraph linking back to the blog (``url``: the site, or the page the form was on)."""
    return f'<p><a href="{html.escape(url)}">Back to {html.escape(site_title)}</a></p>'


def button_form(name: str, value: str, label: str) -> str:
    """A form of one button that POSTs ``name=value`` back to the page's own URL (no action
    attribute: the query string stays)."""
    return (f'<form method="post"><input type="hidden" name="{html.escape(name)}" '
            f'value="{html.escape(value)}"><button type="submit">{html.escape(label)}</button>'
            "</form>")


def text_response(status: int, text: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """A plain-text answer (for webhooks)."""
    return Response(status, f"{text}\n".encode(),
                    (("Content-Type", "text/plain; charset=utf-8"), *headers))


def json_response(status: int, payload: dict, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """A JSON answer (for the sign-up form's fetch)."""
    return Response(status, json.dumps(payload).encode(),
                    (("Content-Type", "application/json"), ("Cache-Control", "no-store"),
                     ("X-Content-Type-Options", "nosniff"), *headers))
