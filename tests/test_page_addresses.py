"""A post's relative links, as the email carries them, lead where the blog's page sends a
reader: a browser resolves them from the page's own address, which ends in a slash (a folder),
in ``.html``, or in neither, as each generator's settings say."""

from __future__ import annotations

import lxml.html
import pytest
from generator_sites import fill_in_settings, write_files

from conftest import invoke

DATED = "---\ntitle: {title}\ndate: 2026-01-0{day}\n{extra}---\n\n{body}\n"


def dated(title: str, day: int, body: str = "Tide out.", **extra: str) -> str:
    return DATED.format(title=title, day=day, body=body,
                        extra="".join(f"{key}: {value}\n" for key, value in extra.items()))


SITES = {
    "vitepress .html pages": ({
        "package.json": '{"devDependencies": {"vitepress": "^1.5.0"}}\n',
        "docs/.vitepress/config.mts": ("export default { title: 'Pools', "
                                       "sitemap: { hostname: 'https://pools.example.org' } }\n"),
        "docs/posts/limpets.md": dated("Limpets", 2, "See [the crabs](crabs.html)."),
        "docs/posts/crabs.md": dated("Crabs", 1),
    }, "limpets", "https://pools.example.org/posts/limpets.html",
        ["https://pools.example.org/posts/crabs.html"]),
    "vitepress cleanUrls": ({
        "package.json": '{"devDependencies": {"vitepress": "^1.5.0"}}\n',
        "docs/.vitepress/config.mts": ("export default { cleanUrls: true, "
                                       "sitemap: { hostname: 'https://pools.example.org' } }\n"),
        "docs/posts/limpets.md": dated("Limpets", 2, "See [the crabs](crabs)."),
        "docs/posts/crabs.md": dated("Crabs", 1),
    }, "limpets", "https://pools.example.org/posts/limpets",
        ["https://pools.example.org/posts/crabs"]),
    "docusaurus without trailingSlash": ({
        "package.json": '{"dependencies": {"@docusaurus/core": "3.6.0"}}\n',
        "docusaurus.config.js": "module.exports = { url: 'https://pools.example.org', "
                                "baseUrl: '/' };\n",
        "blog/2026-01-02-limpets.md": dated("Limpets", 2, "See [the crabs](crabs).",
                                            slug="limpets"),
        "blog/2026-01-01-crabs.md": dated("Crabs", 1, slug="crabs"),
    }, "limpets", "https://pools.example.org/blog/limpets",
        ["https://pools.example.org/blog/crabs"]),
    "astro build.format file": ({
        "astro.config.mjs": ("export default defineConfig({ site: 'https://pools.example.org',"
                             " build: { format: 'file' } });\n"),
        "src/content/blog/limpets.md": dated("Limpets", 2, "See [the crabs](crabs.html)."),
        "src/content/blog/crabs.md": dated("Crabs", 1),
        "src/pages/blog/[...slug].astro": "---\n---\n",
    }, "limpets", "https://pools.example.org/blog/limpets.html",
        ["https://pools.example.org/blog/crabs.html"]),
    "astro trailingSlash never": ({
        "astro.config.mjs": ("export default defineConfig({ site: 'https://pools.example.org',"
                             " trailingSlash: 'never' });\n"),
        "src/content/blog/limpets.md": dated("Limpets", 2, "See [the crabs](crabs)."),
        "src/content/blog/crabs.md": dated("Crabs", 1),
        "src/pages/blog/[...slug].astro": "---\n---\n",
    }, "limpets", "https://pools.example.org/blog/limpets",
        ["https://pools.example.org/blog/crabs"]),
    "hugo uglyURLs": ({
        "hugo.toml": 'baseURL = "https://pools.example.org/"\nuglyURLs = true\n',
        "content/posts/limpets.md": dated("Limpets", 2, "See [the crabs](crabs.html)."),
        "content/posts/crabs.md": dated("Crabs", 1),
    }, "limpets", "https://pools.example.org/posts/limpets.html",
        ["https://pools.example.org/posts/crabs.html"]),
    "jekyll .html permalinks": ({
        "_config.yml": "url: https://pools.example.org\npermalink: /notes/:title:output_ext\n",
        "_posts/2026-01-02-limpets.md": dated("Limpets", 2, "See [the crabs](crabs.html)."),
        "_posts/2026-01-01-crabs.md": dated("Crabs", 1),
    }, "limpets", "https://pools.example.org/notes/limpets.html",
        ["https://pools.example.org/notes/crabs.html"]),
    "pelican": ({
        "pelicanconf.py": "SITEURL = 'https://pools.example.org'\nPATH = 'content'\n",
        "content/limpets.md": ("Title: Limpets\nDate: 2026-01-02\n\n"
                               "See [the crabs](crabs.html).\n"),
        "content/crabs.md": "Title: Crabs\nDate: 2026-01-01\n\nTide out.\n",
    }, "limpets", "https://pools.example.org/limpets.html",
        ["https://pools.example.org/crabs.html"]),
    "eleventy .html permalinks": ({
        "package.json": '{"devDependencies": {"@11ty/eleventy": "^3.0.0"}}\n',
        "eleventy.config.js": "export default function (config) {}\n",
        "_data/metadata.json": '{"url": "https://pools.example.org"}\n',
        "posts/limpets.md": dated("Limpets", 2, "See [the crabs](crabs.html).",
                                  permalink="/notes/limpets.html"),
        "posts/crabs.md": dated("Crabs", 1, permalink="/notes/crabs.html"),
    }, "limpets", "https://pools.example.org/notes/limpets.html",
        ["https://pools.example.org/notes/crabs.html"]),
    "nikola without pretty URLs": ({
        "conf.py": ("BLOG_TITLE = 'Pools'\nSITE_URL = 'https://pools.example.org/'\nPRETTY_URLS = False\n"
                    "POSTS = (('posts/*.md', 'posts', 'post.tmpl'),)\n"),
        "posts/limpets.md": ("<!--\n.. title: Limpets\n.. slug: limpets\n"
                             ".. date: 2026-01-02 09:00:00 UTC\n-->\n\n"
                             "See [the crabs](crabs.html).\n"),
        "posts/crabs.md": ("<!--\n.. title: Crabs\n.. slug: crabs\n"
                           ".. date: 2026-01-01 09:00:00 UTC\n-->\n\nTide out.\n"),
    }, "limpets", "https://pools.example.org/posts/limpets.html",
        ["https://pools.example.org/posts/crabs.html"]),
    "gatsby 5 with a slug": ({
        "package.json": '{"dependencies": {"gatsby": "^5.13.0"}}\n',
        "gatsby-config.js": ("module.exports = { siteMetadata: { siteUrl: "
                             "'https://pools.example.org' }, plugins: [{ resolve: "
                             "`gatsby-source-filesystem`, options: { path: "
                             "`${__dirname}/content/posts` } }] }\n"),
        "content/posts/limpets.md": dated("Limpets", 2, "See [the crabs](../crabs/).",
                                          slug="/posts/limpets"),
        "content/posts/crabs.md": dated("Crabs", 1, slug="/posts/crabs"),
    }, "limpets", "https://pools.example.org/posts/limpets/",
        ["https://pools.example.org/posts/crabs/"]),
}


