"""What a reader gets through each provider is byte for byte what `newsletter preview` shows.

Each provider fills the reader's values its own way (Postmark: a template rendered by
Mustachio; SendGrid: substitutions; Mailgun: recipient-variables; Resend: whole messages). The
fakes apply them as the provider does, and the sample reader's email must come out as the
preview's email.html and email.txt.
"""

from __future__ import annotations

import pytest
from conftest import picture_on_the_web, run_cli
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings

SAMPLE = "reader@example.org"


def with_braces(site) -> None:
    """A paragraph Mustachio would read as tags if it were not escaped (in code: `check`
    refuses template tags in a post's prose)."""
    post = site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text() + "\n\nTemplates write `{{name}}`, `{{{raw}}}` and "
                    "`{{#each items}}{{/each}}`; `{{! a comment }}` stays.\n")


# With another reader whose address HTML escapes (o'hara: o&#x27;hara), the batch carries
# each value in both forms; without one, SendGrid and Mailgun send each value once.
@pytest.mark.parametrize("other", ["ann@example.com", "o'hara@example.com"])
@pytest.mark.parametrize("name", ["postmark", "sendgrid", "mailgun", "resend"])
def test_the_email_a_reader_gets_is_the_preview(site, name, other):
    picture_on_the_web(site)
    with_braces(site)
    (site / "subscribers").joinpath("subscribers.csv").write_text(
        f"email,name,status\n{SAMPLE},Sample Reader,active\n{other},Other,active\n")
    environ = provider_environ(name)
    server = start_fake(name, KEYS[name])
    try:
        write_provider_settings(site, name=name, api_url=server.url, timeout=10.0,
                                **({"domain": "mg.example.com"} if name == "mailgun" else {}))
        preview = run_cli(site, "preview", "what-matters", "--out", str(site / "shown"),
                          env=environ)
        assert preview.returncode == 0, preview.stderr
        sent = run_cli(site, "send", "what-matters", "--yes", env=environ)
        assert sent.returncode == 0, sent.stderr
    finally:
        server.close()
    assert server.invalid == []
    received = server.delivery(SAMPLE)
    shown = site / "shown" / "what-matters"
    assert received.html.encode() == (shown / "email.html").read_bytes()
    assert received.text.encode() == (shown / "email.txt").read_bytes()
    assert "{{name}}" in received.text and "{{{raw}}}" in received.html
    theirs = server.delivery(other)
    assert other in theirs.text and other.replace("'", "&#x27;") in theirs.html
    if name == "postmark":  # sent through a template made for the post, then removed
        assert server.requests[0].path == "/email/batchWithTemplates"
        assert received.fields["Subject"] == "What Matters When You Write Every Week"
        assert server.api.templates.by_alias == {}
