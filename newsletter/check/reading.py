"""Findings about how the email reads aloud: a link whose text says nothing out of its sentence.

Screen readers list a message's links by their text alone, to move through it (WCAG 2.4.4, link
purpose): a list of "here", "here" and "read more" tells a listener nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, warning
from newsletter.check.urls import scheme_of

if TYPE_CHECKING:
    from newsletter.check.links import LinkUse

# Link texts that name no place, compared in lower case without the punctuation around them.
VAGUE_LINK_TEXTS = frozenset({
    "here", "click here", "click", "this", "this link", "link", "this page", "read more", "more",
    "learn more", "continue", "continue reading", "go", "see here", "check it out",
})
_AROUND = " .,:;!?…→»›>«‹<()[]\"'“”‘’"


def reading_findings(links: list[LinkUse]) -> list[Finding]:
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
