"""`newsletter preview --serve` in a real headless Chromium, and the static pages on disk.

One server subprocess and one browser serve the whole module. Tests that edit the site put
every file back as it was, so they can run in any order.
"""

from __future__ import annotations

import socket
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By

from browser import chromium, png_colours, preview_server
from conftest import REFERENCE_POST, copy_example_site, invoke, run_cli
from fake_providers import write_provider_settings

REFERENCE_FILE = Path("content/posts/what-matters.md")

# The distinct, visible background colours of a frame's elements, as rgb()/rgba() strings.
BACKGROUNDS_JS = """
const seen = new Set();
for (const element of document.querySelectorAll('*')) {
  const colour = getComputedStyle(element).backgroundColor;
  const parts = colour.match(/[\\d.]+/g).map(Number);
  if (parts.length === 3 || parts[3] > 0) seen.add(colour);
}
return [...seen];
"""


@pytest.fixture(scope="module")
def served_site(tmp_path_factory) -> Path:
    return copy_example_site(tmp_path_factory.mktemp("preview") / "site")


@pytest.fixture(scope="module")
def base_url(served_site, tmp_path_factory):
    with preview_server(served_site, tmp_path_factory.mktemp("server-log")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


@contextmanager
def edited(path: Path, old: str, new: str):
    """``path`` with ``old`` replaced by ``new`` for the duration of the block."""
    original = path.read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def frame_script(browser, frame_id: str, script: str):
    """Run ``script`` inside the email frame ``frame_id`` of the current page."""
    browser.switch_to.frame(browser.find_element(By.ID, frame_id))
    try:
        return browser.execute_script(script)
    finally:
        browser.switch_to.default_content()


def luminance(colour: str) -> float:
    red, green, blue = (float(part) for part in colour[colour.index("(") + 1:-1].split(",")[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_index_lists_the_reference_post_with_its_status(browser, base_url):
    browser.get(base_url + "/")
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-post-id="{REFERENCE_POST}"]')
    assert row.find_element(By.CSS_SELECTOR, ".status").text == "ready"
    assert "What Matters When You Write Every Week" in row.text
    assert row.find_element(By.TAG_NAME, "a").get_attribute("href") == base_url + REFERENCE_POST


def test_post_page_shows_subject_and_preheader_in_an_inbox_row(browser, base_url):
    browser.get(base_url + REFERENCE_POST)
    assert browser.find_element(By.ID, "sender").text == "Jane Writer"
    assert browser.find_element(By.ID, "subject").text == "What Matters When You Write Every Week"
    preheader = browser.find_element(By.ID, "preheader").text
    assert "Three years of weekly posts taught me" in preheader
    assert preheader.endswith("\u2026")  # the description is longer than a desktop inbox shows


def test_phone_view_is_375_px_with_no_horizontal_scroll(browser, base_url):
    browser.get(base_url + REFERENCE_POST)
    width, scroll_width = frame_script(
        browser, "phone",
        "const root = document.documentElement; return [root.clientWidth, root.scrollWidth];")
    assert width <= 375  # 375 less a vertical scroll bar, if one shows
    assert scroll_width <= width


def test_dark_view_applies_the_emails_dark_rules(browser, base_url):
    browser.get(base_url + REFERENCE_POST)
    light = frame_script(browser, "phone", BACKGROUNDS_JS)
    dark = frame_script(browser, "dark", BACKGROUNDS_JS)
    changed_light, changed_dark = set(light) - set(dark), set(dark) - set(light)
    assert changed_light and changed_dark
    # Every background the dark rules changed is darker than any it replaced.
    assert max(map(luminance, changed_dark)) < min(map(luminance, changed_light))
    assert "prefers-color-scheme: dark" in browser.find_element(By.ID, "dark-note").text


def test_the_page_makes_no_requests_of_its_own(browser, base_url):
    browser.get(base_url + REFERENCE_POST)
    requests = browser.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name);")
    assert requests == []


def test_the_post_page_shows_the_preflight_findings_of_newsletter_check(browser, base_url,
                                                                       served_site):
    browser.get(base_url + REFERENCE_POST)
    assert browser.find_element(By.ID, "findings").text.startswith("Nothing found")
    with edited(served_site / REFERENCE_FILE, "Three years ago I promised",
                "Three years ago I [promised](#) and [Donec](javascript:alert(1))"):
        browser.refresh()
        findings = browser.find_elements(By.CSS_SELECTOR, "#findings .finding")
        rows = [(item.find_element(By.CSS_SELECTOR, ".severity").text,
                 item.find_element(By.CSS_SELECTOR, ".code").text,
                 item.find_element(By.CSS_SELECTOR, ".where").text) for item in findings]
        assert rows == [("ERROR", "link-fragment", "content/posts/what-matters.md:14"),
                        ("ERROR", "link-javascript", "content/posts/what-matters.md:14")]
        assert "Fix: link to a web page" in findings[0].text
        # The same findings, from the same code, as the command prints.
        printed = run_cli(served_site, "check", "what-matters")
        assert [line.split(": ")[1:3] for line in printed.stdout.splitlines()] == [
            [where, code] for _, code, where in rows]


def test_an_edited_title_shows_on_reload(browser, base_url, served_site):
    browser.get(base_url + REFERENCE_POST)
    with edited(served_site / REFERENCE_FILE, "title: What Matters", "title: What Still Matters"):
        browser.refresh()
        assert browser.find_element(By.ID, "title").text == "What Still Matters When You Write Every Week"
        assert browser.find_element(By.ID, "subject").text == "What Still Matters When You Write Every Week"
    browser.refresh()
    assert browser.find_element(By.ID, "title").text == "What Matters When You Write Every Week"


def test_broken_front_matter_shows_an_error_page_and_the_index_still_loads(
        browser, base_url, served_site):
    broken = served_site / "content/posts/broken-front-matter.md"
    broken.write_text('---\ntitle: "Unclosed\ndate: 2026-01-01\n---\nBody.\n', encoding="utf-8")
    try:
        browser.get(base_url + "/posts/broken-front-matter")
        assert browser.find_element(By.ID, "error-title").text == "This can't be previewed yet"
        assert browser.find_element(By.ID, "error-where").text.startswith(
            "content/posts/broken-front-matter.md")
        assert "not valid YAML" in browser.find_element(By.ID, "error-message").text

        browser.get(base_url + "/")
        assert "broken-front-matter.md" in browser.find_element(By.ID, "errors").text
        browser.find_element(By.CSS_SELECTOR, f'tr[data-post-id="{REFERENCE_POST}"]')
    finally:
        broken.unlink()


def test_a_broken_template_shows_an_error_page_and_the_server_keeps_running(
        browser, base_url, served_site):
    with edited(served_site / "templates/email.html", "</body>", "{% if %}</body>"):
        browser.get(base_url + REFERENCE_POST)
        assert "templates/email.html" in browser.find_element(By.ID, "error").text
    browser.refresh()
    assert browser.find_element(By.ID, "title").text == "What Matters When You Write Every Week"


def test_a_broken_settings_file_shows_an_error_page_until_it_is_fixed(browser, base_url, served_site):
    with edited(served_site / "newsletter.toml", "timezone =", "timezon ="):
        browser.get(base_url + "/")
        assert browser.find_element(By.ID, "error-message").text == "unknown setting site.timezon"
    browser.refresh()
    browser.find_element(By.CSS_SELECTOR, f'tr[data-post-id="{REFERENCE_POST}"]')


def test_screenshot_of_the_post_page_is_not_blank(browser, base_url, tmp_path):
    browser.get(base_url + REFERENCE_POST)
    screenshot = tmp_path / "post-page.png"
    assert browser.save_screenshot(str(screenshot))
    colours = png_colours(screenshot.read_bytes())
    pixels = sum(colours.values())
    assert pixels >= 1000 * 700
    assert len(colours) > 50  # text, status badges, the email's colours
    assert max(colours.values()) < 0.9 * pixels  # no single colour fills the page


def test_static_preview_writes_pages_that_open_from_disk(site, browser):
    result = invoke(site, "preview")
    assert result.exit_code == 0, result.output
    index = site / "preview" / "index.html"
    assert str(index) in result.stdout.splitlines()

    browser.get(index.as_uri())
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-post-id="{REFERENCE_POST}"]')
    assert row.find_element(By.CSS_SELECTOR, ".status").text == "ready"
    draft = browser.find_element(By.CSS_SELECTOR, 'tr[data-post-id="/posts/notes-on-editing"]')
    assert "newsletter preview notes-on-editing" in draft.text  # drafts get a page only when named
    row.find_element(By.LINK_TEXT, "What Matters When You Write Every Week").click()
    assert browser.current_url == (site / "preview/what-matters/index.html").as_uri()
    assert browser.find_element(By.ID, "subject").text == "What Matters When You Write Every Week"
    assert frame_script(browser, "phone", "return document.title") == "What Matters When You Write Every Week"


