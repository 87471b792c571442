"""The preview server on a loopback address answers only requests made to that address by name.

A web page the writer has open can point a host name of its own at 127.0.0.1 (DNS rebinding);
the browser then lets the page read what the preview server answers at that name, drafts and
the report included. Before, the server answered every Host; now a loopback server answers only
``localhost``, ``127.0.0.1`` and ``[::1]``, and one the writer put on the network answers all."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from web_server import serving

from newsletter.preview.server import make_app


def get(url: str, host: str, path: str = "/") -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": f"{host}:{parts.port}"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil"])
def test_a_rebound_name_reads_nothing_from_a_loopback_preview(site, host):
    with serving(make_app(site, {})) as url:
        for path in ("/", "/notes-on-editing", "/report"):
            status, page = get(url, host, path)
            assert status == 403
            assert "Notes on Editing" not in page and "localhost" in page


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_the_loopback_names_see_the_preview(site, host):
    with serving(make_app(site, {})) as url:
        status, page = get(url, host)
        assert status == 200 and "Notes on Editing" in page


def test_a_preview_put_on_the_network_answers_any_name(site):
    with serving(make_app(site, {}, any_host=True)) as url:
        status, page = get(url, "laptop.lan")
        assert status == 200 and "Notes on Editing" in page
