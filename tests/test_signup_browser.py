"""A reader signs up in headless Chromium: a static blog page on 127.0.0.1 holding the
`newsletter form` snippet posts to a running `newsletter serve`, the confirmation email lands
in the outbox, its link opens a page whose Confirm button makes the reader active, and the
next `send` reaches them. The same through the `fetch` snippet, from an allowed and a refused
origin."""

from __future__ import annotations

import re
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from browser import chromium
from conftest import invoke, run_cli, start_cli
from folder_server import serving_folder
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from signup_support import (
    configure_signup,
    confirm_path,
    csv_row,
    emails_to,
    journal_rows,
    wait_for_email,
)
from test_email_browser import AXE_JS, axe_source
from web_server import SECRET, serving, statuses

from newsletter.config import load_settings
from newsletter.message.tokens import UnsubscribeTokens
from newsletter.web import NewsletterApp

READER = "nora.reader@example.com"
WAIT = 20  # seconds for a page, an answer or an email


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


@contextmanager
def newsletter_serve(site: Path) -> Iterator[str]:
    """`newsletter serve` on a free port as a subprocess; yields its base URL."""
    process = start_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": SECRET},
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline()).group(0)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def blog_page(folder: Path, snippet: str) -> None:
    """A post page with the sign-up form in its sidebar, as a blog template would hold it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "post.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>A post</title></head>"
        f"<body><main><h1>A post</h1><p>Words.</p></main><aside>{snippet}</aside></body></html>",
        encoding="utf-8")


def axe_violations(browser) -> list:
    """What axe-core finds wrong on the page open in ``browser`` (every rule, page ones too)."""
    browser.execute_script(axe_source())
    return browser.execute_async_script(AXE_JS, [])


def fill_in(browser, page: str) -> None:
    browser.get(page)
    time.sleep(0.5)  # a person reads before signing up (signup.min_fill_seconds = 0.25)
    browser.find_element(By.ID, "newsletter-email").send_keys(READER)
    browser.find_element(By.ID, "newsletter-name").send_keys("Nora Reader")
    browser.find_element(By.CSS_SELECTOR, "form.newsletter-signup button").click()


def shows_heading(browser, text: str) -> bool:
    """True once the page's h1 reads ``text``; a page still being replaced is waited out."""
    return WebDriverWait(browser, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.find_element(By.TAG_NAME, "h1").text == text)


def test_a_reader_signs_up_confirms_and_gets_the_next_post(site, browser, tmp_path):
    with serving_folder(tmp_path / "blog") as blog:
        configure_signup(site, allowed_origins=[blog], min_fill_seconds=0.25)
        with newsletter_serve(site) as base:
            snippet = invoke(site, "form", "--action", f"{base}/subscribe").output
            blog_page(tmp_path / "blog", snippet)

            fill_in(browser, f"{blog}/post.html")
            WebDriverWait(browser, WAIT).until(expected_conditions.url_to_be(f"{base}/subscribe"))
            assert shows_heading(browser, "Check your inbox")
            assert axe_violations(browser) == []
            back = browser.find_element(By.LINK_TEXT, "Back to Example Notes")
            assert back.get_attribute("href") == f"{blog}/post.html"

            message = wait_for_email(site, READER)
            assert statuses(site)[READER] == "unconfirmed"
            browser.get(base + confirm_path(message))
            assert shows_heading(browser, "Confirm your subscription")
            assert statuses(site)[READER] == "unconfirmed"  # opening the link is not consent
            assert axe_violations(browser) == []
            browser.find_element(By.TAG_NAME, "button").click()
            # shows_heading waits out the page being replaced (Chromium: the old <h1> "does
            # not belong to the document"), where this wait gave up on that error.
            assert shows_heading(browser, "You are subscribed")

    row = csv_row(site, READER)
    assert (row["name"], row["status"]) == ("Nora Reader", "active")
    assert row["consent_page"] == f"{blog}/post.html"
    assert row["consent_at"] and re.fullmatch(r"[0-9a-f]{32}", row["consent_ip_hash"])

    sent = run_cli(site, "send", "what-matters", "--yes")

    assert sent.returncode == 0, sent.stderr
    post = (site / "outbox" / "what-matters" / f"{READER}.eml").read_text()
    assert f"To: Nora Reader <{READER}>" in post


