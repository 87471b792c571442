"""A blog's own form is never refused for how its origin is written in the settings.

A browser sends ``Origin`` serialized: the host in ASCII (punycode), the scheme's default port
left out, no user. Before, the settings' origins were only lower-cased, so a blog at
``https://bücher.example`` refused every sign-up from its own pages (403), as did
``allowed_origins = ["https://blog.example.com:443"]``. Another site's origin is still refused,
and its log line says which in a line of ordinary length: a 200 KB ``Origin`` header was
written into the log whole, on every request."""

from __future__ import annotations

import logging

import pytest
import requests
from signup_support import PATIENT, configure_signup, signup_endpoint


def post(base: str, origin: str, address: str) -> requests.Response:
    return requests.post(f"{base}/subscribe", json={"email": address, "elapsed": PATIENT},
                         headers={"Origin": origin}, timeout=30)


@pytest.mark.parametrize("site_url, allowed, origin", [
    ("https://bücher.example", None, "https://xn--bcher-kva.example"),
    ("https://blog.example.com", ["https://blog.example.com:443"], "https://blog.example.com"),
    ("https://blog.example.com", ["http://Blog.Example.com:80/"], "http://blog.example.com"),
    ("https://blog.example.com", ["https://BÜCHER.example"], "https://xn--bcher-kva.example"),
])
def test_the_blogs_own_origin_is_taken_however_the_settings_write_it(site, site_url, allowed,
                                                                     origin):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('url = "https://blog.example.com"',
                                             f'url = "{site_url}"', 1))
    configure_signup(site, **({"allowed_origins": allowed} if allowed else {}))
    with signup_endpoint(site) as (base, _):
        accepted = post(base, origin, "ann@example.com")
        assert accepted.status_code == 200, accepted.text
        assert accepted.headers["Access-Control-Allow-Origin"] == origin
        assert post(base, "https://evil.example", "bob@example.com").status_code == 403


def test_a_refused_origin_of_any_length_is_one_short_log_line(site, caplog):
    configure_signup(site)
    origin = "https://" + "e" * 200_000 + ".example"
    with signup_endpoint(site) as (base, _), caplog.at_level(logging.INFO):
        assert post(base, origin, "ann@example.com").status_code == 403

    [line] = [record.getMessage() for record in caplog.records
              if "refused a sign-up from origin" in record.getMessage()]
    assert line.startswith("refused a sign-up from origin 'https://eeee")
    assert len(line) < 400 and "signup.allowed_origins" in line
