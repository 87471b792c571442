"""What writers of the other generators' blogs write (Zola, Pelican, Hexo themes, Docusaurus,
VitePress, Eleventy, Astro, Nikola), in this project's own words: each email shows what the
blog's page shows."""

from __future__ import annotations

import json

import lxml.html
import pytest
from generator_sites import WRITERS_URL, fill_in_settings, picture, write_files

from conftest import invoke


def email_html(root, name: str) -> lxml.html.HtmlElement:
    """The preview of post ``name`` as a tree."""
    result = invoke(root, "preview", name)
    assert result.exit_code == 0, result.output
    folder = next((root / "preview").glob(f"*{name}"))  # a Docusaurus post's is dated
    return lxml.html.fromstring((folder / "email.html").read_text())


def zola_site(root, markdown: str):
    return write_files(root, {
        "config.toml": f'base_url = "https://fjord.example.com"\ntitle = "Fjord"\n{markdown}',
        "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n',
        "content/blog/ice.md": ('+++\ntitle = "Ice"\ndate = 2026-02-12\n'
                                'description = "Thin."\n+++\n\n"Thin" ice -- mind it...\n'),
    })


def test_zolas_smart_punctuation_setting_curls_the_quotes_as_the_blog_does(tmp_path):
    """pulldown-cmark sets quotes and dashes only when [markdown] smart_punctuation is true:
    the email read the setting nowhere, so its quotes stayed straight where the page's curl."""
    curled = zola_site(tmp_path / "curled", "[markdown]\nsmart_punctuation = true\n")
    plain = zola_site(tmp_path / "plain", "[markdown]\nhighlight_code = true\n")
    for root in (curled, plain):
        assert invoke(root, "init").exit_code == 0
        fill_in_settings(root)
    assert "\u201cThin\u201d ice \u2013 mind it\u2026" in email_html(curled, "ice").text_content()
    assert '"Thin" ice -- mind it...' in email_html(plain, "ice").text_content()


def test_a_new_hexo_blog_without_drafts_checks_clean(tmp_path):
    """hexo init makes source/_posts and no _drafts: init wrote both into [posts] dirs, so
    every check warned that source/_drafts names nothing, on a blog set up as Hexo sets it."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": "title: Kites\nurl: https://kites.example.org\nnew_post_name: :title.md\n",
        "package.json": '{"hexo": {"version": "7.3.0"}, "dependencies": {"hexo": "^7.3.0"}}',
        "source/_posts/delta.md": ("---\ntitle: Delta\ndate: 2026-02-11 14:20:00\n"
                                   "description: A red kite.\n---\n\nUp it goes.\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "delta")
    assert result.exit_code == 0, result.output
    assert "posts-dirs" not in result.output
    assert "Checked 1 post: nothing found." in result.output
    (root / "source/_drafts").mkdir()
    (root / "newsletter.toml").unlink()
    assert invoke(root, "init").exit_code == 0
    assert 'dirs = ["source/_posts", "source/_drafts"]' in (root / "newsletter.toml").read_text()


PELICAN_CONFIG = """\
SITENAME = 'Tidepool'
SITEURL = ''
PATH = 'content'
STATIC_PATHS = ['images', 'downloads']
ARTICLE_URL = 'posts/{date:%Y}/{slug}/'
ARTICLE_SAVE_AS = 'posts/{date:%Y}/{slug}/index.html'
TAG_URL = 'tags/{slug}/'
"""
ANEMONES = """\
Title: Anemones
Date: 2026-02-14 09:30
Summary: Under the ledges.
Category: Shore

