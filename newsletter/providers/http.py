"""The one HTTP send template every API provider shares: build, POST once, sort the outcome.

``HttpProvider.send_batch()`` builds the request (``build_request``), POSTs it once, turns
transport failures and error statuses into ``newsletter.errors`` classes and hands a 2xx to
``parse_response``. Adapters override the wire format and, where their docs say so,
:meth:`HttpProvider.raise_for_status`. Sorting (docs/providers.md#errors-and-retries-all-providers):

- refused connection (a proxy's too), connect timeout, a TLS handshake that fails, times out
  or is reset: nothing reached the provider -> ``TransientError`` (a proxy refusing the
  tunnel with 407 or 403 -> ``AuthError``);
- read timeout, connection dropped or TLS broken after the request was written, a 2xx or
  5xx body cut short -> ``InDoubtError`` (a 3xx or 4xx one -> ``TransientError``);
- the request cannot even be prepared (a bad URL, a bad timeout) -> ``NotSentError``;
- an answer saying the account's sending quota is used up (a 429 with a daily-quota reason or
  a wait of more than 15 minutes, SendGrid's "Maximum credits exceeded") -> ``QuotaError``;
- 401/403, a redirect, 404 or 405 (a wrong ``api_url``), 407 (a proxy's login) or 413 (every
  batch would be as large) -> ``AuthError``; 408 (the request was not all received) and 429
  -> ``TransientError`` with the provider's retry hint;
  5xx the provider's docs call safe (``transient_statuses``) -> ``TransientError``;
  any other 5xx -> ``InDoubtError``;
- any other non-2xx: the provider rejected the whole request for good -> one
  ``Result.rejected`` per message, with the provider's reason.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import math
import threading
import time
from abc import abstractmethod
from dataclasses import field
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, ClassVar
from urllib.parse import quote

import urllib3

from newsletter.errors import (AuthError, ConfigError, InDoubtError, NotSentError, QuotaError,
                               TransientError)
from newsletter.providers.base import Provider, Result
from newsletter.providers.http_environment import HttpEnvironment, http_environment
from newsletter.providers.transport import (PROXY_HINT, Answer, Connection, TransportError,
                                            make_session, read_answer, transport_failure)
from newsletter.records import record

if TYPE_CHECKING:
    import requests

    from newsletter.config import Settings
    from newsletter.message import Message

logger = logging.getLogger(__name__)

# A provider's words for a used-up sending quota, which no short back-off clears.
QUOTA_WORDS = re.compile(r"quota|daily (sending )?limit|sending limit|credits exceeded", re.I)
QUOTA_WAIT = 15 * 60  # a 429 asking to wait longer than this is a quota, not a rate limit
URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # what requests' requote_uri leaves as it is in a path
_BAD_HEADER_VALUE = re.compile(r"[\r\n]|^\s")  # what requests refuses in a header's value


@record
class HttpRequest:
    """What an adapter wants POSTed: a path under the API URL, a body and extra headers."""

    path: str
    body: bytes | None = None  # sent as is: JSON unless headers name another Content-Type
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None


def json_body(payload: Any) -> bytes:
    """Compact UTF-8 JSON, serialised once by us (as anymail's serialize_data does)."""
    # check_circular=False: payloads are plain trees we build, and the check is costly.
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False,
                      check_circular=False).encode()


