"""A Lumen-shaped blog's images reach every reader, in both modes, through every provider.

Each case sends a post for real (`newsletter send`), through the outbox or a fake
provider API on 127.0.0.1, then reads what arrived as a reader's client would: every ``<img>`` of
each reader's HTML must resolve, a ``cid:`` to a part of that same message or request holding
the prepared file's bytes, a hosted URL to the test web server serving the blog's
``static/newsletter`` folder with those bytes.
"""

from __future__ import annotations

import email
from contextlib import ExitStack
from email import policy

import lxml.html
import pytest
import requests
from conftest import invoke
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings
from folder_server import serving_folder
from lumen_site import PAPER_ID, READERS, TYPOGRAPHY_ID, make_lumen_site

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render import render_post

PROVIDERS = ("outbox", "postmark", "sendgrid", "mailgun")
# Each post's images, in order, by alt text. The typography post's socialImage is the photo its
# body shows, so it is not repeated at the top; the paper post's feature image (a WebP in the
# static folder) is, linked to the post, above a WebP with transparency beside the post.
ALTS = {
    TYPOGRAPHY_ID: ["A case of metal type on a workbench", "A diagram of a hand press"],
    PAPER_ID: ["Sheets of paper fanned out", "A sheet folded three times"],
}


@pytest.fixture
def stack():
    with ExitStack() as stack:
        yield stack


def prepared_files(site, post_id) -> dict[str, bytes]:
    """The prepared images of a post, by name, as newsletter made them."""
    settings = load_settings(site, {})
    posts, _ = load_posts(settings)
    email = render_post(settings, find_post(posts, post_id))
    return {image.name: image.data for image in email.images}


def arrived(site, post_id, name, server) -> dict[str, tuple[str, dict[str, bytes]]]:
    """address -> (the HTML the reader got, {Content-ID: bytes} of the parts that came with it)."""
    if name != "outbox":
        return {d.address: (d.html, d.images) for d in server.delivered}
    out = {}
    for path in (site / "outbox" / post_id.rpartition("/")[2]).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        parts = {part["Content-ID"].strip("<>"): part.get_content()
                 for part in message.walk() if part["Content-ID"]}
        out[path.stem] = (message.get_body(("html",)).get_content(), parts)
    return out


def send(site, post_id, name, stack):
    """Point the site at the provider, send the post, return the fake (or None)."""
    server = None
    if name != "outbox":
        server = start_fake(name, KEYS[name])
        stack.callback(server.close)
        write_provider_settings(site, name=name, api_url=server.url, timeout=10,
                                **({"domain": "mg.example.com"} if name == "mailgun" else {}))
    result = invoke(site, "send", post_id, "--yes",
                    env=provider_environ(name) if server else {})
    assert result.exit_code == 0, result.output
    assert "Sent 3, failed 0, in doubt 0, pending 0." in result.output
    assert server is None or server.invalid == []
    return server


def image_sources(html: str) -> list[tuple[str, str]]:
    document = lxml.html.document_fromstring(html)
    return [(img.get("src"), img.get("alt")) for img in document.iter("img")]


@pytest.mark.parametrize("post_id", ALTS)
@pytest.mark.parametrize("name", PROVIDERS)
def test_inline_images_travel_as_parts_of_each_message(tmp_path, stack, name, post_id):
    site = make_lumen_site(tmp_path / "blog", mode="inline")
    server = send(site, post_id, name, stack)
    prepared = prepared_files(site, post_id)

    messages = arrived(site, post_id, name, server)

    assert sorted(messages) == sorted(READERS)
    for address, (html, parts) in messages.items():
        sources = image_sources(html)
        assert [alt for _, alt in sources] == ALTS[post_id]
        for src, _ in sources:
            assert src.startswith("cid:"), src
            assert parts[src[4:]] == prepared[src[4:]], f"{address}: {src} does not resolve"
        assert set(parts) == set(prepared)  # each file once, nothing else


@pytest.mark.parametrize("post_id", ALTS)
@pytest.mark.parametrize("name", PROVIDERS)
def test_hosted_images_load_from_the_deployed_folder(tmp_path, stack, name, post_id):
    blog = tmp_path / "blog"
    url = stack.enter_context(serving_folder(blog / "static" / "newsletter"))
    site = make_lumen_site(blog, mode="hosted", url=url + "/")
    server = send(site, post_id, name, stack)
    prepared = prepared_files(site, post_id)

    messages = arrived(site, post_id, name, server)

    assert sorted(messages) == sorted(READERS)
    for html, parts in messages.values():
        assert parts == {}  # nothing travels inside the message
        sources = image_sources(html)
        assert [alt for _, alt in sources] == ALTS[post_id]
        for src, _ in sources:
            assert src.startswith(url + "/") and "//" not in src[len(url):], src
            answer = requests.get(src, timeout=10)
            assert answer.status_code == 200
            assert answer.headers["Content-Type"].startswith("image/")
            assert answer.content == prepared[src.rpartition("/")[2]]


def test_inline_images_reach_an_smtp_server_inside_each_message(tmp_path):
    from test_smtp import LocalController, Mailbox

    site = make_lumen_site(tmp_path / "blog", mode="inline")
    mailbox = Mailbox()
    controller = LocalController(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        write_provider_settings(site, name="smtp", host="127.0.0.1", port=controller.port,
                                security="none", timeout=10)
        result = invoke(site, "send", PAPER_ID, "--yes", env={"NEWSLETTER_SECRET": "s"})
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    prepared = prepared_files(site, PAPER_ID)
    assert sorted(to for tos, _ in mailbox.received for to in tos) == sorted(READERS)
    for _, raw in mailbox.received:
        message = email.message_from_bytes(raw, policy=policy.default)
        parts = {part["Content-ID"].strip("<>"): part.get_content()
                 for part in message.walk() if part["Content-ID"]}
        sources = image_sources(message.get_body(("html",)).get_content())
        assert [alt for _, alt in sources] == ALTS[PAPER_ID]
        assert {src[4:]: parts[src[4:]] for src, _ in sources} == prepared
