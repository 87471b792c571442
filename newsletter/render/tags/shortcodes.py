"""Reading a post's shortcodes, for the expander (expand.py) that mixes this in: Hugo's, and
the site's own written as Liquid tags (a plugin's, Eleventy's, Zola's with a body).

A Hugo shortcode is read whole when its content is code or a template (``highlight``, a
diagram, an inline shortcode), expanded in its place when it has a handler, or opened as a
frame when its content is Markdown the rest of the post's reading expands (``details``, note
boxes, tabs, a theme's own shortcode), to be wrapped when its closing tag comes. A shortcode or
tag of the site's that newsletter does not know keeps its content, or is left out when it has
none, with a warning (themes.py).
"""

from __future__ import annotations

import bisect
import re
import shlex
from dataclasses import replace

from newsletter.records import record
from newsletter.render.tags import (blowfish_cards, hexo, hugo, inline_elements, liquid, nikola,
                                    theme_embeds, theme_pieces, theme_players, themes, zola)
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.mdx_embeds import embed_html
from newsletter.render.tags.syntax import Tag, TagProblem

# Every closing shortcode, {{< /name >}} or {{% /name %}}: where a theme's own one closes; and
# every closing tag written as Liquid's, {% endname %} (Eleventy's paired shortcodes, Liquid
# plugins' blocks) or Zola's {% end %}, keyed "%endname".
_CLOSING = re.compile(r"\{\{[<%]\s*/\s*([A-Za-z0-9_][\w./-]*)\s*[>%]\}\}"
                      r"|\{%-?\s*(end\w*)\s*-?%\}|\{%-?\s*/(\w+)\s*-?%\}")  # Markdoc's {% /x %}


def _blockquote(tag: Tag) -> tuple[str, str]:
    """Tranquilpeak's ``{{< blockquote "author[, source]" "link" "link title" >}}``, Hexo's
    tag ported to Hugo: a block quote ending in its attribution, as Hexo's (``author``,
    ``link`` and ``title`` by name too)."""
    words = tag.positional or tuple(filter(None, map(tag.get, ("author", "link", "title"))))
    return hexo.quote_around(replace(tag, body=shlex.join(words)))


# What goes before and after the content of a shortcode whose content is Markdown.
_AROUND = {**hugo.CONTENT_SHORTCODES, "blockquote": _blockquote,
           "timelineitem": blowfish_cards.timeline_item, "step": blowfish_cards.step}
# Framed shortcodes whose content, expanded, is then put in what they make (Hugo's quotes and
# note boxes, Nikola's thumbnail with its caption).
_WRAPPED = {**hugo.QUOTED_SHORTCODES, "thumbnail": nikola.thumbnail,
            **dict.fromkeys(inline_elements.ELEMENTS, inline_elements.element),
            "stat": blowfish_cards.stat, "marquee-item": blowfish_cards.marquee_item}
_HANDLERS = {**theme_players.SHORTCODES, **hugo.SHORTCODES,  # shortcodes made in their place
             **blowfish_cards.SHORTCODES, **theme_embeds.SHORTCODES,
             **theme_pieces.SHORTCODES, "media": nikola.media}
# Shortcodes whose content the frames hold: expanded Markdown, wrapped at the closing tag.
_FRAMED = (set(_AROUND) | set(_WRAPPED) | themes.TAB_GROUPS
           | themes.TABS | themes.BUTTONS | themes.LINKS)
# Framed shortcodes that may stand without a closing tag (Hugoplate's button).
_WITHOUT_CLOSING = themes.BUTTONS | inline_elements.ELEMENTS | {"stat"}


@record
class Frame:
    """A shortcode whose content is being read, until its closing tag."""

    tag: Tag
    out_index: int  # where its content begins in the output
    label: str = ""  # a tab's
    tabs: int = 0  # tabs opened in it so far


