"""Every static blog as it is: `init`, then `posts --json`, `check`, `preview` and
`send --due --dry-run` on blogs laid out like Hugo, Jekyll, Eleventy, Astro, Zola, Pelican and
Gatsby sites (tests/generator_sites.py)."""

from __future__ import annotations

import email
import email.policy
import json
import tomllib

import pytest
from fake_providers import write_readers
from generator_sites import SITES, fill_in_settings, write_files

from conftest import invoke

LABELS = {"hugo": "Hugo", "jekyll": "Jekyll", "eleventy": "Eleventy", "astro": "Astro",
          "zola": "Zola", "pelican": "Pelican", "gatsby": "Gatsby", "hexo": "Hexo",
          "docusaurus": "Docusaurus", "mkdocs": "MkDocs", "contentlayer": "Next.js (Contentlayer)",
          "bridgetown": "Bridgetown", "nikola": "Nikola", "vitepress": "VitePress",
          "nextjs": "Next.js (blog-starter)"}


@pytest.fixture(params=sorted(SITES))
def blog(request, tmp_path):
    """A blog of each generator after `init`, with its settings filled in as a writer would."""
    return make_blog(tmp_path, request.param)


def make_blog(tmp_path, name: str):
    root = tmp_path / name
    expected = SITES[name](root)
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{LABELS[name]} site: posts in "), result.output
    fill_in_settings(root, since="2000-01-01T00:00:00Z", max_posts_per_run="50")
    write_readers(root, ["reader@example.org"])
    return root, expected


def posts_json(root) -> dict[str, dict]:
    """`posts --json` by id (a file newsletter does not read, which has none, by its file)."""
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"] or item["file"]: item for item in json.loads(result.stdout)}


def test_init_records_the_generator_and_where_its_posts_are(blog):
    root, expected = blog
    settings = tomllib.loads((root / "newsletter.toml").read_text())
    assert settings["posts"]["generator"] == expected.generator
    assert settings["posts"]["dirs"]


def test_posts_json_lists_posts_pages_and_drafts_with_their_addresses(blog):
    root, expected = blog
    listed = posts_json(root)
    assert {post_id: item["status"] for post_id, item in listed.items()} == {
        **{post_id: status for post_id, (status, _) in expected.posts.items()},
        **{file: "not-read" for file in expected.not_read}}
    for file in expected.not_read:  # listed, and why: never left out without a word
        assert listed[file]["errors"][0].startswith(f"{file}: ")
        assert "newsletter sends posts written in Markdown" in listed[file]["errors"][0]
    for post_id, (status, url) in expected.posts.items():
        item = listed[post_id]
        assert item["errors"] == [] and item["title"] and item["file"]
        if url:
            assert item["url"] == url, post_id
        if status == "ready":
            assert item["date"] and item["date"][:4].isdigit()


