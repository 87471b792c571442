"""The one-click unsubscribe endpoint, over real HTTP (waitress on 127.0.0.1)."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
import requests
from web_server import SECRET, serving, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.message.tokens import UnsubscribeTokens, legacy_token
from newsletter.web import NewsletterApp

READER = "ann@example.com"
OTHER = "bob+news@example.org"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def endpoint(site):
    """(base URL, site) with two active readers, served from the site's settings."""
    subscriber_csv(site, READER, OTHER)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        yield base, site


TOKENS = UnsubscribeTokens(SECRET)


def link(base: str, address: str, token: str | None = None) -> str:
    """The unsubscribe URL the newsletter carries, pointed at the test server."""
    return f"{base}/unsubscribe/{TOKENS.make(address) if token is None else token}"


def old_link(base: str, address: str, token: str | None = None) -> str:
    """A link of the kind mailed before tokens named the reader: ?email=...&token=HMAC."""
    token = legacy_token(SECRET, address) if token is None else token
    return f"{base}/unsubscribe?email={quote(address, safe='')}&token={token}"


def test_one_click_post_unsubscribes_at_once_without_cookies(endpoint):
    base, site = endpoint

    answer = requests.post(link(base, OTHER), data=ONE_CLICK, allow_redirects=False)

    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert "unsubscribed" in answer.text
    assert statuses(site) == {READER: "active", OTHER: "unsubscribed"}


def test_one_click_post_as_multipart_form_data(endpoint):
    base, site = endpoint
    # RFC 8058 section 3.1: the body SHOULD be multipart/form-data.
    answer = requests.post(link(base, READER), files={"List-Unsubscribe": (None, "One-Click")})

    assert answer.status_code == 200
    assert statuses(site)[READER] == "unsubscribed"


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": attrs.get("method", "get"), "action": attrs.get("action"),
                               "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def test_get_shows_a_button_and_changes_nothing_until_it_is_pressed(endpoint):
    base, site = endpoint
    url = link(base, READER)

    page = requests.get(url)
    assert page.status_code == 200
    assert statuses(site)[READER] == "active"  # a link scanner's GET unsubscribes no one
    parser = _Forms()
    parser.feed(page.text)
    [form] = parser.forms
    assert form["method"].lower() == "post"

    # Submit the form as a browser does: no action attribute means "this same URL".
    pressed = requests.post(urljoin(url, form["action"] or url), data=form["fields"])

    assert pressed.status_code == 200
    assert statuses(site)[READER] == "unsubscribed"
    assert "You are unsubscribed" in requests.get(url).text
    # A reader who pressed by mistake finds the way back to the blog's form on both pages.
    way_back = ('Changed your mind? You can sign up again on <a href="https://blog.example.com">'
                "Example Notes</a>.")
    assert way_back in pressed.text and way_back in requests.get(url).text


def test_a_forged_token_changes_nothing(endpoint):
    base, site = endpoint
    forged = UnsubscribeTokens("not-our-secret").make(READER)
    token = TOKENS.make(READER)
    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]

    for url in (link(base, READER, forged), link(base, READER, tampered),
                old_link(base, READER, legacy_token("not-our-secret", READER))):
        for method in (requests.get, requests.post):
            answer = method(url, data=ONE_CLICK)
            assert answer.status_code == 403
            assert "not valid" in answer.text
    assert statuses(site)[READER] == "active"


def test_a_reader_meeting_a_broken_link_reads_a_heading_in_plain_words(endpoint):
    """The headings were HTTP's own phrases: "Forbidden" for a link cut short in an email
    client, "Gone" for an expired confirmation link."""
    base, _ = endpoint

    bad, missing = requests.get(link(base, READER, "cut-sho")), requests.get(f"{base}/nothing")

    assert (bad.status_code, missing.status_code) == (403, 404)
    assert "<h1>This link does not work</h1>" in bad.text and "Forbidden" not in bad.text
    assert "<h1>There is nothing here</h1>" in missing.text


def test_an_old_link_with_the_address_and_its_hmac_still_unsubscribes(endpoint):
    base, site = endpoint

    page = requests.get(old_link(base, OTHER))
    assert page.status_code == 200 and "bob+news@example.org" in page.text
    answer = requests.post(old_link(base, OTHER), data=ONE_CLICK)

    assert answer.status_code == 200
    assert statuses(site) == {READER: "active", OTHER: "unsubscribed"}


def test_an_old_links_token_for_another_address_changes_nothing(endpoint):
    base, site = endpoint
    url = old_link(base, READER, legacy_token(SECRET, OTHER))

    answer = requests.post(url, data=ONE_CLICK)

    assert answer.status_code == 403
    assert statuses(site) == {READER: "active", OTHER: "active"}


