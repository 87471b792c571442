"""Blogs as writers really keep them, beyond the generators' own examples (tests/generator_sites.py
has those): files saved on Windows, Hugo's [frontmatter] dates, Eleventy's `post` tag and data
file permalinks, AstroPaper's and Chirpy's layouts, Minimal Mistakes' includes, and newsletter's
own files kept out of a Jekyll, Eleventy or Zola build."""

from __future__ import annotations

import email
import email.policy
import json
import re

import pytest
from generator_sites import picture, write_files

from conftest import invoke


def listed(root) -> dict[str, dict]:
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


@pytest.mark.parametrize("files, post_id, url", [
    ({"hugo.toml": 'baseURL = "https://kiln.example.org/"\ntitle = "Kiln"\n',
      "content/posts/glaze.md": "---\ntitle: Glaze Tests\ndate: 2024-09-14\n---\n\nCone six.\n"},
     "/posts/glaze", "https://kiln.example.org/posts/glaze/"),
    ({"_config.yml": "title: Kiln\nurl: https://kiln.example.org\n",
      "_posts/2024-09-14-glaze.md": "---\ntitle: Glaze Tests\n---\n\nCone six.\n"},
     "/2024-09-14-glaze", "https://kiln.example.org/2024/09/14/glaze.html"),
    ({"config.toml": 'base_url = "https://kiln.example.org"\ntitle = "Kiln"\n',
      "content/blog/_index.md": '+++\nsort_by = "date"\n+++\n',
      "content/blog/glaze.md": '+++\ntitle = "Glaze Tests"\ndate = 2024-09-14\n+++\n\nCone six.\n'},
     "/blog/glaze", "https://kiln.example.org/blog/glaze/"),
])
def test_a_post_saved_with_windows_line_ends_is_read(tmp_path, files, post_id, url):
    crlf = {name: text.replace("\n", "\r\n") for name, text in files.items()}
    root = write_files(tmp_path / "kiln", crlf)
    post = listed(root)[post_id]
    assert (post["status"], post["title"], post["errors"]) == ("ready", "Glaze Tests", [])
    assert (post["date"][:10], post["url"]) == ("2024-09-14", url)
    assert invoke(root, "preview", post_id).exit_code == 0
    text = (root / "preview" / post_id.rpartition("/")[2] / "email.txt").read_text()
    assert "Cone six." in text and "title:" not in text and "\r" not in text


HUGO_FILE_DATES = """\
baseURL = "https://loom.example.net/"
title = "Loom"
[frontmatter]
date = [":filename", ":default"]
[permalinks]
posts = "/:year/:month/:slug/"
"""


def test_hugo_takes_dates_and_slugs_from_file_names_when_frontmatter_says_so(tmp_path):
    root = write_files(tmp_path / "loom", {
        "hugo.toml": HUGO_FILE_DATES,
        "content/posts/2024-02-22-warp-and-weft.md": "---\ntitle: Warp and Weft\n---\n\nThreads.\n",
        "content/posts/2024-03-05-heddles/index.md": "---\ntitle: Heddles\n---\n\nLifting.\n",
        "content/posts/2024-04-01-named.md": "---\ntitle: Named\nslug: own-name\n---\n\nMine.\n",
        "content/posts/mended.md": "---\ntitle: Mended\nlastmod: 2024-05-09\n---\n\nDarned.\n",
    })
    posts = listed(root)
    site = "https://loom.example.net"
    assert {post_id: (post["status"], post["date"][:10], post["url"])
            for post_id, post in posts.items() if post_id.startswith("/posts/")} == {
        "/posts/2024-02-22-warp-and-weft": ("ready", "2024-02-22", f"{site}/2024/02/warp-and-weft/"),
        "/posts/2024-03-05-heddles": ("ready", "2024-03-05", f"{site}/2024/03/heddles/"),
        "/posts/2024-04-01-named": ("ready", "2024-04-01", f"{site}/2024/04/own-name/"),
        "/posts/mended": ("ready", "2024-05-09", f"{site}/2024/05/mended/"),  # Hugo's defaults
    }


