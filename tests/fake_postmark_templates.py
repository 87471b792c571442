"""Postmark's templates in the fake API: the template store and Mustachio's rendering.

Only what Mustachio does with the constructs a template can hold is rendered; anything else
(sections, partials, ``{{#each}}``) is refused, so a template newsletter makes that used one
would fail its test instead of rendering wrongly. Mustachio finds tags with the regular
expression ``([{]{2}[^{}]+?[}]{2})|([{]{3}[^{}]+?[}]{3})`` (its Tokenizer.cs); ``{{{x}}}`` and
``{{& x}}`` insert the value as it is, ``{{! x}}`` is a comment, ``{{x}}`` inserts it
HTML-encoded (.NET's HtmlEncode: ``< > & " '`` and characters 160-255 as entities). A name
the model lacks renders as nothing.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_TAG = re.compile(r"([{]{2}[^{}]+?[}]{2})|([{]{3}[^{}]+?[}]{3})")
_PATH = re.compile(r"^[\w./]+$")


class UnsupportedTemplate(ValueError):
    """A construct this fake does not render (the test would otherwise pass by accident)."""


def html_encode(value: str) -> str:
    """.NET's WebUtility.HtmlEncode, as Mustachio applies it to ``{{x}}``."""
    out = []
    for char in value:
        if char in "<>&\"'":
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;",
                        "'": "&#39;"}[char])
        elif 160 <= ord(char) <= 255:
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def render(template: str, model: dict[str, Any]) -> str:
    """``template`` filled with ``model`` as Mustachio fills it (for the constructs above)."""
    out = []
    for text, name, raw in _pieces(template):
        out.append(text)
        if name is not None:
            value = model.get(name)
            value = "" if value is None else str(value)
            out.append(value if raw else html_encode(value))
    return "".join(out)


@functools.lru_cache(maxsize=32)
def _pieces(template: str) -> tuple[tuple[str, str | None, bool], ...]:
    """``template`` cut at its tags, once for all its messages: (the text before a tag, the
    name the tag inserts or None for a comment or the end, whether it inserts it raw)."""
    pieces, last = [], 0
    for match in _TAG.finditer(template):
        text, last = template[last:match.start()], match.end()
        tag = match.group(0)
        if tag.startswith("{{!"):
            pieces.append((text, None, False))
            continue
        raw = tag.startswith("{{{") or tag.startswith("{{&")
        name = tag.strip("{}").lstrip("&").strip()
        if tag[2] in "#/^>" or not _PATH.match(name) or "." in name:
            raise UnsupportedTemplate(f"template tag {tag!r}")
        pieces.append((text, name, raw))
    pieces.append((template[last:], None, False))
    return tuple(pieces)


class Templates:
    """A server's templates by alias (Postmark: at most 100 a server)."""

    LIMIT = 100

    def __init__(self):
        self.by_alias: dict[str, dict] = {}
        self.ids = itertools.count(1000)
        self.created = 0  # every POST that made one
        self.removed = 0

    def answer(self, method: str, path: str, payload: Any) -> tuple[int, dict, Any] | None:
        """The answer to a /templates request, or None when ``path`` is not one."""
        url = urlsplit(path)
        if url.path == "/templates" and method == "GET":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            count, offset = int(query.get("Count", 100)), int(query.get("Offset", 0))
            listed = [{"TemplateId": t["TemplateId"], "Name": t["Name"], "Alias": t["Alias"],
                       "Active": True, "TemplateType": "Standard"}
                      for t in self.by_alias.values()]
            return 200, {}, {"TotalCount": len(listed), "Templates": listed[offset:offset + count]}
        if url.path == "/templates" and method == "POST":
            problem = self._problem(payload)
            if problem:
                return 422, {}, {"ErrorCode": 1122, "Message": problem}
            if payload["Alias"] in self.by_alias:
                return 422, {}, {"ErrorCode": 1122, "Message": "alias already in use"}
            if len(self.by_alias) >= self.LIMIT:
                return 422, {}, {"ErrorCode": 1105, "Message": "template limit exceeded"}
            template = {**payload, "TemplateId": next(self.ids)}
            self.by_alias[payload["Alias"]] = template
            self.created += 1
            return 200, {}, {"TemplateId": template["TemplateId"], "Name": template["Name"],
                             "Alias": template["Alias"], "Active": True}
        if url.path.startswith("/templates/"):
            alias = unquote(url.path.removeprefix("/templates/"))
            if alias not in self.by_alias:
                return 422, {}, {"ErrorCode": 1101, "Message": "template not found"}
            if method == "DELETE":
                del self.by_alias[alias]
                self.removed += 1
                return 200, {}, {"ErrorCode": 0, "Message": f"Template {alias} removed."}
            if method == "PUT":
                problem = self._problem({**self.by_alias[alias], **payload})
                if problem:
                    return 422, {}, {"ErrorCode": 1122, "Message": problem}
                self.by_alias[alias].update(payload)
                return 200, {}, {"TemplateId": self.by_alias[alias]["TemplateId"],
                                 "Alias": alias, "Active": True}
            if method == "GET":
                return 200, {}, self.by_alias[alias]
        return None

    @staticmethod
    def _problem(payload: Any) -> str | None:
        if not isinstance(payload, dict):
            return "body is not a JSON object"
        for field in ("Name", "Alias", "Subject"):
            if not isinstance(payload.get(field), str) or not payload[field]:
                return f"{field} is required"
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]*", payload["Alias"]):
            return "Alias: letters, digits, '.', '-' and '_', starting with a letter"
        if not (payload.get("HtmlBody") or payload.get("TextBody")):
            return "HtmlBody or TextBody is required"
        try:
            for field in ("Subject", "HtmlBody", "TextBody"):
                render(payload.get(field) or "", {})
        except UnsupportedTemplate as error:
            return str(error)
        return None

    def rendered(self, message: dict) -> tuple[str, str, str]:
        """(subject, html, text) of one templated message."""
        template = self.by_alias[message["TemplateAlias"]]
        model = message.get("TemplateModel") or {}
        return tuple(render(template.get(field) or "", model)
                     for field in ("Subject", "HtmlBody", "TextBody"))
