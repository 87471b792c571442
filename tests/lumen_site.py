"""A blog laid out like a Gatsby "Lumen" site, made by the tests, with real image files.

Posts live in date-prefixed folders with their images beside them, referenced the ways Lumen
posts reference them (``![...](/image.jpg)`` in the body, ``socialImage: "./image.jpg"`` in the
front matter), raw HTML figures with a quote, and the static folder Gatsby serves at the root.
The images are made with Pillow: a 6000 x 4000 camera photo carrying GPS coordinates and a
rotated orientation in its EXIF, a PNG with transparency, a WebP.
"""

from __future__ import annotations

import functools
import io
import shutil
from pathlib import Path

from conftest import copy_example_site
from fake_providers import write_readers, write_settings
from PIL import Image, ImageDraw

TYPOGRAPHY = "2016-02-02---a-brief-history-of-typography"
TYPOGRAPHY_ID = "/posts/a-brief-history-of-typography"
PAPER = "2016-03-14---paper-sizes-and-why-they-work"
PAPER_ID = "/posts/paper-sizes-and-why-they-work"
READERS = ["ann@example.com", "bob@example.org", "cy@example.net"]
GPS_LATITUDE = (52.0, 31.0, 12.5)  # a writer's home, never to reach an inbox

TYPOGRAPHY_POST = """---
title: "A Brief History of Typography"
date: "2016-02-02T22:40:32.169Z"
template: "post"
draft: false
slug: "/posts/a-brief-history-of-typography"
category: "Design"
tags:
  - "Printing"
  - "Type"
description: "From carved wooden blocks to the fonts on your phone, in five short steps."
socialImage: "./image.jpg"
---

Type began as a craft of hands and lead. Each letter was cut, cast and set by someone who
knew its weight on the page.

![A case of metal type on a workbench](/image.jpg)

## The press

The press made a page repeatable, and a repeatable page made readers.

<figure>
\t<blockquote>
\t\t<p>Every line of type is a small decision about how a reader will breathe.</p>
\t\t<footer>
\t\t\t<cite>— A compositor's notebook</cite>
\t\t</footer>
\t</blockquote>
</figure>

![A diagram of a hand press](./press.png)

The rest of the story is about speed.
"""

PAPER_POST = """---
title: "Paper Sizes and Why They Work"
date: "2016-03-14T10:00:00.000Z"
template: "post"
draft: false
slug: "/posts/paper-sizes-and-why-they-work"
category: "Design"
description: "A4 halves into A5, and the shape stays the same."
socialImage: "/media/sheets.webp"
image_alt: "Sheets of paper fanned out"
---

Fold an A4 sheet in half and you get A5, with the same proportions.

<img src="folds.webp" alt="A sheet folded three times" width="300">
"""


def make_lumen_site(root: Path, mode: str | None = "inline", url: str | None = None) -> Path:
    """The Lumen-shaped site at ``root``, with ``[images] mode`` (and ``url`` for hosted)."""
    site = copy_example_site(root)
    shutil.rmtree(site / "content")
    shutil.rmtree(site / "static")
    typography = site / "content" / "posts" / TYPOGRAPHY
    paper = site / "content" / "posts" / PAPER
    for folder in (typography, paper, site / "static" / "media"):
        folder.mkdir(parents=True)
    (typography / "index.md").write_text(TYPOGRAPHY_POST, encoding="utf-8")
    (typography / "image.jpg").write_bytes(camera_photo())
    (typography / "press.png").write_bytes(transparent_png())
    (paper / "index.md").write_text(PAPER_POST, encoding="utf-8")
    (paper / "folds.webp").write_bytes(webp(alpha=True))
    (site / "static" / "media" / "sheets.webp").write_bytes(webp(alpha=False))
    write_readers(site, READERS)
    images = {"mode": mode, "url": url}
    write_settings(site, "images", **{key: value for key, value in images.items() if value})
    return site


@functools.cache
def camera_photo(size: tuple[int, int] = (6000, 4000)) -> bytes:
    """A JPEG as a phone writes it: large, GPS position in EXIF, orientation 6 (turn 90°)."""
    image = _scene(size)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was held upright; viewers turn it 90° clockwise
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: (13.0, 24.0, 36.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif, comment=b"taken at home")
    return out.getvalue()


@functools.cache
def transparent_png(size: tuple[int, int] = (800, 500)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 100, 700, 400], fill=(40, 60, 90, 255))
    draw.ellipse([300, 150, 500, 350], fill=(220, 180, 60, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@functools.cache
def webp(alpha: bool, size: tuple[int, int] = (1600, 1000)) -> bytes:
    image = _scene(size).convert("RGBA" if alpha else "RGB")
    if alpha:
        ImageDraw.Draw(image).rectangle([0, 0, 200, 200], fill=(0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "WEBP", quality=80)
    return out.getvalue()


def _scene(size: tuple[int, int]) -> Image.Image:
    """A soft coloured picture, drawn small and scaled up (cheap at any size)."""
    small = Image.new("RGB", (300, 200))
    draw = ImageDraw.Draw(small)
    for y in range(200):
        draw.line([(0, y), (300, y)], fill=(120 + y // 3, 90 + y // 4, 60 + y // 2))
    draw.rectangle([40, 40, 160, 150], fill=(230, 225, 210))
    draw.ellipse([190, 90, 270, 170], fill=(70, 40, 20))
    return small.resize(size, Image.Resampling.BILINEAR)
