"""The email in the modes a reader's system picks, in headless Chromium: forced colours (Windows'
contrast themes, which replace every colour and drop every background), a client that ignores
``display:none``, a phone's narrow column under a table written for a desktop."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_example_site, invoke
from PIL import Image, ImageDraw
from selenium.webdriver.common.by import By
from test_content import add_fixture
from test_email_browser import (AXE_JS, CONTRAST_JS, PAGE_ONLY_RULES, SCHEMES, axe_source,
                                browser, emails, show)  # noqa: F401 (fixtures)

from newsletter.render import CONFIRM

# [selector, border width, border style, border colour, the canvas colour behind it] under
# forced colours, where backgrounds are gone and only borders outline a box.
OUTLINES_JS = """
return arguments[0].map(selector => {
  const element = document.querySelector(selector), style = getComputedStyle(element);
  return [selector, style.borderTopWidth, style.borderTopStyle, style.borderTopColor,
          getComputedStyle(document.body).backgroundColor];
});
"""


def show_forced(browser, path, scheme: str) -> None:
    """Open ``path`` at 375 px with forced colours on, the system's ``scheme`` under them."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "forced-colors", "value": "active"},
        {"name": "prefers-color-scheme", "value": scheme}]})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    browser.get(path.as_uri())  # the next show() emulates its own features only


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_button_and_a_code_block_keep_their_outline_in_forced_colours(browser, emails,
                                                                         scheme):
    # A contrast theme drops backgrounds: the "Get in touch" button was a bold link floating
    # among the footer's, and a code block's lines ran into the paragraphs around it.
    for name, selectors in (("kitchen-sink", ["a.button", ".content pre"]),
                            (CONFIRM, ["a.button"])):
        show_forced(browser, emails[name], scheme)
        assert browser.execute_script("return matchMedia('(forced-colors: active)').matches")
        for selector, width, style, colour, canvas in browser.execute_script(OUTLINES_JS,
                                                                             selectors):
            assert float(width[:-2]) >= 1 and style == "solid", (name, selector)
            assert colour != canvas, (name, selector)




def test_a_transparent_diagram_keeps_the_light_card_behind_it_in_a_dark_contrast_theme(
        browser, tmp_path):
    # Dark mode puts the light card behind every picture, for the dark lines of a transparent
    # diagram; a dark contrast theme painted its own black there, and the lines vanished.
    site = copy_example_site(tmp_path / "site")
    bundle = site / "content" / "posts" / "diagram"
    bundle.mkdir()
    diagram = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    ImageDraw.Draw(diagram).line([(20, 180), (200, 40), (380, 120)], fill=(20, 20, 20, 255),
                                 width=6)
    diagram.save(bundle / "flow.png")
    (bundle / "index.md").write_text(
        '---\ntitle: "How It Flows"\ndate: 2026-11-20T10:00:00Z\nslug: /posts/diagram\n'
        'description: "One diagram."\n---\n\n![Water flows from the roof to the barrel]'
        '(flow.png)\n\nThe end.\n', encoding="utf-8")
    assert invoke(site, "preview", "diagram").exit_code == 0
    show_forced(browser, site / "preview" / "diagram" / "email.html", "dark")
    canvas, behind = browser.execute_script(
        "return [getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('.content img')).backgroundColor];")
    assert canvas == "rgb(0, 0, 0)" and behind == "rgb(253, 252, 250)"



def test_a_box_the_post_coloured_keeps_an_outline_in_forced_colours(browser, tmp_path):
    # A note the post gave a background (a WordPress coloured paragraph, a <div> box) lost it
    # under a contrast theme, and with it its edges: its words ran on as the email's.
    site = copy_example_site(tmp_path / "site")
    add_fixture(site, "coloured_boxes.md")
    assert invoke(site, "preview", "coloured-boxes").exit_code == 0
    show_forced(browser, site / "preview" / "coloured-boxes" / "email.html", "dark")
    outlines = browser.execute_script(
        "return [...document.querySelectorAll('.content .own-colours')].map(box => {"
        " const style = getComputedStyle(box);"
        " return [box.tagName, style.outlineStyle, style.outlineWidth, style.outlineColor]; });")
    assert [tag for tag, *_ in outlines] == ["P", "DIV", "DIV", "TD"]
    for tag, style, width, colour in outlines:
        assert (style, width) == ("solid", "1px") and colour != "rgb(0, 0, 0)", tag


