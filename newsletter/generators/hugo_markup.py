"""How a Hugo site's Goldmark shows Markdown (gohugo.io/configuration/markup), as the options of
the email's Markdown dialect (newsletter/render/dialects.py).

Hugo's defaults: raw HTML is not shown (``renderer.unsafe = false``: Goldmark writes
``<!-- raw HTML omitted -->`` in its place), the typographer sets quotes, dashes and ellipses
(``extensions.typographer.disable = false``; before Hugo 0.112 ``typographer`` was a bool), and
bare addresses are links (``extensions.linkify = true``).
"""

from __future__ import annotations

from typing import Any


def goldmark_options(config: dict[str, Any]) -> dict[str, bool]:
    """``raw_html``, ``smart_punctuation`` and ``autolinks`` as the site's ``[markup.goldmark]``
    (keys in lower case) sets them, Hugo's defaults otherwise."""
    goldmark = _table(_table(config, "markup"), "goldmark")
    extensions = _table(goldmark, "extensions")
    typographer = extensions.get("typographer", True)
    if isinstance(typographer, dict):
        typographer = typographer.get("disable") is not True
    return {"raw_html": _table(goldmark, "renderer").get("unsafe") is True,
            "smart_punctuation": typographer is not False,
            "autolinks": extensions.get("linkify", True) is not False}


def _table(table: dict[str, Any], key: str) -> dict[str, Any]:
    value = table.get(key)
    return value if isinstance(value, dict) else {}
