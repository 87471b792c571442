"""Real themes a tenth sweep laid out as their demos do, with this project's own text: Congo,
Ananke and Hextra (Hugo), al-folio and So Simple (Jekyll); each through posts, check and
preview, and what broke or read wrong in them."""

from __future__ import annotations

import json

from conftest import invoke
from generator_sites import picture, write_files
from test_real_blog_gaps import checked_email, ready_site

# What Jekyll must not publish of newsletter's files (check warns otherwise)
EXCLUDED = "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]"


def test_a_congo_blog_its_title_summary_feature_and_screenshot(tmp_path):
    """Congo's demo: settings in config/_default/ (the title in languages.en.toml, posts in its
    mainSections), a post bundle with feature.jpg, its summary, and its shortcodes. Its
    screenshot (a picture of the bundle whose name holds src) was left out with a warning; it
    is the picture, as the page shows it."""
    root = ready_site(write_files(tmp_path / "kestrel", {
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
    text, html = checked_email(root, "/sightings/hover")
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
    root = ready_site(write_files(tmp_path / "loom", {
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
        _, html = checked_email(root, name)
        assert html.count("<img") == 1 and 'class="feature"' in html, name


def test_an_al_folio_blog_its_redirect_post_is_a_page_and_its_figures_show(tmp_path):
    """al-folio's demo blog: posts at /blog/:year/:title/, pictures through its figure.liquid
    include in Bootstrap rows, and a post whose front matter is only redirect: (a file or
    another site, where its page sends the reader). That post stopped every command with
    "the post has no body"; it is a page, never mailed, and the others are posts."""
    root = ready_site(write_files(tmp_path / "ria", {
        "_config.yml": ("title: Ria Fenn\nurl: https://ria.example.org\nbaseurl: \n"
                        "permalink: /blog/:year/:title/\nplugins:\n  - jekyll-feed\n"
                        f"{EXCLUDED}\n"),
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
    text, html = checked_email(root, "2015-05-15-images")
    assert "Galleries.\n\n[Image: A blue square]\n\nA caption under the row.\n" in text
    assert html.count("<img") == 1
    post = root / "_posts/2015-05-15-images.md"
    post.write_text(post.read_text().replace("img/9.jpg", "img/10.jpg"))
    missing = invoke(root, "check", "2015-05-15-images")
    assert missing.exit_code == 2
    assert "error: _posts/2015-05-15-images.md:15: image-missing: image /assets/img/10.jpg " \
           "not found" in missing.output  # at the include's line


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

New {{< badge "v0.2" >}}, see the {{< badge content="changes" link="https://example.net/new" >}}.

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
    root = ready_site(write_files(tmp_path / "mill", {
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
    text, html = checked_email(root, "/blog/v0-2", exit_code=1)
    assert ("\n    content/\n      _index.md\n      blog/\n        v0-2.md\n    hugo.yaml\n"
            in text)
    assert "New v0.2, see the changes <https://example.net/new>." in text
    assert "<https://mill.example.org/docs/guide/stones/>" in text
    assert '<a href="https://example.net/flour"' in html and "\u2014 Where it <em>goes</em>" in html
    warned = invoke(root, "check", "/blog/v0-2").output
    assert "shortcode card " in warned and "shortcode cards " not in warned  # its icon only
    assert "Version 0.2 grinds finer flour." in (root / "preview/v0-2/message.eml").read_text()


def test_a_so_simple_blog_its_hero_image_categories_and_untitled_post(tmp_path):
    """So Simple's demo: a project site (baseurl), posts at /:categories/:title/ (a category
    with a space is escaped, as Jekyll writes the folder), the hero image as image.path, a
    post without a title titled from its file name, as the theme shows it."""
    root = ready_site(write_files(tmp_path / "hedge", {
        "_config.yml": ('remote_theme: mmistakes/so-simple-theme\ntitle: "Hedgerow"\n'
                        'baseurl: "/hedgerow"\nurl: "https://ria.example.org"\n'
                        "permalink: /:categories/:title/\nplugins:\n  - jekyll-feed\n"
                        "  - jekyll-paginate\ndefaults:\n  - scope:\n      path: \"_posts\"\n"
                        "      type: posts\n    values:\n      layout: post\n      share: true\n"
                        f"{EXCLUDED}\n"),
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
    _, html = checked_email(root, "2025-03-14-layout-hero-image")
    assert html.count("<img") == 1 and 'class="feature"' in html and 'width="520"' in html
