"""Findings about how the email reads aloud: a link whose text says nothing out of its sentence,
a heading that skips a level.

Screen readers list a message's links by their text alone, and its headings by level, to move
through it: a list of "here", "here" and "read more" tells a listener nothing (WCAG 2.4.4, link
purpose), and a section at level 3 under the title (level 1) looks like a part of a missing
level-2 section (WCAG 1.3.1; axe-core's heading-order).
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, warning
from newsletter.check.urls import scheme_of
from newsletter.render import HEADINGS

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext
    from newsletter.check.links import LinkUse

# Link texts that name no place, compared in lower case without the punctuation around them.
VAGUE_LINK_TEXTS = frozenset({
    "here", "click here", "click", "this", "this link", "link", "this page", "read more", "more",
    "learn more", "continue", "continue reading", "go", "see here", "check it out",
})
# A heading as a post writes it: "### Title" (its level in group 1) or "<h3" (group 2).
_WRITTEN_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]|$)|<h([1-6])\b", re.IGNORECASE | re.MULTILINE)
_AROUND = " .,:;!?…→»›>«‹<()[]\"'“”‘’"


def reading_findings(links: list[LinkUse], context: CheckContext) -> list[Finding]:
    """Vague link texts and skipped heading levels."""
    return [*_vague_links(links), *_skipped_levels(context)]


def _skipped_levels(context: CheckContext) -> list[Finding]:
    """A heading more than one level below the one before it (the title is level 1)."""
    source, found, above = context.sources.post, [], 1
    written: dict[int, list[int]] = {}  # where the post writes each level's headings, in order
    for match in _WRITTEN_HEADING.finditer(source.text, source.start):
        written.setdefault(len(match[1]) if match[1] else int(match[2]), []).append(match.start())
    cursor = source.start
    for heading in context.fragment.iter(*HEADINGS):
        level, text = int(heading.tag[1]), " ".join(heading.text_content().split())
        offsets = written.get(level, [])
        index = bisect.bisect_left(offsets, cursor)
        at = offsets[index] if index < len(offsets) else None  # None: a template tag wrote it
        cursor = cursor if at is None else at + 1
        if level > above + 1:
            found.append(warning(
                "heading-skip", source.where(None if at is None else source.line_at(at)),
                f"the heading \"{text}\" is level {level} under a level "
                f"{above}{' (the title)' if above == 1 else ''}: screen readers list the blog's "
                f"headings by level, and {_missing_levels(above, level)}",
                f"write it with {'#' * (above + 1)} (<h{above + 1}>), one level under the heading "
                "before it"))
        above = level
    return found


def _missing_levels(above: int, level: int) -> str:
    """"level 2 is missing", "levels 2 and 3 are missing" between ``above`` and ``level``."""
    missing = list(map(str, range(above + 1, level)))
    if len(missing) == 1:
        return f"level {missing[0]} is missing"
    return f"levels {', '.join(missing[:-1])} and {missing[-1]} are missing"


def _vague_links(links: list[LinkUse]) -> list[Finding]:
    """A warning for each link of the post to a page or an address whose text is only "here",
    "click here", ... (a link that goes nowhere has its own error)."""
    return [warning("link-text-vague", use.where,
                    f"the link \"{use.label}\" says nothing out of its sentence: screen readers "
                    f"list links by their text alone", "make the words that link name where it "
                    "leads (\"the release notes\", not \"here\")")
            for use in links
            if use.tag == "a" and use.in_post and not use.footnote and not use.url.startswith("#")
            and scheme_of(use.sent) in ("http", "https", "mailto")
            and " ".join(use.label.lower().strip(_AROUND).split()) in VAGUE_LINK_TEXTS]
