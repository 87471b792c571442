"""Template syntax the email would show as written: a Hugo shortcode or a Liquid tag that
rendering could not turn into email (docs/template-tags.md). Always an error: a tag is never
mailed as literal text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, error

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext


def template_findings(context: CheckContext) -> list[Finding]:
    """One ``template-syntax`` error per tag left in the post, at its line."""
    source = context.sources.post
    return [error("template-syntax", source.where(problem.line), problem.message, problem.hint)
            for problem in context.email.template_problems]
