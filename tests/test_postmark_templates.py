"""Postmark's templates around a send: made for the post, removed after it, and what a killed
send left behind found again (tests/test_kill.py kills sends) or cleared away."""

from __future__ import annotations

from contextlib import contextmanager

from conftest import invoke
import requests
from fake_providers import (  # noqa: F401 (fixture)
    KEYS,
    fake_provider,
    provider_environ,
    render_reference,
    start_fake,
    write_provider_settings,
)

from newsletter.providers.postmark_templates import PostTemplate, site_key

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


def test_the_fake_refuses_a_templated_message_without_its_model_or_template(site):
    server = start_fake("postmark", KEYS["postmark"])
    headers = {"X-Postmark-Server-Token": KEYS["postmark"]}
    message = {"From": "a@example.com", "To": "b@example.com", "TemplateAlias": "missing",
               "TemplateModel": {}}
    try:
        no_model = requests.post(f"{server.url}/email/batchWithTemplates", timeout=10,
                                 headers=headers, json={"Messages": [
                                     {k: v for k, v in message.items() if k != "TemplateModel"}]})
        no_template = requests.post(f"{server.url}/email/batchWithTemplates", timeout=10,
                                    headers=headers, json={"Messages": [message]})
    finally:
        server.close()
    assert no_model.status_code == no_template.status_code == 422
    assert no_template.json()["ErrorCode"] == 1101 and len(server.invalid) == 2


def test_two_senders_making_the_posts_template_at_once_both_use_it_and_the_last_removes_it(
        fake_provider):
    """A sender sharing the send makes the template between this sender's look and its own
    POST (the alias names the content: it is the same template). This sender uses it, and
    removes it as the last sender to end."""
    provider, server = fake_provider("postmark")
    email = render_reference(provider.settings)
    made_by_the_other = PostTemplate.of(email, SITE_URL)
    ends = []

    @contextmanager
    def alone():  # called before this sender's POST, then as it ends (the other has ended)
        if not ends:
            server.api.templates.by_alias[made_by_the_other.alias] = {
                **made_by_the_other.definition(), "TemplateId": 7}
        ends.append(1)
        yield len(ends) > 1

    with provider.campaign(email, alone):
        assert provider.template is not None  # templated messages, not whole ones
    assert server.api.templates.by_alias == {} and server.api.templates.created == 0


def test_a_template_removed_while_the_send_runs_stops_it_and_the_next_run_sends_everyone(site):
    # Postmark refused every templated batch (ErrorCode 1101, no such template) and each of
    # its readers was recorded failed for good: the rest of the run went the same way, and a
    # plain rerun sent nobody. Now the run stops with its readers pending; the next stores the
    # template again and sends each of them once.
    server = start_fake("postmark", KEYS["postmark"])
    templates = server.api.templates
    keep = templates.answer

    def removed_at_once(method, path, payload):  # as if deleted in Postmark's web app
        answer = keep(method, path, payload)
        if method == "POST":
            templates.by_alias.clear()
        return answer

    try:
        templates.answer = removed_at_once
        first = send(site, server)
        templates.answer = keep
        second = send(site, server)
    finally:
        server.close()
    assert first.exit_code == 1 and "failed 0, in doubt 0, pending 4" in first.output
    assert "the post's template is stored again" in first.output, first.output
    assert "ErrorCode 1101" in first.output and KEYS["postmark"] not in first.output
    assert second.exit_code == 0, second.output
    readers = set(server.accepted)
    assert readers and max(server.accepted.values()) == 1
    assert {r.path for r in server.requests} == {"/email/batchWithTemplates"}
