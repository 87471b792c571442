"""The emails as readers see them, in real headless Chromium: the kitchen-sink post (every
element a post can hold, tests/fixtures/posts/kitchen-sink), read as Python-Markdown and as
CommonMark (newsletter/render/dialects.py), and the sign-up emails.

- On a 375 px phone and at 600 px, with the ``<style>`` block and without it (Gmail's mobile
  webmail and its apps with other accounts drop it), the email is never wider than the screen.
- In light and in dark mode (``prefers-color-scheme`` emulated through the DevTools protocol),
  every element holding text reaches a 4.5:1 contrast against its own background, measured
  from computed styles, and axe-core finds no violation. axe-core comes from npm
  (``npm ci --prefix tests``, pinned in tests/package-lock.json; `.ci/run` installs it): the
  test never downloads it, and under ``CI=true`` a missing copy fails instead of skipping.

Regenerate the screenshots docs/email.md shows after an intended change with
``python tests/test_email_browser.py`` (from the repository, with ``PYTHONPATH=.:tests``) and
look at them.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from browser import chromium
from conftest import copy_example_site, invoke
from machine import missing
from PIL import Image
from test_content import add_fixture

from newsletter.config import load_settings
from newsletter.render import CONFIRM, WELCOME, render_notice

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent.parent / "docs" / "images"
WIDTHS = (375, 600)
SCHEMES = ("light", "dark")
KITCHEN_SINK_COMMONMARK = "kitchen-sink (commonmark)"
KITCHEN_SINKS = ("kitchen-sink", KITCHEN_SINK_COMMONMARK)
SAMPLE = {"unsubscribe_url": "https://blog.example.com/unsubscribe/sample",
          "email": "reader@example.org"}
# Judged on a whole web page, not on an email: a mail client shows the email inside its own
# page's main landmark, where a second <main> would be wrong.
PAGE_ONLY_RULES = ("landmark-one-main", "region")

# [elements checked, [elements under 4.5:1]] over every visible element with text of its own,
# each against the background it is drawn on (the colours of its ancestors, composited).
CONTRAST_JS = """
const rgba = colour => { const v = colour.match(/[\\d.]+/g).map(Number); return v.length === 3 ? [...v, 1] : v; };
const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
const luminance = c => c.slice(0, 3).map(v => v / 255)
  .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const background = element => {
  const layers = [];
  for (let e = element; e; e = e.parentElement) {
    const colour = rgba(getComputedStyle(e).backgroundColor);
    if (colour[3] > 0) layers.push(colour);
    if (colour[3] >= 1) break;
  }
  return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
};
let checked = 0;
const low = [];
for (const element of document.body.querySelectorAll('*')) {
  const text = [...element.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (!text || !element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
  const back = background(element);
  const fore = over(rgba(getComputedStyle(element).color), back);
  const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
  const ratio = (light + 0.05) / (dark + 0.05);
  checked += 1;
  if (ratio < 4.5) low.push([element.tagName, element.className,
    element.textContent.trim().slice(0, 40), fore.join(','), back.join(','), ratio.toFixed(2)]);
}
return [checked, low];
"""
AXE_JS = """
const done = arguments[arguments.length - 1];
const rules = Object.fromEntries(arguments[0].map(id => [id, {enabled: false}]));
axe.run(document, {rules, resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => [v.id, v.help, v.nodes.map(n => n.target.join(' '))])))
  .catch(error => done([['axe-error', String(error), []]]));
"""


def write_emails(folder: Path) -> dict[str, Path]:
    """The kitchen-sink post's preview email.html (read as Python-Markdown, the example site's
    dialect, and as CommonMark, the other generators') and the sign-up emails, each also
    without its <style> block, as files in new example sites under ``folder``."""
    files = {}
    for name, markdown in (("kitchen-sink", None), (KITCHEN_SINK_COMMONMARK, "commonmark")):
        site = copy_example_site(folder / name)
        if markdown:
            settings_file = site / "newsletter.toml"
            settings_file.write_text(settings_file.read_text(encoding="utf-8")
                                     + f'\n[posts]\nmarkdown = "{markdown}"\n', encoding="utf-8")
        add_fixture(site, "kitchen-sink")
        result = invoke(site, "preview", "kitchen-sink")
        assert result.exit_code == 0, result.output
        preview = site / "preview" / "kitchen-sink"
        files[name] = preview / "email.html"
    settings = load_settings(site, {})
    for kind in (CONFIRM, WELCOME):
        html, _ = render_notice(settings, kind).fill(SAMPLE)
        files[kind] = preview / f"{kind}.html"
        files[kind].write_text(html, encoding="utf-8")
    for name, path in list(files.items()):
        stripped = re.sub(r"<style\b.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert stripped.count("<style") == 0 and "style=" in stripped
        files[f"{name} without <style>"] = path.with_name(f"{path.stem}-without-style.html")
        files[f"{name} without <style>"].write_text(stripped, encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def emails(tmp_path_factory) -> dict[str, Path]:
    return write_emails(tmp_path_factory.mktemp("emails"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        driver.set_script_timeout(60)
        yield driver


def show(browser, path: Path, width: int, scheme: str = "light", height: int = 800) -> None:
    """Open ``path`` in a window ``width`` CSS pixels wide, in the colour scheme ``scheme``."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    browser.get(path.as_uri())


def axe_source() -> str:
    if AXE.is_file():
        return AXE.read_text(encoding="utf-8")
    missing(f"{AXE} is missing: run `npm ci --prefix tests`")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [f"{name}{style}" for name in (*KITCHEN_SINKS, CONFIRM, WELCOME)
                                  for style in ("", " without <style>")])
