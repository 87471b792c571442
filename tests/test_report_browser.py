"""The preview server's report page in headless Chromium: a post sent through the SendGrid fake,
its documented webhook events taken by `serve`, then `/report`: charts drawn, figures equal to
`status --json`, readable in light and dark, no violation axe-core finds, nothing loaded."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from pathlib import Path

import pytest
from browser import chromium, preview_server
from conftest import copy_example_site, invoke
from fake_providers import provider_environ, write_settings
from machine import missing
from selenium.webdriver.common.by import By
from test_delivery_events import ANN, BOB, CY, DEE, EVE, POST, SLUG, post_events, send_through
from test_delivery_events import unsubscribe as one_click_unsubscribe
from web_server import serving
from webhook_support import ENVIRON

from newsletter.config import load_settings
from newsletter.sending import Funnel
from newsletter.web import NewsletterApp

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => [v.id, v.help, v.nodes.map(n => n.target.join(' '))])))
  .catch(error => done([['axe-error', String(error), []]]));
"""
# The lowest contrast between the page's background and any text of the report, SVG included.
CONTRAST_JS = """
const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05); };
const page = getComputedStyle(document.body).backgroundColor;
const low = [];
for (const element of document.querySelectorAll('main *')) {
  const own = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || ['title', 'desc'].includes(element.tagName)) continue;  // SVG's are not drawn
  const style = getComputedStyle(element);
  const colour = element instanceof SVGElement ? style.fill : style.color;
  let back = page;
  for (let e = element; e; e = e.parentElement) {
    const b = getComputedStyle(e).backgroundColor;
    if (!b.startsWith('rgba(0, 0, 0, 0)')) { back = b; break; }
  }
  const r = ratio(colour, back);
  if (r < 4.5) low.push([element.tagName, element.textContent.trim().slice(0, 30), r.toFixed(2)]);
}
return [page, low];
"""


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """(site, preview base URL): a post sent to five readers, with its events recorded."""
    site = copy_example_site(tmp_path_factory.mktemp("report") / "site")
    rows = [f"{ANN},Ann,active,,2026-11-20", f"{BOB},Bob,active,,2026-11-27",
            f"{CY},Cy,active,,2026-12-01", f"{DEE},Dee,active,,2026-09-01", f"{EVE},Eve,active,,"]
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags,subscribed_at\n" + "\n".join(rows) + "\n")
    write_settings(site, "tracking", opens=True)
    with ExitStack() as stack:
        send_through(site, "sendgrid", stack)
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        post_events(base, "sendgrid", [
            ("delivered", ANN, POST), ("opened", ANN, POST), ("delivered", BOB, POST),
            ("complained", BOB, POST), ("bounced", CY, POST), ("delivered", DEE, POST),
            ("delivered", EVE, POST), ("clicked", EVE, POST)])
        one_click_unsubscribe(base, DEE)
    with preview_server(site, tmp_path_factory.mktemp("server-log")) as url:
        yield site, url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def show(browser, url: str, scheme: str = "light") -> None:
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.get(url)


def test_the_index_links_to_the_report(browser, reported):
    _, base = reported
    show(browser, base + "/")
    browser.find_element(By.CSS_SELECTOR, "#report-link a").click()
    assert browser.current_url == base + "/report"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Report"


