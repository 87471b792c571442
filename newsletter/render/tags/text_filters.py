"""Liquid's and Jekyll's filters of a text that a post prints: ``{{ page.title | upcase }}``,
``{{ page.title | escape }}``, a share link's ``{{ page.url | absolute_url | url_encode }}``
(shopify.github.io/liquid, jekyllrb.com/docs/liquid/filters). The email prints every value as
text, so the escaping filters leave it as it is."""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote, quote_plus

from newsletter.generators import jekyll_slug

TEXT_FILTERS: dict[str, Callable[[str], str]] = {
    "escape": str, "escape_once": str, "xml_escape": str,  # the email escapes what it prints
    "upcase": str.upper, "downcase": str.lower,
    "capitalize": lambda text: text[:1].upper() + text[1:].lower(),
    "strip": str.strip, "lstrip": str.lstrip, "rstrip": str.rstrip,
    "strip_newlines": lambda text: text.replace("\r", "").replace("\n", ""),
    "url_encode": quote_plus, "cgi_escape": quote_plus,
    "uri_escape": lambda text: quote(text, safe="!#$&'()*+,/:;=?@[]~"),
    "slugify": jekyll_slug,
}
