"""An internationalised address is written into the To header as it is, never mangled.

Anyone may sign up ``zoë@bücher.example``. Its confirmation email carries no name, so its To
header is the bare address; that was written with RFC 2047 encoded-words inside the address
(``To: user@=?utf-8?q?b=C3=BCcher?=.example``), which no mail reader takes for an address (RFC
2047 section 5 forbids them there). A newsletter to a reader without a name, and a bare
``email.reply_to``, had the same header. Now such a header is written in UTF-8, as for a
named reader (docs/providers.md: SMTPUTF8).
"""

from __future__ import annotations

import email
import email.policy

import pytest
from fake_providers import StandInEmail
from signup_support import configure_signup, settle, sign_up, signup_endpoint, wait_for_email

from newsletter.config import load_settings
from newsletter.message import MessageFactory

ADDRESSES = ["zoë+news@bücher.example", "jane@bücher.example", "zoë@example.com"]


def parsed(raw: bytes):
    """The message as a mail reader sees it: its headers in UTF-8."""
    return email.message_from_string(raw.decode("utf-8"), policy=email.policy.default)


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_confirmation_to_an_internationalised_address_names_it_as_it_is(site, address):
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        assert sign_up(base, address).status_code == 200
        settle(app)
        raw = wait_for_email(site, address).as_bytes(policy=email.policy.SMTPUTF8)

    assert f"To: {address}\r\n".encode() in raw
    assert [a.addr_spec for a in parsed(raw)["To"].addresses] == [address]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_newsletter_to_a_nameless_reader_and_a_bare_reply_to_are_written_as_they_are(
        site, address):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('reply_to = "jane@example.com"',
                                             'reply_to = "ré@bücher.example"'))
    settings = load_settings(site, {"NEWSLETTER_SECRET": "test-secret"})
    raw = MessageFactory(settings, StandInEmail(), "test-secret").build(address, "").as_bytes()

    message = parsed(raw)
    assert f"To: {address}\r\n".encode() in raw
    assert "Reply-To: ré@bücher.example\r\n".encode() in raw
    assert [a.addr_spec for a in message["To"].addresses] == [address]
    assert [a.addr_spec for a in message["Reply-To"].addresses] == ["ré@bücher.example"]
