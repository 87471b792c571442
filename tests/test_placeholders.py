"""Settings still at the example values `init` wrote never reach a reader: `check`, `send` and
`send --due` refuse them by name, whatever the provider; the example site is not affected."""

from __future__ import annotations

import json
import re

import pytest

from conftest import invoke
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings
from newsletter.scaffold.placeholders import PLACEHOLDERS

POST = """---
title: "Hello, Readers"
date: "2026-01-05T08:00:00Z"
description: "The first letter."
---

The blog now comes by email.
"""
# What init cannot know without the blog's generator settings (images.url stays a comment).
UNFILLED = ["site.title", "site.url", "email.from", "email.reply_to", "email.cta_url",
            "email.postal_address", "email.unsubscribe_url"]
OWN_VALUES = (("My Blog", "Field Notes"),
              ("https://your-blog.example", "https://notes.example.org"),
              ("Your Name <you@example.com>", "Ann Writer <ann@notes.example.org>"),
              ("you@example.com", "ann@notes.example.org"),
              ("Your postal address", "2 Harbour Road, Kingsbridge"))


@pytest.fixture
def fresh_blog(tmp_path):
    """A blog with one post and no generator settings, made a site by `init`."""
    blog = tmp_path / "blog"
    (blog / "content" / "posts").mkdir(parents=True)
    (blog / "content" / "posts" / "hello.md").write_text(POST, encoding="utf-8")
    made = invoke(blog, "init")
    assert made.exit_code == 0, made.output
    invoke(blog, "subscribers", "add", "reader@example.org")
    return blog, made.output


def placeholder_lines(output: str) -> dict[str, str]:
    """setting -> the line of newsletter.toml a setting-placeholder error names."""
    return {match[2]: match[1] for match in
            re.finditer(r"^error: newsletter\.toml:(\d+): setting-placeholder: (\S+) is still",
                        output, re.MULTILINE)}


def test_init_names_every_value_it_could_not_fill(fresh_blog):
    _, output = fresh_blog
    assert f"Next: fill in {', '.join(UNFILLED)} in " in output


def test_check_refuses_each_placeholder_by_name_and_line(fresh_blog):
    blog, _ = fresh_blog
    result = invoke(blog, "check", "hello")
    assert result.exit_code == 2
    lines = placeholder_lines(result.output)
    assert sorted(lines) == sorted(UNFILLED)
    toml = (blog / "newsletter.toml").read_text().splitlines()
    for name, line in lines.items():  # the line really holds that key
        assert toml[int(line) - 1].startswith(name.split(".")[1].removesuffix("_") + " =")


def test_send_refuses_and_nothing_goes_out_but_a_test_copy_does(fresh_blog):
    blog, _ = fresh_blog
    sent = invoke(blog, "send", "hello", "--yes")
    assert sent.exit_code == 2
    assert "email.reply_to is still the example value newsletter init wrote" in sent.output
    assert "error: /posts/hello not sent: 7 errors above" in sent.output
    assert list(blog.glob("outbox/hello/*.eml")) == []

    test = invoke(blog, "send", "hello", "--to", "me@example.org")
    assert test.exit_code == 0
    assert "email.cta_url is still the example value" in test.output  # where the writer looks
    assert "a real send refuses /posts/hello until the 7 errors above are fixed" in test.output
    assert list((blog / "outbox" / "hello" / "test-sends").glob("*.eml"))


def test_send_due_and_its_dry_run_refuse_even_with_nothing_due(fresh_blog):
    blog, _ = fresh_blog
    for args in (("--dry-run",), ()):
        result = invoke(blog, "send", "--due", *args, "--now", "2025-01-01T00:00:00Z")
        assert result.exit_code == 2
        assert sorted(placeholder_lines(result.output)) == sorted(UNFILLED)
        assert "error: send --due sent nothing: fix the settings above" in result.output
    assert not (blog / ".newsletter" / "ledger.db").exists()  # no since recorded either


def test_the_writers_own_values_pass_and_the_post_goes_out(fresh_blog):
    blog, _ = fresh_blog
    path = blog / "newsletter.toml"
    text = path.read_text()
    for example, own in OWN_VALUES:
        text = text.replace(example, own)
    path.write_text(text)

    checked = invoke(blog, "check", "hello", "--json")
    assert "setting-placeholder" not in checked.output
    sent = invoke(blog, "send", "hello", "--yes")
    assert sent.exit_code == 0, sent.output
    assert len(list((blog / "outbox" / "hello").glob("*.eml"))) == 1


def test_a_real_provider_refuses_them_too_before_any_request(fresh_blog):
    blog, _ = fresh_blog
    server = start_fake("postmark", KEYS["postmark"])
    try:
        write_provider_settings(blog, name="postmark", api_url=server.url)
        result = invoke(blog, "send", "hello", "--yes", env=provider_environ("postmark"))
    finally:
        server.close()
    assert result.exit_code == 2 and "setting-placeholder" in result.output
    assert server.request_count == 0


def test_the_example_site_holds_no_placeholder(site):
    result = invoke(site, "check", "what-matters", "--json")
    assert "setting-placeholder" not in result.output
    assert json.loads(result.output)["errors"] == 0


@pytest.mark.parametrize("placeholder", PLACEHOLDERS, ids=lambda p: p.name)
def test_each_placeholder_is_caught_on_its_own(site, placeholder):
    """Written into the example site one at a time, each is one error naming its key."""
    value = {"site.title": "My Blog", "site.url": "https://your-blog.example",
             "email.from": "Your Name <you@example.com>", "email.reply_to": "you@example.com",
             "email.cta_url": "mailto:you@example.com",
             "email.postal_address": "Your postal address",
             "email.unsubscribe_url": "https://your-blog.example/unsubscribe/{token}",
             "images.url": "https://your-blog.example/newsletter"}[placeholder.name]
    path = site / "newsletter.toml"
    text = path.read_text()
    if placeholder.name == "site.url":  # the unsubscribe URL must stay on the site's host
        text = text.replace("https://blog.example.com/unsubscribe",
                            "https://your-blog.example/unsubscribe")
    head, table, rest = text.partition(f"[{placeholder.section}]\n")
    body, next_table, tail = rest.partition("\n[")
    body = re.sub(rf"(?m)^{placeholder.key} = .*\n", "", body)
    line = f"{placeholder.key} = {json.dumps(value)}\n"
    path.write_text(f"{head}{table}{line}{body}{next_table}{tail}")

    result = invoke(site, "check", "what-matters")
    assert placeholder.name in placeholder_lines(result.output), result.output
    assert result.exit_code == 2