def test_the_token_alone_says_who_unsubscribes_whatever_email_the_query_adds(endpoint):
    base, site = endpoint

    answer = requests.post(f"{link(base, OTHER)}?email={READER}", data=ONE_CLICK)

    assert answer.status_code == 200
    assert statuses(site) == {READER: "active", OTHER: "unsubscribed"}


@pytest.mark.parametrize("path", [f"/unsubscribe?email={READER}", "/unsubscribe", "/unsubscribe/"])
def test_a_link_without_its_token_is_a_bad_request(endpoint, path):
    base, site = endpoint

    answer = requests.post(f"{base}{path}", data=ONE_CLICK)

    assert answer.status_code == 400
    assert statuses(site)[READER] == "active"


def test_replaying_an_unsubscribe_is_harmless(endpoint):
    base, site = endpoint
    before = None
    for _ in range(3):
        answer = requests.post(link(base, READER), data=ONE_CLICK)
        assert answer.status_code == 200
        text = (site / "subscribers" / "subscribers.csv").read_text()
        assert before in (None, text)  # the file is written once, then left alone
        before = text
    assert statuses(site) == {READER: "unsubscribed", OTHER: "active"}
    assert text.count(READER) == 1


def test_a_valid_link_for_an_address_no_longer_listed_leaves_a_record(endpoint):
    base, site = endpoint
    gone = "cy@example.net"  # mailed once; the row was deleted by hand since

    answer = requests.post(link(base, gone), data=ONE_CLICK)

    assert answer.status_code == 200
    assert statuses(site)[gone] == "unsubscribed"  # a later import cannot mail them


def test_a_reader_who_bounced_keeps_that_status(endpoint):
    base, site = endpoint
    from newsletter.subscribers import SubscriberStore

    SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter").set_status(
        READER, "bounced")

    assert requests.post(link(base, READER), data=ONE_CLICK).status_code == 200
    assert statuses(site)[READER] == "bounced"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_not_allowed(endpoint, method):
    base, site = endpoint

    answer = requests.request(method, link(base, READER), data=ONE_CLICK)

    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, HEAD, POST"
    assert statuses(site)[READER] == "active"


def test_a_huge_body_is_refused(endpoint):
    base, site = endpoint
    body = b"List-Unsubscribe=One-Click&padding=" + b"x" * (1024 * 1024)

    answer = requests.post(link(base, READER), data=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert answer.status_code == 413
    assert statuses(site)[READER] == "active"


@pytest.mark.parametrize("content_type, body, status", [
    ("application/x-www-form-urlencoded", b"\xff\xfe\x00garbage", 400),
    ("application/x-www-form-urlencoded", b"List-Unsubscribe", 400),
    ("application/x-www-form-urlencoded", b"", 400),
    ("application/x-www-form-urlencoded", b"List-Unsubscribe=Two-Clicks", 400),
    ("multipart/form-data", b"--x\r\nnot a part\r\n", 400),
    ("multipart/form-data; boundary=x", b"no boundary in here at all", 400),
    ("application/json", b'{"List-Unsubscribe": "One-Click"}', 415),
])
def test_a_malformed_body_is_a_client_error_not_a_crash(endpoint, content_type, body, status):
    base, site = endpoint

    answer = requests.post(link(base, READER), data=body, headers={"Content-Type": content_type})

    assert answer.status_code == status
    assert statuses(site)[READER] == "active"
    # and the server still answers
    assert requests.get(link(base, READER)).status_code == 200


def test_unknown_paths_are_not_found(endpoint):
    base, _ = endpoint

    assert requests.get(f"{base}/").status_code == 404
    assert requests.post(f"{base}/webhooks/nosuchprovider", data=b"{}").status_code == 404


def test_a_load_balancer_finds_the_endpoint_healthy_at_health(site):
    """A load balancer or uptime monitor needs a URL answering 200 to a bare GET or HEAD:
    every path answered 4xx (an unsubscribe link without its token 400, a bad one 403), so
    the host was taken out of service. Even with the unsubscribe URL at the root (/{token})."""
    configure_unsubscribe_url(site, "https://news.example.com/{token}")
    with serving(NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))) as base:
        got, head = requests.get(f"{base}/health"), requests.head(f"{base}/health")
        posted = requests.post(f"{base}/health", data=ONE_CLICK)

    assert (got.status_code, got.text, head.status_code) == (200, "ok\n", 200)
    assert (posted.status_code, posted.headers["Allow"]) == (405, "GET, HEAD")


def configure_unsubscribe_url(site, url: str) -> None:
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("https://blog.example.com/unsubscribe/{token}", url))


