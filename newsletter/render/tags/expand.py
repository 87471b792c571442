"""A post's template tags turned into Markdown and HTML an email can carry, in one pass.

Code is left as written (a post about shortcodes shows them in code), but for the two ways a
writer escapes a tag, which the blog honours everywhere: ``{% raw %}...{% endraw %}`` and
``{{</* ... */>}}``. Everything else that looks like a tag is expanded, dropped (comments, page
furniture) or, when it cannot be shown in an email, left as written and reported as a
:class:`TemplateProblem` at its line: the preflight check makes it an error, so no tag is ever
mailed silently. Each part of the post is read once (posts are hostile input).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import replace

from newsletter.render.dialects import PYTHON_MARKDOWN, Dialect
from newsletter.render.effort import check_placed_size
from newsletter.render.tags import erb, links, liquid, mdx, themes, values, zola
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.expansion import (OPENING, SNIPPET_CHARS, Expansion, Piece,
                                              TemplateProblem, snippet)
from newsletter.render.tags.scan import (BacktickRuns, Finder, Literal, code_regions,
                                         literal_spans, run_end, standalone_indent)
from newsletter.render.tags.shortcodes import Frame, ShortcodeReading
from newsletter.render.tags.syntax import DELIMITERS, MAX_TAG_CHARS, Tag, TagProblem, read_tag

_BACKTICK = re.compile("`")
_HUGO_COMMENT_END = re.compile(r"\*/\}\}")
MAX_PROBLEMS = 100  # reported one by one; past them, one more line says there are others
_PUNCTUATION = re.compile(r"[.,;:!?)]")
# {{ site.url }}{{ site.baseurl }} right before {% link %} or {% post_url %}, which give the
# whole address already (Jekyll 3 posts write the prefix, Jekyll 4 adds it itself).
_BEFORE_LINK = re.compile(r"(?:\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\})*"
                          r"\{%-?\s*(?:link|post_url)\b")


def expand_tags(body: str, context: TagContext, first_line: int = 1,
                dialect: Dialect = PYTHON_MARKDOWN) -> Expansion:
    """``body`` (a post's Markdown in ``dialect``, starting on ``first_line`` of its file) with
    its tags expanded against ``context``."""
    return _Expander(body, context, first_line, dialect).run()


class _Expander(ShortcodeReading):
    def __init__(self, text: str, context: TagContext, first_line: int, dialect: Dialect):
        self.variables = dict(context.variables)  # grows as {% assign %}s are read
        self.text, self.first_line = text, first_line
        self.context = replace(context, variables=self.variables)
        self.out: list[str] = []
        self.problems: list[TemplateProblem] = []
        self.snippets: list[tuple[int, str]] = []
        self.regions = code_regions(text, dialect)
        self.restructured = dialect.restructured
        self.region_starts = [region.start for region in self.regions]
        self.literals = literal_spans(text, zola=context.zola)
        self.literal_starts = [literal.start for literal in self.literals]
        self.line_ends = [found.start() for found in re.finditer("\n", text)]
        self.backticks = BacktickRuns(text)
        self.openings = Finder(text, OPENING)
        self.ticks = Finder(text, _BACKTICK)
        self.jsx = Finder(text, mdx.OPENING) if context.mdx else None
        self.erb = Finder(text, erb.OPENING) if context.erb else None
        self.mdx_images = mdx.ImageImports(text) if context.mdx else None
        self.mdx_components = mdx.Components()
        self.mdx_values = mdx.Values(text, context.page) if context.mdx else None
        self.links = Finder(text, links.DESTINATION)
        self.link_files = links.LinkFiles(context)
        self.finders: dict[str, Finder] = {}  # closing tags of blocks, by pattern
        self.closers = {closer: Finder(text, re.compile(re.escape(closer)))
                        for _, _, closer in DELIMITERS}
        self.frames: list[Frame] = []
        self.closing_tags: dict[str, list[re.Match]] | None = None  # by name, outside code
        # Liquid-written ones open, by closing tag: what each puts after its content
        self.open_blocks: dict[str, list[str]] = {}
        self.captures: list[tuple[str, int]] = []  # {% capture name %}s open: name, out index
        self.before: dict[int, str] = {}  # what goes before out[index]: content shortcodes
        self.placed = 0  # characters the tags put into the post

    def run(self) -> Expansion:
        pos, length = 0, len(self.text)
        while pos < length:
            at = bisect.bisect_right(self.region_starts, pos) - 1
            if at >= 0 and pos < self.regions[at].end:
                region = self.regions[at]
                code = self._code(pos, region.end, region.kind)
                tab = themes.tab_comment(code) if region.kind == "comment" and \
                    self.open_blocks.get("endtabs") else None
                self.out.append(code if tab is None else tab)
                pos = region.end
            else:
                limit = self.regions[at + 1].start if at + 1 < len(self.regions) else length
                pos = self._prose(pos, limit)
        for frame in reversed(self.frames):  # shown as written, where they were
            self._report(frame.tag.start, f"{frame.tag.quoted()} is never closed",
                         f"close it with {{{{< /{frame.tag.name} >}}}}")
            self._put_before(frame.out_index, html.escape(frame.tag.source, quote=False))
        self.problems.sort(key=lambda problem: problem.line)
        pieces = [self.before.get(index, "") + piece for index, piece in enumerate(self.out)]
        pieces.append(self.before.get(len(self.out), ""))
        return Expansion("".join(pieces), tuple(self.problems), tuple(self.snippets))

    def _put_before(self, index: int, text: str) -> None:
        """``text`` before ``out[index]`` (and before what was put there already: the inner
        of two shortcodes opened at the same place closes first)."""
        self.before[index] = text + self.before.get(index, "")

    # Reading ------------------------------------------------------------------------------

    def _prose(self, pos: int, limit: int) -> int:
        """Expand the text up to ``limit`` (where code begins); returns where it stopped."""
        text = self.text
        while pos < limit:
            literal = self._next_literal(pos)
            finders = (self.openings, self.ticks, self.links,
                       *(finder for finder in (self.jsx, self.erb) if finder))
            stop = min(limit, literal.start if literal else limit,
                       *(found.start() for found in (each.next(pos) for each in finders) if found))
            self.out.append(text[pos:stop])
            pos = stop
            if pos >= limit:
                break
            if literal and literal.start == pos:
                self.out.append(literal.text)
                return literal.end
            if text[pos] == "`" and not (self.restructured and not text.startswith("``", pos)):
                pos = self._code_span(pos, limit)  # reST's `text <dest>`_ is a link, ``x`` code
            elif OPENING.match(text, pos):
                pos = self._tag(pos, limit)
            else:
                pos = self._link_or_mdx(pos, limit)
        return pos

    def _link_or_mdx(self, pos: int, limit: int) -> int:
        """A link to a post's file becomes its address; MDX's syntax and ERB are left out or
        reported; else the character is prose (a link's destination running into code)."""
        destination = links.DESTINATION.match(self.text, pos)
        if destination and destination.end() <= limit:
            piece = self.link_files.read(destination)
        elif self.jsx and mdx.OPENING.match(self.text, pos):
            piece = mdx.read(self.text, pos, limit, self.mdx_images, self.mdx_components,
                             self.mdx_values)
        elif self.erb and erb.OPENING.match(self.text, pos):
            piece = erb.read(self.text, pos, limit, self.context)
        else:
            piece = Piece(pos + 1, self.text[pos])
        if piece.message:
            self._report(pos if piece.at is None else piece.at, piece.message, piece.hint,
                         warning=piece.warning)
        self.placed += len(piece.output)  # an MDX constant's value at each {name}
        check_placed_size(self.placed, len(piece.output), self._line(pos))
        self.out.append(piece.output)
        return max(piece.end, pos + 1)

    def _code_span(self, pos: int, limit: int) -> int:
        text, opened = self.text, run_end(self.text, pos)
        self.out.append(text[pos:opened])
        span = self.backticks.span(pos, limit)
        if span is None:
            return opened
        self.out.append(self._code(*span, "inline"))
        closed = run_end(text, span[1])
        self.out.append(text[span[1]:closed])
        return closed

    def _code(self, start: int, end: int, kind: str) -> str:
        """``text[start:end]`` as written, but for raw blocks and escaped shortcodes; tag
        syntax left in it is noted, to be compared with what Markdown shows as code."""
        text, pieces, pos = self.text, [], start
        while pos < end:
            literal = self._next_literal(pos)
            stop = literal.start if literal and literal.end <= end else end
            if kind not in ("comment", "generated"):
                for found in OPENING.finditer(text, pos, stop):
                    self.snippets.append((self._line(found.start()),
                                          self._snippet(found.start(), stop, kind)))
            pieces.append(text[pos:stop])
            if stop < end:
                pieces.append(literal.text)
                stop = literal.end
            pos = stop
        return "".join(pieces)

    def _snippet(self, start: int, end: int, kind: str) -> str:
        if kind not in ("pre", "code"):
            return snippet(self.text, start, end)
        markup = self.text.find("<", start, min(end, start + 4 * SNIPPET_CHARS))  # </pre>
        return html.unescape(snippet(self.text, start, markup if markup >= 0 else end))

    def _tag(self, pos: int, limit: int) -> int:
        """Read the tag at ``pos`` and put what it becomes in the output; returns its end."""
        text = self.text
        opener, kind, closer = next(item for item in DELIMITERS if text.startswith(item[0], pos))
        if kind == "hugo-comment":
            return self._drop_until(pos, opener, _HUGO_COMMENT_END, "*/}}")
        by_value = kind == "liquid" and liquid.INCLUDE_BY_VALUE.match(text, pos)  # {{ x }} in it
        close = self.closers[closer].next(by_value.end() if by_value else pos + len(opener))
        nested = self.openings.next(by_value.end() if by_value else pos + 2)
        if close is None or close.start() >= limit or (nested and nested.start() < close.start()):
            self._report(pos, f"{text[pos:pos + 40].split(chr(10))[0]}\u2026 is never closed",
                         f"end the tag with {closer}, or put it in code if it is meant literally")
            self.out.append(html.escape(opener))
            return pos + len(opener)
        if close.end() - pos > MAX_TAG_CHARS:
            return self._leave(pos, close.end(), TagProblem(
                f"a template tag of {close.end() - pos} characters is refused (at most "
                f"{MAX_TAG_CHARS})", "shorten its parameters"))
        try:
            tag = read_tag(opener, kind, text, pos, close.start(), closer)
        except TagProblem as problem:
            return self._leave(pos, close.end(), problem)
        if kind == "output":
            return self._output(tag)
        return self._liquid(tag) if kind == "liquid" else self._shortcode(tag)

    def _output(self, tag: Tag) -> int:
        if tag.body in ("site.url", "site.baseurl") and _BEFORE_LINK.match(self.text, tag.end):
            return tag.end
        return self._call(tag, lambda: zola.output(tag, self.context))

    def _liquid(self, tag: Tag) -> int:
        if tag.name in liquid.BLOCK_ENDS:
            ending = r"\{%-?\s*" + liquid.BLOCK_ENDS[tag.name] + r"\s*-?%\}"
            end = self._finder(ending).next(tag.end)
            if tag.name == "raw" or end is None:  # a raw block that was closed is a literal
                return self._leave(tag.start, tag.end, TagProblem(
                    f"{tag.quoted()} is never closed",
                    f"close it with {{% {liquid.BLOCK_ENDS[tag.name]} %}}"))
            if tag.name == "comment":
                return end.end()
            code = self._code(tag.end, end.start(), "generated")
            self._place(tag.start, end.end(), liquid.highlight(tag, code, self.context))
            return end.end()
        if tag.name in ("assign", "capture", "endcapture"):
            return self._variable(tag)
        theirs = self._liquid_theirs(tag)
        if theirs is not None:
            return theirs
        handler = liquid.LIQUID_TAGS.get(tag.name, liquid.unknown)
        return self._call(tag, lambda: handler(tag, self.context))

    def _variable(self, tag: Tag) -> int:
        """``{% assign %}`` and ``{% capture %}...{% endcapture %}`` set a variable for the
        tags after them and show nothing; what a capture holds is read as the rest of the post,
        then taken out."""
        if tag.name == "assign":
            try:
                name, value = values.assign(tag, self.context)
            except TagProblem as problem:
                return self._leave(tag.start, tag.end, problem)
        elif tag.name == "capture" and values.NAME.fullmatch(tag.body.strip()) and \
                self._closing("%endcapture", tag.end) is not None:
            self.captures.append((tag.body.strip(), len(self.out)))
            return tag.end
        elif tag.name == "endcapture" and self.captures and not (
                self.frames and self.frames[-1].out_index >= self.captures[-1][1]):
            name, start = self.captures.pop()  # (a shortcode opened inside is closed inside)
            value = values.Captured(self._take(start).strip())
        else:
            return self._leave(tag.start, tag.end, TagProblem(
                f"{tag.quoted()} names no variable, or has no {{% endcapture %}} after it"
                if tag.name == "capture" else f"{tag.quoted()} closes no capture (or a "
                "shortcode opened in it is still open)",
                "write it as {% capture name %}...{% endcapture %}"))
        self.variables[name] = value
        return tag.end

    # Writing ------------------------------------------------------------------------------

    def _call(self, tag: Tag, make, end: int | None = None) -> int:
        end = tag.end if end is None else end  # a closing tag's end, for an enclosing one
        try:
            output = make()
        except TagProblem as problem:
            return self._leave(tag.start, end, problem)
        if output.warning:
            self._report(tag.start, *output.warning, warning=True)
        self._place(tag.start, end, output)
        return end

    def _place(self, start: int, end: int, output: Output) -> None:
        """A block that stands alone on its lines gets blank lines around it, so Markdown
        reads it as a block of its own; a tag dropped before a full stop or a comma takes the
        space before it along ("in this {% include toc.html %}." is "in this.")."""
        if not output.markdown and self.out and _PUNCTUATION.match(self.text, end):
            self.out[-1] = self.out[-1].rstrip(" \t")
        self.placed += len(output.markdown)  # a file included a thousand times: gigabytes
        check_placed_size(self.placed, len(output.markdown), self._line(start))
        indent = standalone_indent(self.text, start, end) if output.block else None
        self.out.append(output.markdown if indent is None else  # in a list item: stays there
                        "\n" + re.sub(r"(?m)^(?=.)", indent, output.markdown) + "\n")

    def _leave(self, start: int, end: int, problem: TagProblem) -> int:
        """Report the tag, and show it as written: as text, whatever markup it holds."""
        self._report(start, problem.message, problem.hint)
        self.out.append(html.escape(self.text[start:end], quote=False))
        return end

    def _drop_until(self, pos: int, opener: str, end_pattern: re.Pattern, closer: str) -> int:
        end = self._finder(end_pattern.pattern).next(pos + len(opener))
        if end is None:
            self._report(pos, f"{opener} is never closed", f"close the comment with {closer}")
            self.out.append(html.escape(opener))
            return pos + len(opener)
        return end.end()

    def _report(self, offset: int, message: str, hint: str, *, warning: bool = False) -> None:
        problems = self.problems
        if len(problems) < MAX_PROBLEMS:
            problems.append(TemplateProblem(self._line(offset), message, hint, warning))
        elif len(problems) == MAX_PROBLEMS or not warning and problems[-1].warning:
            # one line for the rest (an error if one of them is): enough to act on
            line = problems[-1].line if len(problems) > MAX_PROBLEMS else self._line(offset)
            problems[MAX_PROBLEMS:] = [TemplateProblem(
                line, "more template tags are left as written from here on",
                "fix the ones above, then check again", warning)]

    def _line(self, offset: int) -> int:
        return self.first_line + bisect.bisect_left(self.line_ends, offset)

    def _next_literal(self, pos: int) -> Literal | None:
        at = bisect.bisect_left(self.literal_starts, pos)
        return self.literals[at] if at < len(self.literals) else None

    def _finder(self, pattern: str) -> Finder:
        if pattern not in self.finders:
            self.finders[pattern] = Finder(self.text, re.compile(pattern, re.IGNORECASE))
        return self.finders[pattern]
