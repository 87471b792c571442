"""The proxy and CA certificates a send uses are the ones requests would choose from the same
environment (newsletter/providers/http_environment.py reads them without importing requests)."""

from __future__ import annotations

import pytest
import requests
from requests.utils import get_environ_proxies, select_proxy

from newsletter.providers.http_environment import http_environment, proxy_for

PROXY, OTHER = "http://someone:secret@127.0.0.1:3128", "http://127.0.0.1:8080"
URLS = ["https://api.sendgrid.com/v3/mail/send", "https://api.postmarkapp.com/email/batch",
        "http://127.0.0.1:4010/v3/mail/send", "https://10.1.2.3:8443/send",
        "https://api.eu.mailgun.net/v3/x/messages"]
ENVIRONMENTS = [
    {},
    {"HTTPS_PROXY": PROXY},
    {"https_proxy": PROXY, "HTTPS_PROXY": OTHER},
    {"HTTP_PROXY": OTHER},
    {"ALL_PROXY": PROXY},
    {"HTTPS_PROXY": PROXY, "NO_PROXY": "sendgrid.com"},
    {"HTTPS_PROXY": PROXY, "HTTP_PROXY": OTHER, "NO_PROXY": "127.0.0.1,.mailgun.net"},
    {"HTTPS_PROXY": PROXY, "no_proxy": "10.0.0.0/8, api.postmarkapp.com"},
    {"HTTPS_PROXY": PROXY, "NO_PROXY": "127.0.0.1:4010"},
    {"HTTPS_PROXY": PROXY, "NO_PROXY": "*"},
    {"HTTPS_PROXY": PROXY, "NO_PROXY": "10.1.2.0/24"},
]
PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy", "no_proxy")


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=str)
@pytest.mark.parametrize("url", URLS)
def test_the_proxy_is_the_one_requests_would_use(monkeypatch, environment, url):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert proxy_for(url) == select_proxy(url, get_environ_proxies(url))


def test_the_ca_bundle_is_the_one_requests_would_verify_with(monkeypatch, tmp_path):
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    assert http_environment(URLS[0]).ca_certs == requests.certs.where()
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("CURL_CA_BUNDLE", str(bundle))
    assert http_environment(URLS[0]).ca_certs == str(bundle)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path))
    assert (http_environment(URLS[0]).ca_certs, http_environment(URLS[0]).ca_cert_dir) == (
        None, str(tmp_path))


def test_the_proxys_login_goes_in_its_own_header_never_to_the_provider(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://some%20one:p%40ss@127.0.0.1:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    headers = http_environment(URLS[0]).proxy_headers()
    assert headers == requests.adapters.HTTPAdapter().proxy_headers(
        "http://some%20one:p%40ss@127.0.0.1:3128")