def test_index_counts_what_the_ledger_says_was_sent(site):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    invoke(site, "preview")
    index = (site / "preview" / "index.html").read_text(encoding="utf-8")
    assert '<span class="status status-sent">sent 4 of 4</span>' in index


def test_a_host_other_than_loopback_gets_a_warning(site):
    # 192.0.2.1 (TEST-NET-1) is on no interface: the warning shows, then binding fails cleanly.
    result = run_cli(site, "preview", "--serve", "--host", "192.0.2.1", "--port", "0", timeout=30)
    assert result.returncode == 1
    warning, error = result.stderr.splitlines()
    assert warning == ("warning: --host 192.0.2.1 lets anyone who can reach this machine read the "
                       "preview, drafts included")
    assert error.startswith("error: cannot listen on 192.0.2.1 port 0 (")


def test_a_port_in_use_is_one_line(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(site, "preview", "--serve", "--port", str(port), timeout=30)
    assert result.returncode == 1
    assert result.stderr == (f"error: cannot listen on 127.0.0.1 port {port} (Address already in use); "
                             "choose another --port, or stop what is using it\n")


def test_a_post_to_the_preview_server_gets_405_naming_the_methods_it_takes(base_url):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(base_url + REFERENCE_POST, data=b"x=1", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 405
    assert caught.value.headers["Allow"] == "GET, HEAD"


def test_the_report_counts_one_email_in_the_singular(site, tmp_path):
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags,subscribed_at\nada@example.com,Ada,active,,\n")
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    # A provider whose webhooks tell what happened next: the outbox sends none, and has no chart.
    write_provider_settings(site, name="sendgrid")
    with preview_server(site, tmp_path) as url:
        page = requests.get(f"{url}/report", timeout=30).text
    assert "What happened to 1 email of /posts/what-matters" in page
    assert "1 emails" not in page
