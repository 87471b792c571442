"""Giant posts: refused at once past the documented size, rendered in linear time below it.

Before, a 50 MB post ran for over 300 s at 1.35 GB without a word, and rendering took time in
proportion to the square of a post's length (bench/bench_render_scaling.py measures it now).
"""

from __future__ import annotations

import markdown
import pytest
from conftest import invoke

from newsletter.config import load_settings
from newsletter.posts import MAX_POST_BYTES, load_posts
from newsletter.render.inline import LinearInlineProcessor, use_linear_inline
from newsletter.render.markdown import MARKDOWN_EXTENSIONS

FRONT_MATTER = '---\ntitle: "Everything"\ndate: "2026-01-01T09:00:00Z"\n---\n'


def write_post(site, name: str, size: int) -> None:
    paragraph = "Some *words*, a [link](https://example.com/) and `code`. " * 20 + "\n\n"
    body = paragraph * (size // len(paragraph) + 1)
    text = (FRONT_MATTER + body)[:size]
    (site / "content" / "posts" / f"{name}.md").write_text(text, encoding="utf-8")


def test_a_50_mb_post_is_refused_unread_in_one_line_naming_file_and_size(site):
    # Past its front matter the file is not even UTF-8: only a refusal by size, before
    # reading, names the size instead (bench/bench_render_scaling.py times the refusal).
    path = site / "content" / "posts" / "everything.md"
    path.write_bytes(FRONT_MATTER.encode() + b"\xff" * (50 * 1024 * 1024 - len(FRONT_MATTER)))
    settings = load_settings(site, {})

    posts, problems = load_posts(settings)
    result = invoke(site, "send", "everything", "--yes")

    assert [str(p) for p in problems] == [(
        "content/posts/everything.md: the post is 50.0 MB; posts over 1 MB are refused; "
        "Gmail clips an email past about 102 KB anyway: split it into several posts")]
    assert result.exit_code == 2
    assert result.output == f"error: {problems[0]}\n"
    assert {post.id for post in posts} >= {"/posts/what-matters"}  # the others still load


def test_a_post_at_the_limit_loads_and_one_byte_more_is_refused(site):
    write_post(site, "at-limit", MAX_POST_BYTES)
    write_post(site, "over-limit", MAX_POST_BYTES + 1)

    posts, problems = load_posts(load_settings(site, {}))

    assert "/posts/at-limit" in {post.id for post in posts}
    assert [p.where for p in problems] == ["content/posts/over-limit.md"]


SAMPLES = {
    "tails and nesting": "A *b* c **d** e `f` g [h](https://x.example/) i _j_ k.\n\n"
                         "- one *x* y\n  - two **z** w\n- three\n\n> quote *q* r\n> more\n",
    "table": "| a | *b* |\n|---|---|\n" + "| x *y* z | `w` v |\n" * 40,
    "footnotes and smart quotes": 'He said "yes"[^1] -- it\'s true...\n\n[^1]: A *note*.\n',
    "raw html": "<div><p>raw <em>html</em></p></div>\n\nText <b>bold</b> after *it*.\n",
    "many paragraphs": "Para *one* and **two**.\n\n" * 300,
}


@pytest.mark.parametrize("source", SAMPLES.values(), ids=SAMPLES)
def test_the_linear_inline_pass_renders_exactly_what_markdown_does(source):
    def convert(linear: bool) -> str:
        md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
        return (use_linear_inline(md) if linear else md).convert(source)

    assert convert(linear=True) == convert(linear=False)


def test_every_inline_pass_is_the_linear_one_smartypants_included():
    md = use_linear_inline(markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS)))

    kinds = {name: type(md.treeprocessors[name]) for name in ("inline", "smarty")}

    assert kinds == {"inline": LinearInlineProcessor, "smarty": LinearInlineProcessor}
