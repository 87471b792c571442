"""The email's headings one level apart, as screen readers list them, each with its written look.

A post that goes from its title (level 1) to a ``####``, or from ``##`` to ``#####``, reads to a
screen reader as sections of missing ones (WCAG 1.3.1; axe-core's heading-order): the email's
heading takes the level one under the heading before it, and the class ``looks-h<written>``,
which email.css styles as the level the writer chose, so it looks as on the blog. The blog keeps
its gap: ``newsletter check`` warns of it (heading-skip) for the writer to mend the post.
"""

from __future__ import annotations

import lxml.html

from newsletter.render.anchors import HEADINGS


def close_heading_gaps(root: lxml.html.HtmlElement) -> None:
    """Each heading of ``root`` more than one level under the one before it (the title is
    level 1) renumbered one level under that one, in place."""
    above = 1
    for heading in root.iter(*HEADINGS):
        written = int(heading.tag[1])
        if written > above + 1:
            heading.tag = f"h{above + 1}"
            heading.set("class", " ".join([*(heading.get("class") or "").split(),
                                           f"looks-h{written}"]))
        above = int(heading.tag[1])
