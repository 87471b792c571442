"""The offline check of one rendered post: every finding, and the links the online check visits."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from newsletter.check.colours import hidden_text_findings
from newsletter.check.context import CheckContext
from newsletter.check.embeds import embed_findings
from newsletter.check.findings import Finding, in_order
from newsletter.check.front_matter import front_matter_findings
from newsletter.check.images import image_findings
from newsletter.check.links import LinkUse, collect_links, link_findings
from newsletter.check.message import message_findings
from newsletter.check.raw_html import raw_html_findings
from newsletter.check.reading import reading_findings
from newsletter.check.templates import template_findings
from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post
    from newsletter.render import Email


@record(frozen=True)
class Preflight:
    """What the offline check found in one post, errors first."""

    findings: list[Finding]
    links: list[LinkUse]  # every link and image, where it is written


def check_rendered(settings: Settings, post: Post, email: Email, *, now: dt.datetime,
                since: dt.datetime | None) -> Preflight:
    """Check ``post`` rendered as ``email``; nothing here touches the network."""
    context = CheckContext(settings, post, email, now, since)
    links = collect_links(context)
    findings = [
        *front_matter_findings(context),
        *template_findings(context),
        *link_findings(links, context),
        *reading_findings(links, context),
        *image_findings(links, context),
        *message_findings(context),
        *hidden_text_findings(context),
        *embed_findings(context),
        *raw_html_findings(context),
    ]
    return Preflight(in_order(findings), links)
