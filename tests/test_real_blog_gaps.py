"""Gaps a tenth sweep of real blogs found, on sites written here with this project's own text
laid out as each theme's demo lays them out: Hugo's static mounts replacing static/, Blowfish's
display shortcodes, Jekyll themes' ``hidden: true``, Zola apollo's characters and Nikola's
``link://`` addresses."""

from __future__ import annotations

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

BLOWFISH_DISPLAY = """{{< stat value="12" label="Herons counted" >}}

{{< steps >}}
Walk to the hide.
{{< /steps >}}

{{< marquee speed="20" >}}
Reeds, water, sky.
{{< /marquee >}}

{{< slider images="/img/dawn.jpg" >}}
"""


def _ready(root):
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    return root


def test_a_static_mount_replaces_static_and_blowfish_display_shortcodes_are_warned(tmp_path):
    """gohugo.io/configuration/module/#mounts: once a mount targets static, Hugo serves no
    default static/ unless a mount names it again. A picture left in static/ is one the blog
    does not serve (image-missing); one in the mounted folder is in the email. Blowfish's stat,
    steps, marquee and slider are warned, each at its line, and the post still goes out."""
    root = _ready(write_files(tmp_path / "fen", {
        "hugo.toml": ('baseURL = "https://fen.example.org/"\ntitle = "Fen Log"\n'
                      'theme = "blowfish"\n'
                      '[[module.mounts]]\nsource = "files"\ntarget = "static"\n'),
        "files/img/dawn.jpg": picture((200, 150, 90)),
        "static/img/dusk.jpg": picture((40, 30, 90)),
        "content/posts/hide.md": ("---\ntitle: The hide\ndate: 2025-04-02\n"
                                  "description: A morning at the hide.\n---\n\n"
                                  "![Dawn](/img/dawn.jpg)\n\n" + BLOWFISH_DISPLAY),
        "content/posts/dusk.md": ("---\ntitle: Dusk\ndate: 2025-04-03\n"
                                  "description: An evening.\n---\n\n![Dusk](/img/dusk.jpg)\n"),
    }))
    checked = invoke(root, "check", "/posts/hide")
    assert checked.exit_code == 1, checked.output  # warnings only
    for line, name in ((9, "stat"), (11, "steps"), (15, "marquee"), (19, "slider")):
        assert f"content/posts/hide.md:{line}: template-degraded" in checked.output, name
        assert f"shortcode {name}" in checked.output
    assert invoke(root, "preview", "/posts/hide").exit_code == 0
    html = (root / "preview/hide/email.html").read_text()
    assert 'alt="Dawn"' in html
    assert "Walk to the hide." in html and "Reeds, water, sky." in html
    missing = invoke(root, "check", "/posts/dusk")
    assert missing.exit_code == 2, missing.output
    assert "content/posts/dusk.md:7: image-missing" in missing.output
