"""Each message parses back as the reader should get it: headers, parts, their own unsubscribe link."""

from __future__ import annotations

import dataclasses
import email
import hashlib
import hmac
from email import policy
from email.header import decode_header, make_header
from urllib.parse import quote

import pytest
from sending_support import reference_email, site_settings

from newsletter.errors import ConfigError, SubscriberError
from newsletter.message.compose import MessageFactory, quote_address
from newsletter.message.keyed_hash import PrefixedHmac
from newsletter.message.tokens import (
    DEVELOPMENT_SECRET,
    UnsubscribeTokens,
    legacy_token,
    signing_secret,
    verify_legacy_token,
)

SECRET = "test-secret-0123456789"


@pytest.fixture
def settings(site):
    return site_settings(site)


@pytest.fixture
def factory(settings):
    return MessageFactory(settings, reference_email(settings), SECRET)


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


TOKENS = UnsubscribeTokens(SECRET)
UNSUBSCRIBE = "https://blog.example.com/unsubscribe/"


def test_a_message_is_multipart_alternative_text_then_html_with_every_header(factory):
    message = factory.build("ada@example.com", "Ada Lovelace")
    parsed = parse(message.as_bytes())
    assert parsed.get_content_type() == "multipart/alternative"
    text, related = parsed.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"  # the html and its image
    assert [part.get_content_type() for part in related.iter_parts()] == ["text/html", "image/jpeg"]
    assert parsed["From"] == "Jane Writer <jane@example.com>"
    assert parsed["To"] == "Ada Lovelace <ada@example.com>"
    assert parsed["Subject"] == "What Matters When You Write Every Week"
    assert parsed["Reply-To"] == "jane@example.com"
    assert parsed["Date"].datetime is not None
    assert parsed["Message-ID"].endswith("@example.com>")
    assert parsed["List-Id"] == "Example Notes <newsletter.blog.example.com>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = [item.strip(" <>") for item in parsed["List-Unsubscribe"].split(",")]
    assert https.startswith(UNSUBSCRIBE)
    assert mailto == "mailto:unsubscribe@example.com?subject=unsubscribe"


def test_the_readers_own_unsubscribe_link_is_in_the_header_the_html_and_the_text(factory):
    message = factory.build("grace@example.org", "Grace Hopper")
    parsed = parse(message.as_bytes())
    url = parsed["List-Unsubscribe"].split(",")[0].strip(" <>")
    token = url.removeprefix(UNSUBSCRIBE)
    assert "grace" not in url and "%40" not in url  # the address is not in clear
    assert TOKENS.read(token) == "grace@example.org"
    assert UnsubscribeTokens("another-secret").read(token) is None
    html = parsed.get_body(("html",)).get_content()
    text = parsed.get_body(("plain",)).get_content()
    assert url.replace("&", "&amp;") in html
    assert url in text


def test_the_encoded_parts_decode_to_exactly_the_filled_in_email(factory):
    # The MIME encoder re-encodes only the lines that vary; the result must be the full text.
    message = factory.build("katherine@example.org", "Katherine Johnson")
    parsed = parse(message.as_bytes())
    html = parsed.get_body(("html",)).get_content()
    text = parsed.get_body(("plain",)).get_content()
    assert html.replace("\r\n", "\n") == message.html  # lines end in CRLF on the wire
    assert text.replace("\r\n", "\n") == message.text


def test_every_line_is_crlf_terminated_and_short_enough_for_smtp(factory):
    raw = factory.build("ada@example.com", "Ada").as_bytes()
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 998


def test_no_header_can_be_injected_through_a_title_or_a_name(settings):
    hostile = dataclasses.replace(reference_email(settings),
                                  subject="Hello\r\nBcc: victim@example.net")
    factory = MessageFactory(settings, hostile, SECRET)
    message = factory.build("ada@example.com", "Ada\nBcc: other@example.net\r\nX-Evil: 1")
    parsed = parse(message.as_bytes())
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert parsed["Subject"] == "Hello Bcc: victim@example.net"
    assert "\n" not in parsed["To"]


@pytest.mark.parametrize("address", [
    "ada@example.com\r\nBcc: x@example.net", "ada@example.com, x@example.net",
    "Ada <ada@example.com>", "no-at-sign",
])
def test_an_address_that_could_break_a_header_is_refused(factory, address):
    with pytest.raises(SubscriberError):
        factory.build(address, "Ada")


