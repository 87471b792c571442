"""Preparing a post's images: upright, stripped, no wider than needed, in formats clients show,
sized in the <img>, and done once (the cache)."""

from __future__ import annotations

import hashlib
import io

import lxml.html
import pytest
from lumen_site import PAPER_ID, TYPOGRAPHY, TYPOGRAPHY_ID, camera_photo, make_lumen_site
from PIL import Image, ImageCms

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render import render_post
from newsletter.render.image_widths import MAX_IMAGE_WIDTH


def render(site, post_id):
    settings = load_settings(site, {})
    posts, errors = load_posts(settings)
    assert errors == []
    return render_post(settings, find_post(posts, post_id))


def images_by_alt(email):
    """alt -> (the <img> as sent, the prepared image it shows)."""
    files = {image.src: image for image in email.images}
    return {img.get("alt"): (img, files[img.get("src")])
            for img in lxml.html.document_fromstring(email.html).iter("img")}


@pytest.fixture
def site(tmp_path):
    return make_lumen_site(tmp_path / "blog")


def test_a_phone_photo_arrives_upright_small_and_without_its_gps_position(site):
    email = render(site, TYPOGRAPHY_ID)
    img, image = images_by_alt(email)["A case of metal type on a workbench"]

    opened = Image.open(io.BytesIO(image.data))
    # 6000 x 4000 as stored, turned 90° by EXIF orientation 6: upright it is portrait.
    assert opened.format == "JPEG" and opened.size == (1040, 1560)
    assert (img.get("width"), img.get("height")) == ("520", "780")
    assert dict(opened.getexif()) == {} and "exif" not in opened.info
    assert "comment" not in opened.info and "icc_profile" not in opened.info
    for trace in (b"Exif", b"GPS", b"PhoneMaker", b"taken at home"):
        assert trace not in image.data
    assert len(image.data) < len(camera_photo()) / 10


def test_a_wide_photo_is_prepared_at_twice_the_column_width(tmp_path):
    site = make_lumen_site(tmp_path / "blog")
    wide = Image.new("RGB", (6000, 4000), (90, 120, 150))
    photo = site / "content" / "posts" / TYPOGRAPHY / "image.jpg"
    wide.save(photo, "JPEG")

    img, image = images_by_alt(render(site, TYPOGRAPHY_ID))["A case of metal type on a workbench"]

    assert (image.prepared.width, image.prepared.height) == (2 * MAX_IMAGE_WIDTH, 693)
    assert (img.get("width"), img.get("height")) == ("520", "346")


def test_webp_arrives_as_jpeg_or_as_png_when_it_has_transparency(site):
    images = images_by_alt(render(site, PAPER_ID))

    feature, opaque = images["Sheets of paper fanned out"]
    assert Image.open(io.BytesIO(opaque.data)).format == "JPEG"
    assert opaque.content_type == "image/jpeg" and opaque.name.endswith(".jpg")
    assert feature.get("class") == "feature" and feature.getparent().get("href") == (
        "https://blog.example.com/posts/paper-sizes-and-why-they-work")

    folded, transparent = images["A sheet folded three times"]
    opened = Image.open(io.BytesIO(transparent.data))
    assert opened.format == "PNG" and opened.mode == "RGBA"
    # Written width="300": prepared at twice that, shown at 300.
    assert opened.size == (600, 375)
    assert (folded.get("width"), folded.get("height")) == ("300", "188")


def test_png_stays_png_and_a_small_image_is_never_blown_up(site):
    img, image = images_by_alt(render(site, TYPOGRAPHY_ID))["A diagram of a hand press"]
    opened = Image.open(io.BytesIO(image.data))
    assert opened.format == "PNG" and opened.size == (800, 500)
    assert opened.getpixel((0, 0))[3] == 0  # transparency kept
    assert img.get("width") == "520"  # 800 pixels: sharp enough at the column's width


def test_a_tiny_image_is_shown_at_its_own_size(site):
    folder = site / "content" / "posts" / TYPOGRAPHY
    Image.new("RGB", (120, 80), (200, 30, 30)).save(folder / "press.png")
    img, image = images_by_alt(render(site, TYPOGRAPHY_ID))["A diagram of a hand press"]
    assert (image.prepared.width, img.get("width"), img.get("height")) == (120, "120", "80")


def test_an_animated_gif_stays_animated(site):
    folder = site / "content" / "posts" / TYPOGRAPHY
    frames = [Image.new("RGB", (1600, 900), colour) for colour in ("red", "green", "blue")]
    frames[0].save(folder / "press.png", "GIF", save_all=True, append_images=frames[1:],
                   duration=200, loop=0, comment=b"made at home")
    _, image = images_by_alt(render(site, TYPOGRAPHY_ID))["A diagram of a hand press"]
    opened = Image.open(io.BytesIO(image.data))
    assert opened.format == "GIF" and opened.n_frames == 3 and opened.size == (1040, 585)
    assert image.name.endswith(".gif") and b"made at home" not in image.data


