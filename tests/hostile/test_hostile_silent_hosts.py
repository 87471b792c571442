"""`check --online` on a post whose links each go to a host of their own that never answers.

Each silent host held its links their full timeout, 4 at a time, and a host was written off only
after two of its own links: a post of 2,000 links to 2,000 names under a wildcard domain (or one
address on 2,000 ports) that take connections and stay silent held `check --online` 83 minutes
at the default 10 s, in CI too. Now once a few links have run out of time, whatever their host,
the rest are not fetched, and say so.
"""

from __future__ import annotations

import json

from conftest import invoke
from dns_server import dns_server
from link_server import link_server

POST = '---\ntitle: Links\ndate: "2026-11-02T09:00:00Z"\ndescription: "d"\n---\n\n{body}\n'
LINKS = 80


def test_links_to_many_silent_hosts_cannot_hold_the_check(site):
    from newsletter.check.fetch import MAX_EXPIRED_LINKS

    settings = site / "newsletter.toml"  # the site's own address: nothing leaves this machine
    settings.write_text(settings.read_text().replace('url = "https://blog.example.com"',
                                                     'url = "http://127.0.0.1:9"'))
    names = {f"h{n}.example.com": ["127.0.0.1"] for n in range(LINKS)}
    with link_server() as (base, paths), dns_server({}, addresses=names) as dns:
        port = base.rsplit(":", 1)[1]
        links = [f"http://{name}:{port}/never" for name in names]
        body = "\n\n".join(f"Link [number {n}]({url})." for n, url in enumerate(links))
        (site / "content" / "posts" / "links.md").write_text(POST.format(body=body))
        result = invoke(site, "check", "links", "--online", "--allow-private", "--json",
                        "--timeout", "0.5", "--nameserver", dns.address)
    found = [(f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]
             if f["where"].startswith("content/posts/links.md")]
    assert len(found) == LINKS and result.exit_code == 1
    late = {message for code, message in found if code == "link-unchecked"}
    assert {message.split(" ", 1)[1] for message in late} == {
        f"was not fetched: {MAX_EXPIRED_LINKS} links had already run out of time"}
    # The links in flight when the last of them ran out (4 workers; a loaded machine starting
    # them late may let a few more through): not all 80.
    assert len(paths) <= MAX_EXPIRED_LINKS + 2 * 4
