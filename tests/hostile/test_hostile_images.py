"""Hostile image references and files in a post: nothing outside the site is ever read or
mailed, no file makes newsletter hang, crash or eat the machine's memory, and each refusal is one
line naming the post's file and line."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from conftest import invoke, run_cli
from lumen_site import TYPOGRAPHY, TYPOGRAPHY_ID, camera_photo, make_lumen_site
from PIL import Image

SECRET_IMAGE = b"\xff\xd8\xff\xe0 the writer's private photo"


@pytest.fixture
def site(tmp_path):
    site = make_lumen_site(tmp_path / "blog")
    (tmp_path / "private.jpg").write_bytes(camera_photo((40, 30)) + SECRET_IMAGE)
    return site


def post_folder(site):
    return site / "content" / "posts" / TYPOGRAPHY


def reference(site, src: str) -> None:
    """Make the post's press diagram point at ``src``."""
    post = post_folder(site) / "index.md"
    post.write_text(post.read_text().replace("(./press.png)", f"({src})"))


def refused(site, *expected: str) -> str:
    """Send and preview the post: both refuse with exit 2, one error line holding ``expected``;
    nothing was sent, written to a preview or read from outside the site."""
    send = invoke(site, "send", TYPOGRAPHY_ID, "--yes")
    preview = invoke(site, "preview", TYPOGRAPHY_ID)
    for result in (send, preview):
        assert result.exit_code == 2, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "Traceback" not in result.output
        assert errors[0].startswith(f"error: content/posts/{TYPOGRAPHY}/index.md:")
        for text in expected:
            assert text in errors[0]
    assert not (site / "outbox").exists()
    assert not (site / "preview" / "a-brief-history-of-typography").exists()
    for path in site.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert SECRET_IMAGE not in path.read_bytes(), path
    return errors[0]


@pytest.mark.parametrize("src", [
    "../../../../../../../../etc/passwd",
    "../../../private.jpg",
    "/../../../private.jpg",
    "%2e%2e/%2e%2e/%2e%2e/private.jpg",
    "..%2f..%2f..%2fprivate.jpg",
    "./../../../../private.jpg?v=1",
])
def test_a_reference_climbing_out_of_the_site_is_refused(site, src):
    reference(site, src)
    refused(site, "points outside the site folder")


def test_a_link_to_a_file_outside_the_site_is_refused(site, tmp_path):
    (post_folder(site) / "press.png").unlink()
    (post_folder(site) / "press.png").symlink_to(tmp_path / "private.jpg")
    refused(site, "is a link to a file outside the site folder")


def test_a_static_folder_linked_into_the_site_is_the_site(tmp_path):
    site = make_lumen_site(tmp_path / "blog")
    shared = tmp_path / "shared-static"
    (site / "static").rename(shared)
    (site / "static").symlink_to(shared)
    result = invoke(site, "send", "/posts/paper-sizes-and-why-they-work", "--yes")
    assert result.exit_code == 0, result.output


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def tiny_gif(frames: int, delay: int = 0) -> bytes:
    """A 1x1 GIF of ``frames`` identical frames of ``delay`` hundredths of a second each, 23
    bytes a frame: a million of them fit in a post's image."""
    frame = (b"\x21\xf9\x04\x00" + struct.pack("<H", delay) + b"\x00\x00"
             + b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00")
    return (b"GIF89a" + struct.pack("<HH", 1, 1) + b"\x80\x00\x00\x00\x00\x00\xff\xff\xff"
            + b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00" + frame * frames + b"\x3b")


def tiff_with_a_fraction_for_its_pixels_offset() -> bytes:
    """A TIFF whose StripOffsets tag is a RATIONAL: Pillow seeks to a fraction (TypeError)."""
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(out, "TIFF")
    tiff = bytearray(out.getvalue())
    ifd = struct.unpack_from("<I", tiff, 4)[0]
    for entry in range(struct.unpack_from("<H", tiff, ifd)[0]):
        at = ifd + 2 + 12 * entry
        if struct.unpack_from("<H", tiff, at)[0] == 273:  # StripOffsets
            struct.pack_into("<HHII", tiff, at, 273, 5, 1, 8)  # type 5: RATIONAL, at byte 8
    return bytes(tiff)


def image_file(size: tuple[int, int], kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 90, 90)).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize("content, expected", [
    (b"just some text, named like a picture\n",
     ("cannot be read (not a JPEG, PNG, GIF, WebP or AVIF file)",
      "export it again as JPEG or PNG")),
    (camera_photo((800, 600))[:5000], ("cannot be read (the file is damaged",)),
    (png_claiming(100_000, 100_000), ("has too many pixels to prepare",)),
    (png_claiming(12_000, 9_000), ("has too many pixels to prepare",)),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
     ("SVG is not shown by Gmail or Outlook; export it as PNG",)),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", ("HEIC photos cannot be read here",)),
    (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n", ("cannot be read",)),
    (b"", ("cannot be read",)),
    # What Pillow's decoders raised on damaged files, each a traceback before.
    (tiny_gif(2)[:-6], ("cannot be read (the file is damaged: index out of range)",)),
    (tiff_with_a_fraction_for_its_pixels_offset(), ("cannot be read (the file is damaged",)),
    (image_file((1, 70_000), "BMP"),  # 70,000 pixels: libjpeg's encoder refused it
     ("would be 70,000 pixels tall in the email, past the 65,500 a JPEG holds",
      "crop it, or split it into several images")),
])
def test_a_file_that_is_not_a_usable_image_is_refused(site, content, expected):
    (post_folder(site) / "press.png").write_bytes(content)
    refused(site, "image press.png", *expected)


def test_a_gif_with_too_many_frames_is_refused(site):
    # Each frame a pixel apart from the one before: 4 KB on disk, and 60 frames of 2000 x 1000
    # (120 million pixels) to decode. Frames of a colour each took Pillow 0.7 s to write.
    blank = Image.new("P", (2000, 1000), 0)
    frames = [blank.copy() for _ in range(60)]
    for n, frame in enumerate(frames):
        frame.putpixel((n, 0), n + 1)
    frames[0].save(post_folder(site) / "press.png", "GIF", save_all=True,
                   append_images=frames[1:])
    refused(site, "image press.png has too many pixels to prepare")


def test_a_file_too_large_to_be_a_photo_is_refused_without_reading_it(site):
    with open(post_folder(site) / "press.png", "wb") as huge:  # sparse: costs no disk
        huge.truncate(51 * 1024 * 1024)
    refused(site, "image press.png is larger than 50 MB")


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_something_that_is_not_a_file_is_not_found_and_nothing_hangs(site, kind):
    target = post_folder(site) / "press.png"
    target.unlink()
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    result = run_cli(site, "send", TYPOGRAPHY_ID, "--yes", timeout=60)  # a FIFO read would block
    assert result.returncode == 2
    assert "image ./press.png not found" in result.stderr


def test_a_front_matter_image_that_is_not_a_path_names_its_line(site):
    post = post_folder(site) / "index.md"
    post.write_text(post.read_text().replace('socialImage: "./image.jpg"',
                                             "socialImage:\n  - a\n  - list"))
    result = invoke(site, "send", TYPOGRAPHY, "--yes")  # a broken post is named by its folder
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(post.read_text().splitlines(), 1)
                if text.startswith("socialImage"))
    assert (f"error: content/posts/{TYPOGRAPHY}/index.md:{line}: socialImage must be an image "
            'path or URL; write it as socialImage: "./image.jpg"') in result.output


