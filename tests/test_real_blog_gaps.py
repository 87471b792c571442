"""Gaps a tenth sweep of real blogs found, on sites written here with this project's own text
laid out as each theme's demo lays them out: Hugo's static mounts replacing static/, Blowfish's
display shortcodes, Jekyll themes' ``hidden: true``, Zola apollo's characters and Nikola's
``link://`` addresses (the themes it swept: tests/test_theme_sweep_blogs.py)."""

from __future__ import annotations

import json

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

BLOWFISH_DISPLAY = """{{< stats >}}
  {{< stat value="12" label="Herons *counted*" >}}
  {{< stat value="3" label="Otters" >}}Seen at dusk.{{< /stat >}}
{{< /stats >}}

{{< steps >}}
{{< step number="1" title="Walk to the hide" >}}
Quietly, **before** dawn.
{{< /step >}}
{{< /steps >}}

{{< marquee speed="20" >}}
  {{< marquee-item href="https://reeds.example.org/" icon="/reed.svg" >}}Reeds{{< /marquee-item >}}
  {{< marquee-item >}}Water, sky{{< /marquee-item >}}
{{< /marquee >}}
"""


def ready_site(root):
    """The site once `init` has read it and the writer has filled in the settings."""
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    return root


def checked_email(root, name: str, exit_code: int = 0) -> tuple[str, str]:
    """The email's text and HTML, once check has passed (1: with warnings only)."""
    checked = invoke(root, "check", name)
    assert checked.exit_code == exit_code, checked.output
    assert invoke(root, "preview", name).exit_code == 0
    folder = root / "preview" / name.rpartition("/")[2]
    return (folder / "email.txt").read_text(), (folder / "email.html").read_text()


def test_a_static_mount_replaces_static_and_blowfish_display_shortcodes_show(tmp_path):
    """gohugo.io/configuration/module/#mounts: once a mount targets static, Hugo serves no
    default static/ unless a mount names it again. A picture left in static/ is one the blog
    does not serve (image-missing); one in the mounted folder is in the email. Blowfish's
    stats, steps and marquee were warned and showed only their words: each stat is its value
    in bold and its label, each step its number and title in bold over its words, each marquee
    item its words linked to its href; its slider the bundle's pictures its pattern matches."""
    root = ready_site(write_files(tmp_path / "fen", {
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
        "content/posts/reeds/index.md": ("---\ntitle: Reeds\ndate: 2025-04-04\ndescription: "
                                         "Reeds.\n---\n\n"
                                         '{{< slider pattern="slides/*.jpg" id="r" >}}\n'),
        "content/posts/reeds/slides/a.jpg": picture((90, 150, 90)),
        "content/posts/reeds/slides/b.png": picture((90, 90, 150), "PNG"),
    }))
    text, html = checked_email(root, "/posts/hide")  # nothing to warn of
    assert ("12 Herons counted\n\n3 Otters\n\nSeen at dusk.\n\n1. Walk to the hide\n\n"
            "Quietly, before dawn.\n\nReeds <https://reeds.example.org/>\n\nWater, sky\n") in text
    assert "<strong>12</strong> Herons <em>counted</em>" in html and 'alt="Dawn"' in html
    assert "<strong>1. Walk to the hide</strong>" in html and "reed.svg" not in html
    assert invoke(root, "preview", "/posts/reeds").exit_code == 0
    assert (root / "preview/reeds/email.html").read_text().count("<img") == 1  # a.jpg only
    missing = invoke(root, "check", "/posts/dusk")
    assert missing.exit_code == 2, missing.output
    assert "content/posts/dusk.md:7: image-missing" in missing.output


APOLLO_TALK = """+++
title = "Talk"
date = 2025-01-02
description = "Two animals talk."
+++

Intro.

{% character(name="fox", image="fox.png", position="left") %}
I am a **fox**.
{% end %}

{{ character(name="hooded", body="Short *words*.") }}
"""


def test_apollos_character_is_a_quote_headed_by_its_picture_and_name(tmp_path):
    """apollo's character shortcode shows the picture image= names from /images/characters/
    beside the speaker's name, over their words: the email has the same (it showed the words
    alone, with a warning). A picture the site does not have is image-missing at its line."""
    root = ready_site(write_files(tmp_path / "den", {
        "config.toml": 'base_url = "https://den.example.org"\ntitle = "Den"\ntheme = "apollo"\n',
        "static/images/characters/fox.png": picture((200, 90, 20), "PNG", (64, 64)),
        "content/posts/talk.md": APOLLO_TALK,
        "content/posts/owl.md": APOLLO_TALK.replace("fox", "owl").replace("Talk", "Owl"),
    }))
    checked = invoke(root, "check", "talk")
    assert checked.exit_code == 0, checked.output
    assert invoke(root, "preview", "talk").exit_code == 0
    text = (root / "preview/talk/email.txt").read_text()
    assert "Intro.\n\n> [Image: fox] fox\n>\n> I am a fox.\n\n> hooded\n>\n> Short words.\n" in text
    html = (root / "preview/talk/email.html").read_text()
    assert 'alt="fox"' in html and "<strong>fox</strong>" in html
    missing = invoke(root, "check", "owl")
    assert missing.exit_code == 2
    assert "error: content/posts/owl.md:9: image-missing: image /images/characters/owl.png " \
           "not found" in missing.output


