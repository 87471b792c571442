"""Messages that named the wrong problem now name the right one.

Before: front matter with no closing ``---`` was reported as "no title"; ``subject =
"{title.__class__}"`` as "the subject is empty"; and `send --due` after a 401 printed "Sent ...
to 0 readers." next to the error.
"""

from __future__ import annotations

import pytest
from conftest import invoke
from fake_providers import KEYS, start_fake, write_provider_settings, write_readers

UNCLOSED = '---\ntitle: "Half a Header"\ndate: "2026-01-01T09:00:00Z"\n\nThe body.\n'


def test_front_matter_without_its_closing_line_is_named_as_such(site):
    (site / "content" / "posts" / "unclosed.md").write_text(UNCLOSED, encoding="utf-8")

    listed = invoke(site, "posts")
    sent = invoke(site, "send", "unclosed", "--yes")

    line = ("content/posts/unclosed.md:1: the front matter is never closed; "
            "end it with a line of three dashes: ---")
    assert listed.exit_code == 2 and f"error: {line}\n" in listed.output
    assert sent.exit_code == 2 and sent.output == f"error: {line}\n"
    assert "no title" not in listed.output + sent.output


@pytest.mark.parametrize("pattern", ["{title.__class__}", "{title.__class__.__mro__}",
                                     "{title[0]}", "{title!r}", "{0}", "{}", "{post}"])
def test_a_subject_pattern_reaching_past_the_fields_is_refused_by_name(site, pattern):
    path = site / "newsletter.toml"
    path.write_text(path.read_text().replace('subject = "{title}"', f'subject = "{pattern}"'))

    result = invoke(site, "send", "what-matters", "--dry-run")

    assert result.exit_code == 2
    number = path.read_text().splitlines().index(f'subject = "{pattern}"') + 1
    assert result.output == (f"error: newsletter.toml:{number}: email.subject may not use "
                             f"{pattern}; "
                             "use the fields {title}, {description}, {slug}, {url}, {date}, "
                             "{site}, e.g. {date:%B %d}\n")


def test_a_subject_with_a_date_format_and_literal_braces_still_works(site):
    path = site / "newsletter.toml"
    path.write_text(path.read_text().replace('subject = "{title}"',
                                             'subject = "{{Notes}} {date:%B %Y}: {title}"'))

    result = invoke(site, "send", "what-matters", "--dry-run")

    assert result.exit_code == 0
    assert "Subject:    {Notes} November 2026: What Matters When You Write Every Week" in (
        result.output)


def test_send_due_after_a_refused_key_says_nothing_was_sent_and_not_sent_to_0(site):
    write_readers(site, ["ann@example.com", "bob@example.org"])
    server = start_fake("postmark", KEYS["postmark"])
    try:
        write_provider_settings(site, name="postmark", api_url=server.url, timeout=5)
        env = {"POSTMARK_SERVER_TOKEN": "pm-revoked-key", "NEWSLETTER_SECRET": "s"}
        result = invoke(site, "send", "--due", "--now", "2026-11-21T00:00:00Z", env=env)
    finally:
        server.close()

    assert result.exit_code == 1
    assert "Sent " not in result.stdout and "to 0 readers" not in result.output
    assert result.stderr.startswith("error: /posts/what-matters: nothing sent: pending 2 "
                                    "(postmark answered 401: ")
    assert result.stderr.endswith("; see `newsletter status what-matters`\n")
