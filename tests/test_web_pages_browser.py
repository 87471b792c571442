"""The endpoint's pages on a phone, in headless Chromium: 320 CSS pixels wide, in light and in
dark mode (``prefers-color-scheme`` emulated through the DevTools protocol), checked by axe-core.
The longest addresses a reader may have must wrap, not widen the page."""

from __future__ import annotations

import pytest
from browser import chromium
from signup_support import configure_signup, signup_endpoint
from test_email_browser import AXE_JS, axe_source
from web_server import SECRET, subscriber_csv

from newsletter.message.tokens import UnsubscribeTokens

# 64 characters before the @ (the most RFC 5321 allows) and a long domain: no place to break.
LONG = "a" * 64 + "@" + "newsletters-of-a-rather-long-organisation-name.example.com"
PHONE = 320


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        driver.set_script_timeout(60)
        yield driver


@pytest.fixture
def endpoint(site):
    subscriber_csv(site, LONG)
    configure_signup(site, min_fill_seconds=0.25)
    with signup_endpoint(site) as (base, _):
        yield base


def show(browser, url: str, scheme: str) -> None:
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE, "height": 640, "deviceScaleFactor": 1, "mobile": True})
    browser.get(url)


def brightness(browser, element: str, prop: str) -> float:
    """The mean of the R, G and B of an element's computed colour (0 to 255)."""
    colour = browser.execute_script(
        f"return getComputedStyle(document.querySelector('{element}')).{prop}")
    channels = [float(part) for part in colour[colour.index("(") + 1:-1].split(",")[:3]]
    return sum(channels) / 3


def pages(base: str) -> dict[str, str]:
    token = UnsubscribeTokens(SECRET).make(LONG)
    return {"unsubscribe": f"{base}/unsubscribe/{token}", "not found": f"{base}/nothing"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_unsubscribe_page_fits_a_phone_and_passes_axe(endpoint, browser, scheme):
    """A long address stretched the page to 1,000 px: a reader on a phone had to scroll
    sideways to read it."""
    for name, url in pages(endpoint).items():
        show(browser, url, scheme)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE, f"{name}: {width} px wide"
        browser.execute_script(axe_source())
        assert browser.execute_async_script(AXE_JS, []) == [], name


def test_the_pages_follow_a_phone_in_dark_mode(endpoint, browser):
    """The pages were always dark text on a near-white page: opened from a mail client in dark
    mode, a glare."""
    show(browser, pages(endpoint)["unsubscribe"], "dark")

    assert brightness(browser, "body", "backgroundColor") < 64
    assert brightness(browser, "body", "color") > 192
    assert browser.execute_script(axe_source()) is None
    assert browser.execute_async_script(AXE_JS, []) == []

