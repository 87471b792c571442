"""Python-Markdown's inline pass without its quadratic steps, so rendering stays near linear.

``markdown.treeprocessors.InlineProcessor.run`` (Markdown 3.x) takes its work from the front
of a list (``stack.pop(0)``) and finds each element with a tail among its siblings with
``list(parent).index(child)``. Each step costs time in proportion to the post, once per
element, so a post ten times longer took a hundred times longer to render
(bench/bench_render.py). :class:`LinearInlineProcessor` walks the tree in the same order with a
deque and a running index; the patterns, placeholders and everything else are the library's
own, so the HTML is the same (tests/test_render.py compares the two). Each text is weighed
before the patterns run on it (:mod:`newsletter.render.effort`): their own work is quadratic.

A link's or image's text ends at the ``]`` that closes its ``[``. Markdown 3.11 finds it with
a pass over the whole paragraph in Python, again after every link (each one changes the text):
a paragraph of a thousand links read a million characters per link. :func:`_link_text` looks
ahead from the ``[`` instead, and takes the library's pass only for a ``[`` still open after
:data:`LOOKAHEAD` brackets (where that pass, kept while nothing matches, is the faster).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import deque
from functools import partial

import markdown
from markdown import util
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import InlineProcessor

from newsletter.render.effort import InlineBudget

# The private helpers run() relies on; a Markdown without them keeps its own run().
_HELPERS = ("_InlineProcessor__handleInline", "_InlineProcessor__processPlaceholders",
            "_InlineProcessor__build_ancestors")
LOOKAHEAD = 64  # brackets read from a link's "[" before the library's whole-text pass
_BRACKET = re.compile(r"[\[\]]")


class LinearInlineProcessor(InlineProcessor):
    """``InlineProcessor`` whose ``run`` is linear in the number of elements."""

    budget = InlineBudget(float("inf"))  # each render's own, given by use_linear_inline

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The library's run(), step for step, but for the deque and the index (see above).
        handle_inline = self._InlineProcessor__handleInline
        process_placeholders = self._InlineProcessor__processPlaceholders
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {child: parent for parent in tree.iter() for child in parent}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        while stack:
            element, parents = stack.popleft()
            self.ancestors = parents
            if element is not tree:
                self.ancestors.append(element.tag.lower())
            insert_queue = []
            index = 0
            while index < len(element):  # live, as iterating the element is: tails are inserted
                child = element[index]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text, child.text = child.text, None
                    self.budget.text = text
                    found = process_placeholders(handle_inline(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    self.budget.text = child.tail
                    tail = handle_inline(child.tail)
                    holder = etree.Element("d")
                    child.tail = None
                    tail_result = process_placeholders(tail, holder, False)
                    if holder.tail:
                        child.tail = holder.tail
                    for new_child in reversed(tail_result):  # right after the child
                        self.parent_map[new_child[0]] = element
                        element.insert(index + 1, new_child[0])
                if len(child):
                    self.parent_map[child] = element
                    stack.append((child, self.ancestors[:]))
                index += 1
            for child, found in insert_queue:
                for position, item in enumerate(found):
                    child.insert(position, item[0])
        return tree


def use_linear_inline(md: markdown.Markdown, budget: InlineBudget | None = None
                      ) -> markdown.Markdown:
    """Swap every plain ``InlineProcessor`` registered on ``md`` (Markdown's own and the one
    the smarty extension adds) for a linear one with the same patterns, each pattern's match
    checked against ``budget``; returns ``md``."""
    if not all(hasattr(InlineProcessor, name) for name in _HELPERS):
        return md
    budget = budget or LinearInlineProcessor.budget
    for item in list(md.treeprocessors._priority):
        current = md.treeprocessors[item.name]
        if type(current) is InlineProcessor:
            linear = LinearInlineProcessor(md)
            linear.inlinePatterns, linear.budget = current.inlinePatterns, budget
            md.treeprocessors.register(linear, item.name, item.priority)
            for pattern in current.inlinePatterns:
                pattern.handleMatch = partial(_watched, pattern.handleMatch, budget)
                if isinstance(pattern, LinkInlineProcessor) and hasattr(pattern,
                                                                        "_findBracketEnds"):
                    pattern.getText = partial(_link_text, pattern)
    return md


def _watched(handle_match, budget: InlineBudget, *args):
    budget.check()
    return handle_match(*args)


def _link_text(pattern: LinkInlineProcessor, data: str, index: int) -> tuple[str, int, bool]:
    """``LinkInlineProcessor.getText``: the text from ``index`` (right after a ``[``) to the
    ``]`` that closes it, the index past it, and whether one does (module docstring)."""
    depth = 0
    for count, bracket in enumerate(_BRACKET.finditer(data, index)):
        if count == LOOKAHEAD:
            return type(pattern).getText(pattern, data, index)
        depth += 1 if bracket[0] == "[" else -1
        if depth < 0:
            return data[index:bracket.start()], bracket.end(), True
    return data[index:], len(data), False