def test_colour_profiles_are_applied_then_dropped(site):
    folder = site / "content" / "posts" / TYPOGRAPHY
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    Image.new("RGB", (400, 300), (120, 140, 160)).save(folder / "image.jpg", icc_profile=profile)
    _, image = images_by_alt(render(site, TYPOGRAPHY_ID))["A case of metal type on a workbench"]
    assert "icc_profile" not in Image.open(io.BytesIO(image.data)).info


def test_a_prepared_file_is_named_by_its_content(site):
    for image in render(site, PAPER_ID).images:
        stem = hashlib.sha256(image.data).hexdigest()[:16]
        assert image.name in (f"{stem}.jpg", f"{stem}.png") and image.src == f"cid:{image.name}"


def test_a_second_render_prepares_nothing(site, monkeypatch):
    from newsletter.render import image_prep

    first = render(site, TYPOGRAPHY_ID)
    monkeypatch.setattr(image_prep, "_prepare", lambda *args: pytest.fail("prepared again"))

    again = render(site, TYPOGRAPHY_ID)

    assert again.images == first.images and again.html == first.html


def test_a_changed_photo_is_prepared_again(site):
    first = render(site, TYPOGRAPHY_ID)
    Image.new("RGB", (900, 600), (10, 200, 10)).save(
        site / "content" / "posts" / TYPOGRAPHY / "image.jpg")
    again = render(site, TYPOGRAPHY_ID)
    assert again.images[0].name != first.images[0].name
    assert again.images[0].prepared.width == 900


def test_the_gps_position_is_gone_from_the_hosted_copy_too(tmp_path):
    site = make_lumen_site(tmp_path / "blog", mode="hosted",
                           url="https://blog.example.com/newsletter")
    email = render(site, TYPOGRAPHY_ID)
    folder = site / "static" / "newsletter"
    published = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert set(published) == {image.name for image in email.images}
    for data in published.values():
        assert b"GPS" not in data and b"Exif" not in data
        assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825) == {}


def screen_recording(size: tuple[int, int], frames: int = 12) -> bytes:
    """An animated GIF as a screen recorder writes one: each frame the last with a few more
    marks on it, so most of every frame repeats the one before."""
    picture, shots = Image.new("RGB", size, (240, 240, 240)), []
    for shot in range(frames):
        picture = picture.copy()
        for mark in range(40):
            left, top = (shot * 37 + mark * 53) % (size[0] - 12), (shot * 29 + mark * 31) % (size[1] - 2)
            picture.paste((20, 20, 200), (left, top, left + 12, top + 2))
        shots.append(picture)
    out = io.BytesIO()
    shots[0].save(out, "GIF", save_all=True, append_images=shots[1:], duration=100, loop=0)
    return out.getvalue()


def test_an_animated_gif_is_no_heavier_once_prepared(site):
    # Every frame was re-encoded whole (disposal 2, RGBA): a 480 px recording of 11 KB became
    # 21 KB, downloaded by every reader.
    folder = site / "content" / "posts" / TYPOGRAPHY
    original = screen_recording((480, 360))
    (folder / "press.png").write_bytes(original)
    _, image = images_by_alt(render(site, TYPOGRAPHY_ID))["A diagram of a hand press"]
    opened = Image.open(io.BytesIO(image.data))
    assert opened.n_frames == 12 and opened.size == (480, 360)
    assert len(image.data) <= len(original) * 1.1
    written = Image.open(io.BytesIO(original))
    for image_file in (opened, written):
        image_file.seek(11)  # the last frame, drawn over the ones before: the same picture
    assert opened.convert("RGB").tobytes() == written.convert("RGB").tobytes()


def test_a_transparent_animated_gif_still_clears_each_frame(site):
    # A dot moving over a transparent background: kept under the next frame, as an opaque GIF's
    # frames now are, every place it passed would stay red.
    folder = site / "content" / "posts" / TYPOGRAPHY
    frames = []
    for step in range(5):
        frame = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
        frame.paste((255, 0, 0, 255), (step * 20, 10, step * 20 + 10, 20))
        frames.append(frame)
    frames[0].save(folder / "press.png", "GIF", save_all=True, append_images=frames[1:],
                   duration=100, loop=0, disposal=2)
    _, image = images_by_alt(render(site, TYPOGRAPHY_ID))["A diagram of a hand press"]
    opened = Image.open(io.BytesIO(image.data))
    opened.seek(4)
    last = opened.convert("RGBA")
    assert last.getpixel((5, 15))[3] == 0 and last.getpixel((85, 15)) == (255, 0, 0, 255)
