"""Real posts' pieces as readers see them, in headless Chromium (how tests/test_email_browser.py
reads the kitchen-sink post): code a highlighter coloured, pictures a client blocks, a
right-to-left post's code and footer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_example_site, invoke
from folder_server import serving_folder
from PIL import Image
from test_content import add_fixture
from test_email_browser import CONTRAST_JS, SCHEMES, browser, show  # noqa: F401 (a fixture)

CARD = {"light": "rgb(253, 252, 250)", "dark": "rgb(38, 37, 34)"}


def preview(folder: Path, fixture: str, slug: str) -> Path:
    """The preview's email.html of fixture post ``fixture`` in a new example site."""
    site = copy_example_site(folder / fixture)
    add_fixture(site, fixture)
    result = invoke(site, "preview", slug)
    assert result.exit_code == 0, result.output
    return site / "preview" / slug / "email.html"


def strip_style(email: Path) -> None:
    """The email as clients that drop its <style> block show it: inlined styles only."""
    email.write_text(re.sub(r"<style\b.*?</style>", "", email.read_text(encoding="utf-8"),
                            flags=re.S), encoding="utf-8")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_highlighted_code_keeps_colours_that_read_on_its_own_background(browser, tmp_path,
                                                                         scheme):
    show(browser, preview(tmp_path, "highlighted_code.md", "highlighted-code"), 375, scheme)
    backgrounds = browser.execute_script(
        "return [...document.querySelectorAll('pre')].map(e => getComputedStyle(e).backgroundColor);")
    # Hugo's dark theme and the pasted light one keep their own backgrounds in both schemes; a
    # block of coloured words without one keeps the light code background; Markdown's follows
    # the scheme.
    plain = "rgb(239, 236, 230)" if scheme == "light" else "rgb(51, 49, 44)"
    assert backgrounds == ["rgb(39, 40, 34)", "rgb(255, 255, 255)", "rgb(239, 236, 230)", plain]
    checked, low = browser.execute_script(CONTRAST_JS)
    assert checked > 20 and low == []


def test_a_blocked_pictures_alt_text_reads_in_dark_mode(browser, tmp_path):
    # The test's Chromium resolves no host: the pictures fail, as blocked ones do, and their
    # alt text shows in their place, on the light card images keep in dark mode.
    show(browser, preview(tmp_path, "blocked_images.md", "blocked-images"), 375, "dark")
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('.container')).backgroundColor;"
    ) == CARD["dark"]
    shown = browser.execute_script(
        "return [...document.querySelectorAll('.content img')].map(image =>"
        " [image.complete && image.naturalWidth, getComputedStyle(image).color,"
        "  getComputedStyle(image).backgroundColor]);")
    assert shown == [[0, "rgb(43, 40, 36)", CARD["light"]]] * 2


# The left edges of a text's first and last characters, as drawn.
EDGES_JS = """
const node = [...arguments[0].childNodes].concat([...arguments[0].querySelectorAll('*')]
  .flatMap(e => [...e.childNodes])).find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
const text = node.textContent.replace(/\\s+$/, '');
const left = i => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
  return r.getBoundingClientRect().left; };
return [text[0], left(0), text[text.length - 1], left(text.length - 1)];
"""


def test_a_right_to_left_posts_code_and_the_sites_footer_read_left_to_right(browser, tmp_path):
    # The site is English: its footer and the postal address keep their order under a Hebrew
    # post ("1 Example Street, Springfield", not "Example Street, Springfield 1"); code is code.
    show(browser, preview(tmp_path, "right_to_left_code.md", "right-to-left-code"), 375)
    for selector, first, last in (("pre", "e", '"'), ("code", "l", '"'),
                                  (".footer p:last-child", "1", "d"),
                                  (".footer p:nth-child(2)", "Y", ".")):
        element = browser.execute_script(f"return document.querySelector('{selector}');")
        start, start_left, end, end_left = browser.execute_script(EDGES_JS, element)
        assert (start, end) == (first, last)
        assert start_left < end_left, selector


@pytest.mark.parametrize("style", [True, False])
def test_pictures_a_post_sizes_or_sets_side_by_side_never_widen_a_phones_screen(browser, tmp_path,
                                                                               style):
    email = preview(tmp_path, "pictures_side_by_side", "pictures-side-by-side")
    if not style:  # as Gmail's apps with other accounts show it
        strip_style(email)
    show(browser, email, 320)
    scroll_width, pictures = browser.execute_script(
        "return [document.documentElement.scrollWidth, [...document.querySelectorAll("
        "'.content img')].map(image => [image.getBoundingClientRect().right,"
        " image.getBoundingClientRect().width, image.getBoundingClientRect().height])];")
    assert scroll_width <= 320 and len(pictures) == 4
    assert max(right for right, _, _ in pictures) <= 320
    _, width, height = pictures[3]  # the square gull its style made 600 by 300 keeps its shape
    assert width == height


