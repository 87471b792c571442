"""Links to a post's source file (Zola's @/, Pelican's {filename}, a plain other-post.md) become
the address the generator publishes that post at; an explicit one that names nothing is a
template-syntax problem at its line; code and other links are left as written."""

from __future__ import annotations

from newsletter.render.tags import TagContext, expand_tags

PAGES = {"/blog/tides.md": "https://example.com/blog/tides/",
         "tides.md": "https://example.com/blog/tides/"}


def expand(body: str):
    context = TagContext(site_url="https://example.com",
                         link_url=lambda kind, target: PAGES.get(target))
    expansion = expand_tags(body, context)
    return expansion.markdown, [(problem.line, problem.message) for problem in expansion.problems]


def test_each_way_of_naming_a_post_file_becomes_its_address():
    markdown, problems = expand(
        "[a](@/blog/tides.md) [b]({filename}/blog/tides.md#high) [c](|filename|/blog/tides.md)\n"
        '<a href="tides.md">d</a> [e](<tides.md>)\n\n[f]: tides.md\n')
    assert problems == []
    assert markdown.count("https://example.com/blog/tides/") == 6
    assert "https://example.com/blog/tides/#high" in markdown


def test_an_explicit_link_to_nothing_is_a_problem_and_a_plain_one_is_left_alone():
    markdown, problems = expand("Line one.\n[gone](@/blog/gone.md) and [old](old-notes.md)\n"
                                "[adoc]({filename}/essay.adoc)\n")
    assert problems == [
        (2, "the link @/blog/gone.md names no post or page of this site"),
        (3, "the link {filename}/essay.adoc names a file in a markup newsletter does not read, "
            "so its address is unknown")]
    assert "(old-notes.md)" in markdown


def test_code_images_and_web_addresses_are_left_as_written():
    body = ("`[a](@/blog/tides.md)`\n\n    [b](tides.md)\n\n![chart]({filename}/images/c.png)\n"
            "[web](https://example.org/tides.md) [site](/about/)\n")
    markdown, problems = expand(body)
    assert problems == [] and markdown == body
