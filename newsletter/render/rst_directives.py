"""The reStructuredText directives and roles Pelican and Nikola add to docutils' own, as an
email can show them: Pelican's ``code-block`` and ``sourcecode`` (its Pygments options, line
numbers and all, accepted; the code shown as plain text, as every code block of the email) and
its ``:abbr:`` role, Nikola's ``youtube`` and ``vimeo`` (a link to the video: no mail client
plays one), ``thumbnail`` (the picture, as a figure) and ``:doc:`` role (a link to a post
or page by its slug)."""

from __future__ import annotations

import html
import re
from functools import cache

_ABBREVIATION = re.compile(r"^(.*?)\s*\((.*)\)$", re.DOTALL)  # HTML (HyperText Markup Language)
# Nikola's :doc:`text <address>`, its slug made the page's address before (render/tags/links.py)
_TITLED_TARGET = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)
_VIDEO_PAGES = {"youtube": ("YouTube", "https://www.youtube.com/watch?v={}"),
                "vimeo": ("Vimeo", "https://vimeo.com/{}")}
# Pelican's Pygments options (pelican/rstdirectives.py), read and left unused
_PYGMENTS_OPTIONS = ("anchorlinenos", "classprefix", "hl_lines", "lineanchors", "linenos",
                     "linenospecial", "linenostart", "linenostep", "lineseparator", "linespans",
                     "nobackground", "nowrap", "tagsfile", "tagurlformat", "number-lines",
                     "class", "name")


@cache
def register_blog_directives() -> None:
    """Register them with docutils, once a process."""
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives, roles
    from docutils.parsers.rst.directives.images import Figure, Image

    class CodeBlock(Directive):
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = {name: directives.unchanged for name in _PYGMENTS_OPTIONS}
        has_content = True

        def run(self):
            self.assert_has_content()
            code = "\n".join(self.content)
            language = self.arguments[0].split()[0] if self.arguments else "text"
            return [nodes.literal_block(code, code, classes=["code", language])]

    class Video(Directive):
        required_arguments = 1
        option_spec = {"width": directives.unchanged, "height": directives.unchanged,
                       "align": directives.unchanged, "start_at": directives.unchanged}

        def run(self):
            site, page = _VIDEO_PAGES[self.name]
            url = page.format(self.arguments[0])
            link = nodes.reference(url, f"Watch on {site}", refuri=url)
            return [nodes.paragraph("", "", link)]

    class Thumbnail(Figure):  # Nikola's: the picture (the whole one), its content the caption
        option_spec = {**Image.option_spec, "figwidth": directives.unchanged,
                       "figclass": directives.class_option}

        def run(self):
            return Figure.run(self) if self.content else Image.run(self)

    def abbreviation(name, rawtext, text, lineno, inliner, options=None, content=None):
        found = _ABBREVIATION.match(text)
        shown, title = (found[1], found[2]) if found else (text, "")
        written = f'<abbr title="{html.escape(title)}">{html.escape(shown)}</abbr>' if title \
            else f"<abbr>{html.escape(shown)}</abbr>"  # docutils' writer drops the title
        return [nodes.raw(rawtext, written, format="html")], []

    def document(name, rawtext, text, lineno, inliner, options=None, content=None):
        found = _TITLED_TARGET.match(text)
        shown, url = (found[1], found[2]) if found else (text, text)
        return [nodes.reference(rawtext, shown, refuri=url)], []

    for name in ("code-block", "sourcecode"):
        directives.register_directive(name, CodeBlock)
    directives.register_directive("thumbnail", Thumbnail)
    for name in _VIDEO_PAGES:
        directives.register_directive(name, Video)
    roles.register_local_role("abbr", abbreviation)
    roles.register_local_role("doc", document)
