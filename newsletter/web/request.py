"""One HTTP request, read from the WSGI ``environ`` once, defensively: a bounded body, strict
form data and query strings, the path and the headers.

The application builds one :class:`Request` per request and hands it to every route; nothing
else reads ``environ``. Every malformed or oversized request becomes an :class:`HttpError` with a
4xx status, never a crash of the endpoint.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from functools import cached_property
from typing import Iterable
from urllib.parse import parse_qs

MAX_FORM_BODY = 64 * 1024  # an RFC 8058 body is 26 bytes; a form post is not much more
MAX_FORM_FIELDS = 20
MAX_QUERY_FIELDS = 50  # an unsubscribe link has two or three; tracking parameters may follow


class HttpError(Exception):
    """A request we answer with an error status and a short message."""

    def __init__(self, status: int, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


def try_again() -> HttpError:
    """503 with Retry-After: the state is busy or broken for now, and nothing changed."""
    return HttpError(503, "Please try again in a minute.", [("Retry-After", "60")])


class Request:
    """What the application knows of one request. The path is read at once; the headers, the
    query string, the body and the form when first asked for, and then kept."""

    def __init__(self, environ: dict):
        self.method: str = environ.get("REQUEST_METHOD", "GET")
        self.path = _path(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        self.remote_addr: str = environ.get("REMOTE_ADDR") or ""
        self._environ = environ
        self._body: bytes | None = None

    @cached_property
    def headers(self) -> dict[str, str]:
        """Request headers by lower-case name."""
        environ = self._environ
        headers = {key[5:].replace("_", "-").lower(): value
                   for key, value in environ.items() if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        return headers

    @property
    def content_type(self) -> str:
        """The media type of the body, lower-case, without parameters ("" when none)."""
        return media_type(self.headers.get("content-type", ""))

    @cached_property
    def query(self) -> dict[str, list[str]]:
        """The query string's fields; HttpError 400 when it is not valid UTF-8 percent-encoding."""
        return _parse_urlencoded(self._environ.get("QUERY_STRING", ""), MAX_QUERY_FIELDS,
                                 "The link is malformed.", blanks=True)

    def body(self, limit: int) -> bytes:
        """The request body, at most ``limit`` bytes (HttpError 413 beyond, 400 if unreadable).
        Read from the stream the first time only."""
        if self._body is None:
            self._body = _read_body(self._environ, limit)
        elif len(self._body) > limit:
            raise _too_large(limit)
        return self._body

    def form(self, limit: int = MAX_FORM_BODY, *, plain_text: bool = False,
             max_fields: int = MAX_FORM_FIELDS) -> dict[str, list[str]]:
        """Form fields from a urlencoded or multipart/form-data body (RFC 8058 allows both);
        with ``plain_text``, a text/plain body is read as urlencoded too (some mail clients post
        the one-click key=value so). White space around a urlencoded body is not part of it.
        More than ``max_fields`` fields (a checkbox ticked counts one) is a 400."""
        return form_fields(self.headers.get("content-type", ""), self.body(limit), max_fields,
                           plain_text=plain_text)


def form_fields(content_type: str, body: bytes, max_fields: int, *, plain_text: bool = False,
                binary_parts: bool = False) -> dict[str, list[str]]:
    """The fields of a form ``body`` sent as ``content_type`` (its header, parameters and all;
    "" reads as urlencoded). With ``binary_parts``, a multipart part that is not UTF-8 (a file
    a provider attaches) is kept with replacement characters, not refused."""
    kind = media_type(content_type) or "application/x-www-form-urlencoded"
    if kind == "application/x-www-form-urlencoded" or (plain_text and kind == "text/plain"):
        try:
            text = body.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise HttpError(400, "The form data is malformed.") from None
        return _parse_urlencoded(text, max_fields, "The form data is malformed.",
                                 strict=bool(text))
    if kind == "multipart/form-data":
        header = EmailMessage(policy=HTTP)  # its parameters (the boundary), parsed right
        header["Content-Type"] = content_type
        return _parse_multipart(header, body, max_fields, binary_parts)
    raise HttpError(415, "Send the form as application/x-www-form-urlencoded or "
                         "multipart/form-data.")


def media_type(content_type: str) -> str:
    """The media type of a Content-Type header, lower-case, without parameters."""
    return content_type.split(";")[0].strip().lower()


def _path(raw: str) -> str:
    """The full URL path (mount point included), decoded as UTF-8 (WSGI gives latin-1)."""
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise HttpError(400, "The URL is not UTF-8.") from None


def _parse_urlencoded(text: str, max_fields: int, complaint: str, *, strict: bool = False,
                      blanks: bool = False) -> dict[str, list[str]]:
    """``a=1&b=2`` into fields; a percent-escape that is not UTF-8 (``%FF``) is a 400, never a
    replacement character that would reach an address or a token."""
    try:
        return parse_qs(text, keep_blank_values=blanks, strict_parsing=strict,
                        max_num_fields=max_fields, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, complaint) from None


def _too_large(limit: int) -> HttpError:
    return HttpError(413, f"The request body is larger than {limit // 1024} KB.")


def _read_body(environ: dict, limit: int) -> bytes:
    length_text = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if not length_text:
        # No length: only a server that marks the stream as terminated lets us read to its end.
        body = stream.read(limit + 1) if environ.get("wsgi.input_terminated") else b""
        if len(body) > limit:
            raise _too_large(limit)
        return body
    if not length_text.isdigit():
        raise HttpError(400, "Bad Content-Length.")
    length = int(length_text)
    if length > limit:
        raise _too_large(limit)
    body = stream.read(length)
    if len(body) != length:
        raise HttpError(400, "The request body was cut short.")
    return body


def _parse_multipart(header: EmailMessage, body: bytes, max_fields: int,
                     binary_parts: bool = False) -> dict[str, list[str]]:
    """multipart/form-data read flat (RFC 7578): each part between two delimiter lines is one
    field. A part that is a multipart itself is refused, never parsed: the email parser follows
    nested ones down, and a 64 KB body nested 960 deep cost seconds of CPU, then a
    RecursionError."""
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary or not boundary.isascii():
        raise HttpError(400, "The multipart form has no boundary.")
    delimiter = re.compile(rb"(?:\A|\r?\n)--" + re.escape(boundary.encode())
                           + rb"(--)?[ \t]*(?:\r?\n|\Z)")
    fields: dict[str, list[str]] = {}
    count, start = 0, None
    for found in delimiter.finditer(body):
        if start is not None:
            count += 1
            if count > max_fields:
                break
            name, value = _form_part(body[start:found.start()], binary_parts)
            fields.setdefault(name, []).append(value)
        if found.group(1):  # the closing delimiter
            if count:
                return fields
            break
        start = found.end()
    raise HttpError(400, "The multipart form is malformed.")


def _form_part(raw: bytes, binary: bool = False) -> tuple[str, str]:
    """(name, value) of one part of a multipart form."""
    part = BytesParser(policy=HTTP).parsebytes(raw, headersonly=True)
    name = part.get_param("name", header="content-disposition")
    payload = part.get_payload(decode=True)
    if part.get_content_maintype() == "multipart" or not isinstance(name, str) or payload is None:
        raise HttpError(400, "The multipart form is malformed.")
    try:
        return name, payload.decode("utf-8", "replace" if binary else "strict").strip()
    except UnicodeDecodeError:
        raise HttpError(400, "The multipart form is not UTF-8.") from None
