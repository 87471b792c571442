"""Blogs laid out as popular starters lay them out (AstroPaper: src/data/blog, a glob loader with
its own pattern, /posts/ routes, ogImage; the Tailwind Next.js Starter Blog; Zola's tabi;
Pelican sites that make articles drafts by default), read from `init` on. The text is this project's own."""

from __future__ import annotations

import json

from conftest import invoke
from generator_sites import picture, write_files

from newsletter.config import load_settings
from newsletter.posts import load_posts

SITE = "https://lantern.example.org"
ASTROPAPER_CONFIG = (
    'import { glob } from "astro/loaders";\n'
    'export const BLOG_PATH = "src/data/blog";\n'
    "const blog = defineCollection({\n"
    '  loader: glob({ pattern: "**/[^_]*.md", base: `./${BLOG_PATH}` }),\n'
    "  schema: ({ image }) => z.object({ title: z.string() }),\n"
    "});\nexport const collections = { blog };\n")


def entry(title: str, day: str, extra: str = "") -> str:
    return (f"---\ntitle: {title}\npubDatetime: {day}T08:15:00Z\ndescription: About "
            f"{title.lower()}.\ntags:\n  - lamps\n{extra}---\n\nA few words of my own.\n")


def astropaper(root, posts: dict[str, str]):
    write_files(root, {
        "astro.config.ts": "export default defineConfig({ site: SITE.website });\n",
        "src/config.ts": f'export const SITE = {{\n  website: "{SITE}/",\n'
                         '  title: "Lantern Log",\n} as const;\n',
        "src/content.config.ts": ASTROPAPER_CONFIG,
        "src/pages/posts/[...slug]/index.astro": "---\n---\n",
        **{f"src/data/blog/{name}": text for name, text in posts.items()},
    })
    assert invoke(root, "init").exit_code == 0
    return {item["file"].removeprefix("src/data/blog/"): item
            for item in json.loads(invoke(root, "posts", "--json").stdout)}


def test_a_file_the_collections_glob_pattern_leaves_out_is_never_mailed(tmp_path):
    """AstroPaper's loader reads pattern "**/[^_]*.md": _notes.md is in the folder but not in
    the collection, so the site never publishes it."""
    listed = astropaper(tmp_path / "site", {
        "wick-trimming.md": entry("Wick Trimming", "2024-03-02"),
        "_notes.md": entry("Private Notes", "2024-03-03"),
    })
    assert listed["wick-trimming.md"]["status"] == "ready"
    assert listed["_notes.md"]["status"] == "page"


