"""Eleventy blogs as writers keep them (a posts folder whose directory data file computes the
posts' addresses, a list page written as an .11ty.js template beside them), read from `init`
on. The text is this project's own."""

from __future__ import annotations

import json

import pytest
from conftest import invoke
from generator_sites import write_files

POSTS_DATA = """\
// src/posts/posts.11tydata.js
module.exports = {
  layout: "post.njk",
  tags: ["posts"],
  eleventyComputed: {
    %s
    byline: (data) => data.byline || "Tom",
  },
};
"""
LIST_PAGE = """\
exports.data = { layout: "base.njk", eleventyExcludeFromCollections: true };
exports.render = function (data) {
  return `<ul>${data.collections.posts.map((p) => `<li>${p.data.title}</li>`).join("")}</ul>`;
};
"""


def hedgerow(root, permalink: str):
    return write_files(root, {
        "eleventy.config.js": 'module.exports = () => ({ dir: { input: "src" } });\n',
        "package.json": '{"dependencies": {"@11ty/eleventy": "^2.0.1"}}',
        "src/_data/metadata.json": '{"url": "https://tom.example.co.uk", "title": "Tom"}',
        "src/posts/posts.11tydata.js": POSTS_DATA % permalink,
        "src/posts/index.11ty.js": LIST_PAGE,
        "src/posts/2024-03-02-hedges.md": ("---\ntitle: Hedges in March\ndescription: White "
                                           "first.\n---\n\nBlackthorn before green.\n"),
    })


def listed(root) -> list[tuple[str, str | None, list[str]]]:
    assert invoke(root, "init").exit_code == 0
    return [(item["status"], item["url"], item["errors"])
            for item in json.loads(invoke(root, "posts", "--json").stdout)]


@pytest.mark.parametrize("permalink", [
    "permalink: (data) => `/writing/${data.page.fileSlug}/`,",
    "permalink(data) { return `/writing/${this.slugify(data.title)}/`; },",
])
def test_a_computed_permalink_of_the_datas_values_is_the_posts_address(tmp_path, permalink):
    """eleventyComputed's permalink returning one template literal was passed over: the email
    linked /posts/hedges/, while the blog publishes the post at /writing/hedges/ (or its
    slugged title). The list page beside it, an .11ty.js kept out of the collections, was
    listed as a post newsletter does not read."""
    root = hedgerow(tmp_path / "hedges", permalink)
    slug = "hedges" if "fileSlug" in permalink else "hedges-in-march"
    assert listed(root) == [("ready", f"https://tom.example.co.uk/writing/{slug}/", [])]


def test_a_computed_permalink_newsletter_cannot_read_stops_the_post(tmp_path):
    """A template literal of other code (the date's year worked out in JavaScript) is an
    error naming the data file, not a guessed address."""
    root = hedgerow(tmp_path / "hedges", "permalink: (data) => "
                    "`/${data.page.date.getFullYear()}/${data.page.fileSlug}/`,")
    [(status, url, errors)] = listed(root)
    assert (status, url) == ("broken", None)
    assert "the permalink of src/posts/posts.11tydata.js is code" in errors[0]


def test_a_computed_permalink_falls_back_as_the_blogs_code_does(tmp_path):
    """`this.slug(data.slug || data.page.fileSlug)`: a post's own slug, else its file's name,
    slugged; and a data file's permalink template naming a front matter value ({{ sub |
    slugify }}) reads the post's value, where it was an error."""
    root = write_files(tmp_path / "ink", {
        "eleventy.config.js": 'module.exports = () => ({ dir: { input: "src" } });\n',
        "package.json": '{"dependencies": {"@11ty/eleventy": "^2.0.1"}}',
        "src/_data/metadata.json": '{"url": "https://ink.example.org", "title": "Ink"}',
        "src/posts/posts.11tydata.js": (
            "module.exports = {\n\ttags: ['posts'],\n\televentyComputed: {\n"
            "\t\tpermalink: function (data) {\n"
            "\t\t\treturn `blog/${this.slug(data.slug || data.page.fileSlug)}/index.html`;\n"
            "\t\t},\n\t},\n};\n"),
        "src/posts/Nib Widths.md": "---\ntitle: Nibs\ndate: 2024-01-02\n---\n\nBroad.\n",
        "src/posts/iron-gall.md": ("---\ntitle: Iron gall\ndate: 2024-02-03\nslug: Oak Galls\n"
                                   "---\n\nBlack.\n"),
        "src/notes/notes.json": ('{"tags": "posts", "permalink": '
                                 '"/p/{{ sub | slugify }}/{{ title | slugify }}/"}'),
        "src/notes/quills.md": ("---\ntitle: Goose Quills\nsub: Tools Of Old\ndate: 2024-03-04\n"
                                "---\n\nCut.\n"),
    })
    assert sorted(url for _, url, _ in listed(root)) == [
        "https://ink.example.org/blog/nib-widths/", "https://ink.example.org/blog/oak-galls/",
        "https://ink.example.org/p/tools-of-old/goose-quills/"]


@pytest.mark.parametrize("feed", [
    {"src/feed.njk": "---\npermalink: /feed.xml\n---\n{% for post in collections._posts_en %}"
                     "<entry>{{ post.data.title }}</entry>{% endfor %}\n"},
    {"eleventy.config.js": (
        'const { feedPlugin } = require("@11ty/eleventy-plugin-rss");\n'
        "module.exports = (config) => {\n  config.addPlugin(feedPlugin, { outputPath: "
        '"/feed.xml", collection: { name: "_posts_en", limit: 10 } });\n'
        '  return { dir: { input: "src" } };\n};\n')},
])
def test_the_collection_the_feed_lists_is_the_posts(tmp_path, feed):
    """Posts tagged _posts_en (a collection named to stay out of the tag pages) were pages,
    even in the folder init said to name in [posts] dirs: the feed lists that collection, so
    its posts are the ones a reader gets, and the ones to mail."""
    root = write_files(tmp_path / "grid", {
        "eleventy.config.js": 'module.exports = () => ({ dir: { input: "src" } });\n',
        "package.json": '{"dependencies": {"@11ty/eleventy": "^2.0.1"}}',
        "src/_data/metadata.json": '{"url": "https://grid.example.com", "title": "Grid"}',
        "src/en/posts/posts.11tydata.js": "module.exports = { tags: ['_posts_en'] };\n",
        "src/en/posts/subgrid.md": "---\ntitle: Subgrid\ndate: 2024-01-02\n---\n\nAt last.\n",
        "src/en/about.md": "---\ntitle: About\n---\n\nMe.\n",
        **feed,
    })
    assert [(status, url) for status, url, _ in listed(root)] == [
        ("ready", "https://grid.example.com/en/posts/subgrid/"),
        ("page", "https://grid.example.com/en/about/")]