class ShortcodeReading:
    """The expander's reading of shortcodes; it uses the expander's text, code regions,
    output, frames and reports."""

    def _shortcode(self, tag: Tag) -> int:
        name = tag.name
        if tag.closing:
            return self._close(tag)
        group = self.frames[-1] if name in themes.TABS and self.frames and \
            self.frames[-1].tag.name in themes.TAB_GROUPS else None
        label = self._tab_label(tag, group) if name in themes.TABS else ""
        language = themes.tab_language(tag, group.tag if group else None) \
            if name in themes.TABS else None
        if hugo.encloses_text(name) or name in themes.SOURCES or language:
            return self._whole(tag, label, language)
        if name in _FRAMED:
            if tag.self_closing or name in themes.LINKS and tag.get("text") or \
                    name in inline_elements.ELEMENTS and inline_elements.words(tag) or \
                    name in hugo.QUOTED_SHORTCODES and tag.get("text") or \
                    name in _WITHOUT_CLOSING and not self._encloses(tag):
                self.out.append(self._without_content(tag))
            else:
                self.frames.append(Frame(tag, len(self.out), label))
            return tag.end
        handler = _HANDLERS.get(name)
        if handler is not None:
            return self._call(tag, lambda: handler(tag, self.context))
        code = themes.code_language(tag)
        if code is not None and not tag.self_closing and self._closing(name, tag.end):
            return self._whole(tag, "", code, theirs=True)
        if not tag.self_closing and self._closing(name, tag.end) is not None:
            if found := themes.warning(tag, True):  # none for a shortcode shown whole (rawhtml)
                self._report(tag.start, *found, warning=True)
            self.frames.append(Frame(tag, len(self.out)))  # its content stays; the tags go
            return tag.end
        return self._call(tag, lambda: themes.left_out(tag, self.context))

    def _whole(self, tag: Tag, label: str, language: str | None, theirs: bool = False) -> int:
        """A shortcode whose content is read as written, up to its closing tag: Hugo's own
        (highlight, comment, inline), or ``theirs`` (a theme's code, diagram or formula)."""
        name = tag.name
        theirs = theirs or name in themes.SOURCES or language is not None
        if tag.self_closing:
            end = None
        elif theirs:
            end = self._closing(name, tag.end)
        else:
            end = self._finder(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}").next(tag.end)
        if end is None:
            if name in themes.FURNITURE:  # {{< katex >}} alone loads the theme's script
                return tag.end
            return self._leave(tag.start, tag.end, TagProblem(
                f"{tag.quoted()} is never closed", f"close it with {{{{< /{name} >}}}}"))
        if name in hugo.DROPPED_SHORTCODES:  # {{% comment %}}
            return end.end()
        inner = self._code(tag.end, end.start(), "generated") \
            if name in hugo.CODE_SHORTCODES or theirs else self.text[tag.end:end.start()]
        if name not in themes.TABS and name not in themes.SOURCES and language is not None:
            return self._call(tag, lambda: themes.code_block(tag, language, inner), end.end())
        if language:
            return self._call(tag, lambda: themes.code_tab(label, language, inner), end.end())
        if name in themes.SOURCES:
            return self._call(tag, lambda: themes.source(tag, inner, self.context), end.end())
        return self._call(tag, lambda: hugo.enclosing(tag, inner), end.end())

    def _encloses(self, tag: Tag) -> bool:
        """Whether a shortcode that may stand alone (a button, Blowfish's stat) is closed before
        the next of its name opens: stats one after another, the last holding words."""
        closing = self._closing(tag.name, tag.end)
        return closing is not None and not re.compile(
            r"\{\{[<%]\s*" + re.escape(tag.name) + r"[\s>%]").search(self.text, tag.end,
                                                                  closing.start())

    def _without_content(self, tag: Tag) -> str:
        if tag.name in hugo.CONTENT_SHORTCODES:
            return hugo.without_content(tag)
        if tag.name in _WRAPPED:  # Archie's {{< callout text="..." >}}: its text inside
            return self._wrapped(tag, tag.get("text") or "")
        if tag.name in themes.BUTTONS:  # Hugoplate's: {{< button label="..." link="..." >}}
            return themes.button(tag, themes.button_text(tag), self.context)
        return themes.qr(tag, "") if tag.name in themes.LINKS else ""

    def _liquid_theirs(self, tag: Tag) -> int | None:
        """A tag written as Liquid's that is the site's own (a plugin's, an Eleventy or a Zola
        shortcode): with a closing tag, its content stays, without the tags; without, it is
        left out, or a link. None for Liquid's own tags and the ones newsletter shows."""
        name, body = tag.name, tag.body.startswith("(")  # {% note(kind="tip") %}...{% end %}
        if self.open_blocks.get(name):  # the closing tag of one opened
            self.out.append(self.open_blocks[name].pop())
            return tag.end
        if body and not zola.CALL.fullmatch(name + tag.body):
            return None
        if not body and (name in liquid.LIQUID_TAGS or name in liquid.OWN_TAGS
                         or name.startswith("end")):
            return None
        closing = "end" if body else "end" + name
        shortcode = None if body else liquid.as_shortcode(tag, self.context)
        # an embed's (Markdoc's {% tweet id="..." /%} is astro-embed's <Tweet>): its link
        embed = shortcode and embed_html(name, dict(shortcode.named), any_case=True)
        closed_at = self._closing("%" + closing, tag.end)
        if closed_at and not body and not self.text[tag.end:closed_at.start()].strip():
            self.open_blocks.setdefault(closing, []).append("")  # nothing inside: one tag
        elif closed_at:
            before, after = zola.around(tag) if body else \
                (Output(embed), "") if embed else themes.liquid_around(tag, False)
            self.open_blocks.setdefault(closing, []).append(after)
            return self._call(tag, lambda: before)
        if body:
            return None
        return self._call(tag, lambda: Output(embed) if embed else
                          themes.left_out(shortcode, self.context, "the tag"))

    def _close(self, tag: Tag) -> int:
        if self.frames and self.frames[-1].tag.name == tag.name:
            frame = self.frames.pop()
            if tag.name in _WRAPPED:
                self.out.append(self._wrapped(frame.tag, self._take(frame.out_index)))
            elif tag.name in themes.BUTTONS:
                content = self._take(frame.out_index)
                self.out.append(themes.button(frame.tag, content, self.context))
            elif tag.name in themes.LINKS:
                self.out.append(themes.qr(frame.tag, self._take(frame.out_index)))
            else:
                before, after = self._around(frame)
                self._put_before(frame.out_index, before)
                self.out.append(after)
            return tag.end
        return self._leave(tag.start, tag.end, TagProblem(
            f"{tag.quoted()} closes a shortcode that was not opened", "remove it"))

    def _wrapped(self, tag: Tag, content: str) -> str:
        """What a wrapping shortcode makes of its expanded content; the content alone, and a
        report, where it cannot (Nikola's thumbnail of no picture)."""
        try:
            return _WRAPPED[tag.name](tag, content)
        except TagProblem as problem:
            self._report(tag.start, problem.message, problem.hint)
            return content

    @staticmethod
    def _around(frame: Frame) -> tuple[str, str]:
        """What goes before a framed shortcode's content and after it."""
        name = frame.tag.name
        if name in _AROUND:
            return _AROUND[name](frame.tag)
        if name in themes.TABS:
            return themes.tab_sections(frame.label)
        if name in themes.TAB_GROUPS:
            return "\n\n", "\n\n"
        return "", ""  # a theme's own: its content, where it was

    def _tab_label(self, tag: Tag, group: Frame | None) -> str:
        if group is not None:
            group.tabs += 1
        return themes.tab_label(tag, group.tag if group else None, group.tabs if group else 0)

    def _closing(self, name: str, pos: int) -> re.Match | None:
        """The first closing tag of ``name`` (``%endname`` for Liquid's) after ``pos`` outside
        code. The closing tags are found in one pass over the post, when first needed, whatever
        the number of names."""
        if self.closing_tags is None:
            self.closing_tags = {}
            for found in _CLOSING.finditer(self.text):
                at = bisect.bisect_right(self.region_starts, found.start()) - 1
                if at < 0 or found.start() >= self.regions[at].end:
                    key = found[1].lower() if found[1] else "%" + (found[2] or "end" + found[3])
                    self.closing_tags.setdefault(key, []).append(found)
        closings = self.closing_tags.get(name, [])
        at = bisect.bisect_left(closings, pos, key=lambda found: found.start())
        return closings[at] if at < len(closings) else None

    def _take(self, start: int) -> str:
        """The output from ``out[start]`` on, what was put before its pieces included."""
        pieces = [self.before.pop(index, "") + self.out[index]
                  for index in range(start, len(self.out))]
        del self.out[start:]  # at once: popping each piece went over the rest each time
        return "".join(pieces) + self.before.pop(start + len(pieces), "")