def test_the_fetch_snippet_signs_up_from_an_allowed_origin_only(site, browser, tmp_path):
    with serving_folder(tmp_path / "blog") as blog, serving_folder(tmp_path / "elsewhere") as other:
        configure_signup(site, allowed_origins=[blog], min_fill_seconds=0.25)
        with newsletter_serve(site) as base:
            snippet = invoke(site, "form", "--json-example", "--action",
                             f"{base}/subscribe").output
            blog_page(tmp_path / "blog", snippet)
            blog_page(tmp_path / "elsewhere", snippet)

            fill_in(browser, f"{other}/post.html")  # a page the writer did not allow
            refused = WebDriverWait(browser, WAIT).until(
                lambda driver: driver.find_element(By.ID, "newsletter-signup-answer").text)
            time.sleep(1.5)  # the worker polls every second: give it the chance to act
            assert refused == "The sign-up did not go through. Please try again later."
            assert journal_rows(site) == [] and emails_to(site, READER) == []

            fill_in(browser, f"{blog}/post.html")
            accepted = WebDriverWait(browser, WAIT).until(
                lambda driver: driver.find_element(By.ID, "newsletter-signup-answer").text)
            assert accepted.startswith("Check your inbox.") and "press Confirm" in accepted
            assert browser.current_url == f"{blog}/post.html"  # answered in place
            assert browser.find_element(By.ID, "newsletter-email").get_attribute("value") == ""
            message = wait_for_email(site, READER)

    assert csv_row(site, READER)["status"] == "unconfirmed"
    assert confirm_path(message).startswith("/confirm/")


def test_the_unsubscribe_pages_pass_axe_core(site, browser):
    """The pages a reader meets from the newsletter's link: the button, the answer, a bad
    link. They lacked a main landmark (axe-core: landmark-one-main, region), so a screen
    reader's "skip to main content" found nothing."""
    link = f"/unsubscribe/{UnsubscribeTokens(SECRET).make('ada@example.com')}"
    with serving(NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))) as base:
        browser.get(base + link)
        assert shows_heading(browser, "Unsubscribe?")
        assert axe_violations(browser) == []
        browser.find_element(By.TAG_NAME, "button").click()
        assert shows_heading(browser, "You are unsubscribed")
        assert axe_violations(browser) == []
        browser.get(f"{base}/unsubscribe/not-a-token")
        assert shows_heading(browser, "This link does not work")
        assert axe_violations(browser) == []
    assert statuses(site)["ada@example.com"] == "unsubscribed"


def test_a_double_click_on_the_fetch_snippets_button_sends_one_email(site, browser, tmp_path):
    """The button stayed live while the sign-up was on its way: a double click sent it twice,
    and the reader got two confirmation emails with two links."""
    with serving_folder(tmp_path / "blog") as blog:
        configure_signup(site, allowed_origins=[blog], min_fill_seconds=0.25)
        with newsletter_serve(site) as base:
            blog_page(tmp_path / "blog", invoke(site, "form", "--json-example", "--action",
                                                f"{base}/subscribe").output)
            browser.get(f"{blog}/post.html")
            time.sleep(0.5)
            browser.find_element(By.ID, "newsletter-email").send_keys(READER)
            button = browser.find_element(By.CSS_SELECTOR, "form.newsletter-signup button")
            ActionChains(browser).double_click(button).perform()
            answer = WebDriverWait(browser, WAIT).until(
                lambda driver: driver.find_element(By.ID, "newsletter-signup-answer").text)
            assert answer.startswith("Check your inbox.")
            wait_for_email(site, READER)
            time.sleep(1.5)  # the worker polls every second: a second sign-up would be mailed
            assert len(emails_to(site, READER)) == 1 and len(journal_rows(site)) == 1
            assert button.is_enabled()  # ready for another address
