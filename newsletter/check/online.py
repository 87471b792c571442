"""The online part of `newsletter check --online`: does every link and image answer?

Each distinct web URL of the checked posts is fetched once, a few at a time, within one
deadline per link (``timeout``: DNS, connection, headers and redirects together): a GET that
reads only the status line and headers (many servers answer HEAD wrongly), following up to five
redirects. An answer of 400 or more, no answer, or no connection is a warning at every place
the URL is written. The post is hostile until checked (:mod:`newsletter.check.fetch`): a link
that leads, at any hop and in any spelling, to an address only this computer or its network can
reach is not fetched but reported, unless ``allow_private`` (``--allow-private``) says otherwise.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, warning
from newsletter.check.urls import WEB_SCHEMES, host_of, is_private_host, scheme_of
from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.check.links import LinkUse
    from newsletter.config import Settings

USER_AGENT = "newsletter-check/1 (a writer checking the links of a newsletter)"


@record(frozen=True)
class OnlineOptions:
    """How the online check may use the network."""

    timeout: float = 10.0  # seconds, for each link (all of it) and each DNS query
    workers: int = 4  # requests in flight at once
    nameserver: str | None = None  # "address" or "address:port"; default: the system's
    allow_private: bool = False  # also fetch loopback and private addresses


def check_online(settings: Settings, links: dict[str, list[LinkUse]], options: OnlineOptions
                 ) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """(findings per post label, findings about the site): unreachable links, DNS records."""
    # dnspython, ssl and http.client: only when checking online
    from newsletter.check.dns import check_sender_dns, make_resolver
    from newsletter.check.fetch import Fetcher

    fetcher = Fetcher(options.timeout, USER_AGENT,
                      make_resolver(options) if options.nameserver else None)
    if options.allow_private:
        fetcher = replace(fetcher, reachable=lambda address: True)
    urls = list(dict.fromkeys(use.sent for uses in links.values() for use in uses
                              if _visited(use.sent, options)))
    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        problems = dict(zip(urls, pool.map(fetcher.problem, urls)))
    by_post = {}
    for label, uses in links.items():
        by_post[label] = [_finding(use, problem) for use in uses
                          if (problem := problems.get(use.sent))]
    return by_post, check_sender_dns(settings, options)


def image_problems(urls: list[str], timeout: float) -> dict[str, str]:
    """URL -> why it does not answer with an image, for each of ``urls`` that does not: the
    post's hosted images, at the writer's own ``[images] url`` (on this machine too), each
    within ``timeout`` (all of it: a server trickling its answer cannot hold a send)."""
    from newsletter.check.fetch import Fetcher

    fetcher = Fetcher(timeout, USER_AGENT, reachable=lambda address: True, images=True)
    with ThreadPoolExecutor(max_workers=OnlineOptions().workers) as pool:
        problems = dict(zip(urls, pool.map(fetcher.problem, urls)))
    return {url: problem.text for url, problem in problems.items() if problem}


def _finding(use: LinkUse, problem) -> Finding:
    noun = "image" if use.tag == "img" else "link"
    if problem.unchecked:
        return warning(f"{noun}-unchecked", use.where, f"{use.sent} {problem.text}",
                       "open it yourself, or check again when its hosts answer")
    if problem.private:
        return warning(f"{noun}-private", use.where, f"{use.sent} {problem.text}",
                       "use a public address (--allow-private checks a blog served on your "
                       "own network)")
    return warning(f"{noun}-broken", use.where, f"{use.sent} {problem.text}",
                   "fix the address, or remove it" if noun == "link" else
                   "publish the image there, or fix its address")


def _visited(url: str, options: OnlineOptions) -> bool:
    if scheme_of(url) not in WEB_SCHEMES:
        return False
    return options.allow_private or not is_private_host(host_of(url))
