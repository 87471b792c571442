"""The example values `newsletter init` writes where it cannot know the writer's own.

Init fills in what the blog's generator settings say and leaves a placeholder for the rest (who
the newsletter is from, the postal address, ...). A placeholder must never reach a reader:
`check` and `send` refuse settings still holding one, naming the key, and init's closing line
names each one it wrote. The repository's example site uses other example values (Jane Writer,
blog.example.com), so it sends as it is.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Callable
from urllib.parse import urlsplit

from newsletter.records import record

# ".example" is reserved (RFC 2606): no real blog lives there.
PLACEHOLDER_HOST = "your-blog.example"
PLACEHOLDER_URL = f"https://{PLACEHOLDER_HOST}"
PLACEHOLDER_TITLE = "My Blog"
PLACEHOLDER_ADDRESS = "you@example.com"
PLACEHOLDER_FROM = f"Your Name <{PLACEHOLDER_ADDRESS}>"
PLACEHOLDER_POSTAL = "Your postal address"


# The addresses blog starters ship with, which a blog made from one has not made its own yet:
# the reserved example domains (Astro's blog template, Eleventy's base blog, Hexo, `hugo new
# site`) and the starters' own demo sites (AstroPaper, Astro Cactus, Astro Micro, Fuwari, AstroWind,
# Tailwind Next.js Starter Blog, gatsby-starter-blog, Docusaurus's
# your-docusaurus-site.example.com), and a name under no real top-level domain: the reserved
# .example, and .tld of `npm init gatsby`'s https://www.yourdomain.tld.
_EXAMPLE_HOSTS = frozenset({"example.com", "example.org", "example.net",
                            "astro-paper.pages.dev", "astro-cactus.chriswilliams.dev",
                            "astro-micro.vercel.app", "tailwind-nextjs-starter-blog.vercel.app",
                            "gatsbystarterblogsource.gatsbyjs.io", "fuwari.vercel.app",
                            "astrowind.vercel.app"})


def not_public(url: str) -> str | None:
    """Why ``url`` cannot be the blog's public address, in init's words (None when it can be):
    an address a blog starter ships with, one on the writer's own computer or network (`hugo
    server`'s http://localhost:1313/, Hugo Book's http://0.0.0.0:1313/), or no address at all
    (Hugo's ``baseURL = "/"``)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    if not host:
        return "a path without the blog's host"
    if parts.scheme not in ("http", "https"):
        return "no http:// or https:// address"
    if _starters_host(host):
        return "the starter's example"
    if host == "localhost" or host.endswith(".localhost") or _local_ip(host):
        return "an address on your own computer or network"
    return None


def starters_address(address: str) -> bool:
    """Whether ``address`` is one a blog starter ships with (Eleventy's base blog's
    youremailaddress@example.com): replies sent there would reach no one."""
    return _starters_host(address.rpartition("@")[2].strip().lower().removeprefix("www."))


def _starters_host(host: str) -> bool:
    """Whether ``host`` (lower case, without www.) is one a blog starter ships with."""
    return host in _EXAMPLE_HOSTS or host.endswith((".example", ".tld")) \
        or host.startswith("your-docusaurus")


def _local_ip(host: str) -> bool:
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:  # a name, not an IP address
        return False


def _on_placeholder_host(value: str) -> bool:
    try:
        return (urlsplit(value).hostname or "") == PLACEHOLDER_HOST
    except ValueError:
        return False


def _holds_placeholder_address(value: str) -> bool:
    return PLACEHOLDER_ADDRESS in value.lower()


def _is(text: str) -> Callable[[str], bool]:
    return lambda value: " ".join(value.split()).casefold() == text.casefold()


@record(frozen=True)
class Placeholder:
    """A setting init may leave at an example value, and what the writer should put there."""

    section: str
    key: str
    matches: Callable[[str], bool]
    wanted: str  # "your blog's address"

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"


PLACEHOLDERS = (
    Placeholder("site", "title", _is(PLACEHOLDER_TITLE), "your blog's name"),
    Placeholder("site", "url", _on_placeholder_host, "your blog's address"),
    Placeholder("email", "from", _holds_placeholder_address, "your name and address"),
    Placeholder("email", "reply_to", _holds_placeholder_address,
                "the address readers' replies go to"),
    Placeholder("email", "cta_url", _holds_placeholder_address,
                "where the \"Get in touch\" button goes (e.g. mailto: your address)"),
    Placeholder("email", "postal_address", _is(PLACEHOLDER_POSTAL),
                "the postal address the law requires in every newsletter"),
    Placeholder("email", "unsubscribe_url", _on_placeholder_host,
                "your blog's address + /unsubscribe/{token}"),
    Placeholder("images", "url", _on_placeholder_host,
                "where your blog serves the prepared images"),
)


def placeholders_in(value_of: Callable[[str, str], Any]) -> list[tuple[Placeholder, str]]:
    """Each placeholder still in the settings, with its value; ``value_of(section, key)``
    reads a setting (None when it is not set)."""
    found = []
    for placeholder in PLACEHOLDERS:
        value = value_of(placeholder.section, placeholder.key)
        if isinstance(value, str) and placeholder.matches(value):
            found.append((placeholder, value))
    return found
