"""Nothing goes out with an image newsletter could have found broken, and the writer learns why
in one line: missing files, no [images] mode, Resend with inline images, hosted images not yet
deployed, messages too large for Postmark (split into batches, or refused)."""

from __future__ import annotations

import os
import shutil
from contextlib import ExitStack

import lxml.html
import pytest
from conftest import invoke, picture_on_the_web
from fake_providers import (
    KEYS,
    provider_environ,
    start_fake,
    write_provider_settings,
    write_readers,
    write_settings,
)
from folder_server import serving_folder
from lumen_site import PAPER, PAPER_ID, TYPOGRAPHY, TYPOGRAPHY_ID, make_lumen_site
from PIL import Image

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render import render_post
from newsletter.sending import Ledger

TYPOGRAPHY_FILE = f"content/posts/{TYPOGRAPHY}/index.md"


@pytest.fixture
def stack():
    with ExitStack() as stack:
        yield stack


def nothing_claimed(site) -> bool:
    """No ledger row and no message: the ledger file may not even exist."""
    ledger = site / ".newsletter" / "ledger.db"
    if ledger.exists():
        with Ledger.open(load_settings(site, {})) as opened:
            if opened.has_rows(TYPOGRAPHY_ID) or opened.has_rows(PAPER_ID):
                return False
    return not (site / "outbox").exists()


def line_of(site, text: str) -> int:
    lines = (site / TYPOGRAPHY_FILE).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def error_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def test_a_missing_image_stops_send_with_its_file_and_line(tmp_path):
    site = make_lumen_site(tmp_path / "blog")
    (site / "content" / "posts" / TYPOGRAPHY / "press.png").unlink()

    result = invoke(site, "send", TYPOGRAPHY_ID, "--yes")

    assert result.exit_code == 2
    assert error_lines(result) == [
        f"error: {TYPOGRAPHY_FILE}:{line_of(site, './press.png')}: image ./press.png not found; "
        f"looked for content/posts/{TYPOGRAPHY}/press.png and static/press.png and "
        "static/posts/press.png; put the file there, fix the path, or list its folder in "
        "[images] static_dirs"]  # the last, where the post's address /posts/... puts it
    assert "Traceback" not in result.output
    assert nothing_claimed(site)


def test_every_missing_image_is_counted_and_preview_shows_the_error(tmp_path):
    site = make_lumen_site(tmp_path / "blog")
    folder = site / "content" / "posts" / TYPOGRAPHY
    (folder / "press.png").unlink()
    (folder / "image.jpg").unlink()

    result = invoke(site, "preview", TYPOGRAPHY_ID)

    assert result.exit_code == 2
    [line] = error_lines(result)
    photo, press = line_of(site, "(/image.jpg)"), line_of(site, "./press.png")
    assert line.startswith(f"error: {TYPOGRAPHY_FILE}:{photo}: image /image.jpg not found")
    # the feature image is that same photo: one problem, counted once per reference
    assert f"(and 2 more: {TYPOGRAPHY_FILE}:{press}, {TYPOGRAPHY_FILE}:" in line


def test_without_a_mode_preview_works_and_send_explains_the_two_modes(tmp_path):
    site = make_lumen_site(tmp_path / "blog", mode=None)

    preview = invoke(site, "preview", PAPER_ID)
    send = invoke(site, "send", PAPER_ID, "--yes")

    assert preview.exit_code == 0
    assert len(list((site / "preview" / "paper-sizes-and-why-they-work" / "images").iterdir())) == 2
    assert send.exit_code == 2
    assert error_lines(send) == [
        f"error: newsletter.toml: image-mode: {PAPER_ID} has 2 images of its own but [images] "
        'mode is not set; set mode = "inline" under [images] to send them inside each message, or '
        'mode = "hosted" with url = "..." to load them from the blog once its publish_dir is '
        "deployed",
        f"error: {PAPER_ID} not sent: 1 error above; fix them and run `newsletter check "
        "paper-sizes-and-why-they-work`"]
    assert nothing_claimed(site)


