"""Blogs written in shapes their generators accept that the starters do not show: Zola's
sections in YAML front matter, MkDocs without directory URLs and with admonitions, Nikola's
magic links, Bridgetown's ERB, Eleventy 3's directory methods and Liquid-dated permalinks,
Docusaurus's own blog plugin entry, Hexo's asset links, a VitePress sitemap host holding the
base; each read as the generator itself reads it."""

from __future__ import annotations

import json

import pytest

from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


def listed(root) -> dict[str, dict]:
    """`init`, then `posts --json` by file."""
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["file"]: item for item in json.loads(result.stdout)}


def test_a_zola_section_written_in_yaml_front_matter_holds_the_posts(tmp_path):
    """Zola reads front matter between --- lines as YAML, sections' too: the blog section's
    sort_by: date makes its pages the posts, and a draft there a draft, not a page."""
    root = write_files(tmp_path / "fells", {
        "config.toml": 'base_url = "https://fells.example.org"\ntitle = "Fells"\n',
        "content/blog/_index.md": "---\ntitle: Blog\nsort_by: date\n---\n",
        "content/blog/2024/_index.md": "---\ntransparent: true\nsort_by: date\n---\n",
        "content/blog/2024/cairns.md": "---\ntitle: Cairns\ndate: 2024-04-10\n---\n\nStones.\n",
        "content/blog/scree.md": "+++\ntitle = \"Scree\"\ndate = 2024-05-01\n+++\n\nLoose.\n",
        "content/blog/wip.md": "---\ntitle: Later\ndate: 2024-05-02\ndraft: true\n---\n\nx\n",
    })
    posts = listed(root)
    assert {file: (post["status"], post["url"]) for file, post in posts.items()
            if not file.endswith("_index.md")} == {
        "content/blog/2024/cairns.md": ("ready", "https://fells.example.org/blog/2024/cairns/"),
        "content/blog/scree.md": ("ready", "https://fells.example.org/blog/scree/"),
        "content/blog/wip.md": ("draft", "https://fells.example.org/blog/wip/"),
    }
    assert 'dirs = ["content/blog", "content/blog/2024"]' in (root / "newsletter.toml").read_text()


def test_a_zola_section_sorted_by_update_date_holds_the_posts(tmp_path):
    """getzola.org, section: sort_by = "update_date" sorts a blog by its pages' updated (else
    date) as "date" does: it is the blog's section, not the undated docs beside it."""
    root = write_files(tmp_path / "fells", {
        "config.toml": 'base_url = "https://fells.example.org"\ntitle = "Fells"\n',
        "content/notes/_index.md": '+++\nsort_by = "update_date"\n+++\n',
        "content/notes/tarn.md": '+++\ntitle = "Tarn"\ndate = 2024-04-10\n+++\n\nCold.\n',
        "content/docs/_index.md": '+++\nsort_by = "weight"\n+++\n',
        "content/docs/a.md": '+++\ntitle = "A"\ndate = 2024-04-11\n+++\n\nx\n',
        "content/docs/b.md": '+++\ntitle = "B"\ndate = 2024-04-12\n+++\n\nx\n',
    })
    posts = listed(root)
    assert posts["content/notes/tarn.md"]["status"] == "ready"
    assert posts["content/docs/a.md"]["status"] == "page"


MKDOCS_BLOG = ("site_name: Loom\nsite_url: https://loom.example.io/\n{extra}theme:\n"
               "  name: material\nplugins:\n  - blog\n")


def test_mkdocs_without_directory_urls_gives_posts_and_pages_html_addresses(tmp_path):
    """mkdocs.org, use_directory_urls: false writes blog/2024/01/31/warp.md as
    blog/2024/01/31/warp.html and about.md as about.html: a link ending in a slash is a 404."""
    root = write_files(tmp_path / "loom", {
        "mkdocs.yml": MKDOCS_BLOG.format(extra="use_directory_urls: false\n"),
        "docs/about.md": "# About\n\nMe.\n",
        "docs/blog/index.md": "# Blog\n",
        "docs/blog/posts/warp.md": "---\ndate:\n  created: 2024-01-31\n---\n\n# Warp\n\nThreads.\n",
    })
    assert {file: (post["status"], post["url"]) for file, post in listed(root).items()} == {
        "docs/blog/posts/warp.md": ("ready", "https://loom.example.io/blog/2024/01/31/warp.html"),
        "docs/about.md": ("page", "https://loom.example.io/about.html"),
        "docs/blog/index.md": ("page", "https://loom.example.io/blog/index.html"),
    }


