"""The preview shows the images readers will get, in a real headless Chromium: every image of
every view loads, from the preview server and from the preview files on disk, in both modes,
before anything is deployed; and the page counts their bytes."""

from __future__ import annotations

import lxml.html
import pytest
from browser import chromium, preview_server
from conftest import invoke
from lumen_site import PAPER_ID, TYPOGRAPHY_ID, make_lumen_site
from selenium.webdriver.common.by import By

FRAMES = ("desktop", "phone", "dark")
# Every <img> of the document: [src, loaded?, natural width], once loading has settled.
IMAGES_JS = """
const done = arguments[arguments.length - 1];
const images = [...document.images];
const settled = img => img.complete ? null : new Promise(r => { img.onload = img.onerror = r; });
Promise.all(images.map(settled))
  .then(() => done(images.map(img => [img.getAttribute('src'), img.complete, img.naturalWidth])));
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        driver.set_script_timeout(20)
        yield driver


def frame_images(browser) -> dict[str, list]:
    found = {}
    for frame in FRAMES:
        browser.switch_to.frame(browser.find_element(By.ID, frame))
        try:
            found[frame] = browser.execute_async_script(IMAGES_JS)
        finally:
            browser.switch_to.default_content()
    return found


def assert_all_loaded(found: dict[str, list], count: int) -> None:
    for frame, images in found.items():
        assert len(images) == count, (frame, images)
        for src, complete, natural_width in images:
            assert complete and natural_width > 0, f"{frame}: {src} did not load"


@pytest.mark.parametrize("mode", ["inline", "hosted"])
def test_the_preview_server_shows_every_image(browser, tmp_path, mode):
    # Hosted at an address nothing answers: the preview must not need the deploy.
    site = make_lumen_site(tmp_path / "blog", mode=mode, url="https://blog.example.com/newsletter")
    with preview_server(site, tmp_path) as base_url:
        for post_id, count in ((TYPOGRAPHY_ID, 2), (PAPER_ID, 2)):
            browser.get(base_url + post_id)
            assert browser.find_element(By.ID, "inbox-size").text.endswith("KB")
            assert_all_loaded(frame_images(browser), count)


def test_the_preview_files_on_disk_show_every_image(browser, tmp_path):
    site = make_lumen_site(tmp_path / "blog", mode="inline")
    assert invoke(site, "preview").exit_code == 0
    folder = site / "preview" / "paper-sizes-and-why-they-work"

    browser.get((folder / "index.html").as_uri())
    assert_all_loaded(frame_images(browser), 2)

    browser.get((folder / "email.html").as_uri())
    images = browser.execute_async_script(IMAGES_JS)
    assert len(images) == 2 and all(complete and width > 0 for _, complete, width in images)


@pytest.mark.parametrize("mode", ["inline", "hosted"])
def test_the_inbox_row_and_the_size_count_the_images(tmp_path, mode):
    site = make_lumen_site(tmp_path / "blog", mode=mode, url="https://blog.example.com/letters")
    assert invoke(site, "preview", PAPER_ID).exit_code == 0
    folder = site / "preview" / "paper-sizes-and-why-they-work"
    page = lxml.html.fromstring((folder / "index.html").read_text(encoding="utf-8"))
    images = sum(path.stat().st_size for path in (folder / "images").iterdir())
    message = (folder / "message.eml").stat().st_size

    def kb(selector):
        return float(page.cssselect(selector)[0].text_content().split()[0])

    assert kb("#size-images") == round(images / 1024, 1)
    downloaded = message + (0 if mode == "inline" else images)
    assert kb("#inbox-size") == round(downloaded / 1024, 1)
    assert (kb("#inbox-size") > images / 1024) and page.cssselect("#images-meter")
