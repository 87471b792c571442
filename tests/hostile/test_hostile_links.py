"""Hostile links to a post's file: one that climbs out of the blog's folder names no post, and the
file there is never read (template tags' ref and relref look the same way)."""

from __future__ import annotations

from generator_sites import write_files
from test_generators import make_blog

from conftest import invoke
from newsletter.render.tags import TagContext, expand_tags


def test_a_link_to_a_post_file_outside_the_site_is_never_read(tmp_path):
    """``../../elsewhere.md`` names a file outside the blog's folder: it is not read (nor its
    front matter trusted), so the link stays as written, however far up it climbs."""
    write_files(tmp_path, {"secret.md": "---\ntitle: Secret\ndate: 2024-01-01\n"
                                        "url: /leaked/\n---\n\nNot the blog's.\n"})
    root, _ = make_blog(tmp_path, "eleventy")
    write_files(root, {"content/blog/climb.md": (
        "---\ntitle: Climb\ndate: 2024-12-01\n---\n\n[up](../../secret.md), "
        "[further](../secret.md) and [from the top](/../../secret.md)\n")})
    assert invoke(root, "preview", "climb").exit_code == 0
    html = (root / "preview" / "climb" / "email.html").read_text()
    assert "leaked" not in html and "secret.md" in html


def test_a_malformed_address_ending_in_md_is_left_for_the_link_check():
    body = "[a](http://[/notes.md) [b](//[::1/notes.md) <a href=\"https://]x/notes.md\">c</a>\n"
    expansion = expand_tags(body, TagContext(site_url="https://example.com",
                                             link_url=lambda kind, target: "https://wrong/"))
    assert expansion.markdown == body and expansion.problems == ()


def test_a_link_to_a_post_file_name_too_long_for_the_system_names_no_post(site):
    """The system refuses to look such a name up (ENAMETOOLONG): it names no post, and the link
    stays as written instead of a traceback."""
    long_name, deep = "a" * 300 + ".md", "/" + "d/" * 3000 + "x.md"
    (site / "content" / "posts" / "long.md").write_text(
        '---\ntitle: Long\ndate: "2026-11-02T09:00:00Z"\ndescription: d\n---\n\n'
        f"[one]({long_name}) and [two]({deep})\n")
    result = invoke(site, "preview", "long")
    assert result.exit_code == 0, result.output[-300:]
    html = (site / "preview" / "long" / "email.html").read_text()
    assert long_name in html and deep in html
