"""The YAML loaders every YAML file of a blog is read with (front matter, settings files), each
bounded against text written to cost more than its size: nesting thousands deep, and merge
keys (``<<: [*a, *a, ...]``) that copy what they merge, each level several times the last.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# Values a YAML file may hold beyond one per character, once its aliases (*name) are expanded:
# nine lists of nine aliases each ("billion laughs") are 387 million values.
ALIAS_ALLOWANCE = 10_000
MAX_NESTING = 100  # lists and mappings inside each other; real settings need a handful
REPEATED_ANCHORS = "write the values out instead of repeating &anchors"  # the hint


class MergesTooMany(yaml.YAMLError):
    """Merge keys that copy more keys than the text could write out."""


class BoundedMerges:
    """A loader's mixin: merge keys copy at most one key per character of the text (and
    :data:`ALIAS_ALLOWANCE`). PyYAML flattens a merge into a copy of the keys it merges, so
    eleven levels of nine merges each (700 bytes) held billions: minutes, then memory."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.merges_left = len(stream) + ALIAS_ALLOWANCE

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        super().flatten_mapping(node)  # which calls this again for each mapping it merges
        self.merges_left -= len(node.value)
        if self.merges_left < 0:
            raise MergesTooMany("merge keys (<<) repeat more keys than the text holds")


# LibYAML's loader when installed, as Ruby's Psych (Jekyll) reads YAML: a tab after a colon is
# fine there, where PyYAML's own scanner stops.
class YamlLoader(BoundedMerges, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The loader of :func:`load_yaml`."""


class PythonYamlLoader(BoundedMerges, yaml.SafeLoader):
    """PyYAML's own loader: its recursion ends in RecursionError where LibYAML's crashes."""


class Yaml12Loader(PythonYamlLoader):
    """YAML 1.2's booleans, only true and false: ``no`` (Norwegian's language code), ``yes``,
    ``on`` and ``off`` are strings, as Go's YAML reads them for Hugo and js-yaml for Eleventy."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                   re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def load_yaml(text: str) -> Any:
    """``text`` read as YAML (:class:`YamlLoader`); RecursionError where ``[`` and ``{`` nest
    deeper than :data:`MAX_NESTING`: LibYAML crashes the process on thousands. Block style
    nests as deep (``- - - -``, two bytes a level), so text whose lines may open deeper than
    that is read by PyYAML's own loader, whose recursion ends in RecursionError, not a crash."""
    if yaml_nesting(text) > MAX_NESTING:
        raise RecursionError
    deep = _DEEP_LINE.search(text) is not None
    return yaml.load(text, Loader=PythonYamlLoader if deep else YamlLoader)  # noqa: S506


# A line whose indentation and block indicators (``- ``, ``? ``, ``: ``), which tell how deep
# its node may be, run past MAX_NESTING.
_DEEP_LINE = re.compile(rf"^[ \t?:-]{{{MAX_NESTING + 1}}}", re.MULTILINE)


def yaml_nesting(text: str) -> int:
    """How deep ``[`` and ``{`` nest in ``text`` (quotes not told apart: an upper bound)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest
