"""A Starlight documentation site with the starlight-blog plugin: its blog is the docs'
blog/ folder (or the plugin's prefix), served from the site's root. The site is this
project's own, laid out as starlight-blog's documentation describes."""

from __future__ import annotations

import json

import lxml.html
import pytest
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke

CONFIG = """\
import starlight from '@astrojs/starlight'
import { defineConfig } from 'astro/config'
import starlightBlog from 'starlight-blog'

export default defineConfig({
  site: 'https://kelp.example.dev',
  integrations: [
    starlight({
      plugins: [starlightBlog(%s)],
      title: 'Kelp Docs',
    }),
  ],
})
"""
COLLECTIONS = """\
import { docsLoader } from '@astrojs/starlight/loaders'
import { docsSchema } from '@astrojs/starlight/schema'
import { blogSchema } from 'starlight-blog/schema'

export const collections = {
  docs: defineCollection({
    loader: docsLoader(),
    schema: docsSchema({ extend: (context) => blogSchema(context) }),
  }),
}
"""
POST = """\
---
title: Holdfasts
date: 2026-03-01
excerpt: How kelp keeps its grip in a storm.
cover:
  alt: A holdfast on a rock
  image: ../../../../assets/holdfast.jpg
---

Kelp grips the rock with a holdfast, not roots.
"""


@pytest.mark.parametrize("options, folder", [("", "blog"), ("{ prefix: 'news' }", "news")])
def test_the_starlight_blog_is_the_posts_and_the_docs_are_pages(tmp_path, options, folder):
    """init took every docs page for a post (the guides had no date: broken) and linked the
    post at /docs/blog/holdfasts/; the blog has it at /blog/holdfasts/."""
    root = write_files(tmp_path / "kelp", {
        "astro.config.mjs": CONFIG % options,
        "src/content.config.ts": COLLECTIONS,
        f"src/content/docs/{folder}/2026/holdfasts.md": POST,
        "src/content/docs/guides/install.md": "---\ntitle: Install\n---\n\nRun it.\n",
        "src/assets/holdfast.jpg": picture((30, 90, 40)),
    })
    result = invoke(root, "init")
    assert f"posts in src/content/docs/{folder} (the starlight-blog plugin), 1 post, 1 page" \
        in result.output
    assert "title = \"Kelp Docs\"" in (root / "newsletter.toml").read_text()
    posts = {post["file"]: post for post in json.loads(invoke(root, "posts", "--json").output)}
    post = posts[f"src/content/docs/{folder}/2026/holdfasts.md"]
    assert (post["status"], post["url"]) == \
        ("ready", f"https://kelp.example.dev/{folder}/2026/holdfasts/")
    assert posts["src/content/docs/guides/install.md"]["status"] == "page"
    fill_in_settings(root)
    assert invoke(root, "preview", "holdfasts").exit_code == 0
    email = lxml.html.fromstring(next((root / "preview").glob("*holdfasts/email.html"))
                                 .read_text())
    assert [img.get("alt") for img in email.iter("img")] == ["A holdfast on a rock"]
    assert "How kelp keeps its grip in a storm." in email.text_content()
