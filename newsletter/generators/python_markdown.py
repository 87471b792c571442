"""What a site's Python-Markdown extensions (Pelican's ``MARKDOWN``, Nikola's
``MARKDOWN_EXTENSIONS``, MkDocs's ``markdown_extensions``) turn on in the email's Markdown."""

from __future__ import annotations

from typing import Any

# pymdownx's marks and the extras each turns on (Dialect.extras, render/pymdown_marks.py)
_PYMDOWN_EXTRAS = {"mark": ("mark",), "caret": ("insert", "superscript"),
                   "tilde": ("delete", "subscript")}


def python_markdown_options(names: Any) -> dict[str, Any]:
    """The ``Dialect`` fields a site's Python-Markdown extensions (Pelican's, Nikola's,
    MkDocs's; ``smarty`` or ``markdown.extensions.smarty``) turn on, as its pages show them:
    smarty's curly quotes and dashes (straight without it), nl2br's line breaks, admonition's
    (and pymdownx.details') boxes, toc's ``[TOC]``, pymdownx.tabbed's tabs, md_in_html's (and
    extra's) Markdown in ``<div markdown>``, pymdownx.emoji's codes, pymdownx.mark's, .caret's
    and .tilde's marks, pymdownx.superfences' fenced code inside boxes and tabs,
    pymdownx.arithmatex's math as the LaTeX written."""
    last = {str(name).rpartition(".")[2] for name in names}
    marks = [_PYMDOWN_EXTRAS.get(str(name).removeprefix("pymdownx."), ()) for name in names]
    return {"extras": frozenset(extra for extras in marks for extra in extras),
            "smart_punctuation": "smarty" in last, "hard_wraps": "nl2br" in last,
            "admonitions": bool(last & {"admonition", "details"}),
            "toc_marker": "[TOC]" if "toc" in last else "", "tabs": "tabbed" in last,
            "nested_fences": "superfences" in last,
            "parse_block_html": bool(last & {"md_in_html", "extra"}), "emoji": "emoji" in last,
            "arithmatex": "arithmatex" in last}
