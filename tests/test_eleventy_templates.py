"""Eleventy posts written as templates, not Markdown: ``.html``, ``.njk`` and ``.liquid`` posts
(HTML with template tags) are read and mailed as their Markdown posts are, their tags expanded;
an ``.11ty.js`` post (code) is listed as not read, never left out without a word. The layouts
in ``_includes/``, a feed template and the directory data file are none of these. Laid out as
eleventy-base-blog lays out a blog (content/ as the input folder, blog/blog.11tydata.js
tagging the posts); the text is this project's own."""

from __future__ import annotations

import json
import os

from fake_providers import write_readers
from generator_sites import fill_in_settings, write_files

from conftest import invoke

SITE = {
    "eleventy.config.js": ('export default async function (eleventyConfig) {}\n'
                           'export const config = { dir: { input: "content" } };\n'),
    "package.json": '{"dependencies": {"@11ty/eleventy": "^3.0.0"}}\n',
    "content/_data/metadata.js": ('export default {\n  title: "Lichen Walks",\n'
                                  '  url: "https://lichen.example.org/",\n  language: "en",\n};\n'),
    "content/_includes/layouts/post.njk": "<article>{{ content | safe }}</article>\n",
    "content/feed.njk": ("---\npermalink: /feed.xml\neleventyExcludeFromCollections: true\n---\n"
                         "<feed>{% for post in collections.posts %}{% endfor %}</feed>\n"),
    "content/blog.njk": "---\nlayout: layouts/base.njk\n---\n<ul></ul>\n",
    "content/blog/blog.11tydata.js": ('export default {\n  tags: ["posts"],\n'
                                      '  layout: "layouts/post.njk",\n};\n'),
    "content/blog/crustose.md": ("---\ntitle: Crustose\ndate: 2026-01-05\ndescription: Flat "
                                 "on the stone.\n---\n\nFlat, and slow.\n"),
    "content/blog/foliose.njk": (
        "---\ntitle: Foliose\ndate: 2026-02-10\ndescription: Leafy ones.\n---\n"
        "<p>Leafy, and lifting at the edges, on {{ metadata.title }}.</p>\n\n"
        "    <figure>\n      <p>Indented as templates are.</p>\n    </figure>\n"
        '<p>After <a href="/blog/crustose/">the crustose ones</a>.</p>\n'),
    "content/blog/fruticose.liquid": ("---\ntitle: Fruticose\ndate: 2026-03-01\n---\n"
                                      "<h2>Shrubby</h2>\n<p>Beard lichen: {{ title }}.</p>\n"),
    "content/blog/2026-03-20-squamulose.html": ("---\ntitle: Squamulose\n---\n"
                                                "<p>Scales, overlapping.</p>\n"),
    "content/blog/leprose.11ty.js": ('export const data = { title: "Leprose" };\n'
                                     'export function render() { return "<p>Dust.</p>"; }\n'),
}


def _blog(tmp_path):
    root = write_files(tmp_path / "lichen", SITE)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2000-01-01T00:00:00Z", max_posts_per_run="10")
    write_readers(root, ["reader@example.org"])
    return root


def test_template_posts_are_listed_with_their_addresses_and_code_named_as_not_read(tmp_path):
    root = _blog(tmp_path)
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert {item["file"]: (item["status"], item["url"]) for item in listed} == {
        "content/blog/crustose.md": ("ready", "https://lichen.example.org/blog/crustose/"),
        "content/blog/foliose.njk": ("ready", "https://lichen.example.org/blog/foliose/"),
        "content/blog/fruticose.liquid": ("ready", "https://lichen.example.org/blog/fruticose/"),
        "content/blog/2026-03-20-squamulose.html": (
            "ready", "https://lichen.example.org/blog/2026-03-20-squamulose/"),
        "content/blog/leprose.11ty.js": ("not-read", None),
    }
    dated = {item["file"]: item["date"] for item in listed}
    assert dated["content/blog/2026-03-20-squamulose.html"].startswith("2026-03-20")
    shown = invoke(root, "posts").stdout
    assert "not read: content/blog/leprose.11ty.js: JavaScript (an .11ty.js template)" in shown
    assert "blog.11tydata" not in shown and "_includes" not in shown and "feed" not in shown


def test_a_nunjucks_post_is_mailed_as_its_html_with_its_tags_expanded(tmp_path):
    root = _blog(tmp_path)
    result = invoke(root, "preview", "foliose")
    assert result.exit_code == 0, result.output
    html = (root / "preview" / "foliose" / "email.html").read_text()
    text = (root / "preview" / "foliose" / "email.txt").read_text()
    assert "Leafy, and lifting at the edges, on Lichen Walks." in text
    assert "Indented as templates are." in text and "<pre" not in html  # HTML, not code
    assert 'href="https://lichen.example.org/blog/crustose/"' in html
    assert "{{" not in html and "{{" not in text
    liquid = invoke(root, "preview", "fruticose")
    assert liquid.exit_code == 0, liquid.output
    assert "Beard lichen: Fruticose." in (root / "preview" / "fruticose" / "email.txt").read_text()


def test_check_and_a_dry_run_take_the_template_posts_as_posts(tmp_path):
    root = _blog(tmp_path)
    check = invoke(root, "check", "--json")
    assert [f for f in json.loads(check.stdout)["findings"] if f["severity"] == "error"] == []
    result = invoke(root, "send", "--due", "--dry-run")
    assert result.exit_code == 0, result.output
    sent = sorted(line.split()[2] for line in result.stdout.splitlines()
                  if line.startswith("  would send "))
    assert sent == ["/blog/2026-03-20-squamulose", "/blog/crustose", "/blog/foliose",
                    "/blog/fruticose"]


def test_naming_the_js_template_says_why_it_is_not_sent(tmp_path):
    root = _blog(tmp_path)
    result = invoke(root, "send", "leprose", "--to", "me@example.org")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: content/blog/leprose.11ty.js: written in JavaScript (an .11ty.js template), "
        "which newsletter does not read; newsletter sends posts written in Markdown: write the "
        "post in a .md file")


def test_last_modified_is_the_files_time_and_created_its_birth_time_where_kept(tmp_path):
    root = write_files(tmp_path / "dates", {
        "eleventy.config.js": "export default function (eleventyConfig) {}\n",
        "blog/blog.json": '{"tags": ["posts"]}',
        "blog/edited.md": "---\ntitle: Edited\ndate: Last Modified\n---\n\nText.\n",
        "blog/made.md": "---\ntitle: Made\ndate: Created\n---\n\nText.\n",
    })
    for name in ("edited.md", "made.md"):
        os.utime(root / "blog" / name, (1767225600, 1767225600))  # 2026-01-01T00:00Z
    assert invoke(root, "init").exit_code == 0
    dates = {post["file"]: post["date"]
             for post in json.loads(invoke(root, "posts", "--json").stdout)}
    assert dates["blog/edited.md"] == "2026-01-01T00:00:00+00:00"
    born = getattr((root / "blog" / "made.md").stat(), "st_birthtime", None)
    assert dates["blog/made.md"] == ("2026-01-01T00:00:00+00:00" if born is None else
                                     dates["blog/made.md"])


def test_template_formats_the_settings_leave_out_are_no_posts(tmp_path):
    """setTemplateFormats(["md", "njk"]): Eleventy builds neither the .liquid nor the .html
    file, nor the .11ty.js one."""
    files = {**SITE, "eleventy.config.js": (
        'export default async function (eleventyConfig) {\n'
        '  eleventyConfig.setTemplateFormats(["md", "njk"]);\n}\n'
        'export const config = { dir: { input: "content" } };\n')}
    root = write_files(tmp_path / "lichen", files)
    assert invoke(root, "init").exit_code == 0
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert sorted(item["file"] for item in listed) == ["content/blog/crustose.md",
                                                       "content/blog/foliose.njk"]
