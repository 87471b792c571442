"""What every check of one post reads: the post, its rendered email, a sample reader's message."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING

from newsletter.check.sources import Sources
from newsletter.message import sample_message
from newsletter.records import record
from newsletter.render import markdown_dialect, markdown_fragment

if TYPE_CHECKING:
    import lxml.html

    from newsletter.config import Settings
    from newsletter.message import Message
    from newsletter.posts import Post
    from newsletter.render import Dialect, Email


@record
class CheckContext:
    """One post's check: the post, its email, and when it is checked."""

    settings: Settings
    post: Post
    email: Email
    now: dt.datetime
    since: dt.datetime | None  # [schedule] since, or the one the ledger recorded; None if unset

    @cached_property
    def sources(self) -> Sources:
        return Sources(self.settings, self.post)

    @cached_property
    def dialect(self) -> Dialect:
        """The Markdown dialect the post is read in."""
        return markdown_dialect(self.settings, self.post)

    @cached_property
    def fragment(self) -> lxml.html.HtmlElement:
        """The post's body read in its Markdown dialect, its links as the post writes them."""
        return markdown_fragment(self.email.markdown, self.dialect, self.post.body)

    @cached_property
    def sample(self) -> Message:
        """The message a sample reader gets, exactly as `send` builds it."""
        return sample_message(self.settings, self.email)
