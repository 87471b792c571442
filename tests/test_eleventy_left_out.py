"""What Eleventy leaves out of a blog: templates left out of the posts collection
(11ty.dev/docs/collections: eleventyExcludeFromCollections true, or Eleventy 3's list naming
the collections, in the front matter or a directory data file), and the image transform's
eleventy:* attributes. The blog is this project's own."""

from __future__ import annotations

import json

import lxml.html
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


def test_a_post_left_out_of_the_posts_collection_is_a_page_never_mailed(tmp_path):
    """Eleventy 3's eleventyExcludeFromCollections: ["posts"] keeps a template out of the
    posts collection (the blog's list and feed), yet newsletter counted it a post and would
    mail it; a data file's setting covers its folder's templates the same way."""
    root = write_files(tmp_path / "moths", {
        "eleventy.config.js": 'export default function (eleventyConfig) {}\n',
        "_data/metadata.json": '{"title": "Moth Notes", "url": "https://moths.example.net/"}',
        "blog/blog.json": '{"tags": ["posts"]}',
        "blog/hawk-moth.md": "---\ntitle: Hawk-moth\ndate: 2026-06-01\n---\n\nPink.\n",
        "blog/trap-log.md": ('---\ntitle: Trap log\ndate: 2026-06-02\n'
                             'eleventyExcludeFromCollections: ["posts"]\n---\n\nCounts.\n'),
        "blog/other-list.md": ('---\ntitle: Also listed\ndate: 2026-06-03\n'
                               'eleventyExcludeFromCollections: ["sitemap"]\n---\n\nKept.\n'),
        "blog/notes/notes.json": '{"eleventyExcludeFromCollections": ["posts"]}',
        "blog/notes/raw.md": "---\ntitle: Raw notes\ndate: 2026-06-04\n---\n\nScribbles.\n",
    })
    assert invoke(root, "init").exit_code == 0
    posts = json.loads(invoke(root, "posts", "--json").output)
    status = {post["file"]: post["status"] for post in posts}
    assert status == {"blog/hawk-moth.md": "ready", "blog/other-list.md": "ready",
                      "blog/trap-log.md": "page", "blog/notes/raw.md": "page"}
    result = invoke(root, "send", "trap-log")
    assert result.exit_code != 0
    assert ('blog/trap-log.md: /blog/trap-log is a page (eleventyExcludeFromCollections: '
            '["posts"]), not a newsletter: not sent') in result.output


def test_the_image_transforms_instructions_are_left_out_of_the_email(tmp_path):
    """<img eleventy:ignore> and eleventy:widths tell eleventy-img's HTML transform what to
    do, and Eleventy takes them out of the page; the email carried them to every reader."""
    root = write_files(tmp_path / "moths", {
        "eleventy.config.js": 'export default function (eleventyConfig) {}\n',
        "_data/metadata.json": '{"title": "Moth Notes", "url": "https://moths.example.net/"}',
        "blog/blog.json": '{"tags": ["posts"]}',
        "blog/tiger/index.md": ('---\ntitle: Garden tiger\ndate: 2026-06-20\n---\n\n'
                                '<img src="./tiger.jpg" alt="Tiger" eleventy:ignore>\n\n'
                                '<img src="./tiger.jpg" alt="Again" eleventy:widths="200,400">\n'),
        "blog/tiger/tiger.jpg": picture((200, 120, 20)),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    assert invoke(root, "preview", "tiger").exit_code == 0
    html = next((root / "preview").glob("*tiger/email.html")).read_text()
    images = lxml.html.fromstring(html).findall(".//img")
    assert [img.get("alt") for img in images] == ["Tiger", "Again"]
    assert all(img.get("src").startswith("images/") for img in images)
    assert "eleventy:" not in html
