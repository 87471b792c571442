"""gatsby-theme-blog, the official Gatsby blog theme, as gatsby-starter-blog-theme lays a blog
out: the theme in gatsby-config's plugins with its basePath, posts in content/posts (.mdx and
.md, a folder per post with its picture), the avatar in content/assets. A post's address is
under basePath: its slug (from the root when it starts with a slash), else its path. The
text is this project's own."""

from __future__ import annotations

import json

from fake_providers import write_readers
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


def _blog(tmp_path, options: str):
    root = write_files(tmp_path / "kayak", {
        "gatsby-config.js": (
            "module.exports = {\n  plugins: [\n    {\n      resolve: `gatsby-theme-blog`,\n"
            f"      options: {options},\n    }},\n    `gatsby-plugin-sitemap`,\n  ],\n"
            "  siteMetadata: {\n    title: `Paddle Notes`,\n    author: `Ana`,\n"
            "    siteUrl: `https://paddle.example.org`,\n  },\n}\n"),
        "package.json": '{"dependencies": {"gatsby": "^5.0.0", "gatsby-theme-blog": "^4.0.0"}}',
        "content/assets/avatar.png": picture((10, 60, 90), "PNG"),
        "content/posts/estuary.mdx": ("---\ntitle: The Estuary\ndate: 2026-05-02\n---\n\n"
                                      "Against the tide, then with it.\n"),
        "content/posts/portage/index.md": (
            "---\ntitle: Portage\ndate: 2026-05-09\nslug: carrying-over\n---\n\n"
            "Over the weir on foot.\n\n![The boat on the path](./path.jpg)\n"),
        "content/posts/portage/path.jpg": picture((120, 110, 80)),
        "content/posts/open-water.md": ("---\ntitle: Open Water\ndate: 2026-05-16\n"
                                        "slug: /open-water\n---\n\nFlat calm.\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2000-01-01T00:00:00Z", max_posts_per_run="10")
    write_readers(root, ["reader@example.org"])
    return root


def test_posts_are_addressed_under_the_themes_base_path(tmp_path):
    """The emails linked /estuary/ and /carrying-over/, pages the blog does not have: the
    theme serves its posts under basePath."""
    root = _blog(tmp_path, '{ basePath: "/blog" }')
    urls = {post["file"]: (post["status"], post["url"])
            for post in json.loads(invoke(root, "posts", "--json").stdout)}
    assert urls == {
        "content/posts/estuary.mdx": ("ready", "https://paddle.example.org/blog/estuary/"),
        "content/posts/portage/index.md": ("ready",
                                           "https://paddle.example.org/blog/carrying-over/"),
        "content/posts/open-water.md": ("ready", "https://paddle.example.org/open-water/"),
    }
    assert invoke(root, "preview", "portage").exit_code == 0
    html = (root / "preview" / "carrying-over" / "email.html").read_text()  # by its slug
    assert 'src="images/' in html and 'alt="The boat on the path"' in html
    assert "https://paddle.example.org/blog/carrying-over/" in html
    result = invoke(root, "send", "--due", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("  would send ") == 3
    check = invoke(root, "check", "--json")
    assert [f for f in json.loads(check.stdout)["findings"] if f["severity"] == "error"] == []


def test_without_a_base_path_posts_are_at_the_root_and_content_path_is_read(tmp_path):
    root = _blog(tmp_path, '{ contentPath: "content/posts" }')
    urls = {post["file"]: post["url"]
            for post in json.loads(invoke(root, "posts", "--json").stdout)}
    assert urls["content/posts/estuary.mdx"] == "https://paddle.example.org/estuary/"
    assert urls["content/posts/portage/index.md"] == "https://paddle.example.org/carrying-over/"