def test_nikolas_gallery_tag_and_category_links_are_the_blogs_addresses(tmp_path):
    """link://gallery/name is the page Nikola's galleries plugin writes for that folder of
    galleries/ (found by its own name when only one has it); the email carried link://gallery/,
    which no mail client opens. A gallery the site does not have is a problem at its line, as
    Nikola's build stops there."""
    root = ready_site(write_files(tmp_path / "kiln", {
        "conf.py": ('# Nikola\nBLOG_TITLE = "Kiln"\nSITE_URL = "https://kiln.example.org/"\n'
                    'POSTS = (("posts/*.md", "posts", "post.tmpl"),)\n'),
        "galleries/firings/spring/bowl.jpg": picture((150, 80, 40)),
        "galleries/glazes/bowl.jpg": picture((40, 80, 150)),
        "posts/firing.md": ("<!--\n.. title: Spring firing\n.. slug: firing\n"
                            ".. date: 2026-03-01\n.. description: Cone six.\n-->\n\n"
                            "See [the pots](link://gallery/spring), [the glazes]"
                            "(link://gallery/glazes#top), the [tag](link://tag/Stoneware) and "
                            "the [category](link://category/kilns).\n"),
        "posts/lost.md": ("<!--\n.. title: Lost\n.. slug: lost\n.. date: 2026-03-02\n"
                          ".. description: Gone.\n-->\n\nSee [them](link://gallery/winter).\n"),
    }))
    checked = invoke(root, "check", "firing")
    assert checked.exit_code == 0, checked.output
    assert invoke(root, "preview", "firing").exit_code == 0
    text = (root / "preview/firing/email.txt").read_text()
    site = "https://kiln.example.org"
    for address in (f"{site}/galleries/firings/spring/", f"{site}/galleries/glazes/#top",
                    f"{site}/categories/stoneware/", f"{site}/categories/cat_kilns/"):
        assert f"<{address}>" in text, address
    assert "link://" not in text
    lost = invoke(root, "check", "lost")
    assert lost.exit_code == 2
    assert "error: posts/lost.md:8: template-syntax: the link link://gallery/winter names no " \
           "gallery of this site" in lost.output


MEDIUMISH = ("title: Kiln Notes\nurl: https://kiln.example.org\npaginate: 6\n"
             "paginate_path: /page:num/\nplugins:\n  - jekyll-paginate\n  - jekyll-feed\n"
             "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n")


def test_a_hidden_post_is_published_and_in_the_feed_so_it_is_mailed(tmp_path):
    """hidden: true only keeps a post out of the home page's list (jekyll-paginate skips it;
    Mediumish's demo hides its featured posts, shown above the list already; Chirpy's and
    Minimal Mistakes' home lists skip it too): the blog publishes it and jekyll-feed (and
    Chirpy's own feed) carries it. So it is a post like the others, ready to send, with its
    address, description and feature image."""
    root = ready_site(write_files(tmp_path / "kiln", {
        "_config.yml": MEDIUMISH,
        "assets/images/bowl.jpg": picture((150, 80, 40)),
        "_posts/2026-03-01-glaze-review.md": (
            "---\nlayout: post\ntitle: \"Glaze review\"\nauthor: ria\n"
            "categories: [ Pottery, review ]\nimage: assets/images/bowl.jpg\n"
            "description: \"Three glazes, fired twice.\"\nfeatured: true\nhidden: true\n"
            "rating: 4.5\n---\n\nThe celadon ran.\n"),
        "_posts/2026-03-02-wedging.md": ("---\nlayout: post\ntitle: Wedging\n"
                                         "description: Clay first.\n---\n\nPress and fold.\n"),
    }))
    listed = invoke(root, "posts", "--json")
    assert listed.exit_code == 0, listed.output
    posts = {item["id"]: item for item in json.loads(listed.stdout)}
    glaze = posts["/2026-03-01-glaze-review"]
    assert (glaze["status"], glaze["url"]) == (
        "ready", "https://kiln.example.org/pottery/review/2026/03/01/glaze-review.html")
    checked = invoke(root, "check", "2026-03-01-glaze-review")
    assert checked.exit_code == 0, checked.output
    assert invoke(root, "preview", "2026-03-01-glaze-review").exit_code == 0
    message = (root / "preview/2026-03-01-glaze-review/message.eml").read_text()
    assert "Three glazes, fired twice." in message
    html = (root / "preview/2026-03-01-glaze-review/email.html").read_text()
    assert html.count("<img") == 1  # the feature image
    assert invoke(root, "subscribers", "add", "reader@example.net").exit_code == 0
    sent = invoke(root, "send", "--dry-run", "2026-03-01-glaze-review")
    assert sent.exit_code == 0, sent.output
    assert "Glaze review" in sent.output
