"""Real blogs' layouts of Zola, Pelican, Eleventy, Astro and Gatsby that their starters' examples
do not show: posts by year in Zola's transparent sections, Pelican's names that carry the slug,
Eleventy's image shortcode..., each as the generator itself reads it."""

from __future__ import annotations

import email
import email.policy
import json

import pytest
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


def listed(root) -> dict[str, dict]:
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


def fields(posts: dict[str, dict], *names: str) -> dict[str, tuple]:
    """{post id: (its values of ``names``)}."""
    return {key: tuple(post[name] for name in names) for key, post in posts.items()}


ZOLA_BY_YEAR = {
    "config.toml": 'base_url = "https://reeds.example.org"\ntitle = "Reeds"\n',
    "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n',
    "content/blog/2023/_index.md": '+++\ntitle = "2023"\ntransparent = true\n+++\n',
    "content/blog/2023/thatch.md": '+++\ntitle = "Thatch"\ndate = 2023-11-02\n+++\n\nBundles.\n',
    "content/blog/cutting.md": '+++\ntitle = "Cutting"\ndate = 2024-01-20\n+++\n\nSickles.\n',
    "content/Notes/loose.md": '+++\ntitle = "Loose"\ndate = 2024-02-01\n+++\n\nA note.\n',
}


def test_zola_posts_in_a_transparent_year_section_are_the_blogs_posts(tmp_path):
    """getzola.org, section front matter: transparent = true passes a section's pages to its
    parent's, so blog/2023/thatch.md is one of the blog's posts, at /blog/2023/thatch/. A page
    in a folder without _index.md is an orphan: its address is its folders as written."""
    posts = listed(write_files(tmp_path / "reeds", ZOLA_BY_YEAR))
    site = "https://reeds.example.org"
    assert {key: (posts[key]["status"], posts[key]["url"]) for key in (
        "/blog/2023/thatch", "/blog/cutting", "/Notes/loose")} == {
        "/blog/2023/thatch": ("ready", f"{site}/blog/2023/thatch/"),
        "/blog/cutting": ("ready", f"{site}/blog/cutting/"),
        "/Notes/loose": ("page", f"{site}/Notes/loose/"),
    }


def test_pelican_takes_the_slug_and_category_its_settings_find_in_the_files_path(tmp_path):
    """docs.getpelican.com, settings: FILENAME_METADATA = '(?P<date>...)-(?P<slug>.*)', as
    many blogs set it, gives a post its slug from its file name, and PATH_METADATA its
    category from its folder; what the post's own metadata says wins."""
    root = write_files(tmp_path / "loam", {
        "pelicanconf.py": ('SITENAME = "Loam"\nSITEURL = "https://loam.example.org"\n'
                           'PATH = "content"\n'
                           "FILENAME_METADATA = r'(?P<date>\\d{4}-\\d{2}-\\d{2})-(?P<slug>.*)'\n"
                           "USE_FOLDER_AS_CATEGORY = False\n"
                           "PATH_METADATA = r'(?P<category>[^/]+)/.*'\n"
                           "ARTICLE_URL = '{category}/{slug}/'\n"),
        "content/beds/2024-03-02-raised-beds.md": "Title: Building Our Beds\n\nPlanks.\n",
        "content/beds/2024-04-11-mulch.md": ("Title: On Mulch\nSlug: mulching\n"
                                             "Category: Soil\n\nStraw.\n"),
    })
    posts = listed(root)
    site = "https://loam.example.org"
    assert {key: (post["status"], post["date"][:10], post["url"])
            for key, post in posts.items()} == {
        "/beds/2024-03-02-raised-beds": ("ready", "2024-03-02", f"{site}/beds/raised-beds/"),
        "/beds/2024-04-11-mulch": ("ready", "2024-04-11", f"{site}/soil/mulching/"),
    }


