"""Postmark's templates around a send: made for the post, removed after it, and what a killed
send left behind found again (tests/test_kill.py kills sends) or cleared away."""

from __future__ import annotations

from conftest import invoke
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings

from newsletter.providers.postmark_templates import site_key

SITE_URL = "https://blog.example.com"  # the example site's [site] url


def leftover(server, alias: str) -> None:
    server.api.templates.by_alias[alias] = {
        "Name": "left behind", "Alias": alias, "Subject": "old", "HtmlBody": "old",
        "TextBody": "old", "TemplateId": 1}


def send(site, server):
    write_provider_settings(site, name="postmark", api_url=server.url, timeout=10.0)
    return invoke(site, "send", "what-matters", "--yes", env=provider_environ("postmark"))


def test_this_sites_leftovers_are_removed_and_other_sites_templates_kept(site):
    server = start_fake("postmark", KEYS["postmark"])
    ours, theirs = f"newsletter-{site_key(SITE_URL)}-0123", "newsletter-ffffffff-0123"
    try:
        leftover(server, ours)
        leftover(server, theirs)
        leftover(server, "welcome-email")
        result = send(site, server)
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    assert sorted(server.api.templates.by_alias) == [theirs, "welcome-email"]
    assert server.api.templates.created == 1 and server.invalid == []
    assert {r.path for r in server.requests} == {"/email/batchWithTemplates"}


def test_a_server_at_its_template_limit_gets_whole_messages(site):
    server = start_fake("postmark", KEYS["postmark"])
    try:
        for number in range(server.api.templates.LIMIT):
            leftover(server, f"someone-else-{number}")
        result = send(site, server)
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    assert {r.path for r in server.requests} == {"/email/batch"}
    assert sum(server.accepted.values()) > 0 and server.invalid == []
