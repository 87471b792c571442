"""The preview server's images: only the prepared files of pages it rendered, by their exact
name; no request reaches any other file, however its path is spelled."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

import pytest
from lumen_site import PAPER_ID, TYPOGRAPHY_ID, make_lumen_site
from web_server import serving

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.preview.server import make_app
from newsletter.render import render_post


@pytest.fixture
def site(tmp_path):
    return make_lumen_site(tmp_path / "blog")


@pytest.fixture
def server(site):
    with serving(make_app(site, {})) as url:
        yield urlsplit(url)


def raw_get(server, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """``path`` sent exactly as written: no client tidies up its dots or escapes."""
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def shown_images(server, post_id: str) -> list[str]:
    status, _, page = raw_get(server, post_id)
    assert status == 200
    return sorted(set(re.findall(r"/_images/([0-9a-f]{16}\.(?:jpg|png|gif))", page.decode())))


def test_a_page_shows_its_prepared_images_and_the_server_answers_them(site, server):
    settings = load_settings(site, {})
    email = render_post(settings, find_post(load_posts(settings)[0], TYPOGRAPHY_ID))

    names = shown_images(server, TYPOGRAPHY_ID)

    assert names == sorted(image.name for image in email.images)
    for image in email.images:
        status, headers, body = raw_get(server, f"/_images/{image.name}")
        assert (status, headers["Content-Type"], body) == (200, image.content_type, image.data)
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, headers, body = raw_get(server, f"/_images/{image.name}", "HEAD")
        assert status == 200 and body == b"" and headers["Content-Length"] == str(len(image.data))
    assert raw_get(server, f"/_images/{names[0]}", "POST")[0] == 405


@pytest.mark.parametrize("path", [
    "/_images/../newsletter.toml",
    "/_images/..%2fnewsletter.toml",
    "/_images/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/_images/..\\..\\newsletter.toml",
    "/_images//etc/passwd",
    "/_images/",
    "/_images/0123456789abcdef.jpg",
    "/_images/0123456789abcdef.jpg/../../newsletter.toml",
    "/_images/0123456789ABCDEF.jpg",
    "/_images/0123456789abcdef.json",
    "/_images/0123456789abcdef.jpg%00.png",
])
def test_nothing_but_a_shown_image_is_served(site, server, path):
    shown_images(server, TYPOGRAPHY_ID)
    status, _, body = raw_get(server, path)
    assert status in (400, 404)
    assert b"[site]" not in body and b"root:" not in body and not body.startswith(b"\xff\xd8")


def test_a_prepared_file_is_not_served_before_its_page_was_shown(site, server):
    settings = load_settings(site, {})
    email = render_post(settings, find_post(load_posts(settings)[0], PAPER_ID))  # cached on disk
    for image in email.images:
        assert (site / ".newsletter" / "images" / image.name).is_file()
        assert raw_get(server, f"/_images/{image.name}")[0] == 404
    shown_images(server, PAPER_ID)
    assert all(raw_get(server, f"/_images/{image.name}")[0] == 200 for image in email.images)
