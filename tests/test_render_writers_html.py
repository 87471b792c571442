"""What writers put in a post that the email mends for its readers: a heading that skips a
level, a paragraph in another script than the post's, a line kept whole, a table or a grid
sized for a desktop, words coloured to vanish on their own background. How the real posts holding them look is tests/test_email_browser_real_posts.py's."""

from __future__ import annotations

import re

import pytest
from test_render import render
from test_render_elements import content_of

from newsletter.render.css_colours import contrast, parse_colour


def render_body(site, body: str):
    """The content cell of the email of a post whose body is ``body``."""
    (site / "content" / "posts" / "written.md").write_text(
        '---\ntitle: "Written"\ndate: 2026-11-20T10:00:00Z\nslug: /posts/written\n'
        f'description: "A post."\n---\n\n{body}\n', encoding="utf-8")
    _, email = render(site, "written")
    return content_of(email.html), email


@pytest.mark.parametrize("paragraph, lang", [
    ("שלום לכולם, קראתי את הגיליון.", "he"),
    ("وصلتني النشرة هذا الصباح.", "ar"),
    ("نامه‌ی شما امروز صبح رسید، با چند پیشنهاد.", "fa"),  # پ, چ: Persian writes them
    ("آپ کا خط آج صبح ملا، بہت شکریہ۔", "ur"),  # ے, ھ: Urdu's
])
def test_a_paragraph_in_a_right_to_left_script_names_its_language(site, paragraph, lang):
    content, _ = render_body(site, f"A reader wrote:\n\n{paragraph}\n\nThe end.")
    written = [p for p in content.iter("p") if p.get("dir")]
    assert [(p.get("dir"), p.get("lang")) for p in written] == [("rtl", lang)]


def test_a_language_the_post_gives_is_kept(site):
    content, _ = render_body(site, '<div lang="yi"><p>א בריוו פון א לייענער, שיין געשריבן.</p>'
                                   '</div>\n\nThe end.')
    [paragraph] = [p for p in content.iter("p") if p.get("dir")]
    assert paragraph.get("lang") is None and paragraph.getparent().get("lang") == "yi"


def test_headings_close_their_gaps_and_keep_their_written_look(site):
    content, email = render_body(site, "#### Deep\n\nText.\n\n## Two\n\n##### Five\n\n### Three")
    assert [(h.tag, h.get("class")) for h in content.iter("h2", "h3", "h4", "h5")] == [
        ("h2", "looks-h4"), ("h2", None), ("h3", "looks-h5"), ("h3", None)]
    deep, _, five, three = content.iter("h2", "h3")
    assert "font-size:18px" in deep.get("style") and "font-size:16px" in five.get("style")
    assert "font-size:20px" in three.get("style")
    assert "Deep\n----\n\nText." in email.text


@pytest.mark.parametrize("style, kept", [
    ("white-space: nowrap", "white-space: normal"),
    ("white-space:pre !important; color: #333", "white-space:pre-wrap!important"),
    ("white-space: pre-line", "white-space: pre-line"),
])
def test_a_long_line_a_post_keeps_whole_wraps(site, style, kept):
    content, _ = render_body(site, f'<p style="{style}">A line long enough to be wider than a '
                                   'phone.</p>\n\n<span style="white-space: nowrap">10 km</span>')
    long, short = content.xpath(".//p[@class]/following-sibling::p")[0], content.find(".//span")
    assert kept.replace(" ", "") in long.get("style").replace(" ", "")
    assert "white-space:nowrap" in short.get("style").replace(" ", "")  # too short to matter


def test_a_table_wider_than_the_column_fills_it(site):
    content, _ = render_body(site, '<table width="800"><tr><td>Wide</td></tr></table>\n\n'
                                   '<table width="300"><tr><td>Narrow</td></tr></table>')
    assert [table.get("width") for table in content.iter("table")] == ["100%", "300"]


def test_a_raw_code_block_that_would_scroll_wraps_as_markdowns_do(site):
    # It scrolled, and axe-core found a region a reader on a keyboard could not reach.
    content, _ = render_body(site, '<pre style="white-space: pre">$ ls -la /home/someone/'
                                   'projects/workshop/inventory --color=always</pre>')
    assert "white-space:pre-wrap" in content.find(".//pre").get("style").replace(" ", "")


def test_grid_columns_in_pixels_go_and_fluid_ones_stay(site):
    content, _ = render_body(
        site, '<div style="display: grid; grid-template-columns: 300px 300px; gap: 20px">'
              '<div>One</div><div>Two</div></div>\n\n<div style="display: grid; '
              'grid-template-columns: repeat(auto-fit, minmax(200px, 1fr))"><div>Three</div></div>')
    fixed, fluid = content.xpath("./div")
    assert "grid-template-columns" not in fixed.get("style") and "gap" in fixed.get("style")
    assert "auto-fit" in fluid.get("style")


@pytest.mark.parametrize("written, shown", [
    ("#ffffff", "#666666"),  # white on yellow: 1.1:1; as dark as it must be to read, and no more
    ("#1f2933", "#1f2933"),  # reads: as written
])
def test_words_the_post_coloured_read_on_their_own_background(site, written, shown):
    content, _ = render_body(site, f'<span style="color: {written}; background-color: #ffeb3b">'
                                   'Beta</span> features.')
    style = content.find(".//span").get("style").replace(" ", "")
    [colour] = re.findall(r"(?:^|;)color:(#[0-9a-f]{6})", style)
    assert colour == shown
    assert contrast(parse_colour(colour), (0xff, 0xeb, 0x3b)) >= 4.5
