"""Where real writers' blogs keep their files, beyond the generators' defaults: a Quarto blog's
post folders (blog/<date>/<name>/index.md, files beside), and a Jekyll ``source`` that a build
step makes from the repository's own folder (``.tmp/src`` copied from ``src``)."""

from __future__ import annotations

import json

from generator_sites import blog_after_init, picture

from conftest import invoke


def listed(root) -> dict[str, dict]:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


QUARTO = {
    "_quarto.yml": "project:\n  type: website\nwebsite:\n  title: Tide Tables\n"
                   "  site-url: https://tides.example.org\n",
    "blog/2021/04/02/neap-tides/index.md":
        "---\ntitle: Neap tides\ndate: 2021-04-02\n---\n\n"
        "The [readings](readings.csv) and the [spring post](../../01/spring/).\n\n"
        "![A tide chart](chart.png)\n",
    "blog/2021/04/02/neap-tides/readings.csv": "hour,metres\n1,2.4\n",
    "blog/2021/04/02/neap-tides/chart.png": picture((20, 60, 140), "PNG"),
    "blog/2021/04/01/spring/index.md": "---\ntitle: Spring\ndate: 2021-04-01\n---\n\nHigh.\n",
}


def test_a_quarto_post_folder_is_its_page_and_its_files_are_linked_from_there(tmp_path):
    root = tmp_path / "tides"
    blog_after_init(root, QUARTO)
    post = listed(root)["/blog/2021/04/02/neap-tides"]
    assert post["url"] == "https://tides.example.org/blog/2021/04/02/neap-tides/"
    result = invoke(root, "preview", "neap-tides")
    assert result.exit_code == 0, result.output
    html = (root / "preview" / "neap-tides" / "email.html").read_text()
    assert 'href="https://tides.example.org/blog/2021/04/02/neap-tides/readings.csv"' in html
    assert 'href="https://tides.example.org/blog/2021/04/01/spring/"' in html
    assert "images/" in html  # the chart beside the post, prepared


JEKYLL_BUILT_SOURCE = {
    "_config.yml": "title: Ink\nurl: https://ink.example.org\nsource: .tmp/src\n"
                   "destination: .tmp/dist\npermalink: /:categories/:title/\n",
    "src/_layouts/post.html": "{{ content }}\n",
    "src/_posts/notes/2019-03-01-nibs.md":
        "---\ntitle: Nibs\ncategories: [notes]\n---\n\n![A nib](/assets/images/nib.png)\n",
    "src/assets/images/nib.png": picture((30, 30, 30), "PNG"),
}


def test_a_jekyll_source_made_by_a_build_step_is_read_from_the_folder_it_copies(tmp_path):
    root = tmp_path / "ink"
    blog_after_init(root, JEKYLL_BUILT_SOURCE)
    post = listed(root)["/2019-03-01-nibs"]
    assert (post["status"], post["url"]) == ("ready", "https://ink.example.org/notes/nibs/")
    result = invoke(root, "preview", "nibs")
    assert result.exit_code == 0, result.output
    assert "not found" not in result.output
    assert "images/" in (root / "preview" / "2019-03-01-nibs" / "email.html").read_text()


ELEVENTY_POSTS_FOLDER = {
    "eleventy.config.js": 'export default function(eleventyConfig) {\n'
                          '  eleventyConfig.addCollection("posts", api =>\n'
                          '    api.getFilteredByGlob("./_posts/*.md"));\n};\n',
    "_data/site.json": '{"url": "https://kettle.example.org", "title": "Kettle"}\n',
    "_posts/_posts.11tydata.js": 'export default {\n  layout: "post.liquid",\n'
                                 '  permalink: function({page}) {\n'
                                 '    return `/web/${ page.fileSlug }/`\n  },\n};\n',
    "_posts/2024-02-03-descaling.md": "---\ntitle: Descaling\n---\n\nVinegar, then water.\n",
}


def test_an_eleventy_blog_keeping_posts_in_a_posts_folder_is_eleventys(tmp_path):
    """A _posts folder without _config.yml is Jekyll's unless Eleventy's settings are there;
    the folder's data file writes the address as a function of the page taken apart."""
    root = tmp_path / "kettle"
    result = blog_after_init(root, ELEVENTY_POSTS_FOLDER)
    assert result.output.startswith("Eleventy site")
    post = listed(root)["/_posts/2024-02-03-descaling"]
    assert (post["status"], post["url"]) == ("ready", "https://kettle.example.org/web/descaling/")