@pytest.mark.parametrize("name", SITES)
def test_a_relative_link_leads_where_the_blogs_page_leads(tmp_path, name):
    """Every page was read as a folder: crabs.html in /posts/limpets.html went to
    /posts/limpets.html/crabs.html (nothing there), and check warned of a link that works."""
    files, post, page, hrefs = SITES[name]
    root = write_files(tmp_path / "pools", files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", post)
    assert result.exit_code == 0, result.output
    email = lxml.html.fromstring(next((root / "preview").glob(f"*{post}/email.html")).read_text())
    content = next(td for td in email.iter("td") if td.get("class") == "content")
    assert [a.get("href") for a in content.iter("a") if a.text_content() == "the crabs"] == hrefs
    assert page in (next((root / "preview").glob(f"*{post}/email.txt")).read_text())
    result = invoke(root, "check", post)
    assert "link-relative" not in result.output, result.output


def test_a_bundles_file_named_from_an_ugly_url_page_is_still_warned_of(tmp_path):
    """Under uglyURLs a Hugo bundle's page is /posts/talk.html and its files are in
    /posts/talk/: slides.pdf written in it leads a browser to /posts/slides.pdf, which the
    site does not have. check called it a known file of the bundle; it warns now, and the
    same link from the folder page /posts/talk/ is still not warned of."""
    for ugly, warned in (("true", True), ("false", False)):
        root = write_files(tmp_path / ugly, {
            "hugo.toml": f'baseURL = "https://talks.example.org/"\nuglyURLs = {ugly}\n',
            "content/posts/talk/slides.pdf": "%PDF-1.4 not really\n",
            "content/posts/talk/index.md": dated("Talk", 3, "Get [the slides](slides.pdf)."),
        })
        assert invoke(root, "init").exit_code == 0
        fill_in_settings(root)
        result = invoke(root, "check", "talk")
        assert ("the relative link slides.pdf was made absolute: "
                "https://talks.example.org/posts/slides.pdf" in result.output) is warned, \
            result.output
