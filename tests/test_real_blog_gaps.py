"""Gaps a tenth sweep of real blogs found, on sites written here with this project's own text
laid out as each theme's demo lays them out: Hugo's static mounts replacing static/, Blowfish's
display shortcodes, Jekyll themes' ``hidden: true``, Zola apollo's characters and Nikola's
``link://`` addresses; then Congo, Ananke, Hextra (Hugo), al-folio and So Simple (Jekyll)."""

from __future__ import annotations

import json

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
    root = _ready(write_files(tmp_path / "den", {
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
    root = _ready(write_files(tmp_path / "kiln", {
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
    root = _ready(write_files(tmp_path / "kiln", {
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


def _preview(root, name: str, exit_code: int = 0) -> tuple[str, str]:
    """The email's text and HTML, once check has passed (1: with warnings only)."""
    checked = invoke(root, "check", name)
    assert checked.exit_code == exit_code, checked.output
    assert invoke(root, "preview", name).exit_code == 0
    folder = root / "preview" / name.rpartition("/")[2]
    return (folder / "email.txt").read_text(), (folder / "email.html").read_text()


def test_a_congo_blog_its_title_summary_feature_and_screenshot(tmp_path):
    """Congo's demo: settings in config/_default/ (the title in languages.en.toml, posts in its
    mainSections), a post bundle with feature.jpg, its summary, and its shortcodes. Its
    screenshot (a picture of the bundle whose name holds src) was left out with a warning; it
    is the picture, as the page shows it."""
    root = _ready(write_files(tmp_path / "kestrel", {
        "config/_default/config.toml": ('theme = "congo"\nbaseURL = "https://kestrel.example.org/"'
                                        '\ndefaultContentLanguage = "en"\nsummaryLength = 0\n'),
        "config/_default/languages.en.toml": (
            'languageCode = "en-GB"\nweight = 1\ntitle = "Kestrel Watch"\n[params]\n'
            'mainSections = ["sightings"]\ndescription = "Birds over the ridge."\n'),
        "config/_default/params.toml": '[article]\nshowHero = true\nheroStyle = "big"\n',
        "content/sightings/_index.md": '---\ntitle: "Sightings"\ncascade:\n  showDate: true\n---\n',
        "content/sightings/hover/index.md": (
            '---\ntitle: "The hover"\ndate: 2025-05-01\n'
            'summary: "A kestrel holds still in the wind."\n---\n\n'
            '{{< lead >}}\nHow it stays still.\n{{< /lead >}}\n\n'
            '{{< screenshot src="ridge" alt="The ridge at dawn" caption="The ridge" >}}\n'),
        "content/sightings/hover/feature.jpg": picture((180, 120, 40)),
        "content/sightings/hover/ridge-view.png": picture((40, 120, 40), "PNG"),
    }))
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["id"], item["status"], item["url"]) for item in listed
            if item["status"] == "ready"] == [
        ("/sightings/hover", "ready", "https://kestrel.example.org/sightings/hover/")]
    assert 'title = "Kestrel Watch"' in (root / "newsletter.toml").read_text()
    text, html = _preview(root, "/sightings/hover")
    assert "How it stays still.\n\n[Image: The ridge at dawn]\n\nThe ridge\n" in text
    assert html.count("<img") == 2 and 'class="feature"' in html
    message = (root / "preview/hover/message.eml").read_text()
    assert "A kestrel holds still in the wind." in message
    post = root / "content/sightings/hover/index.md"
    post.write_text(post.read_text().replace('src="ridge"', 'src="valley"'))
    refused = invoke(root, "check", "/sightings/hover")
    assert refused.exit_code == 2
    assert "error: content/sightings/hover/index.md:11: template-syntax: " in refused.output
    assert "no picture of the post's folder is named *valley*" in refused.output


def test_an_ananke_blog_its_featured_images_and_private_posts(tmp_path):
    """Ananke's demo, the theme as a Hugo module: featured_image written without its leading
    slash is the site's static file (the theme makes it an address from the root), a bundle's
    picture named *cover* its featured image when none is set, and private: true only asks
    search engines to skip the page: it is published, so it is a post like the others."""
    root = _ready(write_files(tmp_path / "loom", {
        "hugo.toml": ('baseURL = "https://loom.example.org/"\ntitle = "Loom"\n[module]\n'
                      '[[module.imports]]\npath = "github.com/theNewDynamic/gohugo-theme-ananke/v2"'
                      '\n[params]\ndescription = "Weaving notes"\n'),
        "content/about/_index.md": ('---\ntitle: "About"\nfeatured_image: "/images/warp.jpg"\n'
                                    "menu:\n  main:\n    weight: 1\n---\n\nA weaver.\n"),
        "content/posts/chapter-1.md": (
            '+++\ndate = 2025-03-01T10:58:08-04:00\ndescription = "Setting up the warp"\n'
            'title = "Chapter I: the warp"\nfeatured_image = "images/warp.jpg"\n+++\n\n'
            "Linen is strong.\n"),
        "content/posts/chapter-2/index.md": (
            '+++\ndate = 2025-03-02T10:58:08-04:00\ndescription = "The weft goes across"\n'
            'title = "Chapter II: the weft"\nprivate = true\n+++\n\nCotton is soft.\n'),
        "content/posts/chapter-2/cover-weft.jpg": picture((10, 120, 60)),
        "static/images/warp.jpg": picture((120, 20, 60)),
    }))
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed["/posts/chapter-1"] == ("ready", "https://loom.example.org/posts/chapter-1/")
    assert listed["/posts/chapter-2"] == ("ready", "https://loom.example.org/posts/chapter-2/")
    assert listed["/about"][0] == "page"
    for name in ("/posts/chapter-1", "/posts/chapter-2"):
        _, html = _preview(root, name)
        assert html.count("<img") == 1 and 'class="feature"' in html, name


def test_an_al_folio_blog_its_redirect_post_is_a_page_and_its_figures_show(tmp_path):
    """al-folio's demo blog: posts at /blog/:year/:title/, pictures through its figure.liquid
    include in Bootstrap rows, and a post whose front matter is only redirect: (a file or
    another site, where its page sends the reader). That post stopped every command with
    "the post has no body"; it is a page, never mailed, and the others are posts."""
    root = _ready(write_files(tmp_path / "ria", {
        "_config.yml": ("title: Ria Fenn\nurl: https://ria.example.org\nbaseurl: \n"
                        "permalink: /blog/:year/:title/\nplugins:\n  - jekyll-feed\n"
                        "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n"),
        "assets/pdf/cv.pdf": "%PDF-1.4\n",
        "assets/img/9.jpg": picture((9, 9, 90)),
        "_posts/2022-02-01-redirect.md": (
            "---\nlayout: post\ntitle: a post with redirect\ndate: 2021-07-04 17:39:00\n"
            "description: it sends readers to a file\nredirect: /assets/pdf/cv.pdf\n---\n"),
        "_posts/2015-05-15-images.md": (
            "---\nlayout: post\ntitle: a post with images\ndate: 2015-05-15 21:01:00\n"
            "description: what pictures look like\ncategories: sample-posts\n"
            "related_posts: false\ntoc:\n  sidebar: left\n---\nGalleries.\n\n"
            '<div class="row mt-3">\n    <div class="col-sm mt-3 mt-md-0">\n'
            '        {% include figure.liquid loading="eager" path="assets/img/9.jpg" '
            'alt="A blue square" class="img-fluid rounded z-depth-1" zoomable=true %}\n'
            '    </div>\n</div>\n<div class="caption">\n    A caption under the row.\n</div>\n'),
    }))
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {
        "/2022-02-01-redirect": ("page", "https://ria.example.org/blog/2021/redirect/"),
        "/2015-05-15-images": ("ready", "https://ria.example.org/blog/2015/images/")}
    text, html = _preview(root, "2015-05-15-images")
    assert "Galleries.\n\n[Image: A blue square]\n\nA caption under the row.\n" in text
    assert html.count("<img") == 1


HEXTRA_POST = """---
title: "Millwheel v0.2"
date: 2026-02-20
authors:
  - name: ria
    link: https://github.com/ria
    image: https://github.com/ria.png
tags:
  - Release
---

Version 0.2 grinds finer flour.

<!--more-->

See the [stones]({{% relref "docs/guide/stones" %}}) page.

{{< filetree/container >}}
  {{< filetree/folder name="content" >}}
    {{< filetree/file name="_index.md" >}}
    {{< filetree/folder name="blog" state="closed" >}}
      {{< filetree/file name="v0-2.md" >}}
    {{< /filetree/folder >}}
  {{< /filetree/folder >}}
  {{< filetree/file name='hugo.yaml' >}}
{{< /filetree/container >}}

New {{< badge "v0.2" >}}, see the {{< badge content="changes" link="https://example.net/changes" >}}.

{{< cards >}}
{{< card link="https://example.net/flour" title="Flour" subtitle="Where it *goes*" icon="cog" >}}
{{< /cards >}}
"""


def test_a_hextra_blog_beside_its_docs_its_file_tree_and_badges(tmp_path):
    """Hextra's demo: a blog section beside a larger docs section, the theme as a Hugo module.
    The blog's dated posts are the posts, the docs pages. Its file tree was left out (only a
    folder's name kept, with three warnings) and a badge written without content lost its
    words ("New , see the ."): the tree is a code block of names indented under their
    folders, a badge its words, linked to its link. A card is its title linked, then its
    subtitle (lost before); the cards around it only lay them out."""
    root = _ready(write_files(tmp_path / "mill", {
        "hugo.yaml": ('baseURL: "https://mill.example.org/"\ntitle: "Millwheel"\nmodule:\n'
                      "  imports:\n    - path: github.com/imfing/hextra\n"),
        "content/_index.md": "---\ntitle: Millwheel\nlayout: hextra-home\n---\n\nGrinding.\n",
        "content/docs/_index.md": "---\ntitle: Documentation\n---\n\nHow it works.\n",
        "content/docs/getting-started.md": "---\ntitle: Getting started\n---\n\nStart.\n",
        "content/docs/guide/_index.md": "---\ntitle: Guide\n---\n\nThe guide.\n",
        "content/docs/guide/stones.md": "---\ntitle: Stones\n---\n\nStones grind.\n",
        "content/blog/_index.md": '---\ntitle: "Blog"\n---\n',
        "content/blog/v0-2.md": HEXTRA_POST,
    }))
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert [key for key, (status, _) in listed.items() if status == "ready"] == ["/blog/v0-2"]
    assert listed["/blog/v0-2"][1] == "https://mill.example.org/blog/v0-2/"
    assert listed["/docs/guide/stones"][0] == "page"
    text, html = _preview(root, "/blog/v0-2", exit_code=1)
    assert ("\n    content/\n      _index.md\n      blog/\n        v0-2.md\n    hugo.yaml\n"
            in text)
    assert "New v0.2, see the changes <https://example.net/changes>." in text
    assert "<https://mill.example.org/docs/guide/stones/>" in text
    assert '<a href="https://example.net/flour"' in html and "\u2014 Where it <em>goes</em>" in html
    warned = invoke(root, "check", "/blog/v0-2").output
    assert "shortcode card " in warned and "shortcode cards " not in warned  # its icon only
    assert "Version 0.2 grinds finer flour." in (root / "preview/v0-2/message.eml").read_text()


def test_a_so_simple_blog_its_hero_image_categories_and_untitled_post(tmp_path):
    """So Simple's demo: a project site (baseurl), posts at /:categories/:title/ (a category
    with a space is escaped, as Jekyll writes the folder), the hero image as image.path, a
    post without a title titled from its file name, as the theme shows it."""
    root = _ready(write_files(tmp_path / "hedge", {
        "_config.yml": ('remote_theme: mmistakes/so-simple-theme\ntitle: "Hedgerow"\n'
                        'baseurl: "/hedgerow"\nurl: "https://ria.example.org"\n'
                        "permalink: /:categories/:title/\nplugins:\n  - jekyll-feed\n"
                        "  - jekyll-paginate\ndefaults:\n  - scope:\n      path: \"_posts\"\n"
                        "      type: posts\n    values:\n      layout: post\n      share: true\n"
                        "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n"),
        "images/hedge-1600x600.jpg": picture((60, 110, 40)),
        "images/hedge-400x200.jpg": picture((60, 110, 40), size=(400, 200)),
        "_posts/2025-03-14-layout-hero-image.md": (
            '---\ntitle: "Layout: Hero Image"\nexcerpt: "A large picture on top."\nimage:\n'
            "  path: /images/hedge-1600x600.jpg\n  thumbnail: /images/hedge-400x200.jpg\n"
            '  caption: "Photo by [Ria](https://ria.example.org/about/)"\n'
            "categories:\n  - Layout\n---\n\nThe picture is above.\n"),
        "_posts/2025-03-16-edge-case-no-yaml-title.md": (
            "---\ncategories:\n  - Edge Case\n---\n\nThis post has no title of its own.\n"),
    }))
    listed = {item["id"]: (item["status"], item["title"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    site = "https://ria.example.org/hedgerow"
    assert listed == {
        "/2025-03-14-layout-hero-image": ("ready", "Layout: Hero Image",
                                          f"{site}/layout/layout-hero-image/"),
        "/2025-03-16-edge-case-no-yaml-title": ("ready", "Edge Case No Yaml Title",
                                                f"{site}/edge%20case/edge-case-no-yaml-title/")}
    _, html = _preview(root, "2025-03-14-layout-hero-image")
    assert html.count("<img") == 1 and 'class="feature"' in html and 'width="520"' in html
