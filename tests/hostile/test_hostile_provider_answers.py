"""A provider's answer nested thousands deep (``[[[[...]]]]``), as a hostile ``api_url`` or a
proxy in between may send: json recurses once per level and raises RecursionError, not the
ValueError every reader of an answer expects. A send's accepted answer stopped the whole send
as "a bug in newsletter" (its batch in doubt, a traceback in the log) instead of leaving that
one batch in doubt; an error answer's reason did the same, and a key check, a lookup, a
suppression read and Postmark's template list crashed. Each now reads as an answer that is
not JSON.
"""

from __future__ import annotations

import pytest
import requests
from fake_providers import fake_provider  # noqa: F401

from newsletter.errors import InDoubtError
from newsletter.providers.key_check import KeyUnchecked, json_of
from newsletter.providers.transport import Answer

DEEP = b"[" * 5000 + b"]" * 5000
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("name", ["postmark", "sendgrid", "mailgun", "resend"])
def test_an_answer_nested_too_deep_is_an_answer_that_is_not_json(fake_provider, name):
    provider, _ = fake_provider(name)

    with pytest.raises(InDoubtError, match="answered 200 but the answer was not JSON"):
        provider.read_json(Answer(200, "OK", JSON, DEEP))
    assert provider.describe_response(Answer(500, "Internal Server Error", JSON, DEEP)) == \
        f"{name} answered 500: Internal Server Error"


def test_a_key_check_answered_nested_too_deep_is_unchecked_not_a_traceback(fake_provider):
    provider, _ = fake_provider("postmark")
    answer = requests.Response()
    answer.status_code, answer._content, answer.encoding = 200, DEEP, "utf-8"

    with pytest.raises(KeyUnchecked, match="answered 200 with something that is not JSON"):
        json_of(provider, answer)