The [tide table]({static}/downloads/tides.pdf), [my notes]({attach}notes.txt),
[the map](|static|../downloads/map.pdf), a [tag]({tag}Rock-Pools), the
[Shore]({category}Shore) ones, [my posts]({author}Rowan), [home]({index}).
![A beadlet]({static}/images/beadlet.png)
"""


def test_pelicans_links_to_its_own_files_and_lists_are_their_addresses(tmp_path):
    """Pelican turns {static}, {attach}, {tag}, {category}, {author} and {index} links into
    the addresses it publishes; the email kept them as written, a broken link under the post's
    address (.../posts/2026/anemones/{static}/downloads/tides.pdf), for all but images."""
    root = write_files(tmp_path / "tidepool", {
        "pelicanconf.py": PELICAN_CONFIG,
        "publishconf.py": "from pelicanconf import *\nSITEURL = 'https://tide.example.net'\n",
        "content/downloads/tides.pdf": "%PDF-1.4 tides\n",
        "content/downloads/map.pdf": "%PDF-1.4 map\n",
        "content/images/beadlet.png": picture((200, 40, 40), "PNG"),
        "content/shore/notes.txt": "Notes.\n",
        "content/shore/anemones.md": ANEMONES,
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    tree = email_html(root, "anemones")
    links = {a.text_content(): a.get("href") for a in tree.iter("a")}
    site = "https://tide.example.net"
    assert {name: links[name] for name in ("tide table", "my notes", "the map", "tag", "Shore",
                                           "my posts", "home")} == {
        "tide table": f"{site}/downloads/tides.pdf",
        "my notes": f"{site}/posts/2026/anemones/notes.txt",
        "the map": f"{site}/downloads/map.pdf",
        "tag": f"{site}/tags/rock-pools/",
        "Shore": f"{site}/category/shore.html",
        "my posts": f"{site}/author/rowan.html",
        "home": f"{site}/index.html"}
    assert [img.get("alt") for img in tree.iter("img") if img.get("alt") == "A beadlet"]
    result = invoke(root, "check", "anemones")
    assert result.exit_code == 0 and "link-relative" not in result.output, result.output


def test_a_pelican_tag_or_category_named_with_a_space_links_to_its_page(tmp_path):
    """Python-Markdown keeps a space in ``({tag}Rock Pools)`` and Pelican slugs the whole name
    (/tags/rock-pools/); the email cut the link at the space and sent its readers to
    /tags/rock/%20Pools, a page the blog does not have."""
    root = write_files(tmp_path / "tidepool", {
        "pelicanconf.py": PELICAN_CONFIG,
        "content/shore/limpets.md": (
            "Title: Limpets\nDate: 2026-02-15 09:30\nSummary: Clamped.\nTags: Rock Pools\n\n"
            "More [in the pools]({tag}Rock Pools), [on the shore]({category}Upper Shore "
            '"Upper shore posts") and <a href="{author}Rowan Ash">by me</a>.\n'),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    links = {a.text_content(): a.get("href") for a in email_html(root, "limpets").iter("a")}
    assert {name: links[name] for name in ("in the pools", "on the shore", "by me")} == {
        "in the pools": f"{WRITERS_URL}/tags/rock-pools/",
        "on the shore": f"{WRITERS_URL}/category/upper-shore.html",
        "by me": f"{WRITERS_URL}/author/rowan-ash.html"}


def test_a_pelican_static_link_to_a_missing_file_is_named(tmp_path):
    """Pelican warns of a {static} link to no file and leaves it broken: the check names it."""
    root = write_files(tmp_path / "tidepool", {
        "pelicanconf.py": PELICAN_CONFIG,
        "publishconf.py": "from pelicanconf import *\nSITEURL = 'https://tide.example.net'\n",
        "content/shore/anemones.md": ("Title: Anemones\nDate: 2026-02-14\n"
                                      "Summary: Ledges.\n\nThe [table]({static}/tidez.pdf).\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "anemones")
    assert "content/shore/anemones.md:5:" in result.output
    assert "the link {static}/tidez.pdf names no file of this site" in result.output


HEXO_TAGS = """\
---
title: A day of kites
date: 2026-02-11 14:20:00
description: Deltas on the hill.
---
{% blockquote Lao Tzu, Tao Te Ching %}
The tree that **bends** stands.
{% endblockquote %}