@pytest.mark.parametrize("width", [375, 600])
def test_a_small_picture_keeps_its_size_on_a_phone_and_a_centred_one_stays_centred(browser,
                                                                                  tmp_path, width):
    # The phone rules gave every picture width:auto, so a 64 px portrait prepared at twice its
    # pixels showed 128 px wide, and a 300 px one filled a 600 px screen's column.
    show(browser, preview(tmp_path, "small_pictures", "small-pictures"), width)
    pictures = browser.execute_script(
        "return [...document.querySelectorAll('.content img')].map(image => {"
        " const box = image.getBoundingClientRect(), line = image.parentElement.getBoundingClientRect();"
        " return [box.width, box.left - line.left, line.right - box.right]; });")
    assert [round(size) for size, _, _ in pictures] == [64, 300]
    _, left, right = pictures[0]  # <p align="center">: as far from either side
    assert left > 100 and abs(left - right) <= 1


def test_an_emoji_pasted_as_a_picture_is_the_size_of_the_text(browser, tmp_path):
    # WordPress and jemoji write an emoji as <img class="emoji">: as a picture of the post it
    # was 100% of the column wide (520 px).
    site = copy_example_site(tmp_path / "site")
    (tmp_path / "web").mkdir()
    Image.new("RGBA", (72, 72), (250, 200, 0, 255)).save(tmp_path / "web" / "1f600.png")
    with serving_folder(tmp_path / "web") as base_url:
        (site / "content" / "posts" / "emoji.md").write_text(
            '---\ntitle: "Good News"\ndate: 2026-11-20T10:00:00Z\nslug: /posts/emoji\n'
            'description: "A happy week."\n---\n\n'
            f'What a week <img class="emoji" src="{base_url}/1f600.png" alt="\U0001f600" '
            'style="height: 1em; max-height: 1em;"> it was.\n', encoding="utf-8")
        invoke(site, "preview", "emoji")
        show(browser, site / "preview" / "emoji" / "email.html", 375)
        size = browser.execute_script(
            "const image = document.querySelector('.content img.emoji');"
            "return image.complete && [image.naturalWidth, image.getBoundingClientRect().width,"
            " image.getBoundingClientRect().height];")
    assert size[0] == 72 and 16 <= size[1] <= 20 and 16 <= size[2] <= 20


@pytest.mark.parametrize("style", [True, False])
def test_a_small_picture_in_a_line_of_text_stays_in_the_line(browser, tmp_path, style):
    # Every picture was a block: an icon in a sentence split it in two lines, 26 px of margin
    # between them, and a row of badges stood one under the other.
    site = copy_example_site(tmp_path / "site")
    bundle = site / "content" / "posts" / "icons"
    bundle.mkdir()
    Image.new("RGB", (24, 24), (200, 40, 40)).save(bundle / "icon.png")
    Image.new("RGB", (90, 20), (40, 120, 40)).save(bundle / "badge.png")
    Image.new("RGB", (400, 200), (40, 40, 200)).save(bundle / "photo.png")
    (bundle / "index.md").write_text(
        '---\ntitle: "Icons"\ndate: 2026-11-20T10:00:00Z\nslug: /posts/icons\n'
        'description: "Small pictures."\n---\n\nPress ![the red button](icon.png) to start.\n\n'
        "[![tests pass](badge.png)](https://ci.example.org) ![coverage 90%](badge.png)\n\n"
        "A photo ![the lake](photo.png) in a sentence stays a block.\n", encoding="utf-8")
    assert invoke(site, "preview", "icons").exit_code == 0
    email = site / "preview" / "icons" / "email.html"
    if not style:
        strip_style(email)
    show(browser, email, 375)
    # [the picture's display, its middle's height above or below its line's first text's]
    placed = browser.execute_script(
        "return [...document.querySelectorAll('.content img')].map(image => {"
        " const box = image.getBoundingClientRect(), range = document.createRange();"
        " range.selectNodeContents(image.closest('p')); const line = range.getClientRects()[0];"
        " return [getComputedStyle(image).display,"
        " Math.round(Math.abs((box.top + box.bottom) - (line.top + line.bottom)) / 2)]; });")
    assert [display for display, _ in placed] == ["inline", "inline", "inline", "block"]
    assert all(apart <= 6 for _, apart in placed[:3]), placed


