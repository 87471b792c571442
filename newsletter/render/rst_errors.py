"""What docutils could not read in a reStructuredText post, or took too long to, at a line of
the post's body (:mod:`newsletter.render.restructured`): its own module, as the Markdown
effort's module names the post's line for both kinds of error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.errors import ContentError

if TYPE_CHECKING:
    from newsletter.posts import Post


class RestructuredTextError(ContentError):
    """What docutils could not read, at a line of the post's body."""

    def __init__(self, message: str, line: int, hint: str):
        self.line = line
        super().__init__(message, hint=hint)

    def located(self, where: str, post: Post) -> RestructuredTextError:
        located = RestructuredTextError(self.message, self.line, self.hint or "")
        located.where = f"{where}:{post.body_line + self.line - 1}"
        return located
