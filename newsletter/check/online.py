"""The online part of `newsletter check --online`: does every link and image answer?

Each distinct web URL of the checked posts is fetched once, a few at a time, each with a
timeout: a GET that reads only the status line and headers (many servers answer HEAD wrongly),
following up to five redirects. An answer of 400 or more, no answer, or no connection is a
warning at every place the URL is written. Hosts only this computer can reach are left to the
offline check (``link-private``), unless ``allow_private`` says otherwise (tests).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests

from newsletter.check.findings import Finding, warning
from newsletter.check.urls import WEB_SCHEMES, host_of, is_private_host, scheme_of

if TYPE_CHECKING:
    from newsletter.check.links import LinkUse
    from newsletter.config import Settings

USER_AGENT = "newsletter-check/1 (a writer checking the links of a newsletter)"
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class OnlineOptions:
    """How the online check may use the network."""

    timeout: float = 10.0  # seconds, for each request and each DNS query
    workers: int = 4  # requests in flight at once
    nameserver: str | None = None  # "address" or "address:port"; default: the system's
    allow_private: bool = False  # also fetch loopback and private addresses


def check_online(settings: Settings, links: dict[str, list[LinkUse]], options: OnlineOptions
                 ) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """(findings per post label, findings about the site): unreachable links, DNS records."""
    urls = list(dict.fromkeys(use.sent for uses in links.values() for use in uses
                              if _visited(use.sent, options)))
    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        problems = dict(zip(urls, pool.map(lambda url: fetch_problem(url, options.timeout), urls)))
    by_post = {}
    for label, uses in links.items():
        by_post[label] = [
            warning(f"{'image' if use.tag == 'img' else 'link'}-broken", use.where,
                    f"{use.sent} {problems[use.sent]}",
                    "fix the address, or remove it" if use.tag == "a" else
                    "publish the image there, or fix its address")
            for use in uses if problems.get(use.sent)]
    from newsletter.check.dns import check_sender_dns  # dnspython: only when checking online

    return by_post, check_sender_dns(settings, options)


def fetch_problem(url: str, timeout: float) -> str | None:
    """What is wrong when fetching ``url`` ("answers 404 Not Found"), or None if it answers."""
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    try:
        with session.get(url, stream=True, timeout=(timeout, timeout), allow_redirects=True,
                         headers={"User-Agent": USER_AGENT}) as response:
            if response.status_code >= 400:
                return f"answers {response.status_code} {response.reason or ''}".rstrip()
            return None
    except requests.Timeout:
        return f"did not answer within {timeout:g} s"
    except requests.TooManyRedirects:
        return f"redirects more than {MAX_REDIRECTS} times"
    except requests.ConnectionError as error:
        return f"cannot be reached ({_reason(error)})"
    except requests.RequestException as error:
        return f"cannot be fetched ({type(error).__name__})"
    finally:
        session.close()


def _visited(url: str, options: OnlineOptions) -> bool:
    if scheme_of(url) not in WEB_SCHEMES:
        return False
    return options.allow_private or not is_private_host(host_of(url))


def _reason(error: Exception) -> str:
    """The innermost cause, which names what failed (a refused connection, an unknown host)."""
    while error.__context__ is not None and error.__context__ is not error:
        error = error.__context__
    return str(error).split(": ", 1)[-1][:120] or type(error).__name__
