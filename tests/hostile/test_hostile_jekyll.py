"""A Jekyll blog's own settings and kramdown math, written to reach past the blog."""

from __future__ import annotations

from generator_sites import write_files
from test_config import MINIMAL

from newsletter.config import load_settings
from newsletter.posts import load_posts
from newsletter.render.dialects import DIALECTS
from newsletter.render.markdown import fragment_html, markdown_to_fragment


def test_a_collection_named_as_a_path_never_reads_posts_from_outside_the_site(tmp_path):
    outside = tmp_path / "elsewhere"
    write_files(outside, {"2024-01-01-private.md": "---\ntitle: Private\n---\n\nNot yours.\n"})
    site = tmp_path / "site"
    write_files(site, {
        "newsletter.toml": MINIMAL,
        "_config.yml": 'collections:\n  "x/../../elsewhere":\n    output: true\n'
                       "  essays:\n    output: true\n",
        "_x/keep.txt": "a folder the name starts in\n",
        "_essays/2024-02-01-mine.md": "---\ntitle: Mine\n---\n\nBody.\n",
    })

    posts, errors = load_posts(load_settings(site, {}))

    assert errors == [] and [post.title for post in posts] == ["Mine"]


def test_markup_inside_kramdown_math_is_text_never_html():
    source = ("$$<script>alert(1)</script>$$ and $$<img src=x onerror=alert(2)>$$\n\n"
              "$$\n<iframe src=\"https://evil.example\"></iframe>\n$$\n\n" + "$$ open\n" * 2000)
    root = markdown_to_fragment(source, "https://blog.example.com/posts/x", DIALECTS["kramdown"])

    assert not list(root.iter("script", "img", "iframe"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment_html(root)
