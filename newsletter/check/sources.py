"""The files findings point into, and how a finding finds its line in them.

The check reads what was rendered; a writer fixes the post, a template or newsletter.toml. So
each finding looks its cause up in those files: a link by its URL as the post writes it, a
colour by its declaration, a setting by its key. When nothing matches, the finding names the
file without a line.
"""

from __future__ import annotations

import bisect
import html
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.config import SETTINGS_FILE, setting_line
from newsletter.posts import site_relative
from newsletter.records import record
from newsletter.render import HTML_TEMPLATE, STYLESHEET, TEXT_TEMPLATE
from newsletter.urls import split_url

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?-{3}[ \t]*\r?\n.*?^-{3}[ \t]*$", re.DOTALL | re.MULTILINE)
# What may stand right before a URL in Markdown or HTML: "](", "]: ", href=" or src=', "<";
# and right after it.
_BEFORE_URL = re.compile(r"(?:\]\(\s*<?|^[ \t]*\[[^\]\n]+\]:[ \t]*<?|\b(?:href|src)\s*=\s*[\"']?\s*|<)\Z",
                         re.IGNORECASE | re.MULTILINE)
_AFTER_URL = frozenset(" \t\r\n)\"'>")
_LIQUID_PATH_CUTS = 4  # the base path's folders a Liquid output may have written
# A fenced code block: a URL there is no link (nor in a code span, see _code_spans).
_FENCED = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n"
                     r".*?(?:^[ \t]{0,3}(?P=fence)[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
_EMPTY_URL = re.compile(r"\]\(\s*\)|\b(?:href|src)\s*=\s*(?:\"\"|'')", re.IGNORECASE)


@record
class Source:
    """One file of the site, as text, named as findings show it."""

    name: str
    text: str
    start: int = 0  # where searches for the body begin (after a post's front matter)

    def where(self, line: int | None = None) -> str:
        """``name:line``, or the name alone."""
        return f"{self.name}:{line}" if line else self.name

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._line_ends, offset - 1) + 1

    @cached_property
    def _line_ends(self) -> list[int]:
        return [found.start() for found in re.finditer("\n", self.text)]

    def where_match(self, pattern: str | re.Pattern, start: int | None = None) -> str | None:
        """``name:line`` of the first match of ``pattern`` (from ``start``), or None."""
        found = re.compile(pattern, re.IGNORECASE | re.MULTILINE).search(
            self.text, self.start if start is None else start)
        return self.where(self.line_at(found.start())) if found else None

    def find_url(self, url: str, start: int, taken: frozenset[int] | set[int] = frozenset()
                 ) -> tuple[int, int] | None:
        """(start, end) of where the body writes ``url`` as Markdown or HTML, from ``start``:
        not in code, and not at an offset in ``taken`` (another link's)."""
        if not url:
            found = _EMPTY_URL.search(self.text, start)
            return found.span() if found else None
        text = self.text
        for form in dict.fromkeys((url, html.escape(url))):
            at = text.find(form, start)
            while at >= 0:
                end = at + len(form)
                line_start = text.rfind("\n", 0, at) + 1
                if ((end == len(text) or text[end] in _AFTER_URL) and at not in taken
                        and _BEFORE_URL.search(text, line_start, at)
                        and not _inside(self._code, at)):
                    return at, end
                at = text.find(form, at + 1)
        return None

    def find_after_liquid(self, url: str, start: int,
                          taken: frozenset[int] | set[int] = frozenset()
                          ) -> tuple[int, int] | None:
        """(start, end) of the path of ``url`` written after a Liquid output, as Jekyll posts
        write their site's files (``{{ site.url }}{{ site.baseurl }}/assets/x.jpg``): the
        email has the address the output makes, which the body does not write. The path's
        longest ending from a ``/`` that follows ``}}`` is taken, not in code, from ``start``
        (the search goes on from the last link found: a post of many stays linear)."""
        parts = split_url(url)
        path = parts.path if parts and "}}" in self.text else ""
        cuts = [at for at, char in enumerate(path) if char == "/"][:_LIQUID_PATH_CUTS]
        for begin, cut in [(begin, cut) for begin in (start, self.start) for cut in cuts]:
            form = "}}" + path[cut:]
            at = self.text.find(form, begin)
            while at >= 0:
                if at not in taken and not _inside(self._code, at):
                    return at, at + len(form)
                at = self.text.find(form, at + 1)
        return None

    @cached_property
    def _code(self) -> list[tuple[int, int]]:
        return _code_spans(self.text, self.start)

    def find_label(self, label: str) -> tuple[int, int] | None:
        """(start, end) of where the body writes a link's text (``[label]`` or ``>label<``) or
        an image's alt text, for a URL written in a way no search finds (HTML entities) or not
        written at all (``<img alt="...">``)."""
        forms = (f"[{label}]", f">{label}<", f'alt="{label}"', f"alt='{label}'")
        for form in forms if label else ():
            at = self.text.find(form, self.start)
            if at >= 0:
                return at, at + len(form)
        return None

    def find_value(self, value: str) -> re.Match | None:
        """A front-matter or TOML line whose value is ``value`` (``key: value``, ``key = "value"``)."""
        if not value:
            return None
        return re.search(rf"[:=][ \t]*[\"']?{re.escape(value)}[\"']?[ \t]*$", self.text, re.MULTILINE)

    def key_where(self, key: str) -> str:
        """The line of a front-matter ``key:`` (or of ``key =`` in TOML), else the file."""
        return self.where_match(rf"^\s*{re.escape(key)}\s*[:=]", 0) or self.name

    def setting_where(self, section: str, key: str) -> str:
        """The line of ``key =`` in the ``[section]`` table of newsletter.toml, else the file."""
        return self.where(setting_line(self.text, section, key))


class Sources:
    """The post, the templates and newsletter.toml of one check, each read once when needed."""

    def __init__(self, settings: Settings, post: Post):
        self.settings = settings
        self.post_path = post.path

    @cached_property
    def post(self) -> Source:
        name = site_relative(self.settings, self.post_path)
        text = _read(self.post_path)
        front_matter = _FRONT_MATTER.match(text)
        return Source(name, text, front_matter.end() if front_matter else 0)

    @cached_property
    def html_template(self) -> Source:
        return self._template(HTML_TEMPLATE)

    @cached_property
    def text_template(self) -> Source:
        return self._template(TEXT_TEMPLATE)

    @cached_property
    def stylesheet(self) -> Source:
        return self._template(STYLESHEET)

    @cached_property
    def settings_file(self) -> Source:
        return settings_source(self.settings)

    def _template(self, name: str) -> Source:
        return Source(f"templates/{name}", _read(self.settings.templates_dir / name))


def _code_spans(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each fenced block and code span of ``text``, in order. A span opens at a
    run of backticks and closes at the next run as long (CommonMark); found in one pass, since
    a post may hold a million backticks."""
    fenced = [found.span() for found in _FENCED.finditer(text, start)]
    runs = [found.span() for found in re.compile("`+").finditer(text, start)
            if not _inside(fenced, found.start())]
    next_as_long: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_as_long[index] = last.get(length)
        last[length] = index
    spans, index = list(fenced), 0
    while index < len(runs):
        closing = next_as_long[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and offset < spans[index][1]


def settings_source(settings: Settings) -> Source:
    """newsletter.toml, for findings about a setting."""
    return Source(SETTINGS_FILE, _read(settings.root / SETTINGS_FILE))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:  # rendering read it a moment ago; a file gone since has no lines to show
        return ""