def test_without_a_mode_a_post_without_local_images_sends(site):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('mode = "inline"', ""))
    picture_on_the_web(site)

    result = invoke(site, "send", "what-matters", "--yes")

    assert result.exit_code == 0, result.output
    assert "Sent 4, failed 0" in result.output


def test_resend_refuses_inline_images_in_one_line(tmp_path, stack):
    site = make_lumen_site(tmp_path / "blog", mode="inline")
    server = start_fake("resend", KEYS["resend"])
    stack.callback(server.close)
    write_provider_settings(site, name="resend", api_url=server.url, timeout=5)

    result = invoke(site, "send", PAPER_ID, "--yes", env=provider_environ("resend"))
    test = invoke(site, "send", PAPER_ID, "--to", "me@example.com", env=provider_environ("resend"))

    for refused in (result, test):
        assert refused.exit_code == 2
        assert error_lines(refused) == [
            "error: newsletter.toml: Resend's batch sending takes no attachments, so [images] "
            'mode = "inline" cannot reach readers; set mode = "hosted" under [images] and deploy '
            "its publish_dir with the blog"]
    assert server.requests == [] and nothing_claimed(site)


def test_hosted_images_not_deployed_stop_the_send_with_the_urls_and_the_folder(tmp_path, stack):
    live_blog = tmp_path / "live"  # what the web server has: the last deploy, without them
    live_blog.mkdir()
    url = stack.enter_context(serving_folder(live_blog))
    site = make_lumen_site(tmp_path / "blog", mode="hosted", url=url)

    dry_run = invoke(site, "send", PAPER_ID, "--dry-run")
    result = invoke(site, "send", PAPER_ID, "--yes")

    assert dry_run.exit_code == 0  # a dry run sends nothing, so it fetches nothing
    assert result.exit_code == 1
    [line] = error_lines(result)
    published = sorted((site / "static" / "newsletter").iterdir())
    assert len(published) == 2
    assert line.startswith("error: 2 of the post's 2 images are not online: ")
    for path in published:
        assert f"{url}/{path.name} (answers 404 File not found)" in line
    assert line.endswith(f"deploy static/newsletter with the blog (it must be served at {url}), "
                         "then send again")
    assert nothing_claimed(site)

    for path in published:  # the writer deploys
        shutil.copy(path, live_blog / path.name)
    again = invoke(site, "send", PAPER_ID, "--yes")
    assert again.exit_code == 0 and "Sent 3, failed 0" in again.output


def test_a_hosted_url_answering_a_web_page_is_not_an_image(tmp_path, stack):
    live_blog = tmp_path / "live"
    live_blog.mkdir()
    url = stack.enter_context(serving_folder(live_blog))
    site = make_lumen_site(tmp_path / "blog", mode="hosted", url=url)
    invoke(site, "preview", PAPER_ID)
    for path in (site / "static" / "newsletter").iterdir():  # a web page under each name
        (live_blog / path.name).mkdir()  # the server answers with a folder listing, in HTML

    result = invoke(site, "send", PAPER_ID, "--to", "me@example.com")

    assert result.exit_code == 1
    assert "(answers text/html, not an image)" in error_lines(result)[0]


def test_send_due_leaves_a_post_with_undeployed_images_for_the_next_run(tmp_path, stack):
    empty = tmp_path / "live"
    empty.mkdir()
    url = stack.enter_context(serving_folder(empty))
    site = make_lumen_site(tmp_path / "blog", mode="hosted", url=url)
    write_settings(site, "schedule", since="2016-01-01T00:00:00Z", max_posts_per_run=2)

    result = invoke(site, "send", "--due")

    assert result.exit_code == 1
    errors = error_lines(result)
    assert len(errors) == 2 and all("images are not online" in line for line in errors)
    assert nothing_claimed(site)


def noise_png(path, size):
    """A PNG that does not compress: every byte of it travels."""
    pixels = os.urandom(size[0] * size[1] * 3)
    Image.frombytes("RGB", size, pixels).save(path, "PNG", compress_level=1)


