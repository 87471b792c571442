"""Eleventy and Gatsby blogs served under a path (``pathPrefix``): the addresses newsletter
mails are the ones the published blog answers at, in this project's own words."""

from __future__ import annotations

import json

import pytest
from generator_sites import write_files

from conftest import invoke

ELEVENTY_POST = "---\ntitle: Spring tides\ndate: 2026-03-20\n---\n\nHigh water at noon.\n"


def post_urls(root) -> dict[str, str]:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {post["file"]: post["url"] for post in json.loads(result.output)}


@pytest.mark.parametrize("url", ["https://tides.example.org/", "https://tides.example.org/log/"])
def test_an_eleventy_blog_under_path_prefix_mails_the_addresses_it_is_served_at(tmp_path, url):
    """Eleventy writes _site/posts/spring-tides/ and the blog is deployed under pathPrefix
    (/log/posts/spring-tides/): the email linked /posts/spring-tides/, a page the host does
    not have. An address in _data/metadata.js that holds the prefix already is not doubled."""
    root = write_files(tmp_path / "tides", {
        "eleventy.config.mjs": ("export default async function (eleventyConfig) {}\n"
                                'export const config = {\n  dir: { input: "content" },\n'
                                '  pathPrefix: "/log/",\n};\n'),
        "content/_data/metadata.json": json.dumps({"title": "Tide Log", "url": url}),
        "content/posts/posts.json": '{"tags": ["posts"], "layout": "post.njk"}',
        "content/posts/spring-tides.md": ELEVENTY_POST,
    })
    assert invoke(root, "init").exit_code == 0
    assert 'url = "https://tides.example.org/log"' in (root / "newsletter.toml").read_text()
    assert post_urls(root)["content/posts/spring-tides.md"] == \
        "https://tides.example.org/log/posts/spring-tides/"


GATSBY_CONFIG = """\
module.exports = {
  pathPrefix: `/frost`,
  siteMetadata: {
    title: `Frost Notes`,
    author: { name: `A. Field`, summary: `who watches the weather.` },
    siteUrl: `https://notes.example.org/`,
  },
  plugins: [
    {
      resolve: `gatsby-source-filesystem`,
      options: { path: `${__dirname}/content/blog`, name: `blog` },
    },
  ],
}
"""
GATSBY_POST = "---\ntitle: First frost\ndate: \"2026-11-02T07:00:00.000Z\"\n---\n\nWhite lawn.\n"
PACKAGE = '{"scripts": {"build": "gatsby build%s"}, "dependencies": {"gatsby": "^5.13.0"}}'
PAGES_WORKFLOW = """\
jobs:
  build:
    steps:
      - name: Build with Gatsby
        env:
          PREFIX_PATHS: 'true'
        run: npm run build
"""


@pytest.mark.parametrize("files, address", [
    ({"package.json": PACKAGE % " --prefix-paths"}, "https://notes.example.org/frost/"),
    ({"package.json": PACKAGE % "", ".github/workflows/gatsby.yml": PAGES_WORKFLOW},
     "https://notes.example.org/frost/"),
    ({"package.json": PACKAGE % ""}, "https://notes.example.org/"),
])
def test_a_gatsby_blog_is_under_path_prefix_where_its_build_prefixes_paths(
        tmp_path, files, address):
    """Gatsby puts pathPrefix before every page only when built with --prefix-paths (or
    PREFIX_PATHS, as GitHub Pages' Gatsby workflow sets it), else it ignores it: the email
    linked /first-frost/ of a blog served at /frost/first-frost/."""
    root = write_files(tmp_path / "frost", {
        "gatsby-config.js": GATSBY_CONFIG,
        "content/blog/first-frost/index.md": GATSBY_POST,
        **files,
    })
    assert invoke(root, "init").exit_code == 0
    assert f'url = "{address.rstrip("/")}"' in (root / "newsletter.toml").read_text()
    assert post_urls(root)["content/blog/first-frost/index.md"] == address + "first-frost/"
