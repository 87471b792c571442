"""Postmark's ErrorCodes and what each means for a send (docs/providers.md#postmark-errors).

A whole request refused is HTTP 422 with one ``{ErrorCode, Message}``; a batch answered 200
holds one per message (0: accepted).
"""

from __future__ import annotations

# ErrorCodes that mean this account or server cannot send at all: stop the run.
# 10 bad token, 400/401 sender signature missing/unconfirmed, 412 account pending, 413 account
# may not send (docs/providers.md#postmark-errors).
ACCOUNT_CODES = frozenset({10, 400, 401, 412, 413})
# 405 "not allowed to send": the account's sending limit or credits are used up; a later run
# sends the readers left (docs/sending.md#daily-and-hourly-limits).
SENDING_LIMIT = 405
# ErrorCodes that refuse the request itself, whoever it is for: 402 invalid JSON, 403
# incompatible JSON, 409 JSON required, 410 too many batch messages, 411 forbidden attachment
# (docs/providers.md#postmark-errors). Every batch would get the same answer: stop, nothing was sent.
REQUEST_CODES = frozenset({402, 403, 409, 410, 411})
TRY_LATER = frozenset({100, 429})  # ErrorCode 100 maintenance, 429 rate limit: nothing sent
# The templates API's ErrorCodes (1101: no template of this alias, as when it was removed while
# the send ran). A templated batch refused with one would be refused alike every time: stop,
# nothing was sent, and the next run stores the post's template again.
TEMPLATE_CODES = range(1100, 1200)
TEMPLATE_NOT_FOUND = 1101
TEMPLATE_HINT = "send again: the post's template is stored again when a send begins"


def error_code(entry: dict) -> int | None:
    """A batch result's ErrorCode, 0 for accepted; None when it says neither (an entry of
    another shape: it may or may not have gone out). "Message accepted, but delivery may be
    delayed." comes without an ErrorCode, but with its MessageID."""
    if "ErrorCode" not in entry:
        return 0 if isinstance(entry.get("MessageID"), str) and entry["MessageID"] else None
    code = entry["ErrorCode"]
    return code if isinstance(code, int) and not isinstance(code, bool) else None