@pytest.mark.parametrize("style", [True, False])
def test_a_picture_in_a_centred_block_is_centred_and_a_details_block_is_a_paragraph_apart(
        browser, tmp_path, style):
    # An image is a block in the email, and a block does not follow text-align: the pictures a
    # post centred with style="text-align:center" (a figure, a div) sat on the left, their
    # caption in the middle; so did one WordPress centres by its class. A <details> had no margin: the next paragraph touched its summary.
    site = copy_example_site(tmp_path / "site")
    bundle = site / "content" / "posts" / "centred"
    bundle.mkdir()
    Image.new("RGB", (200, 100), (200, 50, 50)).save(bundle / "chart.png")
    (bundle / "index.md").write_text(
        '---\ntitle: "Centred"\ndate: 2026-11-20T10:00:00Z\nslug: /posts/centred\n'
        'description: "Pictures in the middle."\n---\n\n'
        '<div style="text-align: center"><img src="chart.png" alt="Sales" width="100"></div>\n\n'
        '<figure style="color: #333; text-align:center;"><img src="chart.png" alt="Costs"'
        ' width="100"><figcaption>Costs by month</figcaption></figure>\n\n'
        '<p><img class="aligncenter size-full" src="chart.png" alt="Prices" width="100"></p>\n\n'
        '<details><summary>The numbers</summary>\n\nTwelve of them.\n\n</details>\n\n'
        'After the numbers.\n\nThe end.\n', encoding="utf-8")
    assert invoke(site, "preview", "centred").exit_code == 0
    email = site / "preview" / "centred" / "email.html"
    if not style:  # as Gmail's apps with other accounts show it
        strip_style(email)
    show(browser, email, 375)
    pictures, gaps = browser.execute_script(
        "const box = e => e.getBoundingClientRect(), column = box(document.querySelector('.content'));"
        "const [details, after, end] = [...document.querySelectorAll('.content details, .content details ~ p')];"
        "return [[...document.querySelectorAll('.content img')].map(image =>"
        "  [box(image).left - column.left, column.right - box(image).right]),"
        " [box(after).top - box(details).bottom, box(end).top - box(after).bottom]];")
    assert len(pictures) == 3
    for left, right in pictures:
        assert left > 100 and abs(left - right) <= 1
    assert gaps[0] == gaps[1] == 18


@pytest.mark.parametrize("scheme", SCHEMES)
def test_text_in_a_box_the_post_coloured_reads_on_its_background(browser, tmp_path, scheme):
    # WordPress writes a coloured paragraph as <p style="background-color:...">: in dark mode its
    # text took the dark scheme's light grey on its pale yellow (1.1:1), and in light mode the
    # paragraphs inside a box the post made dark took the light scheme's dark text. Text pasted
    # from a shared document, color:#000000 on every span, was black on the dark card.
    show(browser, preview(tmp_path, "coloured_boxes.md", "coloured-boxes"), 375, scheme)
    checked, low = browser.execute_script(CONTRAST_JS)
    assert checked >= 15 and low == []
    assert browser.execute_script(
        "return [...document.querySelectorAll('.content .own-colours')].map(box =>"
        " getComputedStyle(box).backgroundColor);") == [
        "rgb(252, 249, 232)", "rgb(238, 244, 255)", "rgb(31, 41, 51)", "rgb(230, 244, 234)"]


@pytest.mark.parametrize("style", [True, False])
def test_a_box_the_post_sized_for_a_desktop_never_widens_a_phones_screen(browser, tmp_path,
                                                                        style):
    # <div style="width:700px"> and an Instagram embed's min-width:326px made a 320 px phone's
    # email 728 px wide.
    email = preview(tmp_path, "fixed_width_boxes.md", "fixed-width-boxes")
    if not style:  # as Gmail's apps with other accounts show it
        strip_style(email)
    show(browser, email, 320)
    scroll_width, boxes = browser.execute_script(
        "return [document.documentElement.scrollWidth, [...document.querySelectorAll("
        "'.content > div, .content > blockquote, .content > pre')].map(box =>"
        " box.getBoundingClientRect().right)];")
    assert scroll_width <= 320 and len(boxes) == 3 and max(boxes) <= 320