def test_eleventy_posts_tagged_post_as_11ty_docs_do_with_a_folder_permalink(tmp_path):
    """11ty.dev's collection examples tag posts `post`; a folder's data file (posts/posts.json)
    gives every post in it its tag and its permalink."""
    root = write_files(tmp_path / "hedge", {
        "eleventy.config.js": 'export default function () {\n  return { dir: { input: "src" } };\n}\n',
        "src/_data/metadata.json": '{"title": "Hedgerow", "url": "https://hedge.example.org"}\n',
        "src/posts/posts.json": '{"tags": "post", "permalink": "/notes/{{ page.fileSlug }}/"}\n',
        "src/posts/2024-06-01-sloes.md": "---\ntitle: Sloes\n---\n\nAfter the first frost.\n",
        "src/posts/haws.md": ("---\ntitle: Haws\ndate: 2024-07-02\ntags: [post, berries]\n"
                             "permalink: /haws.html\n---\n\nRed.\n"),
        "src/about.md": "---\ntitle: About\n---\n\nA hedge layer.\n",
    })
    posts = listed(root)
    assert {post_id: (post["status"], post["url"]) for post_id, post in posts.items()} == {
        "/posts/2024-06-01-sloes": ("ready", "https://hedge.example.org/notes/sloes/"),
        "/posts/haws": ("ready", "https://hedge.example.org/haws.html"),  # its own wins
        "/about": ("page", "https://hedge.example.org/about/"),
    }


ASTRO_COLLECTIONS = """\
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";

export const NOTES_PATH = "src/data/notes";

const notes = defineCollection({
  loader: glob({ pattern: "**/[^_]*.md", base: `./${NOTES_PATH}` }),
});

export const collections = { notes };
"""


def test_astro_collection_folder_from_a_constant_dates_from_pubdatetime_and_a_folder_route(
        tmp_path):
    """AstroPaper's layout: the loader's base names a constant, posts date themselves with
    pubDatetime, the route is src/pages/posts/[...slug]/index.astro, and the site's name and
    address are in src/config.ts."""
    root = write_files(tmp_path / "quill", {
        "package.json": '{"name": "quill", "dependencies": {"astro": "^5.0.0"}}\n',
        "astro.config.ts": 'import { SITE } from "./src/config";\n'
                           "export default defineConfig({ site: SITE.website });\n",
        "src/config.ts": 'export const SITE = {\n  website: "https://quill.example.dev/",\n'
                         '  title: "Quill Notes",\n} as const;\n',
        "src/content.config.ts": ASTRO_COLLECTIONS,
        "src/pages/posts/[...slug]/index.astro": "---\n---\n<article></article>\n",
        "src/data/notes/nibs.md": ("---\ntitle: Nibs\npubDatetime: 2024-05-03T09:30:00Z\n"
                                   "description: Steel or gold.\n---\n\nA fine nib.\n"),
        "src/data/notes/drafts/ink.md": ("---\ntitle: Ink\npubDatetime: 2024-06-10T08:00:00Z\n"
                                         "draft: true\n---\n\nIron gall.\n"),
    })
    posts = listed(root)
    settings = (root / "newsletter.toml").read_text()
    assert 'title = "Quill Notes"  # from src/config.ts' in settings
    assert {post_id: (post["status"], post["date"][:10], post["url"])
            for post_id, post in posts.items()} == {
        "/notes/nibs": ("ready", "2024-05-03", "https://quill.example.dev/posts/nibs/"),
        "/notes/drafts/ink": ("draft", "2024-06-10", "https://quill.example.dev/posts/drafts/ink/"),
    }


