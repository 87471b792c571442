"""Template syntax the email would show as written: a Hugo shortcode or a Liquid tag that
rendering could not turn into email (docs/template-tags.md), an error: a tag is never mailed as
literal text. A theme's shortcode the email shows only in part (its content without it, a
diagram's source) is a warning, for the writer to look at the email."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, error, warning

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext


def template_findings(context: CheckContext) -> list[Finding]:
    """One ``template-syntax`` error per tag left in the post, one ``template-degraded``
    warning per tag shown in part, at its line."""
    source = context.sources.post
    return [warning("template-degraded", source.where(problem.line), problem.message,
                    problem.hint) if problem.warning else
            error("template-syntax", source.where(problem.line), problem.message, problem.hint)
            for problem in context.email.template_problems]
