"""Reading WSGI requests defensively: bounded bodies, form data, paths and headers.

Every malformed or oversized request becomes an :class:`HttpError` with a 4xx status, never a
crash of the endpoint.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Iterable
from urllib.parse import parse_qs

MAX_FORM_BODY = 64 * 1024  # an RFC 8058 body is 26 bytes; a form post is not much more
MAX_FORM_FIELDS = 20


class HttpError(Exception):
    """A request we answer with an error status and a short message."""

    def __init__(self, status: int, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


def read_body(environ: dict, limit: int) -> bytes:
    """The request body, at most ``limit`` bytes (HttpError 413 beyond, 400 if unreadable)."""
    length_text = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    too_large = HttpError(413, f"The request body is larger than {limit // 1024} KB.")
    if not length_text:
        # No length: only a server that marks the stream as terminated lets us read to its end.
        body = stream.read(limit + 1) if environ.get("wsgi.input_terminated") else b""
        if len(body) > limit:
            raise too_large
        return body
    if not length_text.isdigit():
        raise HttpError(400, "Bad Content-Length.")
    length = int(length_text)
    if length > limit:
        raise too_large
    body = stream.read(length)
    if len(body) != length:
        raise HttpError(400, "The request body was cut short.")
    return body


def parse_form(environ: dict, body: bytes) -> dict[str, list[str]]:
    """Form fields from a urlencoded or multipart/form-data body (RFC 8058 allows both)."""
    header = EmailMessage(policy=HTTP)
    header["Content-Type"] = environ.get("CONTENT_TYPE") or "application/x-www-form-urlencoded"
    content_type = header.get_content_type()
    if content_type == "application/x-www-form-urlencoded":
        try:
            # errors="strict": a %FF that is no UTF-8 is refused, never read as U+FFFD
            return parse_qs(body.decode("utf-8"), strict_parsing=bool(body),
                            max_num_fields=MAX_FORM_FIELDS, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise HttpError(400, "The form data is malformed.") from None
    if content_type == "multipart/form-data":
        return _parse_multipart(header, body)
    raise HttpError(415, "Send the form as application/x-www-form-urlencoded or multipart/form-data.")


def _parse_multipart(header: EmailMessage, body: bytes) -> dict[str, list[str]]:
    if not header.get_param("boundary"):
        raise HttpError(400, "The multipart form has no boundary.")
    raw = f"Content-Type: {header['Content-Type']}\r\n\r\n".encode() + body
    message = BytesParser(policy=HTTP).parsebytes(raw)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if not parts or message.defects or len(parts) > MAX_FORM_FIELDS:
        raise HttpError(400, "The multipart form is malformed.")
    fields: dict[str, list[str]] = {}
    for part in parts:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or payload is None:
            raise HttpError(400, "The multipart form is malformed.")
        try:
            fields.setdefault(name, []).append(payload.decode("utf-8").strip())
        except UnicodeDecodeError:
            raise HttpError(400, "The multipart form is not UTF-8.") from None
    return fields


def request_path(environ: dict) -> str:
    """The full URL path (mount point included), decoded as UTF-8 (WSGI gives latin-1)."""
    raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise HttpError(400, "The URL is not UTF-8.") from None


def request_headers(environ: dict) -> dict[str, str]:
    """Request headers by lower-case name."""
    headers = {key[5:].replace("_", "-").lower(): value
               for key, value in environ.items() if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers
