"""A small post whose Markdown repeats a long text at each use: refused at once, in one line
naming the post, before the email is built (newsletter/render/effort.py, MAX_HTML_CHARS).

Before, a reference definition holding a long address, used at every ``[x][r]``, made an
80 KB post into 100 MB of HTML: `check` took two minutes and 1.6 GB of memory (premailer
inlined it, the check read it, all without a budget), and a 1 MB post would have made tens of
gigabytes. Gmail clips an email past 102 KB, so no such email could ever be sent.
"""

from __future__ import annotations

import pytest
from conftest import run_cli

GUARD_SECONDS = 240  # the code before the fix took about a minute; the fixed one 1-2 s
FRONT_MATTER = ('---\ntitle: "Echo"\ndate: "2026-01-01T09:00:00Z"\n'
                'description: "Echoes."\n---\n\nIntro.\n\n')
LONG_ADDRESS = "https://example.org/" + "a" * 20_000


def _amplifying_post(site, name: str) -> None:
    uses = " ".join(["[x][r]"] * 500)  # 3.5 KB of uses, each 20 KB of HTML: 10 MB
    (site / "content" / "posts" / f"{name}.md").write_text(
        f"{FRONT_MATTER}{uses}\n\n[r]: {LONG_ADDRESS}\n")


@pytest.mark.parametrize("dialect", ["python-markdown", "commonmark"])
def test_a_reference_repeating_a_long_address_is_refused_before_the_email_is_built(
        site, dialect):
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text() + f'\n[posts]\nmarkdown = "{dialect}"\n')
    _amplifying_post(site, "echo")

    done = run_cli(site, "check", "echo", timeout=GUARD_SECONDS)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines()[0] == (
        "error: content/posts/echo.md: render-failed: the post makes 10.0 MB of HTML from "
        "24 KB of text (a link, image or abbreviation repeats a long text at each use); "
        "an email over 2.0 MB can never be sent; shorten the post, and write a long "
        "address once rather than in every link")


def test_send_refuses_it_and_nothing_is_written_to_the_outbox(site):
    _amplifying_post(site, "echo")

    done = run_cli(site, "send", "echo", "--yes", timeout=GUARD_SECONDS)

    assert done.returncode == 2
    assert "the post makes 10.0 MB of HTML" in done.stderr
    assert not (site / "outbox").exists()


def test_a_post_of_long_links_each_written_once_still_renders_and_is_checked(site):
    # 1 MB of one link: past what Gmail shows, so an error, but rendered and checked
    (site / "content" / "posts" / "long.md").write_text(
        f"{FRONT_MATTER}[x]({'https://example.org/' + 'b' * 1_000_000})\n")

    done = run_cli(site, "check", "long", timeout=GUARD_SECONDS)

    assert done.returncode == 2
    assert "size-clipped: the HTML part is" in done.stdout
    assert "render-failed" not in done.stdout
