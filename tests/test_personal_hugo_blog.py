"""A writer's own Hugo blog after years of drift, laid out as personal blogs are (an old
config.toml beside hugo.toml, params in config/_default/, content/post/ and content/posts/,
WordPress's imported posts, four ways of writing a date, a draft written as a string, Org,
AsciiDoc and HTML files, a translation by file name), written here with this project's own
text: every command from init to status, and what each must say."""

from __future__ import annotations

import json

from conftest import invoke
from generator_sites import blog_after_init, picture

DRIFTED = {
    # Hugo reads hugo.toml and leaves config.toml, the file of an earlier theme, alone.
    "config.toml": ('baseURL = "http://old.example.net/"\ntitle = "Old Name"\n'
                    '[params]\nmainSections = ["post"]\n'),
    "hugo.toml": ('baseURL = "https://moss.example.org/"\ntitle = "Moss and Stone"\n'
                  'languageCode = "en-gb"\n[permalinks]\n  post = "/:year/:month/:slug/"\n'
                  '  posts = "/:year/:month/:slug/"\n[languages.en]\nweight = 1\n'
                  '[languages.fr]\nweight = 2\n'),
    "config/_default/params.toml": 'mainSections = ["post", "posts"]\n',
    "config/production/params.toml": 'env = "production"\n',
    "content/about.md": "---\ntitle: About me\n---\n\nHi.\n",
    "content/post/_index.md": "---\ntitle: Old posts\n---\n",
    "content/post/2011-04-16-tide-tables.md": (
        "---\ntitle: Tide tables\nauthor: me\ntype: post\ndate: 2011-04-16T00:55:15+00:00\n"
        "url: /?p=19\ncategories:\n  - Sea\n---\nTables of the tide.\n"),
    "content/post/stone-walls.md": ('+++\ntitle = "Stone walls"\ndate = "2019-03-04"\n'
                                    'draft = "false"\naliases = ["/old/stone-walls.html"]\n'
                                    '+++\n\nDry stone.\n'),
    "content/post/lichen.md": ('---\ntitle: "*Why* I left the city"\ndate: "2019-03-04 10:00"'
                               "\nlastmod: 2020-01-01\n---\n\nLichen grows slow.[^1]\n\n"
                               "[^1]: Very slow.\n"),
    "content/posts/moss/index.md": ("---\ntitle: Moss\ndate: 2019-03-04T10:00:00+01:00\n"
                                    "slug: all-about-moss\ndescription: Green.\n---\n\n"
                                    "![A cushion of moss](cushion.jpg)\n"),
    "content/posts/moss/cushion.jpg": picture((20, 120, 20)),
    "content/posts/walls/_index.md": "---\ntitle: Walls series\n---\n\nA series.\n",
    "content/posts/walls/part-one.md": ("---\ntitle: Walls part one\ndate: 2021-05-05\n"
                                        "publishDate: 2021-05-06\n---\n\nOne.\n"),
    "content/posts/gone.md": ("---\ntitle: Gone\ndate: 2021-01-01\nexpiryDate: 2021-02-01\n"
                              "---\n\nGone.\n"),
    "content/posts/later.md": "---\ntitle: Later\ndate: 2999-01-01\n---\n\nLater.\n",
    "content/posts/wip.md": '---\ntitle: WIP\ndate: 2022-04-04\ndraft: "true"\n---\n\nSoon.\n',
    "content/posts/epi.md": "---\ntitle: Epiphyte\ndate: 2022-02-02\n---\n\nOn trees.\n",
    "content/posts/epi.fr.md": "---\ntitle: Épiphyte\ndate: 2022-02-02\n---\n\nSur les arbres.\n",
    "content/posts/notes.org": "#+TITLE: Org notes\n#+DATE: 2022-03-03\n\nSome *org* text.\n",
    "content/posts/guide.adoc": "---\ntitle: Ascii\ndate: 2022-03-04\n---\n\n== Hello\n",
    # blogdown's post: the HTML it renders from regression.Rmd, which Hugo leaves alone
    "content/posts/regression.Rmd": "---\ntitle: Regression\n---\n\n```{r}\nlm(y ~ x)\n```\n",
    "content/posts/regression.html": ('---\ntitle: "Regression"\ndate: 2022-03-05\n---\n'
                                      '<p>The slope is <code>0.8</code>.</p>\n'),
    "content/posts/static.html": "<p>A page copied as it is.</p>\n",
}
SITE = "https://moss.example.org"


