"""The raw HTML a post writes itself, which a dialect may omit (Goldmark without ``unsafe``).

Hugo omits the HTML of the post's Markdown, never a shortcode's output: the HTML between a
paired ``{{< name >}}`` and ``{{< /name >}}`` (an inline shortcode's template too) is the
shortcode's to show. So the tags written outside such pairs are the post's own; a raw HTML
element of the rendered email whose tags are all missing from them came from a template tag.
Pairs are matched by name in one pass, so a post of unclosed shortcodes takes linear time.
An HTML comment (Hugo's summary divider ``<!--more-->`` among them) is never reported as
omitted (``commonmark.raw_html_lines``): it shows nothing either way.
"""

from __future__ import annotations

import re

TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
_SHORTCODE = re.compile(r"\{\{[<%]\s*(/?)\s*([\w./-]+)[^{}]*?[>%]\}\}")


def written_tags(body: str) -> frozenset[str]:
    """Each HTML tag ``body`` writes outside paired shortcodes, as written."""
    opened: dict[str, list[int]] = {}  # a shortcode's name: where its opening tags end
    regions = []
    for found in _SHORTCODE.finditer(body):
        ends = opened.setdefault(found[2], [])
        if not found[1]:
            ends.append(found.end())
        elif ends:
            regions.append((ends.pop(), found.start()))
    kept, start = [], 0
    for region_start, region_end in sorted(regions):  # nested ones inside their outer one
        if region_start > start:
            kept.append(body[start:region_start])
        start = max(start, region_end)
    kept.append(body[start:])
    # A shortcode written without spaces, {{<youtube id>}}, is no HTML tag either.
    return frozenset(tag for piece in kept for tag in TAG.findall(_SHORTCODE.sub(" ", piece)))