def test_a_long_button_label_wraps_to_lines_inside_a_button_of_their_height(browser, tmp_path):
    # Each line of the label was 48 px high: a label on two lines made a 96 px block with a
    # gap between its lines as tall as a line; one line stays 48 px.
    site = copy_example_site(tmp_path / "site")
    add_fixture(site, "cta_and_subject_overrides.md")
    post = site / "content" / "posts" / "cta_and_subject_overrides.md"
    post.write_text(post.read_text(encoding="utf-8").replace(
        'cta_text: "Book a call"', 'cta_text: "Save your seat at the workshop"'),
        encoding="utf-8")
    for slug in ("what-matters", "cta-and-subject-overrides"):
        assert invoke(site, "preview", slug).exit_code == 0
    sizes = []
    for slug in ("what-matters", "cta-and-subject-overrides"):
        show(browser, site / "preview" / slug / "email.html", 375)
        sizes.append(browser.execute_script(
            "const button = document.querySelector('a.button'), box = button.getBoundingClientRect();"
            "return [box.width, box.height, button.getClientRects().length,"
            " getComputedStyle(button).lineHeight];"))
    assert sizes == [[220, 48, 1, "24px"], [220, 72, 1, "24px"]]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_text_the_post_coloured_reads_on_the_card_in_either_scheme(browser, tmp_path, scheme):
    # A writer's red, green or grey words (<span style="color:red">, <font color>) stayed as
    # written on both cards: red was 3.9:1 on the light card and 3.8:1 on the dark one, #777
    # 4.4:1, the green 3.6:1 in dark mode.
    show(browser, preview(tmp_path, "coloured_text.md", "coloured-text"), 375, scheme)
    checked, low = browser.execute_script(CONTRAST_JS)
    assert checked >= 8 and low == []
    colours = browser.execute_script(
        "return [...document.querySelectorAll('.content span, .content font')].map(words =>"
        " getComputedStyle(words).color);")
    assert len(colours) == 4 and len(set(colours)) == 4  # each still its own colour
    if scheme == "light":  # a colour that reads on the card stays as written
        assert colours[1:3] == ["rgb(26, 127, 55)", "rgb(179, 38, 30)"]


def test_a_table_the_post_lays_out_with_has_no_grid_and_reads_as_its_blocks(browser, tmp_path):
    # A <table role="presentation"> setting a picture beside its words got the borders and
    # padding of a data table, and its cells read "[Image: ...] | The beds rest..." in the text.
    email = preview(tmp_path, "layout_table.md", "layout-table")
    show(browser, email, 600)
    cells = browser.execute_script(
        "return [...document.querySelectorAll('.content td')].map(cell => {"
        " const style = getComputedStyle(cell); return [style.borderTopWidth, style.paddingLeft]; });")
    assert cells[:2] == [["0px", "0px"]] * 2
    assert cells[2:] == [["1px", "10px"]] * 2  # the Markdown table keeps its grid
    text = email.with_name("email.txt").read_text(encoding="utf-8")
    assert ("[Image: Three raised beds under snow]\n\nThe beds rest until March.\n\n"
            "The garlic went in before the frost.\n\nBed | Crop\n--- | ----\n1 | Garlic") in text


def test_a_paragraph_in_another_direction_than_the_post_reads_in_its_own(browser, tmp_path):
    # A Hebrew or Arabic paragraph in an English post was laid out left to right: its number
    # and its full stop stood at the wrong ends ("3-שלום לכולם...", "12 ...العدد.").
    show(browser, preview(tmp_path, "mixed_directions.md", "mixed-directions"), 375)
    paragraphs = browser.execute_script(
        "return [...document.querySelectorAll('.content p:not(.date)')];")
    drawn = [browser.execute_script(EDGES_JS, paragraph) for paragraph in paragraphs]
    assert [(first, last) for first, _, last, _ in drawn] == [
        ("A", ":"), ("ש", "."), ("A", ":"), ("و", "."), ("T", ".")]
    # Each reads from its own side: a right-to-left one's first letter is right of its end.
    assert [first_left > last_left for _, first_left, _, last_left in drawn] == [
        False, True, False, True, False]
    assert browser.execute_script(
        "return arguments[0].map(paragraph => getComputedStyle(paragraph).direction);",
        paragraphs) == ["ltr", "rtl", "ltr", "rtl", "ltr"]


def test_a_link_around_blocks_holds_them_as_the_blog_shows_it(browser, tmp_path):
    # <a class="card"><div>...</div></a> on a line of its own is a Markdown paragraph: the
    # email carried <p><a><div>, which a mail client's parser closes at the <div>, leaving an
    # empty link (no name for a screen reader) and the card's words unlinked.
    site = copy_example_site(tmp_path / "site")
    (site / "content" / "posts" / "card.md").write_text(
        '---\ntitle: "Read This Week"\ndate: 2026-11-20T10:00:00Z\nslug: /posts/card\n'
        'description: "One article."\n---\n\n'
        '<a href="https://example.com/article" class="card"><div><p><strong>Why we walk'
        '</strong></p><p>An essay on slow mornings.</p></div></a>\n\nThe end.\n',
        encoding="utf-8")
    assert invoke(site, "preview", "card").exit_code == 0
    show(browser, site / "preview" / "card" / "email.html", 375)
    links = browser.execute_script(
        "return [...document.querySelectorAll('.content a')].map(link => link.textContent);")
    assert links == ["Why we walkAn essay on slow mornings."]
    text = (site / "preview" / "card" / "email.txt").read_text(encoding="utf-8")
    assert "Why we walk An essay on slow mornings. <https://example.com/article>" in text