def test_an_underscored_file_or_folder_is_outside_a_collection_of_src_content(tmp_path):
    """Collections of src/content without a loader (Astro 2 to 4) leave out the files and
    folders whose names begin with _ (docs.astro.build, content collections)."""
    root = write_files(tmp_path / "site", {
        "astro.config.mjs": f"export default defineConfig({{ site: '{SITE}' }});\n",
        "src/content/blog/oil-lamps.md": entry("Oil Lamps", "2024-03-02"),
        "src/content/blog/_parked/flint.md": entry("Flint", "2024-03-03"),
        "src/pages/blog/[...slug].astro": "---\n---\n",
    })
    assert invoke(root, "init").exit_code == 0
    listed = {item["file"]: item["status"]
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {"src/content/blog/oil-lamps.md": "ready",
                      "src/content/blog/_parked/flint.md": "page"}


def test_astropapers_og_image_is_the_posts_feature_image(tmp_path):
    """AstroPaper names a post's picture ogImage (an image() path beside the post, or an
    address): the email shows it as it shows heroImage."""
    root = tmp_path / "site"
    write_files(root, {"src/assets/images/wick.png": picture((200, 120, 40), "PNG")})
    astropaper(root, {
        "wick-trimming.md": entry("Wick Trimming", "2024-03-02",
                                  "ogImage: ../../assets/images/wick.png\n"),
        "glass.md": entry("Glass", "2024-03-04", f"ogImage: {SITE}/glass.jpg\n"),
    })
    posts, errors = load_posts(load_settings(root, {}))
    images = {post.id: post.image.src if post.image else None for post in posts}
    assert errors == []
    assert images == {"/blog/wick-trimming": "../../assets/images/wick.png",
                      "/blog/glass": f"{SITE}/glass.jpg"}


def test_astropaper_leaves_underscored_folders_out_of_addresses(tmp_path):
    """AstroPaper's getPath() builds /posts/<folders>/<last part of the id>, leaving out the
    folders named _x: _series/glass.md is served at /posts/glass/, notes/oil.md at
    /posts/notes/oil/."""
    root = tmp_path / "site"
    write_files(root, {"src/utils/getPath.ts": (
        "export function getPath(id: string, filePath: string | undefined) {\n"
        "  const segments = filePath?.replace(BLOG_PATH, '').split('/')\n"
        "    .filter(part => part !== '').filter(part => !part.startsWith('_'))\n"
        "    .slice(0, -1).map(part => slugifyStr(part));\n"
        "  return ['/posts', ...segments, id.split('/').slice(-1)].join('/');\n}\n")})
    listed = astropaper(root, {
        "_series/glass.md": entry("Glass", "2024-03-04"),
        "notes/oil.md": entry("Oil", "2024-03-05"),
    })
    assert listed["_series/glass.md"]["url"] == f"{SITE}/posts/glass/"
    assert listed["notes/oil.md"]["url"] == f"{SITE}/posts/notes/oil/"


def test_a_file_contentlayers_pattern_does_not_match_is_never_mailed(tmp_path):
    """The Tailwind Next.js Starter Blog builds filePathPattern 'blog/**/*.mdx': an .md file
    in data/blog (a note, a copy) is never published, so never mailed."""
    root = write_files(tmp_path / "site", {
        "contentlayer.config.ts": (
            "export const Blog = defineDocumentType(() => ({\n  name: 'Blog',\n"
            "  filePathPattern: 'blog/**/*.mdx',\n  contentType: 'mdx',\n}))\n"
            "export default makeSource({ contentDirPath: 'data', documentTypes: [Blog] })\n"),
        "data/blog/fiddleheads.mdx": "---\ntitle: Fiddleheads\ndate: '2024-04-02'\n"
                                     "summary: Curled tips.\n---\n\nCurled.\n",
        "data/blog/series/part-one.mdx": "---\ntitle: Part One\ndate: '2024-04-07'\n---\n\nOne.\n",
        "data/blog/plain-notes.md": "---\ntitle: Notes\ndate: '2024-04-08'\n---\n\nNotes.\n",
    })
    assert invoke(root, "init").exit_code == 0
    listed = {item["file"]: item["status"]
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {"data/blog/fiddleheads.mdx": "ready",
                      "data/blog/series/part-one.mdx": "ready",
                      "data/blog/plain-notes.md": "page"}


def test_tabis_social_media_card_is_the_posts_feature_image(tmp_path):
    """Zola's tabi theme names a page's picture in [extra] social_media_card, a file of the
    page's folder: the email shows it."""
    root = write_files(tmp_path / "site", {
        "config.toml": 'base_url = "https://marsh.example.net"\ntitle = "Marsh Birds"\n'
                       'theme = "tabi"\n',
        "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\npaginate_by = 5\n+++\n',
        "content/blog/heron/index.md": ('+++\ntitle = "Grey heron"\ndate = 2024-05-01\n\n'
                                        '[extra]\nsocial_media_card = "heron.jpg"\n+++\n\n'
                                        "Standing still in the reeds.\n"),
        "content/blog/heron/heron.jpg": picture((90, 110, 120)),
    })
    assert invoke(root, "init").exit_code == 0
    posts, errors = load_posts(load_settings(root, {}))
    assert errors == []
    assert [(post.id, post.image and post.image.src) for post in posts if not post.page] == \
        [("/blog/heron", "heron.jpg")]


def test_pelicans_default_metadata_status_draft_keeps_unmarked_articles_unpublished(tmp_path):
    """pelicanconf.py's DEFAULT_METADATA = {'status': 'draft'} makes every article a draft
    until it says Status: published: Pelican publishes none of the others, so none is mailed."""
    root = write_files(tmp_path / "site", {
        "pelicanconf.py": "SITENAME = 'Owl Pellets'\nSITEURL = 'https://owls.example.net'\n"
                          "PATH = 'content'\nDEFAULT_METADATA = {'status': 'draft'}\n",
        "content/barn-owl.md": "Title: Barn Owl\nDate: 2024-02-10\nStatus: published\n\nBones.\n",
        "content/tawny-owl.md": "Title: Tawny Owl\nDate: 2024-02-12\n\nNot finished.\n",
    })
    assert invoke(root, "init").exit_code == 0
    listed = {item["file"]: item["status"]
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {"content/barn-owl.md": "ready", "content/tawny-owl.md": "draft"}


def test_a_zola_page_without_a_date_is_told_to_add_one_in_toml(tmp_path):
    """A Zola page's front matter is TOML between +++ lines: the line to add is
    date = 2024-05-01..., not YAML's date: "...", which would break the page's TOML."""
    root = write_files(tmp_path / "site", {
        "config.toml": 'base_url = "https://dusk.example.net"\ntitle = "Dusk"\n',
        "content/_index.md": '+++\npaginate_by = 5\nsort_by = "date"\n+++\n',
        "content/moths.md": '+++\ntitle = "Moths"\n+++\n\nWings at the window.\n',
    })
    assert invoke(root, "init").exit_code == 0
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [item["errors"] for item in listed if item["file"] == "content/moths.md"] == [[
        "content/moths.md: no date; add date = 2024-05-01T09:00:00Z to the front matter "
        "(TOML: no quotes)"]]