def test_a_mkdocs_admonition_shows_as_a_quote_under_its_title(tmp_path):
    """Material blogs turn on Python-Markdown's admonition extension (markdown_extensions:
    - admonition) and write notes as '!!! tip "Title"' over an indented block, and folded
    ones as '??? note' (pymdownx.details): the email shows a quote opening with the title in
    bold, never the '!!!' line as text."""
    root = write_files(tmp_path / "loom", {
        "mkdocs.yml": MKDOCS_BLOG.format(extra="markdown_extensions:\n  - admonition\n"
                                               "  - pymdownx.details\n"
                                               "  - toc:\n      permalink: true\n"),
        "docs/blog/posts/warp.md": (
            "---\ndate: 2024-01-31\n---\n\n# Warp\n\nThreads.\n\n"
            '!!! tip "Before you start"\n    Count the ends twice.\n\n'
            "!!! warning\n    - a list first\n\n"
            '??? note "Folded"\n    Opened in the email.\n\n???+ info\n    Open anyway.\n\n'
            "```\n??? note in code\n```\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "/blog/posts/warp")
    assert result.exit_code == 0, result.output
    text = (root / "preview/warp/email.txt").read_text()
    html = (root / "preview/warp/email.html").read_text()
    assert "!!!" not in text and "!!!" not in html
    assert "> Before you start: Count the ends twice." in text
    assert "<strong>Before you start:</strong> Count the ends twice.</p>" in html
    assert "<strong>Warning:</strong></p>" in html and "a list first</li>" in html
    assert "> Folded: Opened in the email." in text and "> Info: Open anyway." in text
    assert html.count("<blockquote") == 4 and "??? note in code" in text


def nikola_post(title: str, slug: str, body: str) -> str:
    return (f"<!--\n.. title: {title}\n.. slug: {slug}\n.. date: 2024-03-05 09:30:00 UTC\n"
            f"-->\n\n{body}\n")


def test_nikolas_magic_links_to_other_posts_lead_to_their_addresses(tmp_path):
    """getnikola.com, path handlers: link://slug/egret and link://filename/posts/egret.md are
    the egret post's address and link://root/ the site's; a reader's mail client cannot open
    link:// at all. One naming no post is a problem at its line, as Nikola's build fails."""
    root = write_files(tmp_path / "heron", {
        "conf.py": ("# Nikola's settings\n"
                    'BLOG_TITLE = "Heron"\nSITE_URL = "https://heron.example.org/"\n'
                    'POSTS = (("posts/*.md", "posts", "post.tmpl"),)\n'),
        "posts/egret.md": nikola_post("Egret", "egret", "White."),
        "posts/heron.md": nikola_post("Heron", "heron", (
            "See [the egret](link://slug/egret), [again](link://filename/posts/egret.md#legs)"
            " and [home](link://root/).")),
        "posts/lost.md": nikola_post("Lost", "lost", "Line.\n\n[gone](link://slug/gone)"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "/posts/heron")
    assert result.exit_code == 0, result.output
    text = " ".join((root / "preview/heron/email.txt").read_text().split())
    assert ("See the egret <https://heron.example.org/posts/egret/>, again "
            "<https://heron.example.org/posts/egret/#legs> and home "
            "<https://heron.example.org/>.") in text
    assert "link:" not in result.output
    result = invoke(root, "check", "/posts/lost")
    assert result.exit_code == 2
    assert ("error: posts/lost.md:9: template-syntax: the link link://slug/gone names no post "
            "or page of this site") in result.output


@pytest.mark.parametrize("hostname", ["https://birds.example.net",
                                      "https://birds.example.net/tern/"])
def test_a_vitepress_sitemap_hostname_holding_the_base_is_not_given_it_twice(tmp_path, hostname):
    """VitePress writes the sitemap's addresses from the hostname and the page alone
    (generateSitemap), so a site under base: '/tern/' writes the base into the hostname, or
    leaves it out: either way the blog is https://birds.example.net/tern, never /tern/tern."""
    root = write_files(tmp_path / "tern", {
        "docs/.vitepress/config.mts": (
            "export default defineConfig({\n  title: 'Tern',\n  base: '/tern/',\n"
            f"  cleanUrls: true,\n  sitemap: {{ hostname: '{hostname}' }},\n}})\n"),
        "docs/posts/arctic.md": "---\ntitle: Arctic\ndate: 2024-02-10\n---\n\nFar.\n",
    })
    assert listed(root)["docs/posts/arctic.md"]["url"] == \
        "https://birds.example.net/tern/posts/arctic"
    assert 'url = "https://birds.example.net/tern"' in (root / "newsletter.toml").read_text()


def bridgetown_post(extra: str, body: str) -> str:
    return f"---\ntitle: Holt\ndescription: Otters.\n{extra}---\n\n{body}\n"


@pytest.mark.parametrize("settings, extra, reported", [
    ("", "", True),  # ERB: Bridgetown's default engine, .md files too
    ("template_engine: erb\n", "", True),
    ("template_engine: liquid\n", "", False),
    ("", "template_engine: none\n", False),
])
def test_erb_in_a_bridgetown_post_is_reported_not_mailed_as_text(tmp_path, settings, extra,
                                                                 reported):
    """bridgetownrb.com, template engines: Bridgetown runs a Markdown post through ERB unless
    its settings or front matter name another engine, so <%= render "note" %> is Ruby the site
    runs: the email would show it as written. An ERB comment is left out; code stays as it is."""
    root = write_files(tmp_path / "otter", {
        "bridgetown.config.yml": f'url: "https://otter.example.org"\n{settings}',
        "src/_posts/2024-03-01-holt.md": bridgetown_post(extra, (
            'Tracks.<%# check the photo %>\n\n<%= render "note", text: "hi" %>\n\n'
            "Write `<% if x %>` in a template.")),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "/2024-03-01-holt")
    line = 8 + extra.count("\n")
    problem = (f'error: src/_posts/2024-03-01-holt.md:{line}: template-syntax: <%= render "note", '
               'text: "hi" %> is ERB, Ruby the site runs when it builds the page; an email '
               "cannot; write what it shows into the post, or put it in code")
    assert (problem in result.output, result.exit_code) == (reported, 2 if reported else 0)
    if reported:
        assert result.output.count("error:") == 1  # not the comment, not the code
        assert invoke(root, "send", "/2024-03-01-holt", "--yes").exit_code != 0


def test_hexos_asset_link_and_asset_path_lead_to_the_file_beside_the_posts_page(tmp_path):
    """hexo.io, asset folders: {% asset_link notes.pdf "Pattern notes" %} links the file of the
    post's asset folder, published beside the post's page (its address without .html is the
    folder); {% asset_path %} is that address. Before, both were left out of the email."""
    root = write_files(tmp_path / "weave", {
        "_config.yml": ("title: Weave\nurl: https://weave.example.pt\npost_asset_folder: true\n"
                        "permalink: :year/:month/:title.html\n"),
        "source/_posts/warp.md": (
            "---\ntitle: Warp\ndate: 2024-02-03 10:15:00\ndescription: Threads.\n---\n\n"
            'Read {% asset_link notes.pdf "Pattern notes" %} or fetch '
            "<{% asset_path notes.pdf %}>.\n"),
        "source/_posts/warp/notes.pdf": b"%PDF-1.4\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "/warp")
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    text = " ".join((root / "preview/warp/email.txt").read_text().split())
    address = "https://weave.example.pt/2024/02/warp/notes.pdf"
    assert f"Read Pattern notes <{address}> or fetch <{address}>." in text


@pytest.mark.parametrize("permalink, address", [
    ("/{{ page.date | date: '%Y/%m' }}/{{ page.fileSlug }}/", "/2024/01/wren/"),
    ('/notes/{{ page.date | date: "%Y" }}/{{ title | slugify }}/index.html',
     "/notes/2024/the-wren/"),
])
def test_an_eleventy_permalink_dated_by_liquids_date_filter_is_the_posts_address(
        tmp_path, permalink, address):
    """Eleventy renders a permalink with Liquid (11ty.dev/docs/permalinks), whose date filter
    formats page.date with strftime's codes: a blog folder's data file giving every post
    /{{ page.date | date: '%Y/%m' }}/{{ page.fileSlug }}/ is no error, and the post is sent."""
    root = write_files(tmp_path / "wren", {
        "eleventy.config.js": 'export const config = { dir: { input: "src" } };\n',
        "src/_data/metadata.json": '{"title": "Wrens", "url": "https://wren.example.org/"}',
        "src/blog/blog.11tydata.json": json.dumps({"tags": ["posts"], "permalink": permalink}),
        "src/blog/wren.md": "---\ntitle: The Wren\ndate: 2024-01-03\n---\n\nSmall.\n",
    })
    posts = listed(root)
    assert (posts["src/blog/wren.md"]["status"], posts["src/blog/wren.md"]["url"]) == (
        "ready", "https://wren.example.org" + address)


def test_eleventy_3s_directory_methods_name_the_input_and_data_folders(tmp_path):
    """11ty.dev, configuration: Eleventy 3 sets its folders with
    eleventyConfig.setInputDirectory("src") and setDataDirectory("../data") as well as
    dir: {...}. Before, src/ was taken for a folder of the site's root input: every id and
    address began /src/, the blog's title and address were not found, and init wrote an
    .eleventyignore Eleventy never reads there."""
    root = write_files(tmp_path / "finch", {
        "eleventy.config.js": (
            "export default function (eleventyConfig) {\n"
            '  eleventyConfig.setInputDirectory("src");\n'
            "  eleventyConfig.setDataDirectory('../data');\n"
            '  eleventyConfig.setOutputDirectory("dist");\n}\n'),
        "data/metadata.json": '{"title": "Finches", "url": "https://finch.example.org/"}',
        "src/posts/posts.11tydata.json": '{"tags": ["posts"]}',
        "src/posts/goldfinch.md": "---\ntitle: Goldfinch\ndate: 2024-01-03\n---\n\nGold.\n",
        "src/about.md": "---\ntitle: About\n---\n\nMe.\n",
    })
    posts = listed(root)
    assert {file: (post["status"], post["id"], post["url"]) for file, post in posts.items()} == {
        "src/posts/goldfinch.md": ("ready", "/posts/goldfinch",
                                   "https://finch.example.org/posts/goldfinch/"),
        "src/about.md": ("page", "/about", "https://finch.example.org/about/"),
    }
    assert not (root / ".eleventyignore").exists()


def test_nikolas_preview_image_is_the_posts_feature_image(tmp_path):
    """getnikola.com, handbook: '.. previewimage: /images/heron.jpg' is the post's picture
    (its Open Graph image); the email shows it above the post, as other generators' keys."""
    root = write_files(tmp_path / "heron", {
        "conf.py": ("# Nikola's settings\nBLOG_TITLE = \"Heron\"\n"
                    'SITE_URL = "https://heron.example.org/"\n'
                    'POSTS = (("posts/*.md", "posts", "post.tmpl"),)\n'),
        "images/heron.jpg": picture((90, 110, 130)),
        "posts/heron.md": nikola_post("Heron", "heron", "Still.").replace(
            "-->", ".. previewimage: /images/heron.jpg\n-->"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    assert invoke(root, "preview", "/posts/heron").exit_code == 0
    html = (root / "preview/heron/email.html").read_text()
    assert html.count("<img") == 1 and '<img class="feature"' in html


def test_a_docusaurus_blog_made_by_the_blog_plugin_itself_is_read_where_it_says(tmp_path):
    """docusaurus.io, multiple blogs: a site whose preset says blog: false (docs first) adds
    its blog as ['@docusaurus/plugin-content-blog', {path: './news', routeBasePath: 'news'}].
    Before, the posts were looked for in blog/, which is not there: none was read."""
    root = write_files(tmp_path / "harbour", {
        "docusaurus.config.js": (
            "module.exports = {\n  title: 'Harbour',\n  url: 'https://harbour.example.dev',\n"
            "  baseUrl: '/',\n  presets: [['classic', ({ docs: {}, blog: false })]],\n"
            "  plugins: [\n    [\n      '@docusaurus/plugin-content-blog',\n"
            "      { id: 'news', routeBasePath: 'news', path: './news' },\n    ],\n  ],\n};\n"),
        "news/2024-05-01-launch/index.md": "---\ntitle: Launch\n---\n\nWe launched.\n",
    })
    posts = listed(root)
    assert (posts["news/2024-05-01-launch/index.md"]["status"],
            posts["news/2024-05-01-launch/index.md"]["url"]) == (
        "ready", "https://harbour.example.dev/news/2024/05/01/launch")


def test_an_eleventy_folders_plain_json_data_file_names_the_posts_folder(tmp_path):
    """11ty.dev, template and directory data files: writing/writing.json is the folder's data
    file as writing/writing.11tydata.json is; its tags make writing/ the posts folder init
    writes, not the whole input folder."""
    root = write_files(tmp_path / "wren", {
        "eleventy.config.js": 'export const config = { dir: { input: "src" } };\n',
        "src/writing/writing.json": '{"tags": ["posts"]}',
        "src/writing/wren.md": "---\ntitle: Wren\ndate: 2024-01-03\n---\n\nSmall.\n",
        "src/about.md": "---\ntitle: About\n---\n\nMe.\n",
    })
    posts = listed(root)
    assert (posts["src/writing/wren.md"]["status"], posts["src/about.md"]["status"]) == (
        "ready", "page")
    assert 'dirs = ["src/writing"]' in (root / "newsletter.toml").read_text()
