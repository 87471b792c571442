"""Posts as their writers really write them, each in its generator's Markdown, in headless
Chromium at 320, 375 and 600 px, light and dark, with the ``<style>`` block and without it
(Gmail's apps with other accounts drop it): tests/fixtures/posts/real_*.

- A Hugo post (CommonMark, and the same read as Python-Markdown): a 200-column command and Go
  code with tabs, a table wider than a phone, task lists and lists four deep, a quote with its
  citation, pictures without alt text and empty, a huge one, an SVG, a figure, ``<details>``,
  emoji, a Hebrew and an Arabic paragraph, KaTeX source, a long address, ``<kbd>``, ``<mark>``,
  ``<sup>``, a writer's ``<span style>``, a rule, a footnote, a ``####`` right under an ``#``.
- A Jekyll post (kramdown): definition lists, a wide table, an ``#####`` under a ``###``.
- A post in Japanese.
- An Eleventy post (CommonMark): code and a table four levels into a list, a raw
  ``<table width="800">``, a picture 1200 px wide, a theme's ``white-space:nowrap`` line, a
  grid of two 300 px columns, a ``<pre style="white-space: pre">``, white words on yellow.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from conftest import copy_example_site, invoke
from test_content import add_fixture
from test_email_browser import (AXE_JS, CONTRAST_JS, PAGE_ONLY_RULES, SCHEMES, axe_source,
                                browser, show)  # noqa: F401 (a fixture)

from newsletter.render import GMAIL_CLIP_BYTES, encoded_html_size

POSTS = {  # name: (fixture, slug, the Markdown its generator reads)
    "hugo": ("real_hugo_notes", "tide-tables", "commonmark"),
    "hugo (python-markdown)": ("real_hugo_notes", "tide-tables", "python-markdown"),
    "jekyll": ("real_jekyll_glossary.md", "glossary", "kramdown"),
    "japanese": ("real_japanese_diary.md", "winter-kitchen", "commonmark"),
    "eleventy": ("real_eleventy_release.md", "planner-4", "commonmark"),
}
WIDTHS = (320, 375, 600)
STYLES = ("", " without <style>")
# [how much wider the page is than the window (less its scroll bar), [elements drawn past the
# window's right edge outside a block that scrolls]]
ESCAPING_JS = """
const root = document.documentElement, inside = e => e.closest('.table-scroll, pre');
return [root.scrollWidth - root.clientWidth, [...document.querySelectorAll('.email *')]
  .filter(e => !inside(e) && e.getBoundingClientRect().right > root.clientWidth)
  .map(e => [e.tagName, e.className, e.textContent.trim().slice(0, 30)])];
"""
# The email's headings in order: [level, text, font size].
HEADINGS_JS = """
return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h =>
  [Number(h.tagName[1]), h.textContent.trim(), getComputedStyle(h).fontSize]);
"""


@pytest.fixture(scope="module")
def emails(tmp_path_factory) -> dict[str, Path]:
    """Each post's preview email.html, and a copy without its <style> blocks."""
    files = {}
    for name, (fixture, slug, markdown) in POSTS.items():
        site = copy_example_site(tmp_path_factory.mktemp("posts") / "site")
        settings = site / "newsletter.toml"
        settings.write_text(settings.read_text(encoding="utf-8")
                            + f'\n[posts]\nmarkdown = "{markdown}"\n', encoding="utf-8")
        add_fixture(site, fixture)
        result = invoke(site, "preview", slug)
        assert result.exit_code == 0, result.output
        files[name] = site / "preview" / slug / "email.html"
        stripped = re.sub(r"<style\b.*?</style>", "",
                          files[name].read_text(encoding="utf-8"), flags=re.S)
        files[name + " without <style>"] = files[name].with_name("email-without-style.html")
        files[name + " without <style>"].write_text(stripped, encoding="utf-8")
    return files


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", POSTS)
def test_nothing_is_wider_than_the_screen_but_inside_a_block_that_scrolls(browser, emails,
                                                                         name, style):
    # A theme's white-space:nowrap line made a 375 px phone's email 741 px wide, a grid of
    # two 300 px columns 343 px wider than a 320 px one.
    for width in WIDTHS:
        show(browser, emails[name + style], width)
        assert browser.execute_script("return innerWidth") == width
        assert browser.execute_script(ESCAPING_JS) == [0, []], f"{width} px"
        code = browser.execute_script(
            "return [...document.querySelectorAll('pre')].map(e => e.scrollWidth - e.clientWidth);")
        assert all(excess <= 0 for excess in code)  # 200-column lines wrap


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", POSTS)
def test_axe_core_finds_nothing_and_every_text_reads_on_its_background(browser, emails, name,
                                                                       scheme):
    source = axe_source()
    for width in WIDTHS:
        show(browser, emails[name], width, scheme)
        checked, low = browser.execute_script(CONTRAST_JS)
        assert checked >= 20 and low == [], f"{width} px"
        if width == 375:
            continue  # laid out as at 320 px, where the same tables scroll
        browser.execute_script(source)
        assert browser.execute_async_script(AXE_JS, list(PAGE_ONLY_RULES)) == [], f"{width} px"


