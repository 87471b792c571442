"""A reStructuredText post (Pelican's and Nikola's ``.rst``) as HTML, by docutils, the library
both generators render it with.

Sections start at ``<h2>`` (the post's title is the email's heading, as Pelican's
``initial_header_level`` has it), code blocks stay plain text (no highlighter's markup), and
``<aside>`` and ``<nav>`` (a sidebar, the contents) are ``<div>``, which every mail client
shows. A section's id (the one docutils makes of its title, as on the blog's page, where the
contents' links and `` `Title`_ `` lead) goes on its heading, where the Markdown path's heading
ids are, and its ``<section>`` goes; headings link back to the contents on the blog only.
docutils gets the CPU time Markdown gets (:func:`newsletter.render.effort.render_seconds`):
a post of dense markup, thousands of sections or substitutions that expand each other is
refused past it, naming the line docutils was reading.
Nothing is read from elsewhere: ``include`` and ``raw``'s ``:file:`` and ``:url:`` are turned
off, as a post must not mail a file of the machine: such a directive is an error naming its
line, as the email would lack what the blog's page shows. Pelican's and Nikola's own
directives are read as :mod:`newsletter.render.rst_directives` shows them. A mistake docutils
calls an error (an unknown directive: Nikola's ``.. gist::``, a Sphinx extension's) stops the
post, naming its line; its warnings (a title's underline too short) do not, as Pelican builds
the page.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import lxml.html

from newsletter.render.anchors import HEADINGS
from newsletter.render.cpu_deadline import OverDeadline, cpu_deadline
from newsletter.render.effort import render_seconds
from newsletter.render.rst_directives import register_blog_directives
from newsletter.render.rst_errors import RestructuredTextError

if TYPE_CHECKING:
    from types import TracebackType

_SETTINGS = {
    "file_insertion_enabled": False, "raw_enabled": True, "doctitle_xform": False,
    "docinfo_xform": False, "initial_header_level": 2, "syntax_highlight": "none",
    "report_level": 5, "halt_level": 3, "embed_stylesheet": False, "section_self_link": False,
    "toc_backlinks": "none",
    # :math: and .. math:: as the LaTeX written (code), as Markdown posts' math: docutils' own
    # HTML drawing of it needs its math.css, without which ∫ from 0 to 1 read "1∫0".
    "math_output": "LaTeX",
    "footnote_references": "superscript", "input_encoding": "unicode",
    "output_encoding": "unicode", "_disable_config": True,
}
_PLUGIN_HINT = ("newsletter reads docutils' own reStructuredText, and Pelican's and Nikola's "
                "code-block, sourcecode, abbr, doc, thumbnail, youtube and vimeo: write this "
                "without another plugin's or Sphinx's directive or role")
_FIX_HINT = "the blog's page shows this error too: fix the line"
_FILE_HINT = "write what it shows into the post itself"
# docutils' warnings for a directive turned off by file_insertion_enabled
_READS_FILE = re.compile(r'"(\S+)" directive disabled|File and URL access deactivated; '
                         r'ignoring "(\S+)" directive')
_TOO_LONG = re.compile(r"Line (\d+) exceeds the line-length-limit")
_LONG_HINT = "break it into lines of fewer than 10,000 characters, as docutils reads no longer"
_SYSTEM_MESSAGE = re.compile(r"^<string>:(\d*): \((\w+)/\d\) (.*?)\s*$", re.MULTILINE)
_COSTLY_HINT = ("simplify the markup from that line: split long paragraphs, tables and lists, "
                "give each section a title of its own, let no substitution expand others")


def restructured_html(source: str) -> str:
    """``source``, reStructuredText, as an HTML fragment."""
    from docutils.core import publish_parts  # tens of ms to import: only for such posts
    from docutils.utils import SystemMessage

    register_blog_directives()
    seconds = render_seconds(source)
    file_reads: list = []
    try:
        with cpu_deadline(seconds):
            parts = publish_parts(source, parser=_parser_noting(file_reads),
                                  writer_name="html5", settings_overrides={
                                      **_SETTINGS, "warning_stream": io.StringIO()})
    except OverDeadline as error:
        raise RestructuredTextError(
            f"reStructuredText too costly to render: docutils took over {seconds:.1f} s of CPU "
            f"reading {len(source):,} characters", _line_read(error.__traceback__),
            _COSTLY_HINT) from None
    except RecursionError:  # thousands of nested blocks: no post nests so
        raise RestructuredTextError("reStructuredText nested too deeply to be read", 1,
                                    "write it with fewer blocks inside blocks") from None
    except SystemMessage as error:
        found = _SYSTEM_MESSAGE.search(str(error))
        what = found[3].rstrip(".") if found else str(error)
        too_long = _TOO_LONG.match(what)
        line = int(found[1]) if found and found[1] else int(too_long[1]) if too_long else 1
        raise RestructuredTextError(
            f"reStructuredText {found[2].lower() if found else 'error'}: {what}", line,
            _PLUGIN_HINT if what.startswith("Unknown") else _LONG_HINT if too_long
            else _FIX_HINT) from None
    if file_reads:
        found = _READS_FILE.search(file_reads[0].astext())
        raise RestructuredTextError(
            f"reStructuredText {found[1] or found[2]} reads another file, which newsletter never "
            "puts into an email", file_reads[0].get("line") or 1, _FILE_HINT)
    root = lxml.html.fragment_fromstring(parts["fragment"], create_parent="div")
    for block in root.iter("aside", "nav"):
        block.tag = "div"
    for note in root.xpath("//*[@class='label']/.."):
        _label_in_line(note)
    for entry in root.xpath("//*[@role='doc-biblioentry']"):
        entry.set("role", "listitem")  # of its role="list": axe-core refuses the deprecated role
    for latex in root.find_class("math"):
        if latex.tag == "tt":  # HTML 4's code
            latex.tag = "code"
        elif latex.tag == "pre" and latex.text and len(latex) == 0:
            latex.text = latex.text.strip("\n")  # docutils writes it between newlines
    for section in list(root.iter("section")):
        _give_heading_id(section)
    for item in root.xpath("//*[contains(concat(' ', @class, ' '), ' simple ')]/li"):
        if len(item) == 1 and item[0].tag == "p" and not (item.text or "").strip():
            item[0].drop_tag()  # a list of one-line items: no gap between them
    return lxml.html.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")]


def _parser_noting(file_reads: list):
    """docutils' reStructuredText parser, noting in ``file_reads`` each directive left out for
    reading a file or URL (its warning, which the post's page would not show)."""
    from docutils.parsers.rst import Parser

    class NotingParser(Parser):
        def parse(self, inputstring, document):
            document.reporter.attach_observer(
                lambda message: _READS_FILE.search(message.astext()) and file_reads.append(message))
            super().parse(inputstring, document)

    return NotingParser()


def _label_in_line(note: lxml.html.HtmlElement) -> None:
    """A footnote's or citation's "[1]" at the start of its first paragraph: docutils' CSS
    sets them side by side, and without it (an email) the label stood on a line of its own."""
    label = note[0]
    first = label.getnext()
    if label.get("class") != "label" or first is None or first.tag != "p":
        return
    label.tail = " " + (first.text or "")
    first.text = None
    first.insert(0, label)


def _give_heading_id(section: lxml.html.HtmlElement) -> None:
    """Move ``section``'s id to its heading, and its content out of it."""
    heading = next((child for child in section if child.tag in HEADINGS), None)
    if heading is not None and section.get("id") and not heading.get("id"):
        heading.set("id", section.get("id"))
        del section.attrib["id"]
    if not section.attrib:
        section.drop_tag()
    else:
        section.tag = "div"


def _line_read(trace: TracebackType | None) -> int:
    """The line of the post docutils was at when it was stopped: its parser's innermost
    ``lineno``, or the line of the innermost node a transform or the writer was at; 1 if
    none."""
    line = 1
    while trace is not None:
        frame = trace.tb_frame
        if frame.f_globals.get("__name__", "").startswith("docutils."):
            found = [frame.f_locals.get("lineno"), *(getattr(value, "line", None)
                                                     for value in frame.f_locals.values())]
            line = next((each for each in found if isinstance(each, int) and each > 0), line)
        trace = trace.tb_next
    return line
