"""Astro posts written in Markdoc (@astrojs/markdoc's ``.mdoc``): Markdown whose tags are
``{% name key="value" /%}``, or a pair closed by ``{% /name %}``; the site's markdoc.config
renders them with astro-embed's components, which the email shows as links."""

from __future__ import annotations

import json

from generator_sites import blog_after_init

from conftest import invoke

POST = """\
---
title: Shiny buttons
description: A hover effect.
date: 2023-05-02
---

The talk:

{% youtube id="dQw4w9WgXcQ" /%}

What the team said:

{% tweet id="https://twitter.com/lantern/status/1512144306898976768" %}
{% /tweet %}

Try it: {% codepen url="https://codepen.io/lantern/pen/abcDEF" defaultTab="css" /%}

The end.
"""

FILES = {
    "astro.config.mjs": "import markdoc from '@astrojs/markdoc';\n"
                        "export default { site: 'https://lantern.example.dev', "
                        "integrations: [markdoc()] };\n",
    "package.json": '{"dependencies": {"astro": "^4.0.0", "@astrojs/markdoc": "^0.11.0"}}',
    "src/content/config.ts": "import { defineCollection } from 'astro:content';\n"
                             "export const collections = { blog: defineCollection({}) };\n",
    "src/pages/blog/[...slug].astro": "---\n---\n",
    "src/content/blog/shiny-buttons/index.mdoc": POST,
}


def test_a_markdoc_post_is_listed_and_its_embed_tags_are_links(tmp_path):
    root = tmp_path / "lantern"
    blog_after_init(root, FILES)
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(post["status"], post["title"]) for post in listed] == [("ready", "Shiny buttons")]
    result = invoke(root, "check", "shiny-buttons")
    assert "template-syntax" not in result.output, result.output
    assert invoke(root, "preview", "shiny-buttons").exit_code == 0
    text = (root / "preview" / "shiny-buttons" / "email.txt").read_text()
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in text
    assert "View the post by @lantern on X" in text
    assert "https://codepen.io/lantern/pen/abcDEF" in text
    assert "{%" not in text and "The end." in text