def test_unicode_names_and_subjects_survive_the_round_trip(settings):
    accented = dataclasses.replace(reference_email(settings), subject="Café — naïve ünïcode")
    factory = MessageFactory(settings, accented, SECRET)
    parsed = parse(factory.build("zoe@example.org", "Zoë, the \"Reader\"").as_bytes())
    assert parsed["Subject"] == "Café — naïve ünïcode"
    assert parsed["To"].addresses[0].display_name == 'Zoë, the "Reader"'
    assert parsed["To"].addresses[0].addr_spec == "zoe@example.org"


@pytest.mark.parametrize("subject", ["毎週書くことで学んだ三つのこ — 第十二号",
                                     "毎週書くことで学んだ三つのこと続けること短くすること読者に聞 🎉 お知らせ"])
def test_a_space_between_encoded_words_reaches_the_reader(settings, subject):
    # RFC 2047 6.2: readers drop the whitespace between two encoded-words, so a space of the
    # subject must be inside one ("こ — 第" arrived as "こ— 第"); a name's spaces too.
    japanese = dataclasses.replace(reference_email(settings), subject=subject)
    name = "中村 さくら Ångström"
    raw = MessageFactory(settings, japanese, SECRET).build("sakura@example.org", name).as_bytes()
    headers = {line.split(b": ", 1)[0]: line.split(b": ", 1)[1].decode("ascii")
               for line in raw.split(b"\r\n\r\n")[0].replace(b"\r\n ", b" ").split(b"\r\n")}
    assert str(make_header(decode_header(headers[b"Subject"]))) == subject
    to_name = headers[b"To"].rsplit(" <", 1)[0]
    assert str(make_header(decode_header(to_name))) == name


def test_a_token_gives_back_its_address_and_nothing_else_reads_as_one():
    token = TOKENS.make("Ada@Example.com")
    assert TOKENS.read(token) == "Ada@Example.com"
    assert TOKENS.make("Ada@Example.com") == token  # the same link in every newsletter
    assert TOKENS.make("ada@example.com") != token
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for forged in (tampered, token[:-1], "", "ünïcode", "A" * 30, "=" * 40, token + "A" * 5000,
                   legacy_token(SECRET, "ada@example.com")):
        assert TOKENS.read(forged) is None, forged


def test_old_links_tokens_are_per_address_case_insensitive_and_need_the_secret():
    token = legacy_token(SECRET, "Ada@Example.com")
    assert verify_legacy_token(SECRET, "ada@example.com", token)
    assert not verify_legacy_token("another-secret", "ada@example.com", token)
    assert not verify_legacy_token(SECRET, "ada@example.com", token[:-1] + "A")
    assert not verify_legacy_token(SECRET, "ada@example.com", "ünïcode")


def test_message_ids_are_stable_per_reader_and_test_sends_are_marked(settings):
    email_ = reference_email(settings)
    first = MessageFactory(settings, email_, SECRET).build("ada@example.com")
    again = MessageFactory(settings, email_, SECRET).build("ada@example.com")
    other = MessageFactory(settings, email_, SECRET).build("grace@example.org")
    test = MessageFactory(settings, email_, SECRET, test=True).build("ada@example.com")
    assert first.message_id == again.message_id != other.message_id
    assert test.message_id != first.message_id
    assert test.subject == "[TEST] What Matters When You Write Every Week"


def test_the_outbox_may_use_the_development_secret_but_real_providers_may_not(settings):
    assert signing_secret(settings) == DEVELOPMENT_SECRET
    postmark = dataclasses.replace(settings,
                                   provider=dataclasses.replace(settings.provider, name="postmark"))
    with pytest.raises(ConfigError, match="NEWSLETTER_SECRET"):
        signing_secret(postmark)
    secret = dataclasses.replace(postmark, secrets=type(settings.secrets)({"NEWSLETTER_SECRET": "s"}))
    assert signing_secret(secret) == "s"


def test_tokens_and_message_ids_keep_their_published_values(settings):
    # Links already mailed must keep verifying, and a resent in-doubt message must keep its
    # Message-ID, whatever computes the HMACs: HMAC-SHA256 over fixed inputs, pinned here.
    assert legacy_token(SECRET, " Ada@Example.com") == "h9BBZKomEhx2bSSJ6FIk2Q"
    assert TOKENS.make("ada@example.com") == "2oUM9wa5T2QYo4FLoc_fxC1DXiYQZBOf2pPXz_BjyA"
    seed = b"message-id\n/posts/what-matters\nada@example.com"
    digest = hmac.new(SECRET.encode(), seed, hashlib.sha256).hexdigest()[:32]
    message = MessageFactory(settings, reference_email(settings), SECRET).build("Ada@example.com")
    assert message.message_id == f"<nl.{digest}@{settings.email.sender_domain}>"