def test_send_due_dry_run_sends_every_ready_post_and_reports_no_page(blog):
    root, expected = blog
    result = invoke(root, "send", "--due", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr
    ready = sorted(post_id for post_id, (status, _) in expected.posts.items() if status == "ready")
    assert sorted(line.split()[2] for line in result.stdout.splitlines()
                  if line.startswith("  would send ")) == ready


def test_check_finds_no_error(blog):
    root, _ = blog
    result = invoke(root, "check", "--json")
    report = json.loads(result.stdout)
    assert [f for f in report["findings"] if f["severity"] == "error"] == []
    assert result.exit_code in (0, 1)


def test_every_image_arrives_inline(blog):
    root, expected = blog
    result = invoke(root, "preview")
    assert result.exit_code == 0, result.output
    listed = posts_json(root)
    for post_id, count in expected.images.items():
        name = post_id.rstrip("/").rpartition("/")[2]
        message = email.message_from_bytes((root / "preview" / name / "message.eml").read_bytes(),
                                           policy=email.policy.default)
        html = message.get_body(("html",)).get_content()
        parts = [part for part in message.walk() if part.get_content_maintype() == "image"]
        assert len(parts) == count, (post_id, listed[post_id]["file"])
        for part in parts:
            assert f'src="cid:{part["Content-ID"].strip("<>")}"' in html


LINKS = {  # post -> what its template tags must become in the email
    "hugo": ("harbour-walk", ["https://notes.example.org/2024/03/first-light-on-the-moor/",
                              '<p class="tide"', "High water at 07:10."]),  # inline shortcode
    "jekyll": ("2024-03-15-the-tide", ["https://log.example.net/harbour/2024/02/10/nets-and-knots/",
                                       "for Harbour Log."]),
    # Links to a post's file: Zola's @/, Eleventy's InputPath-to-URL, Pelican's {filename}
    "zola": ("bothy", ["https://trail.example.org/blog/ridge-walk/#descent",
                       "https://trail.example.org/blog/snowline/",
                       "https://www.youtube.com/watch?v=Kx2b5Vq0T1w"]),  # a Zola shortcode
    "eleventy": ("first-frost", ["https://garden.example.com/blog/seed-swap/",
                                 "https://garden.example.com/letters/a-letter-to-the-bees/"]),
    "pelican": ("2024-06-01-low-water", ["https://river.example.com/posts/2024/the-first-crossing/"]),
    "hexo": ("2024-06-02-a-shawl", ['<a href="https://loom.example.pt/2024/03/warp-and-weft/"',
                                     "the basics</a>"]),
}


@pytest.mark.parametrize("generator", sorted(LINKS))
def test_template_tags_become_the_generators_addresses_and_values(tmp_path, generator):
    root, _ = make_blog(tmp_path, generator)
    name, wanted = LINKS[generator]
    result = invoke(root, "preview", name)
    assert result.exit_code == 0, result.output
    html = (root / "preview" / name / "email.html").read_text()
    text = (root / "preview" / name / "email.txt").read_text()
    for value in wanted:
        assert value in html
    for mark in ("{{", "{%", "%}", "}}"):
        assert mark not in html and mark not in text


def test_a_blog_served_under_a_base_path_keeps_it_when_the_writer_fills_in_the_host(tmp_path):
    """Jekyll's baseurl without url (GitHub Pages project sites): init cannot know the host,
    but the example address it writes keeps the path, so the posts' addresses stay right."""
    root = write_files(tmp_path / "log", {
        "_config.yml": "title: Rope Work\nbaseurl: /rope-work\n",
        "_posts/2024-05-02-splices.md": "---\ntitle: Splices\n---\n\nAn eye splice.\n",
    })
    assert invoke(root, "init").exit_code == 0
    settings = root / "newsletter.toml"
    text = settings.read_text()
    assert 'url = "https://your-blog.example/rope-work"' in text
    settings.write_text(text.replace("https://your-blog.example", "https://ana.github.io"))
    assert posts_json(root)["/2024-05-02-splices"]["url"] == \
        "https://ana.github.io/rope-work/2024/05/02/splices.html"


@pytest.mark.parametrize("generator, file, markup", [
    ("jekyll", "_posts/2024-01-25-tide-table.textile", "Textile"),
    ("nikola", "posts/press-notes.html", "HTML")])
def test_a_post_in_another_markup_is_named_by_init_and_posts(tmp_path, generator, file, markup):
    root, _ = make_blog(tmp_path, generator)
    suffix = "." + file.rpartition(".")[2]
    assert f"1 file not read ({suffix}: newsletter reads Markdown)" in invoke(root, "init").output
    result = invoke(root, "posts")
    assert result.exit_code == 0
    assert f"not read: {file}: {markup} (newsletter sends posts written in Markdown)" in \
        result.stdout


def test_a_post_titled_by_its_opening_heading_shows_the_title_once(tmp_path):
    """Docusaurus takes a post's title from the # heading opening it (after MDX imports) and
    leaves that heading out of the page: the email shows it once, as its title."""
    root, _ = make_blog(tmp_path, "docusaurus")
    assert posts_json(root)["/2024-05-30-glue-ups"]["title"] == "Glue-Ups Without Tears"
    assert invoke(root, "preview", "/2024-05-30-glue-ups").exit_code == 0
    html = (root / "preview" / "2024-05-30-glue-ups" / "email.html").read_text()
    assert html.count("Glue-Ups Without Tears</h1>") == 1 and "Dry fit first." in html


def test_a_glob_in_a_javascript_setting_is_no_comment(tmp_path):
    """docusaurus.config.js's blog include: ['**/*.md'] holds "/*"; the settings after it
    (routeBasePath) are still read, up to the /** @type */ comment further down."""
    root = write_files(tmp_path / "site", {
        "docusaurus.config.js": (
            "/** @type {import('@docusaurus/types').Config} */\nconst config = {\n"
            "  url: 'https://kiln.example.org',\n  baseUrl: '/',\n  presets: [['classic', {\n"
            "    blog: {include: ['**/*.md'], routeBasePath: 'firings'},\n  }]],\n"
            "  themeConfig: /** @type {import('@docusaurus/preset-classic').ThemeConfig} */ "
            "({navbar: {title: 'Kiln'}}),\n};\nmodule.exports = config;\n"),
        "blog/2024-02-02-cone-six.md": "---\ntitle: Cone Six\n---\n\nHot.\n",
    })
    assert invoke(root, "init").exit_code == 0
    assert posts_json(root)["/2024-02-02-cone-six"]["url"] == \
        "https://kiln.example.org/firings/2024/02/02/cone-six"


def test_a_blog_whose_project_documents_itself_with_mkdocs_is_read_as_its_own_generator(tmp_path):
    """An Astro blog keeping its project's documentation in MkDocs (mkdocs.yml beside
    astro.config.mjs) is an Astro blog: its posts are in src/content/blog, not docs/."""
    root = write_files(tmp_path / "site", {
        "astro.config.mjs": "export default defineConfig({ site: 'https://orbit.example.dev' });\n",
        "mkdocs.yml": "site_name: Orbit library\ndocs_dir: docs\n",
        "docs/index.md": "# Orbit\n\nThe library's manual.\n",
        "src/content/blog/perigee.md": "---\ntitle: Perigee\npubDate: 2024-04-01\n---\n\nClose.\n",
    })
    assert invoke(root, "init").output.startswith("Astro site: posts in src/content/blog")


def test_mkdocs_without_its_blog_plugin_is_documentation_not_the_blog(tmp_path):
    """mkdocs.yml listing no blog plugin (a project's manual, as this repository keeps beside
    its example site) makes no blog: the posts under content/ are the posts."""
    root = write_files(tmp_path / "site", {
        "mkdocs.yml": "site_name: Kiln notes\ndocs_dir: docs\nplugins:\n  - search\n",
        "docs/index.md": "# Kiln notes\n\nThe manual.\n",
        "content/posts/glaze.md": "---\ntitle: Glaze\ndate: 2024-04-01\n---\n\nBlue.\n",
    })
    assert "MkDocs" not in invoke(root, "init").output
    assert posts_json(root)["/posts/glaze"]["title"] == "Glaze"


def test_a_hexo_permalink_naming_a_value_the_post_lacks_is_an_error_not_an_address(tmp_path):
    """permalink: posts/:abbrlink.html (hexo-abbrlink) for a post the plugin has not numbered
    yet: Hexo itself would publish /posts/undefined.html; newsletter names the file."""
    root = write_files(tmp_path / "site", {
        "_config.yml": "title: Knots\nurl: https://knots.example.org\nnew_post_name: :title.md\n"
                       "permalink: posts/:abbrlink.html\n",
        "source/_posts/bowline.md": "---\ntitle: Bowline\ndate: 2024-02-02\nabbrlink: 5b89d90f\n"
                                    "---\n\nA loop.\n",
        "source/_posts/hitch.md": "---\ntitle: Hitch\ndate: 2024-02-03\n---\n\nAround a post.\n",
        "source/_drafts/reef.md": "---\ntitle: Reef\n---\n\nNot numbered yet.\n",
    })
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "posts", "--json")
    listed = {item["file"]: item for item in json.loads(result.stdout)}
    assert listed["source/_posts/bowline.md"]["url"] == \
        "https://knots.example.org/posts/5b89d90f.html"
    assert listed["source/_drafts/reef.md"]["status"] == "draft"
    assert listed["source/_posts/hitch.md"]["errors"] == [
        "source/_posts/hitch.md: permalink posts/:abbrlink.html uses :abbrlink, which this post "
        "has no value for; add abbrlink: to the post's front matter (hexo-abbrlink writes "
        "abbrlink when the site is built), or give the post its own permalink:"]
