"""The fake provider APIs refuse what the real ones refuse, so adapter tests mean something.

Requests that break a provider's schema: tests/test_provider_schemas.py.
"""

from __future__ import annotations

from contextlib import closing

import pytest
import requests
from fake_providers import KEYS, PATHS, post, start_fake


def test_mailgun_refuses_a_batch_without_recipient_variables():
    with closing(start_fake("mailgun", KEYS["mailgun"])) as server:
        answer = post(server, "mailgun", {"from": "a@example.com", "subject": "s", "text": "t",
                                          "to": ["b@example.com", "c@example.com"]})
        assert answer.status_code == 400
        assert server.invalid[0].problem == "recipient-variables must name every recipient"


def test_mailgun_refuses_recipient_variables_that_are_not_json():
    with closing(start_fake("mailgun", KEYS["mailgun"])) as server:
        answer = post(server, "mailgun", {"from": "a@example.com", "subject": "s", "text": "t",
                                          "to": ["b@example.com"], "recipient-variables": "{b:"})
        assert answer.status_code == 400
        assert answer.json() == {"message": "recipient-variables is not valid JSON"}


@pytest.mark.parametrize("name", sorted(PATHS))
def test_a_wrong_key_is_refused(name):
    with closing(start_fake(name, KEYS[name])) as server:
        answer = requests.post(server.url + PATHS[name], data=b"{}", timeout=5,
                               headers={"Authorization": "Bearer nope",
                                        "X-Postmark-Server-Token": "nope"})
        assert answer.status_code == 401
        assert not server.accepted
