"""What expanding a post's tags gives: its Markdown, and the tags left as written."""

from __future__ import annotations

import re

import lxml.html

from newsletter.records import record

OPENING = re.compile(r"\{\{|\{%")  # where a tag may begin: also what must never be mailed
SNIPPET_CHARS = 60  # of a tag left in code, compared with the code the email shows
_SPACES = re.compile(r"\s+")


@record(frozen=True)
class TemplateProblem:
    """A tag left in the post as written (or, a warning, shown only in part): where, what,
    and what to do."""

    line: int
    message: str
    hint: str
    warning: bool = False


@record(frozen=True)
class Piece:
    """What a piece of the post read as a whole becomes: where it ends, the text in its place,
    and a problem (reported at ``at``, else where the piece begins)."""

    end: int
    output: str
    message: str | None = None
    hint: str = ""
    at: int | None = None
    warning: bool = False  # the problem is a warning: the piece is shown, in part


@record(frozen=True)
class Expansion:
    """The post's Markdown with its tags expanded, and the tags that could not be."""

    markdown: str
    problems: tuple[TemplateProblem, ...]
    code_snippets: tuple[tuple[int, str], ...]  # (line, text) of tag syntax left in code

    def all_problems(self, fragment: lxml.html.HtmlElement) -> tuple[TemplateProblem, ...]:
        """The tags left as written, those that looked like code included if Markdown did not
        show them as code in ``fragment`` (the rendered body)."""
        texts = [element.text_content() for element in fragment.iter("pre", "code")]
        shown = {snippet(text, found.start(), len(text)) for text in texts
                 for found in OPENING.finditer(text)}
        not_code = [TemplateProblem(line, f"{text} is template syntax outside code, so the "
                                    "email would show it as written",
                                    "put it in a fenced code block (```), or remove it")
                    for line, text in dict.fromkeys(self.code_snippets) if text not in shown]
        return self.problems + tuple(not_code)


def snippet(text: str, start: int, end: int) -> str:
    """The text from a tag's opening to the end of its line, spaces collapsed, cut short."""
    stop = text.find("\n", start, min(end, start + 4 * SNIPPET_CHARS))
    piece = text[start:stop if stop >= 0 else min(end, start + 4 * SNIPPET_CHARS)]
    return _SPACES.sub(" ", piece).strip()[:SNIPPET_CHARS]
