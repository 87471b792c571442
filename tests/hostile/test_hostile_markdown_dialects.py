"""Hostile Markdown is judged the same in every dialect (newsletter/render/dialects.py).

The CommonMark dialects keep every URL as the post writes it (markdown-it would otherwise drop a
``javascript:`` link to plain text and percent-encode the rest), so the preflight check finds
the same script links, scripts and image schemes, at the same lines, whichever dialect the blog
uses; raw HTML reaches the email as it does with Python-Markdown.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable

import pytest
from conftest import invoke
from cpu_ratio import cpu_ratio

from newsletter.render.commonmark import commonmark_html
from newsletter.render.dialects import DIALECTS, PYTHON_MARKDOWN
from newsletter.render.markdown import fragment_html, markdown_fragment

SNEAKY = """---
title: Sneaky
date: "2026-11-02T09:00:00Z"
description: d
---

[a](javascript:alert(1)) and [b][r] and [c](JaVaScRiPt:alert(5))

[r]: vbscript:msgbox(3)

<script>alert(1)</script>

<a href="java&#x09;script:alert(1)">e</a>

![i](javascript:alert(4))
"""
FOUND = [("link-javascript", "content/posts/sneaky.md:7", 'the link "a" runs a script'),
         ("link-javascript", "content/posts/sneaky.md:7", 'the link "c" runs a script'),
         ("link-javascript", "content/posts/sneaky.md:9", 'the link "b" runs a script'),
         ("html-embed", "content/posts/sneaky.md:11", "a <script> is removed by"),
         ("link-javascript", "content/posts/sneaky.md:13", 'the link "e" runs a script'),
         ("image-scheme", "content/posts/sneaky.md:15", "the image alert(4) uses javascript:")]


@pytest.mark.parametrize("markdown", ["python-markdown", "commonmark", "kramdown"])
def test_script_links_are_errors_at_their_lines_in_every_dialect(site, markdown):
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text() + f'\n[posts]\nmarkdown = "{markdown}"\n')
    (site / "content" / "posts" / "sneaky.md").write_text(SNEAKY)

    result = invoke(site, "check", "sneaky", "--json")

    assert result.exit_code == 2
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["where"], f["message"][:len(message)])
            for f, (_, _, message) in zip(findings, FOUND)] == FOUND
    assert len(findings) == len(FOUND)


RAW = ('<div class="note" onclick="x()">\n<p>Raw</p>\n</div>\n\n'
       "<script>alert(1)</script>\n\n<iframe src=\"https://x.example/\"></iframe>\n")


@pytest.mark.parametrize("name", sorted(name for name, dialect in DIALECTS.items()
                                        if dialect.commonmark and dialect.raw_html))
def test_raw_html_reaches_the_email_as_python_markdown_lets_it(name):
    source = RAW

    def elements(dialect):
        return [(element.tag, dict(element.attrib), element.text)
                for element in markdown_fragment(source, dialect).iter()]

    assert elements(DIALECTS[name]) == elements(PYTHON_MARKDOWN)
    assert "<script>alert(1)</script>" in fragment_html(markdown_fragment(source, DIALECTS[name]))


def test_kramdown_syntax_in_bulk_keeps_every_word_outside_it():
    """Thousands of unclosed comments, attribute lists (a run of them after one long table too)
    and tables of contents: each is read once, and only the first table of contents is
    built."""
    source = ("{::comment}\nword\n" * 3000 + "{: .x}\nitem\n\n" * 3000
              + "## Part\n\n* TOC\n{:toc}\n\n" * 3000
              + "| a |\n|---|\n" + "| item |\n" * 3000 + "{: .x}\n" * 3000)
    root = markdown_fragment(source, DIALECTS["kramdown"])

    text = root.text_content()
    assert text.count("word") == 3000 and text.count("item") == 6000 and "{:" not in text
    assert len(root.xpath("//ul[@class='toc']")) == 1
    assert len(root.xpath("//ul[@class='toc']/li")) == 3000


def test_html_marked_markdown_nested_deep_is_read_a_few_levels_only():
    """kramdown's ``markdown="1"`` re-reads what an element holds: only four levels deep, so
    a post of nested elements is read a few times at most, and nothing is lost (200 levels:
    lxml, as browsers, keeps HTML to 255)."""
    source = '<div markdown="1">\n' * 200 + "*deep*\n" + "</div>\n" * 200
    root = markdown_fragment(source, DIALECTS["kramdown"])

    assert len(root.findall(".//div")) == 200 and "deep" in root.text_content()
    # the fragment, four elements read as Markdown, then as written
    assert [div.get("markdown") for div in root.iter("div")][:6] == [None] * 5 + ["1"]


@pytest.mark.parametrize("unit", ["{:", "a:", "x@", "www .", "http:// "])
def test_a_paragraph_of_address_look_alikes_renders_whole(unit):
    """Bare addresses are found in one pass over a paragraph (mdit-py-plugins' autolink rule
    read the paragraph again at each colon: 100 KB of colons took minutes)."""
    source = unit * (100_000 // len(unit))

    root = markdown_fragment(source, DIALECTS["commonmark"])

    assert root.text_content().strip() == source.strip()
    assert root.find(".//a") is None


def test_goldmark_without_unsafe_omits_the_posts_raw_html_whole():
    assert fragment_html(markdown_fragment(RAW, DIALECTS["goldmark"], RAW)).strip() == ""


MATH = replace(DIALECTS["goldmark"], math_blocks=(("\\[", "\\]"), ("$$", "$$")),
               math_inline=(("\\(", "\\)"), ("$", "$")))


@pytest.mark.parametrize("unit", ["\\( ", "$ "], ids=["inline opener", "dollar"])
def test_unclosed_math_delimiters_in_bulk_take_time_in_proportion(unit):
    """An unclosed delimiter is looked for once, not again from each later one to the end of
    the paragraph (which took 130 times as long for 16 times the text)."""
    def render(count: int) -> Callable[[], str]:
        return lambda: commonmark_html(unit * count, MATH)  # not the fragment, which is cached

    ratio = cpu_ratio(render(4000), render(64000), within=48, tries=2)

    assert ratio < 48, f"16x the text took {ratio:.0f}x the time"


def test_markup_between_math_delimiters_is_text_never_html():
    html = commonmark_html("\\(<b>x</b>\\) and $<img src=x onerror=alert(1)>$\n\n"
                           "\\[\n<script>alert(2)</script>\n\\]\n", MATH)

    assert "<b>" not in html and "<img" not in html and "<script>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