class HttpProvider(Provider):
    """A provider reached over HTTPS (``transport.py``); subclasses hold only the wire format."""

    default_api_url: ClassVar[str]
    secret_name: ClassVar[str]  # environment variable holding the API key
    transient_statuses: ClassVar[frozenset[int]] = frozenset()  # 5xx the docs call safe to retry
    # No API provider documents a limit on requests in flight; 16 lets a send reach the
    # provider's pace at 200 ms answers, and the send backs off on 429 or slow answers.
    max_in_flight: ClassVar[int] = 16

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.api_key = self.read_api_key(settings)
        self.api_url = (settings.provider.api_url or self.default_api_url).rstrip("/")
        self.timeout = settings.provider.timeout
        self._local = threading.local()  # one Connection (and Session) per sending thread
        self._sessions: list[requests.Session | Connection] = []
        self._sessions_lock = threading.Lock()
        self._environment: HttpEnvironment | None = None  # proxy and CA, read once

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.api_url} key hidden>"

    def describe(self) -> str:
        """Provider name, then what the writer should know: stream, domain, test mode, API URL."""
        details = self.details()
        if self.api_url != self.default_api_url:
            details.append(f"API {self.api_url}")
        return f"{self.name} ({', '.join(details)})" if details else self.name

    def details(self) -> list[str]:
        """Short facts for :meth:`describe`."""
        return ["test mode"] if self.settings.provider.test_mode else []

    def read_api_key(self, settings: Settings) -> str:
        """The API key from the environment, or a ConfigError naming the variable."""
        key = settings.secrets.get(self.secret_name)
        if not key:
            raise ConfigError(
                f"{self.secret_name} is not set", where="environment",
                hint=f"export {self.secret_name}=... to send with provider.name = {self.name!r}",
            )
        # requests refuses such a header with an error that quotes it: the key in a traceback.
        if not key.isprintable() or key != key.strip():
            raise ConfigError(
                f"{self.secret_name} holds a line break or space", where="environment",
                hint="set it again without the trailing newline or spaces "
                     "(a .env file with Windows line ends leaves one)",
            )
        if not key.isascii():  # HTTP headers carry Latin-1 at most; no provider key is other
            raise ConfigError(f"{self.secret_name} holds characters that are not ASCII",
                              where="environment", hint="copy the key again from the provider")
        return key

    @abstractmethod
    def build_request(self, messages: list[Message]) -> HttpRequest:
        """The request that sends this batch."""

    @abstractmethod
    def parse_response(self, response: Answer, messages: list[Message]) -> list[Result]:
        """One Result per message, same order, from a 2xx response."""

    def send_batch(self, messages: list[Message]) -> list[Result]:
        """Build, POST once, sort the outcome into results or one error for the batch."""
        return self.sender(messages)()

    def sender(self, messages: list[Message]) -> Callable[[], list[Result]]:
        """The request built now; the function only POSTs it (the same bytes on every retry)."""
        return partial(self._send, self.build_request(messages), messages)

    def _send(self, request: HttpRequest, messages: list[Message]) -> list[Result]:
        response = self.post(request)
        if 200 <= response.status_code < 300:
            return self.parse_response(response, messages)
        self.raise_for_status(response)
        reason = self.describe_response(response)
        logger.warning("%s rejected a batch of %d: %s", self.name, len(messages), reason)
        return [Result.rejected(reason) for _ in messages]

    def post(self, request: HttpRequest, method: str = "POST") -> Answer:
        """Send once; sort transport failures by whether the request can have been received."""
        url, headers = self.prepare(request)
        try:
            response = self.connection.request(method, url, request.body, headers, self.timeout)
        except TransportError as exc:
            raise transport_failure(self, exc) from None
        if (answer := read_answer(response)) is not None:
            return answer
        status = response.status
        # The status came whole: a refusal (a 3xx or 4xx) sent nothing, whatever its lost
        # body said (an account's or a reader's refusal, a quota): try again later.
        if 300 <= status < 500:
            raise TransientError(f"{self.name} answered {status}, but the answer was cut short; "
                                 "nothing was sent")
        raise InDoubtError(f"{self.name} answered {status}, but the answer was cut short")

    def prepare(self, request: HttpRequest) -> tuple[str, dict[str, str]]:
        """The URL and headers the request goes with (what requests' ``prepare_request``
        checks and adds); NotSentError if any of it fails."""
        headers = {"Accept": "application/json", **request.headers}
        if request.body is not None:
            headers.setdefault("Content-Type", "application/json")
        url = self.api_url + quote(request.path, safe=URL_SAFE)
        try:
            if not (math.isfinite(self.timeout) and self.timeout > 0):
                raise ValueError(f"timeout {self.timeout!r} s")  # else it fails on connecting
            parts = urllib3.util.parse_url(url)
            if parts.scheme not in ("http", "https") or not parts.host:
                raise ValueError(f"no http:// or https:// host in {url!r}")
            if request.auth is not None:
                headers.update(urllib3.util.make_headers(basic_auth=":".join(request.auth)))
            if any(_BAD_HEADER_VALUE.search(value) for value in headers.values()):
                raise ValueError("a header value holding a line break or a leading space")
            self.connection  # noqa: B018 - a proxy it cannot use is refused before anything is sent
        except Exception as exc:  # noqa: BLE001 - whatever it was, no byte has left yet
            raise NotSentError(f"{self.name}: the request could not be prepared "
                               f"({self.provider_text(repr(exc))}); nothing was sent",
                               hint="check provider.api_url and the settings") from None
        return url, headers

    def raise_for_status(self, response: Answer) -> None:
        """Raise the error class for a failed response; a rejection of the request falls through."""
        status = response.status_code
        if status in (401, 403, 429) and self.quota_used_up(response):
            raise QuotaError(self.describe_response(response),
                             hint=f"{self.name}'s sending quota is used up; the readers left are "
                                  "sent by a later run")
        if status in (401, 403):
            raise AuthError(self.describe_response(response),
                            hint=f"check {self.secret_name} and the sender's set-up")
        if status == 407:  # a proxy between us and the provider wants credentials
            raise AuthError(f"{self.describe_response(response)}: nothing was sent",
                            hint=PROXY_HINT)
        if status == 413:  # every batch of the post is as large: each would be refused alike
            raise AuthError(f"{self.describe_response(response)}: the request was too large, "
                            "nothing was sent",
                            hint="lower provider.batch_size, or make the post's images smaller")
        if 300 <= status < 400 or status in (404, 405):  # no send endpoint at this api_url
            where = response.headers.get("Location")  # we follow no redirect
            moved = f", a redirect to {self.provider_text(where)}" if where else ""
            raise AuthError(f"{self.describe_response(response)}{moved}: nothing was sent",
                            hint="check provider.api_url (https://, and the address the "
                                 "provider documents)")
        # 408: the server stopped waiting for the request before it had all of it.
        if status in (408, 429) or status in self.transient_statuses:
            raise TransientError(self.describe_response(response),
                                 retry_after=self.retry_after(response))
        if status >= 500:
            raise InDoubtError(self.describe_response(response))

    def quota_used_up(self, response: Answer) -> bool:
        """True when a 401, 403 or 429 says the account may send no more for now (a daily or
        monthly quota, used-up credits) rather than "slow down" or "who are you"."""
        if QUOTA_WORDS.search(self.error_message(response) or ""):
            return True
        wait = self.retry_after(response) if response.status_code == 429 else None
        return wait is not None and wait > QUOTA_WAIT

    def retry_after(self, response: Answer) -> float | None:
        """Seconds to wait before retrying, from a standard Retry-After header."""
        return parse_retry_after(response.headers.get("Retry-After"))

    def describe_response(self, response: Answer) -> str:
        """Provider, status and the provider's short reason; never our headers, body or key."""
        reason = self.error_message(response) or response.reason or "no reason given"
        return f"{self.name} answered {response.status_code}: {self.provider_text(reason)}"

    def error_message(self, response: Answer) -> str | None:
        """The provider's own error text: ``message``/``Message`` or SendGrid's ``errors[]``."""
        try:
            body = response.json()
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        if isinstance(body.get("errors"), list) and body["errors"]:
            return "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e)
                             for e in body["errors"][:3])
        message = body.get("message") or body.get("Message")
        if message and "ErrorCode" in body:
            return f"{message} (ErrorCode {body['ErrorCode']})"
        return str(message) if message else None

    def read_json(self, response: Answer) -> Any:
        """The JSON of an accepted response; unreadable means we cannot tell what was sent."""
        try:
            return response.json()
        except ValueError:
            raise InDoubtError(
                f"{self.name} answered {response.status_code} but the answer was not JSON",
            ) from None

    @property
    def connection(self) -> Connection:
        """This thread's connection for the sends, through the proxy the environment names
        (read once a run: requests read every variable again for each request, 0.2 ms)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            if self._environment is None:
                self._environment = http_environment(self.api_url + "/")
            connection = self._local.connection = self._kept(Connection(self._environment))
        return connection

    @property
    def session(self) -> requests.Session:
        """This thread's requests Session, for the read-only calls (lookups, key checks)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._kept(make_session(pool_size=1))
        return session

    def _kept(self, each):
        with self._sessions_lock:
            self._sessions.append(each)
        return each

    def close(self) -> None:
        """Close every thread's connections."""
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()


def json_field(response: Answer, key: str) -> Any:
    """``key`` of the JSON object a response carries, or None."""
    try:
        return response.json().get(key)
    except (ValueError, AttributeError):
        return None


def parse_retry_after(value: str | None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
