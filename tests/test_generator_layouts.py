"""Real blogs' layouts of Zola, Pelican, Eleventy, Astro and Gatsby that their starters' examples
do not show: posts by year in Zola's transparent sections, Pelican's names that carry the slug,
Eleventy's image shortcode..., each as the generator itself reads it."""

from __future__ import annotations

import json

from generator_sites import write_files

from conftest import invoke


def listed(root) -> dict[str, dict]:
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


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
