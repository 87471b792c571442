"""MkDocs Material blogs as writers keep them (posts named by date under docs/blog/posts, their
pictures in docs/blog/media, collapsible terminal boxes around fenced code, pymdownx's marks),
read from `init` on. The text is this project's own."""

from __future__ import annotations

import json

import lxml.html
from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

MKDOCS_YML = """\
site_name: Workshop Log
site_url: https://rook.example.io/log/
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - pymdownx.caret
  - pymdownx.mark
  - pymdownx.superfences
  - pymdownx.tilde
nav:
  - About: 'index.md'
  - Log: 'blog/index.md'
plugins:
  - blog:
      draft: false
  - search
theme:
  name: material
"""
POST = """\
---
date: 2024-12-03
categories:
 - blog
title: Moving the log
---

# Moving the log

Since [the first version](2023-09-21-first-log.md) it moved.

<!-- more -->

??? terminal "`$ mkdocs serve`"

    ``` console
    $ mkdocs serve

    INFO    -  Building documentation...
    ```

This is ==marked==, ^^added^^, ~~struck~~, H~2~O and x^2^.

![Side by side](../media/2024-12-03-moving/side.png)
"""


def test_a_material_blogs_boxed_code_and_marks_reach_the_email_as_the_page_shows_them(tmp_path):
    """A fence indented under `??? terminal` (pymdownx.superfences) was inline code with its
    language word in the text; ==, ^^, ~~, ~ and ^ (pymdownx.mark, .caret, .tilde) were shown
    as written."""
    root = write_files(tmp_path / "log", {
        "mkdocs.yml": MKDOCS_YML,
        "docs/index.md": "# About\n\nI fix things.\n",
        "docs/blog/index.md": "# Log\n",
        "docs/blog/posts/2024-12-03-moving.md": POST,
        "docs/blog/posts/2023-09-21-first-log.md": "---\ndate: 2023-09-21\n---\n\n# First\n\nHi.\n",
        "docs/blog/posts/2025-01-10-soon.md": "---\ndate: 2025-01-10\ndraft: true\n---\n\n# Soon\n",
        "docs/blog/media/2024-12-03-moving/side.png": picture((90, 20, 140), "PNG"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    listed = {item["file"].rpartition("/")[2]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)
              if "/posts/" in item["file"]}
    assert listed == {
        "2024-12-03-moving.md": ("ready", "https://rook.example.io/log/blog/2024/12/03/moving-the-log/"),
        "2023-09-21-first-log.md": ("ready", "https://rook.example.io/log/blog/2023/09/21/first/"),
        "2025-01-10-soon.md": ("draft", "https://rook.example.io/log/blog/2025/01/10/soon/")}
    result = invoke(root, "check", "/blog/posts/2024-12-03-moving")
    assert result.exit_code == 0, result.output
    assert invoke(root, "preview", "/blog/posts/2024-12-03-moving").exit_code == 0
    folder = root / "preview/2024-12-03-moving"
    html = lxml.html.fromstring((folder / "email.html").read_text())
    assert [code.text for code in html.iter("code") if "INFO" in (code.text or "")] == [
        "$ mkdocs serve\n\nINFO    -  Building documentation...\n"]
    marked = {element.tag: element.text_content() for element in html.iter(
        "mark", "ins", "del", "sub", "sup")}
    assert marked == {"mark": "marked", "ins": "added", "del": "struck", "sub": "2", "sup": "2"}
    text = (folder / "email.txt").read_text()
    assert "console" not in text and "==marked" not in text and "^" not in text
    assert "the first version\n<https://rook.example.io/log/blog/2023/09/21/first/>" in text \
        or "the first version <https://rook.example.io/log/blog/2023/09/21/first/>" in text
    assert len(list(html.iter("img"))) == 1


def test_the_plugins_draft_setting_publishes_drafts_so_they_are_mailed(tmp_path):
    """A standalone Material blog (blog_dir: .) with the plugin's draft: true builds its drafts:
    they are on the blog and in its feed, but newsletter held them back as drafts for ever."""
    settings = ("site_name: Quiet Compiler\nsite_url: https://quiet.example.org\n"
                "theme:\n  name: material\nplugins:\n  - blog:\n      blog_dir: .\n{draft}")
    post = "---\ndate:\n  created: 2024-04-01\ndraft: true\n---\n\n# Half a thought\n\nMore.\n"
    statuses = {}
    for name, draft in (("built", "      draft: true\n"), ("kept", "")):
        root = write_files(tmp_path / name, {"mkdocs.yml": settings.format(draft=draft),
                                             "docs/index.md": "# Quiet\n",
                                             "docs/posts/half.md": post})
        assert invoke(root, "init").exit_code == 0
        statuses[name] = [(item["status"], item["url"]) for item in
                          json.loads(invoke(root, "posts", "--json").stdout)
                          if item["file"] == "docs/posts/half.md"]
    url = "https://quiet.example.org/2024/04/01/half-a-thought/"
    assert statuses == {"built": [("ready", url)], "kept": [("draft", url)]}


def test_arithmatex_math_is_the_latex_written_and_a_price_stays_text(tmp_path):
    """Material's math (pymdownx.arithmatex) was read as Markdown: `\\\\` became `\\`, `\\(` `(`,
    `\\[` `[`, and `x_i * y_i` could turn emphasis. Shown now as the LaTeX written, in code."""
    settings = MKDOCS_YML.replace("  - pymdownx.tilde\n",
                                  "  - pymdownx.tilde\n  - pymdownx.arithmatex:\n      generic: true\n")
    post = ("---\ndate: 2024-12-05\n---\n\n# Sums\n\nInline $x_i * y_i$ and \\(a^2 + b^2\\); "
            "it costs $5 or $10.\n\n$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n"
            "$$\n\n\\[\n\\sum_i i\n\\]\n\nThe end.\n")
    root = write_files(tmp_path / "log", {"mkdocs.yml": settings, "docs/index.md": "# About\n",
                                          "docs/blog/index.md": "# Log\n",
                                          "docs/blog/posts/sums.md": post})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    assert invoke(root, "preview", "sums").exit_code == 0
    html = lxml.html.fromstring((root / "preview/sums/email.html").read_text())
    assert [code.text for code in html.iter("code")] == [
        "x_i * y_i", "a^2 + b^2", "\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n",
        "\\sum_i i\n"]
    text = (root / "preview/sums/email.txt").read_text()
    assert "Inline x_i * y_i and a^2 + b^2; it costs $5 or $10.\n\n    \\begin{aligned}\n" in text