def test_chirpy_media_subpath_is_where_a_posts_relative_images_are(tmp_path):
    """Chirpy's media_subpath (img_path before 7.0) prefixes the post's relative image paths,
    the feature image's too; a path from the site's root is left alone."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": "title: Kite Field\nurl: https://kites.example.com\n",
        "_posts/2024-04-20-box-kites.md": (
            "---\ntitle: Box Kites\ndescription: Four sides.\nmedia_subpath: /assets/img/box\n"
            "image:\n  path: cover.jpg\n  alt: A box kite\n---\n\n"
            '![The frame](frame.png){: width="700" .normal}\n\n![Spool](/assets/spool.jpg)\n'),
        "_posts/2024-05-02-deltas.md": ("---\ntitle: Deltas\ndescription: Triangles.\n"
                                        "img_path: /assets/img/delta/\n---\n\n![Sail](./sail.jpg)\n"),
        "assets/img/box/cover.jpg": picture((200, 40, 40)),
        "assets/img/box/frame.png": picture((40, 200, 40), "PNG"),
        "assets/spool.jpg": picture((40, 40, 200)),
        "assets/img/delta/sail.jpg": picture((90, 90, 90)),
    })
    assert invoke(root, "init").exit_code == 0
    for name, count in (("2024-04-20-box-kites", 3), ("2024-05-02-deltas", 1)):
        result = invoke(root, "preview", name)
        assert result.exit_code == 0, result.output
        message = email.message_from_bytes((root / "preview" / name / "message.eml").read_bytes(),
                                           policy=email.policy.default)
        assert len([part for part in message.walk()
                    if part.get_content_maintype() == "image"]) == count


def test_init_on_a_zola_site_writes_html_templates_zolas_tera_can_parse(tmp_path):
    """Zola parses every .html in templates/ (its own folder, where init writes newsletter's)
    with Tera and stops the build on what Tera cannot read, such as Jinja's method calls
    (self.subject()); and Tera reads {% extends %} only as a template's first tag."""
    root = write_files(tmp_path / "fell", {
        "config.toml": 'base_url = "https://fell.example.org"\ntitle = "Fell"\n',
        "templates/page.html": "<h1>{{ page.title }}</h1>\n",
        "content/blog/_index.md": '+++\nsort_by = "date"\n+++\n',
        "content/blog/scree.md": '+++\ntitle = "Scree"\ndate = 2024-10-01\n+++\n\nLoose.\n',
    })
    assert invoke(root, "init").exit_code == 0
    written = sorted(path for path in (root / "templates").glob("*.html") if path.name != "page.html")
    assert [path.name for path in written] == ["confirm.html", "email.html", "notice.html",
                                               "welcome.html"]
    for path in written:
        text = path.read_text()
        expressions = re.findall(r"\{\{(.*?)\}\}|\{%-?(.*?)-?%\}", re.sub(r"\{#.*?#\}", "", text,
                                                                       flags=re.DOTALL), re.DOTALL)
        calls = [code for pair in expressions for code in pair if re.search(r"\.\w+\s*\(", code)]
        assert calls == [], path.name
        tags = re.findall(r"\{%-?\s*(\w+)", text)
        assert "extends" not in tags[1:], path.name


def test_a_jekyll_blog_that_would_publish_the_reader_list_is_warned_until_it_excludes_it(
        tmp_path):
    """Jekyll copies every folder not excluded (nor starting with _ or .) into the built site:
    subscribers/subscribers.csv would be on the web. init and check say so, naming what to add."""
    root = write_files(tmp_path / "moth", {
        "_config.yml": "title: Moth Trap\nurl: https://moth.example.org\nexclude: [README.md]\n",
        "_posts/2024-07-07-tiger.md": "---\ntitle: Tiger\ndescription: Orange.\n---\n\nFurry.\n",
    })
    result = invoke(root, "init")
    assert result.exit_code == 0
    named = "newsletter.toml, subscribers/, templates/, outbox/, preview/"
    assert (f"Warning: _config.yml: site-publishes-readers: Jekyll copies {named} into the built "
            "site") in result.output
    report = json.loads(invoke(root, "check", "--json").stdout)
    assert [(f["severity"], f["where"]) for f in report["findings"]
            if f["code"] == "site-publishes-readers"] == [("warning", "_config.yml")]
    (root / "_config.yml").write_text("title: Moth Trap\nurl: https://moth.example.org\n"
                                      "exclude:\n  - README.md\n  - newsletter.toml\n"
                                      "  - subscribers\n  - templates/\n  - outbox/\n  - preview\n")
    report = json.loads(invoke(root, "check", "--json").stdout)
    assert [f for f in report["findings"] if f["code"] == "site-publishes-readers"] == []


@pytest.mark.parametrize("config, ignored", [
    ('module.exports = function () {\n  return { pathPrefix: "/" };\n};\n', True),
    ('export default function () {\n  return { dir: { input: "src" } };\n}\n', False)])
def test_init_keeps_newsletters_folders_out_of_an_eleventy_build_of_the_sites_root(
        tmp_path, config, ignored):
    """Eleventy renders every .html of its input folder as Liquid: from the site's root it would
    render templates/confirm.html and stop at its {% extends %}."""
    root = write_files(tmp_path / "fern", {
        ".eleventy.js": config, ".eleventyignore": "node_modules\n",
        "posts/fronds.md": "---\ntitle: Fronds\ntags: posts\ndate: 2024-01-02\n---\n\nCurled.\n",
        "src/posts/fronds.md": "---\ntitle: Fronds\ntags: posts\ndate: 2024-01-02\n---\n\nCurled.\n",
    })
    result = invoke(root, "init")
    assert result.exit_code == 0
    lines = (root / ".eleventyignore").read_text().splitlines()
    assert lines == (["node_modules", "# newsletter", "subscribers/", "templates/", "outbox/",
                      "preview/"] if ignored else ["node_modules"])
    assert ("  wrote   .eleventyignore" in result.output) is ignored
    assert ("  kept    .eleventyignore (exists; not changed)" in invoke(root, "init").output) \
        is ignored  # a second init adds nothing


def test_a_jekyll_category_with_a_space_is_escaped_in_the_posts_address(tmp_path):
    """Jekyll's default permalink starts with the categories; "Bird Song" is /bird%20song/
    there, and an address with a bare space would break in the email's text part."""
    root = write_files(tmp_path / "dawn", {
        "_config.yml": "title: Dawn Chorus\nurl: https://dawn.example.org\n",
        "_posts/2024-04-04-blackbird.md": ("---\ntitle: Blackbird\ndescription: First up.\n"
                                           "categories: [Bird Song, Spring]\n---\n\nLoud.\n"),
        "_posts/2024-04-05-robin.md": ("---\ntitle: Robin\ndescription: Second.\n---\n\n"
                                       "After [the blackbird]({% post_url 2024-04-04-blackbird %}).\n"),
    })
    url = "https://dawn.example.org/bird%20song/spring/2024/04/04/blackbird.html"
    assert listed(root)["/2024-04-04-blackbird"]["url"] == url
    for name in ("2024-04-04-blackbird", "2024-04-05-robin"):
        assert invoke(root, "preview", name).exit_code == 0
        assert url in (root / "preview" / name / "email.txt").read_text()


def test_an_eleventy_folder_data_file_with_computed_values_still_tags_its_posts(tmp_path):
    """A directory data file that also computes values (eleventyComputed, a function) keeps its
    literal ones: its tags still put the folder's templates in the posts collection."""
    root = write_files(tmp_path / "pond", {
        "eleventy.config.js": 'export default function () {\n  return { dir: { input: "site" } };\n}\n',
        "site/_data/metadata.json": '{"title": "Pond Life", "url": "https://pond.example.org"}\n',
        "site/journal/journal.11tydata.js": (
            "export default {\n  tags: [\"posts\"],\n  layout: \"post.njk\",\n"
            "  eleventyComputed: {\n    heading: (data) => `${data.title}!`,\n  },\n"
            "  shout(data) { return data.title; },\n  draft: false,\n};\n"),
        "site/journal/newts.md": "---\ntitle: Newts\ndate: 2024-03-03\n---\n\nSpotted.\n",
    })
    post = listed(root)["/journal/newts"]
    assert (post["status"], post["url"]) == ("ready", "https://pond.example.org/journal/newts/")


@pytest.mark.parametrize("key, body", [("externalLink", ""),  # Hugo Coder's, no body
                                       ("redirectUrl", "\nOff to the wiki.\n")])  # Anatole's
def test_a_hugo_post_linking_elsewhere_is_a_page_not_an_error(tmp_path, key, body):
    """Hugo Coder lists a link to another site as a post with externalLink and no body;
    Anatole's redirectUrl sends the post's page there (it was mailed as a post)."""
    root = write_files(tmp_path / "lathe", {
        "hugo.toml": 'baseURL = "https://lathe.example.net/"\ntitle = "Lathe"\n',
        "content/posts/chucks.md": "---\ntitle: Chucks\ndate: 2024-02-02\n---\n\nThree jaws.\n",
        "content/posts/wiki.md": ('+++\ntitle = "The Wiki"\ndate = "2024-02-03"\n'
                                  f'{key} = "https://wiki.example.org/lathes"\n+++\n{body}'),
    })
    posts = listed(root)
    assert (posts["/posts/wiki"]["status"], posts["/posts/wiki"]["errors"]) == ("page", [])
    assert posts["/posts/chucks"]["status"] == "ready"


@pytest.mark.parametrize("slugify, urls", [
    ("", {"/blog/2024-01-02-Wet_Feet": "/blog/wet-feet/", "/blog/ford": "/blog/the-deep-ford/"}),
    ('[slugify]\npaths = "safe"\n', {"/blog/2024-01-02-Wet_Feet": "/blog/Wet_Feet/",
                                     "/blog/ford": "/blog/The%20Deep%20Ford/"}),
    ('[slugify]\npaths = "off"\npaths_keep_dates = true\n',
     {"/blog/2024-01-02-Wet_Feet": "/blog/2024-01-02-Wet_Feet/"}),
])
def test_zola_page_addresses_follow_its_slugify_settings(tmp_path, slugify, urls):
    """Zola slugs a page's file name (or its slug) unless [slugify] paths says "safe" (only
    what a file name cannot hold goes) or "off"; paths_keep_dates keeps the date in it."""
    root = write_files(tmp_path / "beck", {
        "config.toml": f'base_url = "https://beck.example.org"\ntitle = "Beck"\n{slugify}',
        "content/blog/_index.md": '+++\nsort_by = "date"\n+++\n',
        "content/blog/2024-01-02-Wet_Feet.md": '+++\ntitle = "Wet Feet"\n+++\n\nSplash.\n',
        "content/blog/ford.md": ('+++\ntitle = "Ford"\ndate = 2024-01-03\n'
                                 'slug = "The Deep Ford?"\n+++\n\nDeep.\n'),
    })
    posts = listed(root)
    assert {post_id: posts[post_id]["url"] for post_id in urls} == {
        post_id: "https://beck.example.org" + url for post_id, url in urls.items()}
    assert posts["/blog/2024-01-02-Wet_Feet"]["date"][:10] == "2024-01-02"


def test_a_jekyll_post_prints_values_of_the_sites_data_files(tmp_path):
    """{{ site.data.x.y }} reads _data/x.yml (or .json, or a folder _data/x/): a post naming
    its author's entry in _data/authors.yml was an error saying the site had no such value. A
    data file that is a link out of the site is not read."""
    outside = write_files(tmp_path / "elsewhere", {"keys.yml": "token: hunter2\n"})
    root = write_files(tmp_path / "tide", {
        "_config.yml": "title: Tide\nurl: https://tide.example.org\n",
        "_data/authors.yml": "sam:\n  name: Sam Sea\n  role: skipper\n",
        "_data/boats/wren.json": '{"length": "6 m"}',
        "_posts/2024-05-02-crew.md": (
            "---\ntitle: Crew\n---\n\n{{ site.data.authors.sam.name }} is our "
            "{{ site.data.authors.sam.role }}; the Wren is {{ site.data.boats.wren.length }}.\n"),
        "_posts/2024-05-03-keys.md": "---\ntitle: Keys\n---\n\n{{ site.data.keys.token }}\n",
        "_posts/2024-05-04-all.md": "---\ntitle: All\n---\n\n{{ site.data.authors }}\n"})
    (root / "_data/keys.yml").symlink_to(outside / "keys.yml")
    posts = listed(root)
    assert posts["/2024-05-02-crew"]["errors"] == []
    assert invoke(root, "preview", "/2024-05-02-crew").exit_code == 0
    text = (root / "preview/2024-05-02-crew/email.txt").read_text()
    assert "Sam Sea is our skipper; the Wren is 6 m." in text
    for post_id, message in (
            ("/2024-05-03-keys", "{{ site.data.keys.token }}: site.data.keys.token has no value "
                                 "for this site"),
            ("/2024-05-04-all", "{{ site.data.authors }} is a table, not a value to print")):
        result = invoke(root, "check", post_id, "--json")
        assert result.exit_code == 2
        assert [finding["message"] for finding in json.loads(result.stdout)["findings"]
                if finding["code"].startswith("template")] == [message]


def test_a_jekyll_post_printing_its_date_with_liquids_date_filter_is_sent_with_it(tmp_path):
    """Posts print their own date ({{ page.date | date_to_string }}) and keep their pictures
    in a folder by month (/assets/{{ page.date | date: '%Y/%m' }}/x.png): both were errors,
    and the post could not be sent. The date is on the site's clock, as Jekyll prints it."""
    root = write_files(tmp_path / "tide", {
        "_config.yml": "title: Tide\nurl: https://tide.example.org\ntimezone: Asia/Tokyo\n",
        "assets/2024/05/chart.png": picture((0, 90, 160), "PNG"),
        "_posts/2024-05-01-charts.md": (
            "---\ntitle: Charts\ndate: 2024-05-01 20:30:00 +0000\n---\n\n"
            "_Posted on {{ page.date | date_to_string }}_\n\n"
            "![The chart](/assets/{{ page.date | date: '%Y/%m' }}/chart.png)\n")})
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "preview", "/2024-05-01-charts")
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    text = (root / "preview/2024-05-01-charts/email.txt").read_text()
    assert "Posted on 02 May 2024" in text
    message = email.message_from_bytes(
        (root / "preview/2024-05-01-charts/message.eml").read_bytes(), policy=email.policy.default)
    assert [part.get_content_type() for part in message.walk()
            if part.get_content_maintype() == "image"] == ["image/png"]