@pytest.mark.parametrize("key", [b"", b"s", b"k" * 63, b"k" * 64, b"k" * 65, b"k" * 200,
                                 "sécret".encode()])
def test_a_message_id_hashes_as_hmac_digest_does_for_every_length_of_secret(key):
    prefix = b"message-id\n/posts/what-matters\n"
    keyed = PrefixedHmac(key, prefix)
    for rest in (b"", b"ada@example.com", "ü@bücher.de".encode(), b"x" * 300):
        assert keyed.digest(rest) == hmac.digest(key, prefix + rest, "sha256")


@pytest.mark.parametrize("address", ["ada@example.com", "a+b%c@x.org", "o'neil@ex.com",
                                     "ü@bücher.de", "a/b?c=d&e#f@x.org", "@@", ""])
def test_the_unsubscribe_url_quotes_the_address_as_quote_with_nothing_safe(address):
    assert quote_address(address) == quote(address, safe="")


def test_a_part_without_any_reader_value_still_encodes(settings):
    # A site's own email.txt may leave out the unsubscribe line: no line of that part varies.
    plain = dataclasses.replace(reference_email(settings), text="Hello.\nNo links here.\n")
    message = MessageFactory(settings, plain, SECRET).build("ada@example.com", "Ada")
    parsed = parse(message.as_bytes())
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == plain.text
    assert parsed.get_body(("html",)).get_content().replace("\r\n", "\n") == message.html


def test_no_line_of_a_part_starts_with_from_as_mbox_files_would_quote_it(settings):
    # Stored in an mbox file, a body line "From the archive" becomes ">From the archive".
    text = "Hello.\nFrom the archive, three posts.\n" + "x" * 74 + "From here on.\n"
    email_ = dataclasses.replace(reference_email(settings), text=text,
                                 html="<p>Hi</p>\nFrom <b>now</b> on\n")
    raw = MessageFactory(settings, email_, SECRET).build("ada@example.com", "Ada").as_bytes()
    lines = raw.split(b"\r\n")
    assert not [line for line in lines if line.startswith(b"From ")]
    body = lines[lines.index(b""):]
    assert max(len(line) for line in body) <= 76  # quoted-printable's limit (RFC 2045)
    parsed = parse(raw)
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert "\nFrom <b>now</b> on" in parsed.get_body(("html",)).get_content()


@pytest.mark.parametrize("subject, name", [
    ("What Matters When You Write Every Week", "Ada Lovelace"),
    ("A subject long enough that it has to be folded over more than one line of the header",
     "Zoë Example-Readerwith Averylongname, the \"Reader\""),
    ("Café — naïve ünïcode, and a subject long enough to be folded into encoded words", "Ada"),
])
def test_long_headers_are_folded_at_78_octets_and_parse_back_to_their_values(settings, subject,
                                                                            name):
    email = dataclasses.replace(reference_email(settings), subject=subject)
    message = MessageFactory(settings, email, SECRET).build(
        "a.rather.long.address.for.folding@example.org", name)
    raw = message.as_bytes()
    parts = [chunk.split(b"\r\n\r\n")[0] for chunk in raw.split(b"\r\n--=_nl_")]
    header_lines = [line for part in parts for line in part.split(b"\r\n")]
    assert b" <mailto:unsubscribe@example.com?subject=unsubscribe>" in header_lines
    long_lines = [line for line in header_lines if len(line) > 78]
    # Only the unsubscribe URL in its angle brackets (where no whitespace may go, RFC 2369) may
    # need more, on the header's first line.
    assert [line.split(b" <https://")[0] for line in long_lines] in ([], [b"List-Unsubscribe:"])
    assert all(line.count(b" ") == 1 for line in long_lines)
    parsed = parse(raw)
    for header, value in message.headers.items():
        if header in ("From", "To"):
            assert parsed[header].addresses == email_policy_addresses(value)
        else:
            assert str(parsed[header]) == value, header
    related = parsed.get_payload()[1]
    assert related.get_content_type() == "multipart/related"
    assert related.get_param("type") == "text/html" and related.get_boundary().startswith("=_nl_")


def email_policy_addresses(value: str):
    """The addresses a header value holds, as the email package reads them."""
    return email.message_from_string(f"To: {value}\n\n", policy=policy.default)["To"].addresses