@pytest.fixture(scope="module")
def theme_sample(tmp_path_factory) -> dict[str, Path]:
    """The preview of tests/fixtures/posts/theme_sample.md (what themes' sample posts hold, read
    as CommonMark), with its <style> blocks and without them, as Gmail's apps with other
    accounts show it."""
    site = copy_example_site(tmp_path_factory.mktemp("theme") / "site")
    settings_file = site / "newsletter.toml"
    settings_file.write_text(settings_file.read_text(encoding="utf-8")
                             + '\n[posts]\nmarkdown = "commonmark"\n', encoding="utf-8")
    add_fixture(site, "theme_sample.md")
    result = invoke(site, "preview", "theme-sample")
    assert result.exit_code == 0, result.output
    email = site / "preview" / "theme-sample" / "email.html"
    stripped = email.with_name("email-without-style.html")
    stripped.write_text(re.sub(r"<style\b.*?</style>", "", email.read_text(encoding="utf-8"),
                               flags=re.S), encoding="utf-8")
    return {"": email, " without <style>": stripped}


@pytest.mark.parametrize("style", ["", " without <style>"])
def test_a_tables_sentences_keep_a_readable_width_on_a_phone(browser, theme_sample, style):
    # The options table is wider than a phone, so it scrolls; but each column shrank to its
    # longest word: the description ran down a column 100 px wide, its row 233 px tall.
    # A Japanese sentence, without spaces, ran down a column one character wide.
    show(browser, theme_sample[style], 320)
    for start in ("The absolute address", "サイトの言語"):
        width, height = browser.execute_script(
            "const cell = [...document.querySelectorAll('.content td')]"
            ".find(cell => cell.textContent.startsWith(arguments[0]));"
            "return [cell.getBoundingClientRect().width,"
            " cell.parentElement.getBoundingClientRect().height];", start)
        assert width >= 160 and height <= 5 * 22 + 12, start  # five lines, and the padding


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [320, 600])
def test_a_themes_sample_post_fits_reads_and_passes_axe_core(browser, theme_sample, width,
                                                             scheme):
    for style, email in theme_sample.items():
        show(browser, email, width, scheme)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        checked, low = browser.execute_script(CONTRAST_JS)
        assert checked >= 80 and low == [], style
        browser.execute_script(axe_source())
        assert browser.execute_async_script(AXE_JS, list(PAGE_ONLY_RULES)) == [], style


def test_a_screen_reader_names_a_footnotes_mark_and_its_way_back(browser, theme_sample):
    # Listed with the email's links they were "1", "2" and twice "leftwards arrow with hook"
    # (the arrow's name): the way back's title is only its description.
    show(browser, theme_sample[""], 600)
    names = [link.accessible_name for link in browser.find_elements(
        By.CSS_SELECTOR, ".content a.footnote-ref, .content a.footnote-backref")]
    assert names == ["Footnote 1", "Footnote 2", "Jump back to footnote 1 in the text",
                     "Jump back to footnote 2 in the text"]


# Apple Mail's data detectors, as it rewrites a date or an address it finds: a link of its own,
# which no inline style of the email's reaches.
DETECT_JS = """
return arguments[0].map(selector => {
  const holder = document.querySelector(selector), link = document.createElement('a');
  link.setAttribute('href', 'x-apple-data-detectors://0');
  link.setAttribute('x-apple-data-detectors', 'true');
  link.setAttribute('x-apple-data-detectors-type', 'calendar-event');
  link.append(...holder.childNodes);
  holder.append(link);
  const [inner, outer] = [getComputedStyle(link), getComputedStyle(holder)];
  return [selector, inner.color === outer.color, inner.textDecorationLine];
});
"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_date_or_address_apple_mail_links_keeps_the_look_of_its_text(browser, emails, scheme):
    # Apple Mail makes the post's date and the footer's postal address links: they took the
    # client's link colour, underlined (Chromium's blue: 1.6:1 on the dark card).
    show(browser, emails["kitchen-sink"], 375, scheme)
    detected = browser.execute_script(DETECT_JS, [".content .date", ".footer p:last-child"])
    assert detected == [[".content .date", True, "none"], [".footer p:last-child", True, "none"]]
    checked, low = browser.execute_script(CONTRAST_JS)
    assert checked >= 90 and low == []
