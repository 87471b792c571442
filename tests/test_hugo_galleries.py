"""Hugo themes' galleries that name a folder rather than list their pictures (Hugoplate's
``{{< gallery dir= >}}``, Hugo Blox's ``{{< gallery album= >}}``): the email shows the
folder's pictures, written here with this project's own text and pictures."""

from __future__ import annotations

import lxml.html
from PIL import Image

from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke

COLOURS = {"content/blog/walk/gallery/coast/b-cliff.jpg": (200, 60, 40),
           "content/blog/walk/gallery/coast/a-bay.png": (30, 90, 200),
           "assets/images/market/stall.jpg": (40, 160, 60),
           "assets/images/market/notes.txt": None}


def test_a_gallery_of_a_folder_shows_the_folders_pictures(tmp_path):
    """Both were left out of the email with a warning: the reader saw none of the pictures the
    post is about. A folder with no pictures is still left out, with the warning."""
    root = write_files(tmp_path / "plate", {
        "hugo.toml": ('baseURL = "https://plate.example.org/"\ntitle = "Plate"\n'
                      '[params]\nmainSections = ["blog"]\n'),
        **{name: picture(colour, "JPEG" if name.endswith("jpg") else "PNG") if colour else "x"
           for name, colour in COLOURS.items()},
        "content/blog/walk/index.md": (
            '---\ntitle: "Coast Walk"\ndate: 2025-04-02\n---\nThe coast.\n\n'
            '{{< gallery album="coast" >}}\n\nThe market:\n\n'
            '{{< gallery dir="images/market" height="400" width="400" webp="true" '
            'command="Fit" zoomable="true" >}}\n\nNone: {{< gallery dir="images/none" >}}\n')})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "walk")
    assert result.exit_code == 0, result.output
    folder = root / "preview" / "walk"
    colours = [Image.open(folder / image.get("src")).convert("RGB").getpixel((0, 0))
               for image in lxml.html.parse(folder / "email.html").iter("img")]
    expected = [(30, 90, 200), (200, 60, 40), (40, 160, 60)]  # by name, the album's first
    assert len(colours) == len(expected)
    assert all(abs(a - b) <= 8 for got, want in zip(colours, expected)  # JPEG is near
               for a, b in zip(got, want))
    check = invoke(root, "check", "walk")
    assert '{{< gallery dir="images/none" >}}: the shortcode gallery is the site\'s and is ' \
        "left out" in check.output
    assert "gallery album" not in check.output and "images/market\" height" not in check.output
