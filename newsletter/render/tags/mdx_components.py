"""What an MDX post's components become in the email (docs/template-tags.md#mdx).

Tabs (Docusaurus's and Starlight's ``<Tabs>`` of ``<TabItem label="...">``, Nextra's
``<Tabs items={[...]}>`` of ``<Tabs.Tab>``) are labelled sections one after another, and the
note boxes (``<Callout>``, ``<Admonition>``, Starlight's ``<Aside>``, Mintlify's ``<Note>``,
``<Tip>``, ``<Warning>``...) their title or kind in bold, then their content; embeds
(``<YouTube>``, ``<Tweet>``...) links, as :mod:`newsletter.render.tags.mdx_embeds` says. Any other
component is the site's code: what it holds stays, without its tags, and one that holds nothing
is left out, each a warning at its line. Never a component's markup: its attributes are code.
"""

from __future__ import annotations

import re

from newsletter.render.tags.html import escape
from newsletter.render.tags.mdx_embeds import embed_html

TAB_GROUPS = frozenset({"Tabs"})
TABS = frozenset({"TabItem", "Tab", "Tabs.Tab"})
CALLOUTS = frozenset({"Callout", "Admonition", "Aside", "Note", "Tip", "Info", "Warning",
                      "Caution", "Danger", "Important", "Check"})
_TEXT_ATTRIBUTE = re.compile(r"""([A-Za-z]+)=(?:"([^"]*)"|'([^']*)'"""
                             r"""|\{\s*["'`]([^"'`]*)["'`]\s*\})""")
_ITEMS = re.compile(r"""\bitems=\{\s*\[([^\]]*)\]\s*\}""")
_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")


class Components:
    """The components of one post, read in order: which tab of which group comes next."""

    def __init__(self) -> None:
        self.groups: list[list] = []  # [items, tabs opened so far] of each open <Tabs>

    def opening(self, name: str, source: str) -> tuple[str, str | None]:
        """What the opening tag ``source`` of component ``name`` becomes, and the warning (a
        message) when it is shown only in part."""
        closed = source.endswith("/>")
        values = _values(source)
        if name in TAB_GROUPS:
            if not closed:
                items = _ITEMS.search(source)
                self.groups.append([[a or b for a, b in _STRING.findall(items[1])]
                                    if items else [], 0])
            return "\n\n", None
        if name in TABS:
            label = values.get("label") or values.get("title") or values.get("value") or ""
            if self.groups:
                group = self.groups[-1]
                group[1] += 1
                if not label and group[1] <= len(group[0]):
                    label = group[0][group[1] - 1]
            return _bold(label), None
        if name in CALLOUTS:
            kind = values.get("type") or (name if name not in ("Callout", "Admonition", "Aside")
                                          else "note")
            return _bold(values.get("title") or kind.capitalize()), None
        embed = embed_html(name, values)
        if embed:
            return embed, None
        if closed:
            return "", f"<{name}> is an MDX component the site's code draws; it is left out of " \
                       "the email"
        return "", f"<{name}> is an MDX component the site's code draws; the email shows what " \
                   "it holds without it"

    def closing(self, name: str) -> str:
        if name in TAB_GROUPS and self.groups:
            self.groups.pop()
        return "\n\n" if name in TAB_GROUPS or name in TABS or name in CALLOUTS else ""


def _values(source: str) -> dict[str, str]:
    """The attributes of an opening tag whose values are text: ``a="x"``, ``a={'x'}``."""
    return {found[1]: found[2] or found[3] or found[4] or ""
            for found in _TEXT_ATTRIBUTE.finditer(source)}


def _bold(label: str) -> str:
    """A label on a paragraph of its own, in bold; a paragraph break without one."""
    return f"\n\n<p><strong>{escape(label)}</strong></p>\n\n" if label.strip() else "\n\n"