@pytest.mark.parametrize("name, headings", [
    ("hugo", [[1, "Tide Tables, Rewritten", "26px"], [1, "What broke", "24px"],
              [2, "The parser", "18px"], [2, "The numbers", "23px"],
              [2, "What I check now", "23px"]]),
    ("jekyll", [[1, "A Glossary for New Volunteers", "26px"], [2, "Shifts", "20px"],
                [3, "A note on gloves", "16px"]]),
])
def test_a_heading_that_skips_a_level_is_listed_one_under_and_looks_as_written(
        browser, emails, name, headings):
    # A #### right under the title, a ##### under a ###: screen readers listed a section of a
    # missing level (axe-core's heading-order). Each keeps the size of the level written.
    show(browser, emails[name], 375)
    assert browser.execute_script(HEADINGS_JS) == headings


def test_a_hebrew_or_arabic_paragraph_has_its_language_and_direction(browser, emails):
    show(browser, emails["hugo"], 375)
    paragraphs = browser.execute_script(
        "return [...document.querySelectorAll('.content p[dir]')].map(p =>"
        " [p.dir, p.lang, getComputedStyle(p).direction, p.textContent.slice(0, 4)]);")
    assert paragraphs == [["rtl", "he", "rtl", "שלום"], ["rtl", "ar", "rtl", "شكرا"]]
    assert browser.execute_script(
        "return [document.querySelector('.email').lang, document.querySelector('.email').dir];"
    ) == ["en", "ltr"]


def test_the_text_part_reads_well_and_the_html_part_escapes_gmails_clip(emails):
    text = emails["hugo"].with_name("email.txt").read_text(encoding="utf-8")
    assert ("Station | Readings | Missing |" in text
            and "harbour-north | 8,640 | 12 | 11.4 |" in text)  # the table as text
    assert "[Image: The route of the cable, from the pier to the station]" in text
    assert "- ☑ readings arrive every ten minutes\n" in text
    assert "      - and the last good reading\n        - and a link to the raw data" in text
    assert "> — Mira, harbour office" in text
    assert ("See the old post <https://blog.example.com/posts/tide-scraper/> and the\n"
            "station docs <https://data.example.net/docs>. Questions go to\n"
            "<mailto:harbour-office@example.net> or\n<https://www.example.net/harbour/>.") in text
    # An address written out shows once, whole; the footnote comes last, after its mark.
    assert text.count("harbour-north-full-resolution-readings-with-quality-flags.csv") == 1
    body, footnotes = text.split("\n* * *\n\n1. Mostly because")
    assert "page.[1] It" in body and "Get in touch" in footnotes
    for name in POSTS:
        html = emails[name].read_text(encoding="utf-8")
        assert encoded_html_size(html) < GMAIL_CLIP_BYTES // 3


@pytest.mark.parametrize("name", POSTS)
def test_classic_outlook_gets_its_widths_from_attributes(emails, name):
    # Outlook for Windows (Word) ignores max-width on images and tables: it reads width="".
    html = emails[name].read_text(encoding="utf-8")
    assert '<!--[if mso]><table role="presentation" width="600"' in html
    content = lxml.html.fromstring(html).find_class("content")[0]
    for image in content.iter("img"):
        assert 0 < int(image.get("width")) <= 520, image.get("src")
    for table in content.iter("table"):
        width = table.get("width") or "100%"
        assert width == "100%" or int(width) <= 520
    if name == "eleventy":  # <table width="800">, as written
        assert [table.get("width") for table in content.iter("table")] == [None, "100%", None]


@pytest.mark.parametrize("name, button", [("jekyll", "en"), ("japanese", "ja")])
def test_the_date_and_the_button_carry_the_language_of_their_words(emails, name, button):
    # A Japanese post's date, "November 26, 2026", and an en-GB post's button under the site's
    # "Get in touch" were marked as the post's language: a screen reader read them in its voice.
    page = lxml.html.fromstring(emails[name].read_text(encoding="utf-8"))
    email, = page.find_class("email")
    date, = page.find_class("date")
    cell, = page.find_class("button-cell")
    assert (email.get("lang"), date.get("lang"), cell.get("lang")) == (
        {"jekyll": "en-GB", "japanese": "ja"}[name], "en", button)
    if name == "japanese":  # its own words for the button, in its own language
        assert page.find_class("button")[0].text_content() == "感想を送る"
