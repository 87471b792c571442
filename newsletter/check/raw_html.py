"""Raw HTML a post writes that its blog does not show: a Hugo site's Goldmark omits it unless
the site sets ``markup.goldmark.renderer.unsafe = true``, and the email omits it too
(newsletter/render/raw_html.py). One warning per post, at the first such element's line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, warning
from newsletter.render import raw_html_lines

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext


def raw_html_findings(context: CheckContext) -> list[Finding]:
    dialect = context.dialect
    if dialect.raw_html or not dialect.commonmark:
        return []
    lines = raw_html_lines(context.post.body, dialect)
    if not lines:
        return []
    where = context.sources.post.where(context.post.body_line + lines[0])
    places = f"{len(lines)} places" if len(lines) > 1 else "1 place"
    return [warning(
        "raw-html-omitted", where,
        f"the post writes raw HTML in {places}, which the blog does not show "
        "(markup.goldmark.renderer.unsafe is false), so the email leaves it out too",
        "write it in Markdown, or set unsafe = true under [markup.goldmark.renderer] in the "
        "site's Hugo settings to show it on both")]