@pytest.mark.parametrize("src", ["a" * 300 + ".png", "d/" * 3000 + "press.png"])
def test_a_name_too_long_for_the_system_is_not_found_never_a_traceback(site, src):
    reference(site, src)  # the system refuses to look it up: ENAMETOOLONG
    refused(site, "not found; looked for content/posts/")


def test_a_gif_of_a_million_tiny_frames_is_refused_without_decoding_them(site):
    # 23 MB, one pixel a frame: under the pixel limit, and an hour of CPU to re-encode.
    (post_folder(site) / "press.png").write_bytes(tiny_gif(1_000_000))
    refused(site, "image press.png has more than 1,000 frames", "export a shorter animation")


def test_a_gif_whose_identical_frames_last_past_its_delay_field_is_one_line(site):
    # Pillow merges identical frames by adding their delays, past what 16 bits hold.
    (post_folder(site) / "press.png").write_bytes(tiny_gif(3, delay=65535))
    refused(site, "image press.png shows one frame for over 655 s, more than a GIF can say")


def test_pillows_warnings_about_an_odd_file_never_reach_the_writer(site):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(out, "TIFF", software="a camera")
    tiff = bytearray(out.getvalue())
    ifd = struct.unpack_from("<I", tiff, 4)[0]
    for entry in range(struct.unpack_from("<H", tiff, ifd)[0]):
        at = ifd + 2 + 12 * entry
        tag, kind, _, offset = struct.unpack_from("<HHII", tiff, at)
        if tag == 305:  # Software: its text said to run far past the end of the file
            struct.pack_into("<HHII", tiff, at, tag, kind, 100_000, offset)
    (post_folder(site) / "press.png").write_bytes(bytes(tiff))
    result = run_cli(site, "preview", TYPOGRAPHY_ID)
    assert result.returncode == 0, result.stderr
    assert "UserWarning" not in result.stderr and "TiffImagePlugin" not in result.stderr


def test_finding_the_lines_of_a_posts_images_takes_time_in_proportion_to_the_post(site):
    # 20,000 image references took `check` eight minutes: each was looked for by a regular
    # expression from the body's start, and its line counted from there.
    from types import SimpleNamespace
    from typing import Callable

    from cpu_ratio import cpu_ratio

    from newsletter.config import load_settings
    from newsletter.render.images import _SourceLines

    settings = load_settings(site, {})

    def finding(count: int) -> Callable[[], None]:
        body = "\n\n".join(f"![Plate {n}](plates/plate-{n}.png)" for n in range(count))
        post = SimpleNamespace(path=post_folder(site) / "index.md", body=body, body_line=5)

        def find() -> None:
            lines = _SourceLines(settings, post)
            found = [lines.where(f"plates/plate-{n}.png") for n in range(count)]
            assert found[-1].endswith(f"index.md:{5 + 2 * (count - 1)}")
        return find

    ratio = cpu_ratio(finding(500), finding(4000), within=24)
    assert ratio < 24, f"8x the images took {ratio:.0f}x the time"
