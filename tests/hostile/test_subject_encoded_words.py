"""A title that looks like an RFC 2047 encoded-word reads in the inbox exactly as written.

Before, a literal ``=?utf-8?q?x?=`` went into ``Subject:`` as it was, and mail readers decoded
it to ``x``.
"""

from __future__ import annotations

import email
import email.policy

import pytest
from conftest import invoke

TITLES = [
    "=?utf-8?q?x?=",
    "Why =?utf-8?q?x?= shows as x in your inbox",
    "=?iso-8859-1?b?Y2Fm6Q==?= and a long title that needs folding across lines – café crème",
]


def write_post(site, title: str) -> None:
    quoted = title.replace('"', '\\"')
    (site / "content" / "posts" / "encoded.md").write_text(
        f'---\ntitle: "{quoted}"\ndate: "2026-01-01T09:00:00Z"\ndescription: "A test"\n---\n'
        "The body.\n", encoding="utf-8")


def subject_lines(path) -> list[bytes]:
    """The raw lines of the Subject header, continuation lines included."""
    lines = path.read_bytes().split(b"\r\n\r\n")[0].split(b"\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(b"Subject: "))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(b" ")),
               len(lines))
    return lines[start:end]


def parsed(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


@pytest.mark.parametrize("title", TITLES)
def test_an_encoded_word_in_a_title_round_trips_through_the_email_parser(site, title):
    write_post(site, title)

    sent = invoke(site, "send", "encoded", "--yes")
    preview = invoke(site, "preview", "encoded")

    assert sent.exit_code == 0 and preview.exit_code == 0
    messages = list((site / "outbox").glob("encoded/*.eml"))
    assert messages
    for path in [*messages, site / "preview" / "encoded" / "message.eml"]:
        message = parsed(path)
        assert message["Subject"] == title
        assert all(len(line) <= 78 for line in subject_lines(path))  # folded as RFC 5322 asks


def test_a_test_copy_keeps_the_title_as_written_after_its_prefix(site):
    write_post(site, TITLES[1])

    result = invoke(site, "send", "encoded", "--to", "me@example.com")

    assert result.exit_code == 0
    [copy] = list((site / "outbox").glob("encoded/test-sends/*.eml"))
    assert parsed(copy)["Subject"] == f"[TEST] {TITLES[1]}"