def test_a_drifted_hugo_blog_from_init_to_status(tmp_path):
    """Every command on the blog: the settings Hugo reads (hugo.toml, not the old config.toml;
    mainSections from config/_default/), both post sections, dates as each was written, a
    draft of "false" is a post and of "true" a draft, the French file a translation; an HTML
    post (blogdown's) sent as it is, one without front matter a page; Org and AsciiDoc
    listed as not read. A Markdown title is printed in words, as its subject. WordPress's
    url: /?p=19 is an error at its line: its link shows the home page."""
    root = tmp_path / "moss"
    init = blog_after_init(root, DRIFTED)
    assert "posts in content/post, content/posts (mainSections)" in init.output
    assert "2 files not read (.adoc, .org: newsletter reads Markdown)" in init.output
    assert f'url = "{SITE}"  # from hugo.toml and config/production' in (
        root / "newsletter.toml").read_text()
    listed = {item["id"]: (item["status"], item["url"], item["date"])
              for item in json.loads(invoke(root, "posts", "--json").stdout) if item["id"]}
    assert listed == {
        "/post/2011-04-16-tide-tables": ("ready", f"{SITE}/?p=19/",
                                         "2011-04-16T00:55:15+00:00"),
        "/post/stone-walls": ("ready", f"{SITE}/2019/03/stone-walls/",
                              "2019-03-04T00:00:00+00:00"),
        "/post/lichen": ("ready", f"{SITE}/2019/03/why-i-left-the-city/",
                         "2019-03-04T10:00:00+00:00"),
        "/posts/moss": ("ready", f"{SITE}/2019/03/all-about-moss/", "2019-03-04T10:00:00+01:00"),
        "/posts/walls/part-one": ("ready", f"{SITE}/2021/05/walls-part-one/",
                                  "2021-05-06T00:00:00+00:00"),
        "/posts/epi": ("ready", f"{SITE}/2022/02/epiphyte/", "2022-02-02T00:00:00+00:00"),
        "/posts/regression": ("ready", f"{SITE}/2022/03/regression/",
                              "2022-03-05T00:00:00+00:00"),
        "/posts/static": ("page", f"{SITE}/posts/static/", None),
        "/posts/epi.fr": ("page", f"{SITE}/fr/2022/02/épiphyte/", "2022-02-02T00:00:00+00:00"),
        "/posts/gone": ("draft", f"{SITE}/2021/01/gone/", "2021-01-01T00:00:00+00:00"),
        "/posts/wip": ("draft", f"{SITE}/2022/04/wip/", "2022-04-04T00:00:00+00:00"),
        "/posts/later": ("scheduled", f"{SITE}/2999/01/later/", "2999-01-01T00:00:00+00:00"),
        "/post": ("page", f"{SITE}/post/", None),
        "/posts/walls": ("page", f"{SITE}/posts/walls/", None),
        "/about": ("page", f"{SITE}/about/", None)}
    table = invoke(root, "posts").output
    assert "/post/lichen                  Why I left the city\n" in table
    assert "not read: content/posts/notes.org: Org (newsletter sends posts written in Markdown)" \
        in table

    refused = invoke(root, "check", "/post/2011-04-16-tide-tables")
    assert refused.exit_code == 2
    assert ("error: content/post/2011-04-16-tide-tables.md:6: post-address-query: the post's "
            f"address {SITE}/?p=19/ holds a query (?): that link shows the home page, not the "
            "post; give the post a path of its own (url: /2011-04-16-tide-tables/)") \
        in refused.output
    assert invoke(root, "check", "/post/lichen").exit_code == 0
    assert invoke(root, "preview", "/post/lichen").exit_code == 0
    text = (root / "preview/lichen/email.txt").read_text()
    assert text.startswith("Why I left the city\n===") and "Lichen grows slow.[1]" in text

    one = invoke(root, "send", "/post/lichen", "--dry-run")
    assert "Post:       Why I left the city (/post/lichen)" in one.output
    planned = invoke(root, "send", "--due", "--dry-run")
    assert '  would send /post/lichen "Why I left the city" (2019-03-04T10:00+00:00)' \
        in planned.output
    assert '  would NOT send /post/2011-04-16-tide-tables "Tide tables"' in planned.output
    sent = invoke(root, "send", "--due")
    assert sent.output.count("Sent ") == 6 and 'Sent /post/lichen "Why I left the city"' \
        in sent.output
    assert "error: /post/2011-04-16-tide-tables not sent: " in sent.output
    assert sorted(folder.name for folder in (root / "outbox").iterdir()) == [
        "epi", "lichen", "moss", "part-one", "regression", "stone-walls"]
    assert "The slope is 0.8." in next((root / "outbox/regression").iterdir()).read_text()
    status = invoke(root, "status").output
    assert "/posts/moss: sent 1, failed 0" in status and "tide-tables" not in status