def test_the_funnel_chart_and_table_show_the_figures_of_status_json(browser, reported):
    site, base = reported
    result = invoke(site, "status", SLUG, "--json", env=provider_environ("sendgrid"))
    figures = json.loads(result.output)
    funnel = {"post": POST, "sent": 5, "in_doubt": 0, "failed": 0, "pending": 0,
              "delivered": 4, "bounced": 1, "complained": 1, "unsubscribed": 1,
              "opened": 1, "clicked": None}
    assert {key: figures[key] for key in funnel} == funnel

    show(browser, base + "/report")
    section = browser.find_element(By.CSS_SELECTOR, f'section[data-post-id="{POST}"]')
    assert len(section.find_elements(By.CSS_SELECTOR, "svg.chart[role=img] title")) == 1
    bars = {bar.get_attribute("data-step"): int(bar.get_attribute("data-count"))
            for bar in section.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")}
    table = {row.get_attribute("data-step"): row.find_elements(By.TAG_NAME, "td")[0].text
             for row in section.find_elements(By.CSS_SELECTOR, "table.funnel tbody tr")}
    steps = {step: step for step in ("accepted", "delivered", "bounced", "no_word_yet",
                                     "complained", "unsubscribed", "opened", "clicked")}
    for step, key in steps.items():
        expected = figures[key]
        assert table[step] == ("not tracked" if expected is None else f"{expected:,}")
        assert bars.get(step) == expected
    # Bars are drawn to scale: delivered is four fifths of accepted.
    widths = {bar.get_attribute("data-step"): bar.rect["width"]
              for bar in section.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")}
    assert widths["delivered"] == pytest.approx(widths["accepted"] * 0.8, abs=1.5)
    assert section.find_element(By.CSS_SELECTOR, "tr[data-step=delivered] td + td").text == "80.0%"


def test_the_list_chart_shows_who_is_active_who_joined_and_who_left(browser, reported):
    _, base = reported
    show(browser, base + "/report")
    weeks = browser.find_elements(By.CSS_SELECTOR, "#list-chart g.week")
    assert len(weeks) == 26
    figures = [(int(w.get_attribute("data-active")), int(w.get_attribute("data-joined")),
                int(w.get_attribute("data-left"))) for w in weeks]
    assert figures[-1][0] == 2  # Ann and Eve are still active
    assert sum(left for _, _, left in figures) == 3  # Bob complained, Cy bounced, Dee left
    table = browser.find_elements(By.CSS_SELECTOR, "#weeks tbody tr")
    assert [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in table] == [
        [f"{a:,}", str(j), str(l)] for a, j, l in reversed(figures)]


def accessible_images(browser) -> list[tuple[str, str]]:
    """(name, description) of every image in the page's accessibility tree: what a screen
    reader is told of each chart."""
    nodes = browser.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    found = []
    for node in nodes:
        if node.get("role", {}).get("value") == "image":
            found.append((node.get("name", {}).get("value", ""),
                          node.get("description", {}).get("value", "")))
    return found


def test_each_chart_tells_a_screen_reader_every_figure_it_draws(browser, reported):
    """A chart's bars say nothing without sight, and its colours nothing without colour: its
    accessible description holds every figure, as the table beside it does, with what a
    figure holds (Cy's bounce was a hard one)."""
    _, base = reported
    show(browser, base + "/report")
    images = dict(accessible_images(browser))

    funnel = images[f"What happened to 5 emails of {POST}"]
    assert funnel == ("Accepted: 5; Delivered: 4, 80.0%; Bounced: 1, 20.0% (1 hard); "
                      "No word yet: 0, 0.0%; Complained: 1, 20.0%; Unsubscribed: 1, 20.0%; "
                      "Opened: 1, 20.0%; Clicked: not tracked.")
    weeks = images["Active readers, and who joined and left, week by week"]
    # Eve (no date) was there from the first week; Dee, Ann, Bob and Cy joined; three left.
    assert re.fullmatch(r"From the week of [-\d]{10} \(1 active\) to the week of [-\d]{10} "
                        r"\(2 active\): 4 joined and 3 left; the table gives each week\.", weeks)
    section = browser.find_element(By.CSS_SELECTOR, f'section[data-post-id="{POST}"]')
    assert section.find_element(By.CSS_SELECTOR, "tr[data-step=bounced] td:last-child").text \
        == "1 hard"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_report_is_readable_in_light_and_dark(browser, reported, scheme):
    _, base = reported
    show(browser, base + "/report", scheme)
    page, low = browser.execute_script(CONTRAST_JS)
    assert low == []
    assert (page == "rgb(22, 24, 28)") == (scheme == "dark")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violation_on_the_report(browser, reported, scheme):
    if not AXE.is_file():
        missing(f"{AXE} is missing: run `npm ci --prefix tests`")
    _, base = reported
    show(browser, base + "/report", scheme)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    assert browser.execute_async_script(AXE_JS) == []


def test_the_report_loads_nothing_of_its_own(browser, reported):
    _, base = reported
    show(browser, base + "/report")
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name);") == []


def show_chart(browser, chart: str) -> None:
    """A chart alone on a page, styled as the report styles it."""
    from urllib.parse import quote

    css = Path(__file__).parents[1] / "newsletter" / "preview" / "templates" / "report.css"
    browser.get("data:text/html;charset=utf-8," + quote(
        f"<!doctype html><style>{css.read_text()}</style>{chart}"))


@pytest.mark.parametrize("funnel", [
    # A list of tens of millions, every reader delivered.
    Funnel("/posts/big", 98_765_432_109, 0, 0, 0, 98_765_432_109, 0, 0, 0, 98_765_432_109, None),
    # A post whose readers are all in doubt, though the provider's events say some got it.
    Funnel("/posts/unsure", 0, 3, 0, 0, 2, 1, 0, 0, 0, None),
], ids=["huge", "nothing-accepted"])
def test_each_figure_of_the_funnel_chart_is_drawn_whole_within_it(browser, funnel):
    from newsletter.preview.charts import funnel_chart

    show_chart(browser, funnel_chart(funnel, "f"))
    width, texts = browser.execute_script(
        "const svg = document.querySelector('svg');"
        "return [svg.viewBox.baseVal.width, [...svg.querySelectorAll('text')].map("
        "t => [t.textContent, t.getBBox().x + t.getBBox().width])];")
    assert texts and all(right <= width for _, right in texts), texts
    assert not any(text.rstrip().endswith("·") for text, _ in texts), texts


def test_the_list_charts_scale_stands_clear_of_a_list_of_millions(browser):
    import datetime as dt

    from newsletter.preview.charts import list_chart
    from newsletter.sending import Week

    weeks = [Week(dt.date(2026, 1, 5) + dt.timedelta(weeks=n), 12_345_678 + n, 40_000, 1_000)
             for n in range(52)]
    show_chart(browser, list_chart(weeks, "l"))
    scale, plot = browser.execute_script(
        "const svg = document.querySelector('svg');"
        "const right = e => e.getBBox().x + e.getBBox().width;"
        "return [Math.max(...[...svg.querySelectorAll('text.axis')].filter("
        "t => !t.textContent.startsWith('week')).map(right)),"
        "Math.min(...[...svg.querySelectorAll('g.week rect')].map(r => r.getBBox().x))];")
    assert scale < plot, (scale, plot)