def test_eleventy_image_shortcodes_arrive_as_the_posts_images(tmp_path):
    """eleventy-base-blog (v8) and 11ty.dev's Image plugin write a post's pictures as
    {% image "./possum.png", "alt" %}: a path beside the post, or from the project's folder."""
    root = write_files(tmp_path / "wool", {
        "eleventy.config.js": ('module.exports = function (eleventyConfig) {\n  return { dir: '
                               '{ input: "content" }, markdownTemplateEngine: "njk" };\n};\n'),
        "_data/metadata.json": '{"title": "Wool", "url": "https://wool.example.org/"}\n',
        "content/blog/blog.11tydata.js": 'module.exports = { tags: ["posts"] };\n',
        "content/blog/carding/carding.md": (
            "---\ntitle: Carding\ndate: 2024-02-03\ndescription: Combs.\n---\n\nFirst "
            'the fleece.\n\n{% image "./fleece.png", "A raw fleece" %}\n\nThen the batt. '
            "{% image './content/img/batt.jpg', 'A carded batt', '(min-width: 30em) 50vw' %}\n"),
        "content/blog/carding/fleece.png": picture((230, 225, 210), "PNG"),
        "content/img/batt.jpg": picture((200, 190, 180)),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "/blog/carding")
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes((root / "preview/carding/message.eml").read_bytes(),
                                       policy=email.policy.default)
    html = message.get_body(("html",)).get_content()
    images = [part for part in message.walk() if part.get_content_maintype() == "image"]
    assert len(images) == 2 and "{%" not in html
    assert 'alt="A raw fleece"' in html and 'alt="A carded batt"' in html


def test_eleventy_data_files_that_export_a_function_still_tag_their_posts(tmp_path):
    """11ty.dev/docs/data-js: a JavaScript data file may export a function returning the data,
    as google/eleventy-high-performance-blog's posts/posts.11tydata.js does (its computed
    values passed over); its tags still put the folder's posts in the collection."""
    root = write_files(tmp_path / "ash", {
        ".eleventy.js": 'module.exports = function () {\n  return { dir: { input: "." } };\n};\n',
        "_data/metadata.json": '{"title": "Ash", "url": "https://ash.example.org/"}\n',
        "posts/posts.11tydata.js": (
            "const today = new Date();\nfunction shown(data) { return !data.draft; }\n\n"
            "module.exports = () => {\n  return {\n    eleventyComputed: {\n"
            "      permalink: (data) => (shown(data) ? data.permalink : false),\n    },\n"
            '    tags: ["posts"],\n  };\n};\n'),
        "posts/coppicing.md": "---\ntitle: Coppicing\ndate: 2024-01-09\n---\n\nStools.\n",
        "notes/notes.11tydata.mjs": ('export default async function () {\n  return { tags: '
                                     '["post"], permalink: "/n/{{ page.fileSlug }}/" };\n}\n'),
        "notes/charcoal.md": "---\ntitle: Charcoal\ndate: 2024-02-09\n---\n\nKilns.\n",
        "drafts/drafts.11tydata.js": "module.exports = () => ({ tags: ['posts'] });\n",
        "drafts/pollard.md": "---\ntitle: Pollards\ndate: 2024-03-09\n---\n\nHeads.\n",
        "about.md": "---\ntitle: About\n---\n\nWoods.\n",
    })
    site = "https://ash.example.org"
    assert fields(listed(root), "status", "url") == {
        "/posts/coppicing": ("ready", f"{site}/posts/coppicing/"),
        "/notes/charcoal": ("ready", f"{site}/n/charcoal/"),
        "/drafts/pollard": ("ready", f"{site}/drafts/pollard/"),
        "/about": ("page", f"{site}/about/"),
    }


GLOB_COLLECTIONS = {
    "literal": (
        "module.exports = function (config) {\n"
        "  // config.addCollection('posts', c => c.getFilteredByGlob('./src/old/*.md'));\n"
        '  config.addCollection("work", (c) => c.getFilteredByGlob("./src/work/*.md"));\n'
        '  config.addCollection("blog", (collection) => {\n'
        '    return [...collection.getFilteredByGlob(["./src/posts/*.md", '
        '"src/notes/**/*.{md,njk}"])].reverse();\n  });\n'
        '  return { dir: { input: "src", output: "dist" } };\n};\n'),
    "a constant, in a helper": (
        'const POST_GLOBS = ["./src/posts/*.md", "src/notes/**/*.{md,njk}"];\n\n'
        "const collectPosts = (api) =>\n  api\n    .getFilteredByGlob(POST_GLOBS)\n"
        "    .filter((item) => !item.data.draft);\n\n"
        "function workOf(api) {\n  return api.getFilteredByGlob('./src/work/*.md');\n}\n\n"
        "module.exports = function (config) {\n"
        '  config.addCollection("work", (api) => workOf(api));\n'
        '  config.addCollection("posts", (api) => {\n    const posts = collectPosts(api);\n'
        "    return posts;\n  });\n"
        '  return { dir: { input: "src", output: "dist" } };\n};\n'),
}


@pytest.mark.parametrize("config", GLOB_COLLECTIONS.values(), ids=GLOB_COLLECTIONS)
def test_an_eleventy_collection_made_from_a_glob_holds_the_posts(tmp_path, config):
    """11ty.dev/docs/collections: a blog's config may make its posts collection from a glob,
    eleventyConfig.addCollection("posts", api => api.getFilteredByGlob("./src/posts/*.md")),
    with no tags in the posts (Learn Eleventy from Scratch names it "blog"); the glob may be
    a constant, the call in a function of the config."""
    root = write_files(tmp_path / "kiln", {
        ".eleventy.js": config,
        "src/_data/site.json": '{"name": "Kiln", "url": "https://kiln.example.org"}\n',
        "src/posts/glazes.md": "---\ntitle: Glazes\ndate: 2024-02-03\n---\n\nCone six.\n",
        "src/notes/2024/wedging.md": "---\ntitle: Wedging\ndate: 2024-03-03\n---\n\nClay.\n",
        "src/work/bowl.md": "---\ntitle: A Bowl\n---\n\nThrown.\n",
        "src/old/jug.md": "---\ntitle: A Jug\ndate: 2020-03-03\n---\n\nOld.\n",
        "src/about.md": "---\ntitle: About\n---\n\nPots.\n",
    })
    result = invoke(root, "init")
    assert "2 posts" in result.output, result.output
    posts = listed(root)
    assert {key: post["status"] for key, post in posts.items()} == {
        "/posts/glazes": "ready", "/notes/2024/wedging": "ready", "/work/bowl": "page",
        "/old/jug": "page", "/about": "page"}
    assert posts["/posts/glazes"]["url"].endswith("/posts/glazes/")


def test_zola_reads_a_date_then_a_space_before_the_slug_in_a_file_name(tmp_path):
    """getzola.org, content/page: 'content/blog/2021-01-23 -hello new world.md' is dated
    2021-01-23 and published at /blog/hello-new-world/; '2021-02-01_first.md' at /blog/first/."""
    root = write_files(tmp_path / "dune", {
        "config.toml": 'base_url = "https://dune.example.org"\ntitle = "Dune"\n',
        "content/blog/_index.md": '+++\nsort_by = "date"\n+++\n',
        "content/blog/2021-01-23 -marram grass.md": '+++\ntitle = "Marram"\n+++\n\nRoots.\n',
        "content/blog/2021-02-01_first.md": '+++\ntitle = "First"\n+++\n\nSand.\n',
    })
    posts = listed(root)
    assert {key: (post["status"], post["date"][:10], post["url"])
            for key, post in posts.items() if post["status"] != "page"} == {
        "/blog/2021-01-23 -marram grass": ("ready", "2021-01-23",
                                           "https://dune.example.org/blog/marram-grass/"),
        "/blog/2021-02-01_first": ("ready", "2021-02-01", "https://dune.example.org/blog/first/"),
    }


def test_gatsby_minimal_blog_takes_its_site_title_and_trailing_slash(tmp_path):
    """@lekoarts/gatsby-theme-minimal-blog (gatsby-starter-minimal-blog) names the blog
    siteMetadata.siteTitle (its navigation has titles too) and sets trailingSlash: `always`,
    which ends every address with a slash (gatsbyjs.com, gatsby-config: trailingSlash)."""
    root = write_files(tmp_path / "reed", {
        "gatsby-config.ts": (
            'const config = {\n  siteMetadata: {\n    siteTitle: `Reed Notes`,\n'
            '    siteUrl: `https://reed.example.org`,\n  },\n  trailingSlash: `always`,\n'
            "  plugins: [{ resolve: `@lekoarts/gatsby-theme-minimal-blog`, options: {\n"
            "    navigation: [{ title: `Blog`, slug: `/blog` }] } }],\n}\n\n"
            "export default config\n"),
        "content/posts/hello/index.mdx": ("---\ntitle: Hello\ndate: 2024-03-01\nslug: /hello\n"
                                          "description: First.\n---\n\nHi.\n"),
    })
    posts = listed(root)
    assert posts["/hello"]["url"] == "https://reed.example.org/hello/"
    assert 'title = "Reed Notes"' in (root / "newsletter.toml").read_text()


def test_eleventy_site_data_naming_its_address_base_url_gives_the_blogs_address(tmp_path):
    """Eleventy's _data/site.json has no fixed keys: blogs name their address url, baseUrl or
    siteUrl (as Hugo and Gatsby do), and init takes it whichever it is."""
    root = write_files(tmp_path / "fen", {
        "eleventy.config.js": "export default function (config) {}\n",
        "_data/site.json": '{"title": "Fen Notes", "baseUrl": "https://fen.example.org/"}\n',
        "posts/posts.json": '{"tags": "posts"}\n',
        "posts/reeds.md": "---\ntitle: Reeds\ndate: 2024-01-09\n---\n\nCut.\n",
    })
    assert listed(root)["/posts/reeds"]["url"] == "https://fen.example.org/posts/reeds/"


def test_pelican_without_path_reads_article_paths_from_the_site_folder(tmp_path):
    """docs.getpelican.com, settings: PATH defaults to the folder pelican runs in; a blog that
    leaves it unset and names ARTICLE_PATHS = ["content"] keeps its articles in content/,
    not in content/content/."""
    root = write_files(tmp_path / "moss", {
        "pelicanconf.py": ('SITENAME = "Moss"\nSITEURL = "https://moss.example.org"\n'
                           'ARTICLE_PATHS = ["content"]\nPAGE_PATHS = ["content/pages"]\n'
                           'ARTICLE_URL = "blog/{slug}/"\nPAGE_URL = "{slug}/"\n'),
        "content/blog/2024/spores.md": "Title: Spores\nDate: 2024-05-02\n\nDust.\n",
        "content/pages/about.md": "Title: About\n\nMosses.\n",
    })
    posts = listed(root)
    assert {key: (post["status"], post["url"]) for key, post in posts.items()} == {
        "/content/blog/2024/spores": ("ready", "https://moss.example.org/blog/spores/"),
        "/content/pages/about": ("page", "https://moss.example.org/about/"),
    }


def test_a_zola_posts_image_kept_in_its_section_folder_is_found_by_its_address(tmp_path):
    """getzola.org, content overview (asset colocation): a section's other files are
    published beside it, so a post links content/til/shot.png as /til/shot.png."""
    root = write_files(tmp_path / "til", {
        "config.toml": 'base_url = "https://til.example.org"\ntitle = "TIL"\n',
        "content/til/_index.md": '+++\nsort_by = "date"\n+++\n',
        "content/til/jj-log.md": ('+++\ntitle = "jj log"\ndate = 2025-03-26\n'
                                  'description = "Ops."\n+++\n\n![The log](/til/shot.png)\n'),
        "content/til/shot.png": picture((90, 90, 90), "PNG"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "/til/jj-log")
    assert result.exit_code == 0, result.output


def test_a_relative_image_is_found_where_the_posts_address_puts_it(tmp_path):
    """A browser reads ./shot.png against the page's address: Astro 1's Markdown pages (and
    any generator that leaves such paths alone) keep the file in public/ under the post's
    path, public/blog/2023/tiles/shot.png for /blog/2023/tiles/."""
    root = write_files(tmp_path / "tiles", {
        "astro.config.mjs": "export default { site: 'https://tiles.example.org' };\n",
        "src/pages/blog/2023/tiles.md": ("---\ntitle: Tiles\npubDate: 2023-04-11\n"
                                         "description: Grout.\n---\n\n![Grout](./shot.png)\n"),
        "public/blog/2023/tiles/shot.png": picture((120, 80, 60), "PNG"),
    })
    assert listed(root)["/blog/2023/tiles"]["url"] == "https://tiles.example.org/blog/2023/tiles/"
    fill_in_settings(root)
    result = invoke(root, "check", "/blog/2023/tiles")
    assert result.exit_code == 0, result.output
