"""`newsletter check --online`: links and images against a real HTTP server that answers 200,
404 and never; the sender's DNS records against a real DNS server, both on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import invoke
from dns_server import dns_server
from link_server import link_server

from newsletter.check import OnlineOptions
from newsletter.config import load_settings
from newsletter.sending import check_site

NOW = dt.datetime(2026, 12, 2, 12, tzinfo=dt.timezone.utc)
GOOD_DNS = {
    "example.com": ["v=spf1 include:amazonses.com ~all", "google-site-verification=abc"],
    "_dmarc.example.com": ["v=DMARC1; p=none; rua=mailto:postmaster@example.com"],
    "resend._domainkey.example.com": ["p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ" + "A" * 300],
}


def set_text(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def write_post(site, base: str) -> None:
    (site / "content" / "posts" / "links.md").write_text(
        '---\ntitle: Links\ndate: "2026-11-02T09:00:00Z"\ndescription: "d"\n---\n\n'
        f"A [good page]({base}/ok) and a [gone one]({base}/missing-page).\n\n"
        f"A [slow one]({base}/never) and a [loop]({base}/loop).\n\n"
        f"![A missing chart]({base}/missing-chart.png)\n\n"
        f"The [good page]({base}/ok) again, and [mail](mailto:jane@example.com).\n")


def online_codes(report) -> set[tuple[str, str, str]]:
    return {(f.code, f.where, f.message) for f in report.findings
            if f.code.endswith("-broken") or f.code.startswith("dns-")}


@pytest.fixture
def local_site(site):
    """The example site served from 127.0.0.1, with a post whose links all stay on this machine
    too: nothing in these tests reaches the internet."""
    set_text(site / "newsletter.toml", 'url = "https://blog.example.com"', 'url = "http://127.0.0.1:9"')
    (site / "content" / "posts" / "local.md").write_text(
        '---\ntitle: Local\ndate: "2026-11-02T09:00:00Z"\ndescription: "d"\n---\n\n'
        "Write to [me](mailto:jane@example.com) or see [the archive](/archive).\n")
    return site


def test_every_link_and_image_is_fetched_once_and_failures_point_at_their_lines(site):
    with link_server() as (base, paths), dns_server(GOOD_DNS) as dns:
        set_text(site / "newsletter.toml", 'url = "https://blog.example.com"', f'url = "{base}"')
        write_post(site, base)
        settings = load_settings(site, {})
        # Long enough for every answering link on a loaded machine; /never waits it out.
        options = OnlineOptions(timeout=3, allow_private=True, nameserver=dns.address)
        report = check_site(settings, ("links",), NOW, options)
    where = "content/posts/links.md"
    assert online_codes(report) == {
        ("image-broken", f"{where}:11", f"{base}/missing-chart.png answers 404 Not Found"),
        ("link-broken", f"{where}:7", f"{base}/missing-page answers 404 Not Found"),
        ("link-broken", f"{where}:9", f"{base}/never did not answer within 3 s"),
        ("link-broken", f"{where}:9", f"{base}/loop redirects more than 5 times"),
    }
    assert paths.count("/ok") == 1  # linked twice, fetched once
    assert "/" in paths and "/posts/links" in paths  # the template's links too


def test_the_cli_leaves_private_addresses_to_the_offline_check(local_site):
    with link_server() as (base, paths), dns_server(GOOD_DNS) as dns:
        write_post(local_site, base)
        result = invoke(local_site, "check", "links", "--online", "--json", "--timeout", "1",
                        "--nameserver", dns.address)
    assert paths == []
    findings = json.loads(result.stdout)["findings"]
    assert {f["code"] for f in findings} == {"link-private", "image-private"}


@pytest.mark.parametrize("provider, records, expected", [
    ("resend", GOOD_DNS, []),
    ("outbox", {"example.com": ["v=spf1 -all"], "_dmarc.example.com": ["v=DMARC1; p=reject"]}, []),
    ("resend", {}, ["dns-spf", "dns-dkim", "dns-dmarc"]),
    ("sendgrid", {"example.com": ["v=spf1 include:sendgrid.net ~all"],
                  "s2._domainkey.example.com": ["k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC"],
                  "_dmarc.example.com": ["v=DMARC1; p=none"]}, []),
    ("sendgrid", {"s1._domainkey.example.com": ["v=DKIM1; p="]}, ["dns-spf", "dns-dkim",
                                                                  "dns-dmarc"]),
    ("postmark", {"example.com": ["v=spf1 include:spf.mtasv.net ~all"]}, ["dns-dmarc"]),
])
def test_the_senders_spf_dkim_and_dmarc_records(local_site, provider, records, expected):
    set_text(local_site / "newsletter.toml", 'name = "outbox"', f'name = "{provider}"')
    with dns_server(records) as dns:
        options = OnlineOptions(timeout=5, nameserver=dns.address)
        report = check_site(load_settings(local_site, {}), ("local",), NOW, options)
    dns = [f for f in report.site if f.code.startswith("dns-")]  # not the provider's set-up
    assert [f.code for f in dns] == expected
    assert all(f.where == "newsletter.toml:12" and f.severity == "warning" for f in dns)


def test_a_missing_record_says_what_to_publish(local_site):
    with dns_server({}) as dns:
        options = OnlineOptions(timeout=5, nameserver=dns.address)
        report = check_site(load_settings(local_site, {}), ("local",), NOW, options)
    dmarc = next(f for f in report.site if f.code == "dns-dmarc")
    assert dmarc.message == "example.com has no DMARC record"
    assert dmarc.hint.startswith('publish a TXT record on _dmarc.example.com: "v=DMARC1; p=none;')


def test_a_subdomain_sender_falls_under_its_parents_dmarc_record(local_site):
    set_text(local_site / "newsletter.toml", "jane@example.com>", "jane@news.example.com>")
    records = {"news.example.com": ["v=spf1 -all"], "_dmarc.example.com": ["v=DMARC1; p=none"]}
    with dns_server(records) as dns:
        options = OnlineOptions(timeout=5, nameserver=dns.address)
        report = check_site(load_settings(local_site, {}), ("local",), NOW, options)
    assert report.site == []
    assert "_dmarc.news.example.com" in dns.queries and "_dmarc.example.com" in dns.queries


def test_a_dns_server_that_never_answers_is_one_warning(local_site):
    with dns_server({}, silent=True) as dns:
        result = invoke(local_site, "check", "local", "--online", "--timeout", "0.5",
                        "--nameserver", dns.address, "--json")
    assert result.exit_code == 1
    [line] = [f"{f['severity']}: {f['where']}: {f['code']}: {f['message']}"
              for f in json.loads(result.stdout)["findings"] if f["post"] is None]
    assert line.startswith("warning: newsletter.toml:12: dns-lookup: could not look up the DNS "
                           "records of example.com")
    assert len(dns.queries) == 1  # it gave up instead of asking again for every record


@pytest.mark.parametrize("nameserver", ["dns.example.com", "127.0.0.1:port", "[::1",
                                        "127.0.0.1:99999", "[::1]:0"])
def test_a_nameserver_that_is_not_an_address_is_bad_usage(site, nameserver):
    result = invoke(site, "check", "--online", "--nameserver", nameserver)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --nameserver {nameserver!r} is not an IP address")


@pytest.mark.parametrize("timeout, why", [("nan", "nan is not a number of seconds"),
                                          ("inf", "inf is not in the range 0.1<=x<=3600.0")])
def test_a_timeout_no_timer_can_wait_is_bad_usage(site, timeout, why):
    result = invoke(site, "check", "--online", "--timeout", timeout)
    assert result.exit_code == 2
    assert f"Invalid value for '--timeout': {why}" in result.stderr


def test_a_host_that_never_answers_is_waited_for_once_not_once_a_link(local_site):
    # 2,000 images on a host whose DNS (or server) never answers: each waited its full timeout,
    # 4 at a time, 83 minutes at the default 10 s. Its other links now say the same at once.
    images = "".join(f"![Chart {n}](https://cdn.dead.example/chart-{n}.png)\n\n" for n in range(24))
    (local_site / "content" / "posts" / "local.md").write_text(
        '---\ntitle: Local\ndate: "2026-11-02T09:00:00Z"\ndescription: "d"\n---\n\n' + images)
    with dns_server({}, silent=True) as dns:
        result = invoke(local_site, "check", "local", "--online", "--timeout", "0.3",
                        "--nameserver", dns.address, "--json")
    broken = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "image-broken"]
    assert len(broken) == 24
    assert all("did not answer within 0.3 s" in f["message"] for f in broken)
    asked = [name for name in dns.queries if name == "cdn.dead.example"]
    assert len(asked) <= 4 * 2  # the first links in flight together (A, maybe AAAA), no more
