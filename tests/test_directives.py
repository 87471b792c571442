"""Container directives (:::note ... :::, Astro themes' admonitions) read as a bold label before
their content, line for line; leaf directives (::github{...}) are problems at their line; code
is left alone."""

from __future__ import annotations

from generator_sites import write_files
from test_generators import make_blog

from conftest import invoke
from newsletter.render.dialects import DIALECTS
from newsletter.render.tags.directives import rewrite


def test_a_container_becomes_a_label_and_every_line_keeps_its_number():
    body = ("Intro.\n\n:::tip\nTie it twice.\n:::\n\n::::caution[Mind *the* rope]\n"
            "Knots slip.\n::::\n\n```md\n:::note\nIn code.\n:::\n```\n")
    text, problems = rewrite(body)
    assert problems == []
    assert text.count("\n") == body.count("\n")
    assert "**Tip:**\nTie it twice.\n" in text
    assert "**Mind &#42;the&#42; rope:**\nKnots slip.\n" in text
    assert ":::note\nIn code.\n:::" in text  # in code, as written


def test_an_unclosed_container_is_left_and_a_leaf_directive_is_a_problem():
    text, problems = rewrite(":::note\nNever closed.\n\n::youtube{id=\"Kx2b5Vq0T1w\"}\n", 10)
    assert text.startswith(":::note\n")
    assert [(problem.line, problem.message.split(" is ")[0]) for problem in problems] == [
        (13, '::youtube{id="Kx2b5Vq0T1w"}')]


def test_fuwaris_repository_card_is_a_link_to_the_repository():
    """Fuwari's ::github{repo="x/y"} (a card its code draws) stopped the post as a directive
    an email cannot show; the card links the repository, and so does the email."""
    text, problems = rewrite('Made with:\n\n::github{repo="ana/knots"}\n', 1)
    assert problems == []
    assert text == "Made with:\n\n[ana/knots](https://github.com/ana/knots)\n"


def test_an_astro_post_with_an_admonition_reads_well_in_the_email(tmp_path):
    root, _ = make_blog(tmp_path, "astro")
    write_files(root, {"src/content/blog/dark-sky.md": (
        "---\ntitle: 'Dark Sky'\npubDate: 'Sep 01 2024'\n---\n\n:::note[Before you go]\n"
        "Let your eyes adjust for twenty minutes.\n:::\n")})
    assert invoke(root, "preview", "dark-sky").exit_code == 0
    text = (root / "preview" / "dark-sky" / "email.txt").read_text()
    assert "Before you go: Let your eyes adjust for twenty minutes." in " ".join(text.split())
    assert ":::" not in text


def test_a_leaf_directive_in_a_fence_with_a_title_is_code_as_commonmark_reads_it():
    """Astro Cactus writes ```md title="Linking a repo": a fence to CommonMark (remark), not
    to Python-Markdown; the directive in it is shown as written, not reported."""
    body = '```md title="Linking a repo"\n::github{repo="ana/knots"}\n```\n'
    assert rewrite(body, 1, DIALECTS["remark"]) == (body, [])


def test_a_docusaurus_admonition_with_its_title_after_a_space_reads_as_its_title(tmp_path):
    """Docusaurus writes an admonition's title after its kind (``:::tip Sharpen first``) as
    well as in brackets: either way the email shows the title in bold, then the content,
    and never the colons."""
    root, _ = make_blog(tmp_path, "docusaurus")
    write_files(root, {"journal/2024-07-01-planing.md": (
        "---\ntitle: Planing\ndescription: Planes.\n---\n\n:::tip Sharpen first\n\n"
        "Keep the iron keen.\n\n:::\n\n:::danger[Mind your fingers]\n\nPush, never pull.\n\n"
        ":::\n")})

    result = invoke(root, "preview", "2024-07-01-planing")

    assert result.exit_code == 0, result.output
    html = (root / "preview" / "2024-07-01-planing" / "email.html").read_text()
    text = " ".join((root / "preview" / "2024-07-01-planing" / "email.txt").read_text().split())
    assert "Sharpen first: Keep the iron keen. Mind your fingers: Push, never pull." in text
    assert ":::" not in text and ":::" not in html
    assert "<strong>Sharpen first:</strong>" in html
