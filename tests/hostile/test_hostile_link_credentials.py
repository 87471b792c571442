"""`check` never prints the user and password a URL carries (https://user:password@host/).

A finding quotes the URL it is about, and `check` runs in CI, whose logs others read. Before,
`check --online` printed a broken link with its password, and a redirect's target too.
"""

from __future__ import annotations

import json

from conftest import invoke
from dns_server import dns_server
from link_server import link_server

POST = '---\ntitle: Links\ndate: "2026-11-02T09:00:00Z"\ndescription: "d"\n---\n\n{body}\n'


def test_a_broken_links_password_is_never_printed(site):
    settings = site / "newsletter.toml"  # the site's own address: nothing leaves this machine
    settings.write_text(settings.read_text().replace('url = "https://blog.example.com"',
                                                     'url = "http://127.0.0.1:9"'))
    with link_server() as (base, paths), dns_server({}) as dns:
        host = base.removeprefix("http://")
        hidden = f"http://***@{host}/missing"
        links = [f"http://alice:s3cret-pass@{host}/missing",
                 f"{base}/redirect?to=http://ghp_token123@{host}/missing"]
        body = "\n\n".join(f"Link [number {n}]({url})." for n, url in enumerate(links))
        (site / "content" / "posts" / "links.md").write_text(POST.format(body=body))
        result = invoke(site, "check", "links", "--online", "--allow-private", "--json",
                        "--timeout", "3", "--nameserver", dns.address)
    assert len(paths) == 3, result.output  # the second link through its redirect
    assert "s3cret-pass" not in result.output and "ghp_token123" not in result.output
    broken = [f["message"] for f in json.loads(result.stdout)["findings"]
              if f["code"] == "link-broken" and f["where"].startswith("content/posts/links.md")]
    assert broken == [f"{hidden} answers 404 Not Found",
                      f"{base}/redirect?to=http://***@{host}/missing answers 404 Not Found"]


def test_a_long_password_is_hidden_before_the_url_is_cut_short(site):
    password = "hunter2" * 8  # the URL passes the 60 characters a message quotes
    body = f"Link [t](file://alice:{password}@host/x)."
    (site / "content" / "posts" / "links.md").write_text(POST.format(body=body))
    result = invoke(site, "check", "links", "--json")
    assert "hunter2" not in result.output
    assert [f["message"] for f in json.loads(result.stdout)["findings"]
            if f["code"] == "link-local-file"] == [
        'the link "t" points to a file on your computer (file://***@host/x)']
