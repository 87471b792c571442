"""The plain-text part of a picture with its caption written right after it, as Medium exports
and Hugo blogs write it (``![A pier](pier.jpg)*The pier at low tide*``): the picture and the
caption are two lines, not "[Image: A pier]The pier at low tide". Where a space or a line break
stands between them (apollo's picture and name, a caption on the next line of the post) they
stay on one line, as before; punctuation right after a picture stays with it."""

from __future__ import annotations

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

POST = """---
title: "Low tide"
date: 2024-07-03
---

![A pier](pier.jpg)*The pier at low tide, from the dunes*

![A gull](gull.jpg)
*A gull on the rail*

Lines of the old pier: ![the rail](rail.jpg).

![First](pier.jpg)![Second](gull.jpg)

| Where | What |
|-------|------|
| ![Rail](rail.jpg)**rail** | iron |
"""


def test_a_picture_and_the_caption_right_after_it_are_two_lines_of_the_text_part(tmp_path):
    root = write_files(tmp_path / "tide", {
        "hugo.toml": 'baseURL = "https://tide.example.org/"\ntitle = "Tide"\n',
        "content/posts/low-tide/index.md": POST,
        **{f"content/posts/low-tide/{name}.jpg": picture(colour)
           for name, colour in (("pier", (90, 80, 70)), ("gull", (200, 200, 210)),
                                ("rail", (60, 60, 60)))},
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "low-tide")
    assert result.exit_code == 0, result.output
    text = (root / "preview/low-tide/email.txt").read_text()
    assert "[Image: A pier]\nThe pier at low tide, from the dunes\n" in text
    assert "[Image: A gull] A gull on the rail\n" in text  # a line break between: one line
    assert "Lines of the old pier: [Image: the rail].\n" in text
    assert "[Image: First]\n[Image: Second]\n" in text
    assert "[Image: Rail] rail | iron" in text  # a table's cell stays on its row
    assert "\x01" not in text and "]The" not in text
