"""init takes the writer the blog's settings name (Jekyll's `author` and `email`, Eleventy's
metadata `author: {name, email}`): replies and the "Get in touch" button go to their address and
the sender's name is theirs, where init used to leave every one of them at the example and say
it "could not know them". The sender's address stays the example: which address the provider
may send from is the writer's choice, and check asks for it by name."""

from __future__ import annotations

import email
import email.policy
import json
import os

import pytest

from conftest import invoke
from newsletter.config import load_settings


def jekyll_blog(root, config: str):
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text('title: Jottings\nurl: "https://jottings.example.org"\n'
                                      + config)
    (root / "_posts" / "2026-11-30-welcome.md").write_text(
        "---\nlayout: post\ntitle: Welcome\n---\nHello, readers.\n")
    return root


def hugo_blog(root, params: str):
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://jottings.example.org/"\n'
                                    'title = "Jottings"\n' + params)
    (root / "content" / "posts" / "welcome.md").write_text(
        "---\ntitle: Welcome\ndate: 2026-11-20\n---\nHello, readers.\n")
    return root


def eleventy_blog(root, author):
    (root / "posts").mkdir(parents=True)
    (root / "_data").mkdir()
    (root / "package.json").write_text('{"devDependencies": {"@11ty/eleventy": "^2.0.1"}}')
    (root / "_data" / "metadata.json").write_text(json.dumps(
        {"title": "Notes", "url": "https://notes.example.org/", "author": author}))
    (root / "posts" / "posts.json").write_text('{"tags": "posts"}')
    (root / "posts" / "welcome.md").write_text(
        "---\ntitle: Welcome\ndate: 2026-11-20\n---\nHello, readers.\n")
    return root


@pytest.mark.parametrize("make, source", [
    (lambda root: jekyll_blog(root, "author: Jo Park\nemail: jo@jottings.example.org\n"),
     "_config.yml"),
    (lambda root: jekyll_blog(root, "author:\n  name: Jo Park\n  email: jo@jottings.example.org\n"),
     "_config.yml"),
    (lambda root: eleventy_blog(root, {"name": "Jo Park", "email": "jo@jottings.example.org"}),
     "_data/metadata.json"),
    (lambda root: hugo_blog(root, '[params.author]\nname = "Jo Park"\n'
                                  'email = "jo@jottings.example.org"\n'), "hugo.toml"),
])
def test_init_sends_replies_to_the_writer_the_blog_names_and_asks_only_for_the_sender(
        tmp_path, make, source):
    root = make(tmp_path / "blog")
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(
        "Next: fill in email.from, email.postal_address in ")
    text = (root / "newsletter.toml").read_text()
    assert 'reply_to = "jo@jottings.example.org"  # from ' + source in text
    assert f'from = "Jo Park <you@example.com>"  # the name from {source}' in text
    settings = load_settings(root, {})
    assert settings.email.reply_to == "jo@jottings.example.org"
    assert settings.email.cta_url == "mailto:jo@jottings.example.org"

    checked = invoke(root, "check")
    refused = [line.split(": ")[3] for line in checked.output.splitlines()
               if "setting-placeholder" in line]
    assert [line.split(" ")[0] for line in refused] == ["email.from", "email.postal_address"]

    sent = invoke(root, "send", "welcome", "--to", "me@example.org")
    assert sent.exit_code == 0, sent.output
    [copy] = (root / "outbox").rglob("me@example.org.eml")
    message = email.message_from_bytes(copy.read_bytes(), policy=email.policy.default)
    assert message["Reply-To"] == "jo@jottings.example.org"
    assert message["From"] == "Jo Park <you@example.com>"


def test_a_writer_whose_name_needs_quotes_and_whose_email_is_no_address(tmp_path):
    root = jekyll_blog(tmp_path / "blog", 'author: "Park, Jo"\nemail: jo at jottings\n')
    assert invoke(root, "init").exit_code == 0
    text = (root / "newsletter.toml").read_text()
    assert 'reply_to = "you@example.com"\n' in text  # not an address: the example, as before
    settings = load_settings(root, dict(os.environ))
    assert (settings.email.from_name, settings.email.from_address) == ("Park, Jo",
                                                                         "you@example.com")


def test_a_writer_named_without_an_address_is_the_senders_name_alone(tmp_path):
    root = hugo_blog(tmp_path / "blog", '[params]\nauthor = "Jo Park"\n')
    result = invoke(root, "init")
    assert "Next: fill in email.from, email.reply_to, email.cta_url, email.postal_address" in \
        result.output
    text = (root / "newsletter.toml").read_text()
    assert 'from = "Jo Park <you@example.com>"  # the name from hugo.toml;' in text
    assert 'reply_to = "you@example.com"\n' in text


def test_the_starters_writer_is_not_taken_for_the_blogs(tmp_path):
    # Eleventy's base blog ships author "Your Name Here", youremailaddress@example.com: init
    # made it reply_to and the button's address, which check let through, so readers' replies
    # would have gone to example.com. Left at init's example now, which check refuses by name.
    root = eleventy_blog(tmp_path / "blog", {"name": "Your Name Here",
                                             "email": "youremailaddress@example.com"})
    result = invoke(root, "init")
    assert "Next: fill in email.from, email.reply_to, email.cta_url, email.postal_address" in \
        result.output
    text = (root / "newsletter.toml").read_text()
    assert 'from = "Your Name <you@example.com>"\n' in text
    assert 'reply_to = "you@example.com"\n' in text and "youremailaddress" not in text