{% blockquote Mei Kite https://kites.example.org/wind/ On wind %}
Wind lifts.
{% endblockquote %}

{% btn 'https://kites.example.org/shop/',Shop now,far fa-hand-point-right,outline blue %}

{% button /about/, About me, fa fa-user, Who I am %}

{% link The kite club https://club.example.org/ true Club %}

{% link Kite club, https://club.example.org/join/, https://club.example.org/logo.png %}

{% note warning no-icon %}
Not near **power lines**.
{% endnote %}

{% note blue 'fas fa-bullhorn' simple %}
Club day on Sunday.
{% endnote %}
"""


def test_hexos_quotes_buttons_and_links_show_as_the_blog_shows_them(tmp_path):
    """Hexo's own {% blockquote %} kept its words but lost who said them (and was warned as
    a tag of the site's); the themes' comma-separated buttons (Butterfly's btn, NexT's button)
    linked "https://.../shop/',Shop" with the address as their text; Hexo's {% link text url %}
    was read as Jekyll's {% link %} and refused the post ("no post The kite club..."); NexT's
    and Butterfly's {% note %} boxes lost their box and kind, each with a warning."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": "title: Kites\nurl: https://kites.example.org\nnew_post_name: :title.md\n",
        "package.json": '{"hexo": {"version": "7.3.0"}, "dependencies": {"hexo": "^7.3.0"}}',
        "source/_posts/kite-day.md": HEXO_TAGS,
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "kite-day")
    assert result.exit_code == 0 and "template-" not in result.output, result.output
    tree = email_html(root, "kite-day")
    quotes = [" ".join(quote.text_content().split()) for quote in tree.iter("blockquote")]
    assert quotes == ["The tree that bends stands. \u2014 Lao Tzu, Tao Te Ching",
                      "Wind lifts. \u2014 Mei Kite, On wind",
                      "Warning Not near power lines.", "Note Club day on Sunday."]
    assert tree.xpath("//blockquote//strong/text()") == [
        "bends", "Lao Tzu", "Mei Kite", "Warning", "power lines", "Note"]
    links = {" ".join(a.text_content().split()): a.get("href") for a in tree.iter("a")}
    assert {text: links.get(text) for text in ("Shop now", "About me", "The kite club",
                                                "Kite club", "On wind")} == {
        "Shop now": "https://kites.example.org/shop/",
        "About me": "https://kites.example.org/about/",
        "The kite club": "https://club.example.org/",
        "Kite club": "https://club.example.org/join/",
        "On wind": "https://kites.example.org/wind/"}


def test_a_nikola_thumbnail_shows_its_picture_and_caption(tmp_path):
    """Nikola's {{% thumbnail "/images/x.png" alt="..." %}}caption{{% /thumbnail %}} is a
    picture with its caption: the email showed the caption alone (the picture dropped, with a
    warning that the shortcode was the site's). A thumbnail of no picture is an error."""
    root = write_files(tmp_path / "pools", {
        "conf.py": ("BLOG_TITLE = 'Pools'\nSITE_URL = 'https://pools.example.org/'\n"
                    "POSTS = (('posts/*.md', 'posts', 'post.tmpl'),)\n"),
        "images/crab.png": picture((200, 40, 40), "PNG"),
        "posts/crabs.md": (
            "<!--\n.. title: Crabs\n.. slug: crabs\n.. date: 2026-01-02 09:00:00 UTC\n"
            ".. description: Sideways.\n-->\n\n"
            '{{% thumbnail "/images/crab.png" alt="A shore crab" title="Shore crab" %}}'
            "Going *sideways*.{{% /thumbnail %}}\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "crabs")
    assert result.exit_code == 0 and "template-" not in result.output, result.output
    content = next(td for td in email_html(root, "crabs").iter("td")
                   if td.get("class") == "content")
    figure = content.find(".//figure")
    assert figure.find("img").get("alt") == "A shore crab"
    assert (next((root / "preview").glob("*crabs")) / figure.find("img").get("src")).is_file()
    assert figure.findtext("figcaption/strong") == "Shore crab"
    assert "Going sideways." in [p.text_content() for p in content.iter("p")]
    post = root / "posts/crabs.md"
    post.write_text(post.read_text().replace("/images/crab.png", "javascript:alert(1)"))
    result = invoke(root, "check", "crabs")
    assert result.exit_code == 2 and "posts/crabs.md:8: template-syntax" in result.output, \
        result.output


def test_a_nikola_media_shortcode_of_a_video_shows_it_as_hugos_youtube_does(tmp_path):
    """Nikola's {{% media url="..." %}} plays the video on the page: the email showed its bare
    address, with a warning that the shortcode was the site's; a YouTube or Vimeo video is now
    its watch link (YouTube's with its picture), and another address is still warned of."""
    root = write_files(tmp_path / "pools", {
        "conf.py": ("BLOG_TITLE = 'Pools'\nSITE_URL = 'https://pools.example.org/'\n"
                    "POSTS = (('posts/*.md', 'posts', 'post.tmpl'),)\n"),
        "posts/waves.md": (
            "<!--\n.. title: Waves\n.. slug: waves\n.. date: 2026-01-02 09:00:00 UTC\n"
            ".. description: Surf.\n-->\n\n"
            '{{% media url="https://www.youtube.com/watch?v=dQw4w9WgXcQ" %}}\n\n'
            "{{% media url=https://vimeo.com/146022717 %}}\n\n"
            '{{% media url="https://soundcloud.com/pools/surf" %}}\n'),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "waves")
    assert result.output.count("template-degraded") == 1 and "soundcloud" in result.output, \
        result.output
    content = next(td for td in email_html(root, "waves").iter("td")
                   if td.get("class") == "content")
    links = [(a.get("href"), " ".join(a.text_content().split())) for a in content.iter("a")]
    assert links[:2] == [("https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                          "\u25b6 Watch the video on YouTube"),
                         ("https://vimeo.com/146022717", "\u25b6 Watch the video on Vimeo")]
    assert content.find(".//a/img").get("src") == \
        "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"


def test_hexo_theme_tabs_show_their_labels(tmp_path):
    """NexT's and Butterfly's {% tabs %} label each tab in a comment, <!-- tab Label @icon -->:
    the email showed each tab's text under no label, so "Lines" and "Stunt" read as one.
    A tab with only an icon shows no label; such a comment outside {% tabs %} stays a comment."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": "title: Kites\nurl: https://kites.example.org\ntheme: butterfly\n",
        "package.json": '{"hexo": {"version": "7.3.0"}, "dependencies": {"hexo": "^7.3.0"}}',
        "source/_posts/kinds.md": (
            "---\ntitle: Kinds\ndate: 2026-02-12 10:00:00\ndescription: Two.\n---\n\n"
            "{% tabs kinds, 1 %}\n<!-- tab Single line @fas fa-wind -->\nOne **line**.\n"
            "<!-- endtab -->\n<!-- tab Stunt -->\nTwo lines.\n<!-- endtab -->\n"
            "<!-- tab @fas fa-star -->\nA star.\n<!-- endtab -->\n{% endtabs %}\n\n"
            "<!-- tab Not a tab -->\nAfter.\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    tree = email_html(root, "kinds")
    content = next(td for td in tree.iter("td") if td.get("class") == "content")
    assert [" ".join(p.text_content().split()) for p in content.iter("p")][1:] == [
        "Single line", "One line.", "Stunt", "Two lines.", "A star.", "After."]
    assert content.xpath(".//p/strong/text()") == ["Single line", "line", "Stunt"]


@pytest.mark.parametrize("files, name", [
    ({"docusaurus.config.js": ("export default { title: 'Widgets', url: "
                               "'https://widgets.example.io', baseUrl: '/works/' };\n"),
      "blog/2026-02-10-release.md": ("---\ntitle: Release\ndescription: Out.\n---\n\n"
                                     "[The docs](/docs/intro), [again](/works/docs/intro), "
                                     "[elsewhere](https://example.net/x).\n")},
     "release"),
    ({"docs/.vitepress/config.mts": ("export default defineConfig({ title: 'Widgets', base: "
                                     "'/works/', sitemap: { hostname: "
                                     "'https://widgets.example.io' } })\n"),
      "docs/posts/release.md": ("---\ntitle: Release\ndate: 2026-02-10\ndescription: Out.\n"
                                "---\n\n[The docs](/docs/intro), [again](/works/docs/intro), "
                                "[elsewhere](https://example.net/x).\n")},
     "release"),
    ({"eleventy.config.js": ('import { HtmlBasePlugin } from "@11ty/eleventy";\nexport default '
                             'function (config) { config.addPlugin(HtmlBasePlugin); }\n'
                             'export const config = { pathPrefix: "/works/" };\n'),
      "_data/metadata.js": 'export default { title: "Widgets", url: "https://widgets.example.io/" };\n',
      "blog/blog.11tydata.json": '{"tags": ["posts"]}',
      "blog/release.md": ("---\ntitle: Release\ndate: 2026-02-10\ndescription: Out.\n---\n\n"
                          "[The docs](/docs/intro), [again](/works/docs/intro), "
                          "[elsewhere](https://example.net/x).\n")},
     "release"),
])
def test_a_link_from_the_root_is_under_the_base_path_the_generator_puts_before_it(
        tmp_path, files, name):
    """Docusaurus's baseUrl, VitePress's base and Eleventy's HTML base plugin go before a
    post's link from the root ([the docs](/docs/intro) is /works/docs/intro on the blog); the
    email linked https://widgets.example.io/docs/intro, a page the blog does not have."""
    root = write_files(tmp_path / "widgets", files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    links = {a.text_content(): a.get("href") for a in email_html(root, name).iter("a")}
    assert links["The docs"] == links["again"] == "https://widgets.example.io/works/docs/intro"
    assert links["elsewhere"] == "https://example.net/x"


def test_without_the_html_base_plugin_eleventy_leaves_a_link_from_the_root_as_written(tmp_path):
    root = write_files(tmp_path / "widgets", {
        "eleventy.config.js": 'export const config = { pathPrefix: "/works/" };\n',
        "_data/metadata.js": 'export default { title: "Widgets", url: "https://widgets.example.io/" };\n',
        "blog/blog.11tydata.json": '{"tags": ["posts"]}',
        "blog/release.md": "---\ntitle: Release\ndate: 2026-02-10\n---\n\n[The docs](/docs/).\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    links = {a.text_content(): a.get("href") for a in email_html(root, "release").iter("a")}
    assert links["The docs"] == "https://widgets.example.io/docs/"


TIDES_MDX = """\
---
title: Tide tables
description: Reading one.
pubDate: Jan 20 2026
depth: 4.5
draft: false
---
export const high = "06:12";
export const spring = 7

High water at {high}, {spring} days to springs, {frontmatter.depth} m in {frontmatter.title}.

Still the site's: {tides.length} and {frontmatter.draft}.
"""


def test_an_mdx_expression_the_post_says_the_value_of_shows_that_value(tmp_path):
    """Astro's MDX posts read their front matter as {frontmatter.title} (docs.astro.build),
    and a post's export const is its own: each was refused as code the email cannot run, and
    the post could not be sent. An expression the post does not say stays refused."""
    root = write_files(tmp_path / "harbour", {
        "astro.config.mjs": "export default defineConfig({ site: 'https://harbour.example.com' });\n",
        "src/content/blog/tides.mdx": TIDES_MDX,
        "src/pages/blog/[...slug].astro": "---\n---\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "tides")
    assert {line.split(": ")[3] for line in result.output.splitlines()
            if "template-syntax" in line} == {"{tides.length} is an MDX expression",
                                              "{frontmatter.draft} is an MDX expression"}
    text = " ".join(email_html(root, "tides").text_content().split())
    assert "High water at 06:12, 7 days to springs, 4.5 m in Tide tables." in text


def test_a_nikola_conf_py_without_its_comments_is_still_nikolas(tmp_path):
    """nikola init's conf.py names Nikola in its comments only: a blog that trimmed them was
    taken for no generator at all ("no posts in content"), its posts/ never read."""
    root = write_files(tmp_path / "moss", {
        "conf.py": ('BLOG_TITLE = "Moss"\nSITE_URL = "https://moss.example.org/"\n'
                    'DEFAULT_LANG = "en"\nPOSTS = (("posts/*.md", "posts", "post.tmpl"),)\n'
                    'PAGES = (("pages/*.md", "pages", "page.tmpl"),)\n'),
        "posts/haircap.md": ("<!--\n.. title: Haircap moss\n.. slug: haircap\n"
                             ".. date: 2026-01-28 09:00:00 UTC+02:00\n-->\n\nTall moss.\n"),
    })
    assert invoke(root, "init").exit_code == 0
    assert 'generator = "nikola"' in (root / "newsletter.toml").read_text()
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["title"], item["url"]) for item in listed] == [
        ("Haircap moss", "https://moss.example.org/posts/haircap/")]


def test_a_sphinx_conf_py_is_not_nikolas(tmp_path):
    root = write_files(tmp_path / "manual", {
        "conf.py": 'project = "Widgets"\nextensions = []\nPOSTS = []\n',
        "content/posts/one.md": "---\ntitle: One\ndate: 2026-01-01\n---\n\nWords.\n"})
    assert invoke(root, "init").exit_code == 0
    assert 'generator = "nikola"' not in (root / "newsletter.toml").read_text()


TOC_POST = "[TOC]\n\n## Low water\n\nLedges.\n\n### Under weed\n\nDamp.\n\n## High water\n\nGone.\n"


@pytest.mark.parametrize("files, name, contents", [
    ({"pelicanconf.py": ("SITENAME = 'Tidepool'\nSITEURL = 'https://tide.example.net'\n"
                         "MARKDOWN = {'extension_configs': {'markdown.extensions.toc': {}}}\n"),
      "content/pools.md": "Title: Pools\nDate: 2026-02-14\nSummary: Pools.\n\n" + TOC_POST},
     "pools", True),
    ({"pelicanconf.py": "SITENAME = 'Tidepool'\nSITEURL = 'https://tide.example.net'\n",
      "content/pools.md": "Title: Pools\nDate: 2026-02-14\nSummary: Pools.\n\n" + TOC_POST},
     "pools", False),
    ({"mkdocs.yml": ("site_name: Tidepool\nsite_url: https://tide.example.net/\nplugins:\n"
                     "  - blog\n"),
      "docs/blog/index.md": "# Blog\n",
      "docs/blog/posts/pools.md": ("---\ntitle: Pools\ndate: 2026-02-14\n"
                                   "description: Pools.\n---\n\n" + TOC_POST)},
     "pools", True),
    ({"conf.py": ('BLOG_TITLE = "Tidepool"\nSITE_URL = "https://tide.example.net/"\n'
                  'POSTS = (("posts/*.md", "posts", "post.tmpl"),)\n'),
      "posts/pools.md": ("<!--\n.. title: Pools\n.. slug: pools\n.. date: 2026-02-14\n"
                         ".. description: Pools.\n-->\n\n" + TOC_POST)},
     "pools", True),
])
def test_a_toc_marker_is_the_posts_table_of_contents_where_the_blog_has_one(
        tmp_path, files, name, contents):
    """Python-Markdown's toc extension (MkDocs always has it, Nikola by default, Pelican when
    MARKDOWN adds it) turns a [TOC] paragraph into links to the post's headings: the email
    showed "[TOC]". Where the blog has no toc extension, the page shows [TOC] as written."""
    root = write_files(tmp_path / "tidepool", files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    tree = email_html(root, name)
    page = next(a.get("href") for a in tree.iter("a") if a.text_content() == "Read online")
    toc = [(a.text_content(), a.get("href")) for a in tree.xpath("//ul//a")]
    if contents:
        assert "[TOC]" not in tree.text_content()
        assert toc == [("Low water", page + "#low-water"), ("Under weed", page + "#under-weed"),
                       ("High water", page + "#high-water")]
        assert tree.xpath("//ul/li/ul/li/a/text()") == ["Under weed"]
    else:
        assert "[TOC]" in tree.text_content() and toc == []


@pytest.mark.parametrize("settings, tag, category", [
    ("", "https://moss.example.org/categories/lichen-crusts/",
     "https://moss.example.org/categories/cat_field-notes/"),
    ('PRETTY_URLS = False\nTAG_PATH = "tags"\nCATEGORY_PREFIX = ""\n',
     "https://moss.example.org/tags/lichen-crusts.html",
     "https://moss.example.org/categories/field-notes.html"),
])
def test_nikolas_tag_and_category_links_are_their_pages(tmp_path, settings, tag, category):
    """link://tag/name and link://category/name are the pages Nikola writes for them: the
    email carried link://tag/..., which no mail client opens."""
    root = write_files(tmp_path / "moss", {
        "conf.py": ('# Nikola\nBLOG_TITLE = "Moss"\nSITE_URL = "https://moss.example.org/"\n'
                    f'POSTS = (("posts/*.md", "posts", "post.tmpl"),)\n{settings}'),
        "posts/haircap.md": ("<!--\n.. title: Haircap moss\n.. slug: haircap\n"
                             ".. date: 2026-01-28\n.. description: Tall.\n-->\n\n"
                             "Tagged [crusts](link://tag/Lichen%20Crusts), filed under "
                             "[notes](link://category/field-notes).\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    links = {a.text_content(): a.get("href") for a in email_html(root, "haircap").iter("a")}
    assert (links["crusts"], links["notes"]) == (tag, category)
    result = invoke(root, "check", "haircap")
    assert result.exit_code == 0 and "link-scheme" not in result.output, result.output


GRAFTING = """\
---
title: Grafting season
date: 2026-02-15
description: Whip and tongue.
---

See [pruning](./pruning), [its tools](pruning#tools) and [home](/).

::: tip Sharp knife
Keep it **sharp**.
:::

::: warning
Mind your thumb.
:::

This is {{ $frontmatter.title }}.

[[toc]]

## Rootstock
"""


def test_a_vitepress_posts_containers_page_links_and_frontmatter_show_as_its_page(tmp_path):
    """VitePress writes ::: tip (a space after the colons, markdown-it-container's), links a
    page by its file's path from the post without the .md, prints {{ $frontmatter.x }} and
    puts its table of contents at [[toc]]: the email showed "::: tip Sharp knife" and
    "[[toc]]" as text, linked ./pruning under the post (/posts/grafting/pruning), and refused
    the post over $frontmatter."""
    root = write_files(tmp_path / "orchard", {
        "package.json": '{"devDependencies": {"vitepress": "^1.6.0"}}',
        "docs/.vitepress/config.mts": ("export default defineConfig({ title: 'Orchard', "
                                       "cleanUrls: true, sitemap: { hostname: "
                                       "'https://orchard.example.org' } })\n"),
        "docs/posts/grafting.md": GRAFTING,
        "docs/posts/pruning.md": "---\ntitle: Pruning\ndate: 2026-01-15\n---\n\n## Tools\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "grafting")
    assert result.exit_code == 0 and "template-" not in result.output, result.output
    tree = email_html(root, "grafting")
    text = " ".join(tree.text_content().split())
    assert ":::" not in text
    assert "Sharp knife: Keep it sharp. Warning: Mind your thumb." in text
    assert "This is Grafting season." in text and "[[toc]]" not in text
    links = {a.text_content(): a.get("href") for a in tree.iter("a")}
    site = "https://orchard.example.org"
    assert (links["pruning"], links["its tools"], links["home"], links["Rootstock"]) == (
        f"{site}/posts/pruning", f"{site}/posts/pruning#tools", f"{site}/",
        f"{site}/posts/grafting#rootstock")


def test_an_eleventy_post_prints_its_data_as_eleventy_names_it(tmp_path):
    """Eleventy's data cascade gives a post's front matter and each global data file by name
    ({{ title }}, {{ metadata.title }} of _data/metadata.js): each was refused ("not a site or
    page value"), though the blog shows it. A name the site has not is still refused."""
    root = write_files(tmp_path / "possum", {
        "eleventy.config.js": 'export const config = { dir: { input: "content", data: "../_data" } };\n',
        "_data/metadata.js": ('export default { title: "Possum Notes", url: '
                              '"https://possum.example.net/", author: { name: "Pat" } };\n'),
        "content/blog/blog.11tydata.js": 'export default { tags: ["posts"] };\n',
        "content/blog/river.md": ("---\ntitle: Down the river\ndate: 2026-02-03\n"
                                  "description: A paddle.\nboat: kayak\n---\n\n"
                                  "{{ title }} by {{ metadata.author.name }} on "
                                  "{{ metadata.title }}, in a {{ boat }}.\n\n"
                                  "{{ collections.posts }}\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "river")
    assert [line.split(": ")[3] for line in result.output.splitlines() if "template-" in line] \
        == ["{{ collections.posts }}"]
    text = " ".join(email_html(root, "river").text_content().split())
    assert "Down the river by Pat on Possum Notes, in a kayak." in text