def test_the_path_comes_from_the_configured_unsubscribe_url(site):
    configure_unsubscribe_url(site, "https://news.example.com/letters/{token}/stop?who={email}")
    subscriber_csv(site, READER, OTHER)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        token, old = TOKENS.make(READER), legacy_token(SECRET, OTHER)
        assert requests.post(f"{base}/unsubscribe/{token}", data=ONE_CLICK).status_code == 404
        answer = requests.post(f"{base}/letters/{token}/stop?who={READER}", data=ONE_CLICK)
        # a link mailed with the old token: the address and its HMAC
        older = requests.post(f"{base}/letters/{old}/stop?who={quote(OTHER, safe='')}",
                              data=ONE_CLICK)
    assert answer.status_code == older.status_code == 200
    assert statuses(site) == {READER: "unsubscribed", OTHER: "unsubscribed"}


def test_a_token_in_the_query_string_and_old_links_on_the_same_path(site):
    configure_unsubscribe_url(site, "https://blog.example.com/stop?t={token}")
    subscriber_csv(site, READER, OTHER)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        answer = requests.post(f"{base}/stop?t={TOKENS.make(READER)}", data=ONE_CLICK)
        older = requests.post(old_link(base, OTHER).replace("/unsubscribe?", "/stop?"),
                              data=ONE_CLICK)
        twice = requests.post(f"{base}/stop?t=a&t=b", data=ONE_CLICK)
    assert answer.status_code == older.status_code == 200
    assert twice.status_code == 400
    assert statuses(site) == {READER: "unsubscribed", OTHER: "unsubscribed"}


def test_the_link_in_a_real_message_works(endpoint):
    """The URL the sender builds (MessageFactory) is the URL the endpoint accepts."""
    base, site = endpoint
    from fake_providers import make_messages

    settings = load_settings(site, {"NEWSLETTER_SECRET": SECRET})
    [message] = make_messages(settings, [OTHER])
    header_url = re.search(r"<(https://[^>]+)>", message.headers["List-Unsubscribe"]).group(1)
    parts = urlsplit(header_url)

    answer = requests.post(f"{base}{parts.path}?{parts.query}", data=ONE_CLICK)

    assert answer.status_code == 200
    assert statuses(site)[OTHER] == "unsubscribed"


def test_newsletter_serve_answers_one_click_posts(site):
    subscriber_csv(site, READER)
    env = {"NEWSLETTER_SECRET": SECRET, "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [sys.executable, "-m", "newsletter", "--site", str(site), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        answer = requests.post(link(base, READER), data=ONE_CLICK, timeout=10)
    finally:
        server.terminate()
        server.wait(10)
    assert answer.status_code == 200
    assert statuses(site)[READER] == "unsubscribed"


def test_serve_without_the_secret_says_what_to_set(site):
    from conftest import invoke

    result = invoke(site, "serve", "--port", "0")

    assert result.exit_code == 2
    assert "NEWSLETTER_SECRET is not set" in result.output
    assert "or, before the first real send, to a long random string" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "999.0.0.1"], ids=["port in use", "no address"])
def test_serve_where_it_cannot_listen_is_one_line(site, host):
    import socket

    from conftest import run_cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(site, "serve", "--host", host, "--port", str(port),
                         env={"NEWSLETTER_SECRET": SECRET}, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot listen on {host} port {port} (")
    assert result.stderr.endswith("); choose another --port or --host, or stop what is using "
                                  "it\n")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_serve_on_an_address_other_machines_reach_gets_a_warning(site):
    """--host 0.0.0.0 (or the machine's address) serves unsubscribe links and sign-ups in plain
    HTTP to the network, bypassing the proxy; nothing said so. 192.0.2.1 (TEST-NET-1) is on no
    interface: the warning shows, then binding fails cleanly."""
    from conftest import run_cli

    result = run_cli(site, "serve", "--host", "192.0.2.1", "--port", "0",
                     env={"NEWSLETTER_SECRET": SECRET}, timeout=30)

    assert result.returncode == 1
    warning, error = result.stderr.splitlines()
    assert warning.endswith(" WARNING --host 192.0.2.1 takes requests from other machines, in "
                            "plain HTTP: keep 127.0.0.1 behind a reverse proxy that terminates "
                            "HTTPS (in a container, list the proxy's address in "
                            "signup.trusted_proxies)")
    assert error.startswith("error: cannot listen on 192.0.2.1 port 0 (")


def test_serve_on_an_ipv6_host_prints_urls_that_open(site):
    from conftest import start_cli

    server = start_cli(site, "serve", "--host", "::1", "--port", "0",
                       env={"NEWSLETTER_SECRET": SECRET}, stdout=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        assert first.startswith("Serving http://[::1]:"), first
        base = re.search(r"http://\[::1\]:\d+", first).group(0)
        assert requests.get(f"{base}/unsubscribe/not-a-token", timeout=30).status_code == 403
    finally:
        server.terminate()
        server.wait(10)