HEXTRA = {"hugo.yaml": "baseURL: https://fern.example.com/\ntitle: Fern\ntheme: hextra\n",
          "content/posts/steps.md": (
              "---\ntitle: Steps\ndate: 2024-01-01\ndescription: Two steps.\n---\n\n"
              "1. First step\n\n   {{< cards >}}\n"
              '     {{< card link="/posts/fronds/" title="Fronds" subtitle="Unfurling" >}}\n'
              '     {{< card link="/posts/fronds/" title="Spores" >}}\n'
              "   {{< /cards >}}\n\n2. Second step\n"),
          "content/posts/fronds.md": "---\ntitle: Fronds\ndate: 2024-01-02\n---\n\nUnfurl.\n"}


def test_hextra_cards_indented_under_a_list_item_stay_in_it(tmp_path):
    """Hextra's cards indented under a step: the two cards ran together into one line, and
    each was warned. Each is its own paragraph in the item, between the steps, and a card of
    a link, a title and a subtitle is shown whole, unreported."""
    root = tmp_path / "fern"
    blog_after_init(root, HEXTRA)
    checked = invoke(root, "check", "/posts/steps")
    assert checked.exit_code == 0, checked.output
    assert invoke(root, "preview", "/posts/steps").exit_code == 0
    text = (root / "preview/steps/email.txt").read_text()
    assert ("1. First step\n\n   Fronds <https://fern.example.com/posts/fronds/> — Unfurling\n\n"
            "   Spores <https://fern.example.com/posts/fronds/>\n\n2. Second step\n") in text
    html = (root / "preview/steps/email.html").read_text()
    item = html[html.index("<li"):html.index("</li>")]
    assert item.count("<p") == 3
    assert item.count('href="https://fern.example.com/posts/fronds/"') == 2


BLOGDOWN_POST = """---
title: "Means"
date: 2020-01-01
description: Means of things.
---

<script src="{{< blogdown/postref >}}index_files/header-attrs/header-attrs.js"></script>

<div id="the-data" class="section level2">
<h2>The data</h2>
<pre class="r"><code>mean(x)</code></pre>
<p><img src="{{< blogdown/postref >}}index_files/figure-html/plot-1.png" alt="A plot" /></p>
</div>
"""


def test_a_blogdown_post_is_its_rendered_html(tmp_path):
    """An R writer's blogdown post: index.Rmd, and the index.html it renders with the files
    beside it. The HTML was not read; read, R Markdown's header-attrs.js script (atop every
    such post, showing nothing) stopped it as an embed, and {{< blogdown/postref >}}, the
    post's own path before its plots, was an unknown shortcode."""
    root = tmp_path / "stats"
    blog_after_init(root, {
        "config.toml": ('baseURL = "https://stats.example.org/"\ntitle = "Stats"\n'
                        'theme = "hugo-lithium"\nignoreFiles = ["\\\\.Rmd$", "_cache$"]\n'),
        "content/post/means/index.Rmd": "---\ntitle: Means\n---\n\n```{r}\nmean(x)\n```\n",
        "content/post/means/index.html": BLOGDOWN_POST,
        "content/post/means/index_files/figure-html/plot-1.png": picture((1, 2, 3), "PNG"),
        "content/post/means/index_files/header-attrs/header-attrs.js": "// attributes\n"})
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["id"], item["status"]) for item in listed] == [("/post/means", "ready")]
    checked = invoke(root, "check", "/post/means")
    assert checked.exit_code == 0, checked.output
    assert invoke(root, "preview", "/post/means").exit_code == 0
    text = (root / "preview/means/email.txt").read_text()
    assert "The data\n--------\n\n    mean(x)\n\n[Image: A plot]\n" in text
    html = (root / "preview/means/email.html").read_text()
    assert html.count("<img") == 1 and "<script" not in html
