"""Jekyll blogs' own includes (``_includes/image.html``): the blog's file says which of the
include's parameters is the picture, its alt text and its caption, and the email shows them as
the page does (the picture arrived without alt text, "[Image]", and with a warning). An include
whose file prints more is the picture with a warning at its line; Jekyll's ``{% include {{
page.widget }} %}`` includes the file the value names, and without a value is one problem at
its line (it was "never closed", twice over)."""

from __future__ import annotations

import lxml.html

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

CONFIG = ("title: Marsh Notes\nurl: https://marsh.example.org\n"
          "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n")
IMAGE_INCLUDE = """<figure class="image">
  <img src="{{ include.url | relative_url }}" alt="{{ include.description }}">
  <figcaption>{{ include.description }}</figcaption>
</figure>
"""
PHOTO_INCLUDE = """<a href="{{ include.link }}"><img src="{{ site.baseurl }}/assets/photos/{{ include.file }}"
 alt='{{ include.alt }}'></a>
"""
POST = """---
title: Reeds
widget: {widget}
---

The reeds are high.

{{% include image.html url="/assets/img/reeds.jpg" description="Reeds at dusk" %}}

{{% include photo.html file="heron.jpg" alt="A heron" link="https://birds.example.org" %}}

{{% include {{{{ page.widget }}}} %}}

Home by dark.
"""


def _site(tmp_path, widget: str):
    root = write_files(tmp_path / "marsh", {
        "_config.yml": CONFIG,
        "_includes/image.html": IMAGE_INCLUDE,
        "_includes/photo.html": PHOTO_INCLUDE,
        "_includes/signup-box.html": '<div class="box">Join {{ site.posts | size }} readers</div>\n',
        "_posts/2024-10-01-reeds.md": POST.format(widget=widget),
        "assets/img/reeds.jpg": picture((5, 90, 60)),
        "assets/photos/heron.jpg": picture((120, 120, 130)),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    return root


def test_the_blogs_own_picture_include_shows_its_picture_alt_text_and_caption(tmp_path):
    root = _site(tmp_path, "signup-box.html")
    checked = invoke(root, "check", "reeds")
    assert "image-no-alt" not in checked.output
    warnings = [line for line in checked.output.splitlines() if "template-degraded" in line]
    assert [line.split(": ")[1] for line in warnings] == ["_posts/2024-10-01-reeds.md:10",
                                                          "_posts/2024-10-01-reeds.md:12"]
    assert "photo.html" in warnings[0] and "signup-box.html" in warnings[1]
    assert invoke(root, "preview", "reeds").exit_code == 0
    folder = next((root / "preview").glob("*reeds"))
    text = (folder / "email.txt").read_text()
    assert "[Image: Reeds at dusk]\n\nReeds at dusk\n\n[Image: A heron]\n\nHome by dark." in text
    html = lxml.html.fromstring((folder / "email.html").read_text())
    assert [img.get("alt") for img in html.iter("img")][-2:] == ["Reeds at dusk", "A heron"]
    assert "{%" not in text and "{{" not in text


def test_an_include_named_by_a_value_without_one_is_one_problem_at_its_line(tmp_path):
    root = _site(tmp_path, '""')
    checked = invoke(root, "check", "reeds")
    assert checked.exit_code != 0
    problems = [line for line in checked.output.splitlines() if line.startswith("error:")]
    assert len(problems) == 1, checked.output
    assert "_posts/2024-10-01-reeds.md:12: template-syntax: {% include {{ page.widget }} %}" \
        in problems[0] and "never closed" not in checked.output