def test_a_postmark_batch_heavier_than_50_mb_is_split(tmp_path, stack):
    site = make_lumen_site(tmp_path / "blog", mode="inline")
    noise_png(site / "static" / "media" / "sheets.webp", (1040, 1000))  # the feature: 3 MB
    readers = [f"reader{i}@example.com" for i in range(15)]
    write_readers(site, readers)
    server = start_fake("postmark", KEYS["postmark"])
    stack.callback(server.close)
    write_provider_settings(site, name="postmark", api_url=server.url, timeout=60)

    result = invoke(site, "send", PAPER_ID, "--yes", env=provider_environ("postmark"))

    assert result.exit_code == 0, result.output
    assert server.invalid == [] and sorted(server.accepted) == sorted(readers)
    sizes = [len(request.body) for request in server.requests]
    assert len(sizes) >= 2 and sum(sizes) > 50 * 1024 * 1024
    assert max(sizes) <= 50 * 1000 * 1000
    for delivery in server.delivered:  # each message still carries its image
        html = lxml.html.document_fromstring(delivery.html)
        assert all(img.get("src")[4:] in delivery.images for img in html.iter("img"))


def test_a_message_over_postmarks_10_mb_is_refused_before_sending(tmp_path, stack):
    site = make_lumen_site(tmp_path / "blog", mode="inline")
    noise_png(site / "static" / "media" / "sheets.webp", (1040, 3000))  # the feature: 9 MB
    server = start_fake("postmark", KEYS["postmark"])
    stack.callback(server.close)
    write_provider_settings(site, name="postmark", api_url=server.url, timeout=60)

    result = invoke(site, "send", PAPER_ID, "--yes", env=provider_environ("postmark"))

    assert result.exit_code == 2
    [line] = error_lines(result)
    assert line.startswith(f"error: {PAPER_ID}: each message would be ")
    assert line.endswith('Postmark takes at most 10 MB a message; use smaller images, or '
                         '[images] mode = "hosted"')
    assert server.requests == [] and nothing_claimed(site)


def test_the_feature_image_can_be_turned_off(tmp_path):
    site = make_lumen_site(tmp_path / "blog")
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("[email]\n", "[email]\nfeature_image = false\n"))
    invoke(site, "preview", PAPER_ID)
    html = (site / "preview" / "paper-sizes-and-why-they-work" / "email.html").read_text()
    alts = [img.get("alt") for img in lxml.html.document_fromstring(html).iter("img")]
    assert alts == ["A sheet folded three times"]


@pytest.mark.parametrize("front_matter, src, alt", [
    ('socialImage: "https://cdn.example.com/cover.jpg"', "https://cdn.example.com/cover.jpg",
     "Paper Sizes and Why They Work"),
    ("cover:\n  image: /media/sheets.webp\n  alt: A fan of sheets", "cid:", "A fan of sheets"),
    ("image:\n  path: //cdn.example.com/c.png", "https://cdn.example.com/c.png",
     "Paper Sizes and Why They Work"),
])
def test_feature_images_as_hugo_jekyll_and_remote_urls_name_them(tmp_path, front_matter, src, alt):
    site = make_lumen_site(tmp_path / "blog")
    post = site / "content" / "posts" / PAPER / "index.md"
    text = post.read_text().replace('socialImage: "/media/sheets.webp"\n', front_matter + "\n")
    post.write_text(text.replace('image_alt: "Sheets of paper fanned out"\n', ""))

    settings = load_settings(site, {})
    email = render_post(settings, find_post(load_posts(settings)[0], PAPER_ID))

    feature = next(img for img in lxml.html.document_fromstring(email.html).iter("img")
                   if img.get("class") == "feature")
    assert feature.get("src").startswith(src) and feature.get("alt") == alt
    assert feature.get("width") == "520"
    assert feature.getparent().get("href") == "https://blog.example.com" + PAPER_ID


def test_a_lumen_figure_keeps_the_full_column(tmp_path):
    site = make_lumen_site(tmp_path / "blog")
    invoke(site, "preview", TYPOGRAPHY_ID)
    html = (site / "preview" / "a-brief-history-of-typography" / "email.html").read_text()
    figure = next(lxml.html.document_fromstring(html).iter("figure"))
    style = figure.get("style").replace(" ", "")
    assert "margin:0018px0" in style  # not a browser's 40 px on each side
    assert figure.find(".//blockquote") is not None and figure.find(".//cite") is not None
