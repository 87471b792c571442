"""A small post whose Markdown or template tags repeat a long text at each use: refused at once,
in one line naming the post, before the email is built (newsletter/render/effort.py,
MAX_HTML_CHARS; newsletter/render/tags/expand.py counts what the tags put in).

Before, a reference definition holding a long address, used at every ``[x][r]``, made an
80 KB post into 100 MB of HTML: `check` took two minutes and 1.6 GB of memory (premailer
inlined it, the check read it, all without a budget), and a 1 MB post would have made tens of
gigabytes. A Jekyll post of 12 KB including a 250 KB file 400 times took `check` 3 min 45 s
and 1 GB; one of 1 KB whose ``{% capture %}``s each doubled the one before ran out of memory
(a MemoryError's traceback under a 2 GB limit). Gmail clips an email past 102 KB, so no such
email could ever be sent.
"""

from __future__ import annotations

import resource

import pytest
from conftest import invoke, run_cli
from generator_sites import fill_in_settings, write_files

from newsletter.errors import ContentError
from newsletter.render.tags import TagContext, expand_tags

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


def _capped_memory() -> None:
    """In the child: 2 GB of address space, so the code before the fix fails instead of
    swapping."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


JEKYLL_POSTS = {
    "includes": ("{% include_relative tides.txt %}\n" * 400, 14, "252 KB"),
    "captures": ("{% capture c0 %}tide tide tide tide{% endcapture %}\n" + "".join(
        f"{{% capture c{n + 1} %}}{{{{ c{n} }}}}{{{{ c{n} }}}}{{% endcapture %}}\n"
        for n in range(60)) + "\n{{ c60 }}\n", 23, "623 KB"),
}


@pytest.mark.parametrize("shape", sorted(JEKYLL_POSTS))
def test_template_tags_putting_megabytes_into_a_small_post_are_one_line_at_their_tag(
        tmp_path, shape):
    body, line, this_one = JEKYLL_POSTS[shape]
    root = write_files(tmp_path / "blog", {
        "_config.yml": "title: Knots\nurl: https://log.example.net\n",
        "_posts/tides.txt": ("Rope " * 20 + "\n") * 2500,  # 250 KB, under the include limit
        "_posts/2026-01-02-echo.md": f"---\ntitle: Echo\n---\n\nStart.\n\n{body}",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2000-01-01T00:00:00Z")

    done = run_cli(root, "check", "2026-01-02-echo", timeout=GUARD_SECONDS,
                   preexec_fn=_capped_memory)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines()[0] == (
        f"error: _posts/2026-01-02-echo.md:{line}: render-failed: the post's template tags put "
        f"over 2.0 MB into it, this one {this_one}; an email that long can never be sent; put a "
        "long file or text into the post once, or link to it")


def test_an_mdx_constant_shown_at_each_use_is_refused_past_the_limit():
    # 500 characters exported once (the most a constant holds), shown 5,000 times: 2.5 MB (in
    # a 1 MB post: 70 MB, which Python-Markdown then had 1,400 s of CPU to read)
    body = 'export const tide = "' + "tide" * 125 + '"\n\n' + "{tide} " * 5000 + "\n"

    with pytest.raises(ContentError) as refused:
        expand_tags(body, TagContext(site_url="https://example.com", mdx=True))

    assert refused.value.message == ("the post's template tags put over 2.0 MB into it, this "
                                     "one 500 characters; an email that long can never be sent")
    assert refused.value.line == 3
