"""Docusaurus sites with more than one blog (docusaurus.io/docs/blog#multiple-blogs): the classic
preset's blog and a second ``@docusaurus/plugin-content-blog`` instance with its own ``id``,
``path`` and ``routeBasePath``. Every instance's posts are read, each under its own address."""

from __future__ import annotations

import json

from generator_sites import write_files

from conftest import invoke

CONFIG = """import type {Config} from '@docusaurus/types';

const config: Config = {
  title: 'Lantern Works',
  url: 'https://lantern.example.dev',
  baseUrl: '/',
  presets: [
    ['classic', {docs: false, blog: {showReadingTime: true}}],
  ],
  plugins: [
    [
      '@docusaurus/plugin-content-blog',
      {
        id: 'notes',
        path: './field-notes',
        routeBasePath: 'notes',
        blogSidebarTitle: 'All notes',
      },
    ],
  ],
};

export default config;
"""


def test_the_posts_of_every_blog_instance_are_read_each_under_its_own_address(tmp_path):
    """Before, only the preset's blog/ was read: the field notes were never found."""
    root = write_files(tmp_path / "lantern", {
        "docusaurus.config.ts": CONFIG,
        "blog/2024-02-11-wicks.md": "---\ntitle: Wicks\n---\n\nTrimmed short.\n",
        "field-notes/2024-03-02-oil/index.md": "---\ntitle: Oil\n---\n\nLamp oil, sorted.\n",
        "field-notes/_draft-ideas.md": "---\ntitle: Ideas\n---\n\nLater.\n",
    })
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert "posts in blog, field-notes (the folders of its 2 blogs), 2 posts, 1 page" \
        in result.output
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    posts = {item["file"]: item for item in json.loads(result.stdout)}
    assert {file: (post["status"], post["url"]) for file, post in posts.items()
            if post["status"] != "page"} == {
        "blog/2024-02-11-wicks.md": ("ready", "https://lantern.example.dev/blog/2024/02/11/wicks"),
        "field-notes/2024-03-02-oil/index.md": (
            "ready", "https://lantern.example.dev/notes/2024/03/02/oil"),
    }
    assert posts["field-notes/_draft-ideas.md"]["status"] == "page"  # a partial, as in blog/
    assert posts["blog/2024-02-11-wicks.md"]["id"] != posts[
        "field-notes/2024-03-02-oil/index.md"]["id"]


def test_a_preset_blog_turned_off_leaves_only_the_plugins_blogs(tmp_path):
    """``blog: false`` in the preset: blog/ (left from the template) is not a blog any more."""
    root = write_files(tmp_path / "quay", {
        "docusaurus.config.js": CONFIG.replace("blog: {showReadingTime: true}", "blog: false")
        .replace("import type {Config} from '@docusaurus/types';\n", "")
        .replace("const config: Config", "const config"),
        "blog/2019-05-28-welcome.md": "---\ntitle: Welcome\n---\n\nTemplate.\n",
        "field-notes/2024-03-02-oil.md": "---\ntitle: Oil\n---\n\nLamp oil.\n",
    })
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert "posts in field-notes (the blog plugin's folder), 1 post" in result.output
    result = invoke(root, "posts", "--json")
    posts = {item["file"]: item for item in json.loads(result.stdout)}
    assert set(posts) == {"field-notes/2024-03-02-oil.md"}
    assert posts["field-notes/2024-03-02-oil.md"]["url"] == \
        "https://lantern.example.dev/notes/2024/03/02/oil"