def test_the_email_is_never_wider_than_the_screen(browser, emails, name, width):
    show(browser, emails[name], width)
    scroll_width, inner_width, client_width, container = browser.execute_script(
        "const root = document.documentElement;"
        "return [root.scrollWidth, innerWidth, root.clientWidth,"
        " document.querySelector('.container').getBoundingClientRect().width];")
    assert inner_width == width
    assert scroll_width <= inner_width
    # The column fills the window (less a scroll bar and the wrapper's padding), up to 600 px.
    assert min(client_width - 24, 600) <= container <= 600


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("style", ["", " without <style>"])
@pytest.mark.parametrize("kitchen_sink", KITCHEN_SINKS)
def test_wide_content_wraps_or_scrolls_inside_its_own_block(browser, emails, width, style,
                                                            kitchen_sink):
    show(browser, emails[kitchen_sink + style], width)
    code, table, title, body_h1 = browser.execute_script("""
        const size = e => [e.scrollWidth, e.clientWidth];
        const font = e => parseFloat(getComputedStyle(e).fontSize);
        const one = selector => document.querySelector(selector);
        return [size(one('pre')), size(one('.table-scroll')), font(one('.title')),
                font(one('h1:not(.title)'))];
    """)
    assert code[0] <= code[1]  # the long line wraps
    if width == 375:
        assert table[0] > table[1]  # too wide for a phone: it scrolls inside its block
    assert body_h1 < title


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", [*KITCHEN_SINKS, CONFIRM, WELCOME])
def test_every_text_has_at_least_4_5_to_1_contrast_on_its_background(browser, emails, name,
                                                                     scheme):
    for width in WIDTHS:
        show(browser, emails[name], width, scheme)
        card = browser.execute_script(
            "return getComputedStyle(document.querySelector('.container')).backgroundColor;")
        assert card == ("rgb(253, 252, 250)" if scheme == "light" else "rgb(38, 37, 34)")
        checked, low = browser.execute_script(CONTRAST_JS)
        assert checked >= (90 if name in KITCHEN_SINKS else 5)
        assert low == [], f"{scheme} at {width} px"


@pytest.mark.parametrize("kitchen_sink", KITCHEN_SINKS)
def test_an_image_keeps_the_light_card_behind_it_in_dark_mode(browser, emails, kitchen_sink):
    # A transparent diagram or logo is drawn for a light page: on the dark card its dark lines
    # would vanish.
    show(browser, emails[kitchen_sink], 375, "dark")
    backgrounds = browser.execute_script(
        "return [...document.querySelectorAll('.content img')]"
        ".map(image => getComputedStyle(image).backgroundColor);")
    assert len(backgrounds) >= 2 and set(backgrounds) == {"rgb(253, 252, 250)"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", [*KITCHEN_SINKS, CONFIRM, WELCOME])
def test_axe_core_finds_no_violation(browser, emails, name, scheme):
    source = axe_source()
    # On a phone the kitchen sink's wide table scrolls: a keyboard must reach it too.
    for width in WIDTHS if name in KITCHEN_SINKS else (600,):
        show(browser, emails[name], width, scheme)
        browser.execute_script(source)
        assert browser.execute_script("return axe.version").startswith("4.")
        assert browser.execute_async_script(AXE_JS, list(PAGE_ONLY_RULES)) == [], f"{width} px"


def test_axe_core_would_see_a_low_contrast_code_block(browser, emails, tmp_path):
    """The issue's defect, planted again: a dark-mode code block with its light background."""
    source = axe_source()
    html = emails["kitchen-sink"].read_text(encoding="utf-8")
    broken = tmp_path / "email.html"
    rule = ".content pre,.content code,.content th{background-color"
    assert rule in html
    broken.write_text(html.replace(rule, ".content th{background-color"), encoding="utf-8")
    show(browser, broken, 600, "dark")
    browser.execute_script(source)
    violations = browser.execute_async_script(AXE_JS, list(PAGE_ONLY_RULES))
    assert [rule for rule, _, _ in violations] == ["color-contrast"]
    low = browser.execute_script(CONTRAST_JS)[1]
    assert low and {tag for tag, *_ in low} == {"CODE"}  # the code block's and the spans' text


def write_screenshots() -> None:
    """The kitchen-sink email on a phone, light and dark, as docs/images/kitchen-sink-*.png."""
    with tempfile.TemporaryDirectory() as folder, chromium(Path(folder) / "profile") as browser:
        email = write_emails(Path(folder))["kitchen-sink"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for scheme in SCHEMES:
            show(browser, email, 375, scheme)
            height = browser.execute_script("return document.documentElement.scrollHeight")
            show(browser, email, 375, scheme, height)
            path = SCREENSHOTS / f"kitchen-sink-{scheme}.png"
            browser.save_screenshot(str(path))
            Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)
            print(path)


if __name__ == "__main__":
    write_screenshots()
