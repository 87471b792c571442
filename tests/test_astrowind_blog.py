"""AstroWind (onwidget/astrowind), an Astro theme whose settings are in src/config.yaml: its
post collection in src/data/post, addressed by apps.blog.post.permalink (``/%slug%``, with or
without the trailing slash site.trailingSlash says), its name and demo address there. Laid out
as the theme lays a blog out; the text is this project's own."""

from __future__ import annotations

import json

from fake_providers import write_readers
from generator_sites import fill_in_settings, write_files

from conftest import invoke

CONFIG = """\
site:
  name: Harbour Works
  site: 'https://astrowind.vercel.app'
  base: '/'
  trailingSlash: {slash}

apps:
  blog:
    isEnabled: true
    post:
      isEnabled: true
      permalink: '{permalink}'
    list:
      pathname: 'blog'
"""


def _blog(tmp_path, permalink: str = "/%slug%", slash: str = "false"):
    root = write_files(tmp_path / "harbour", {
        "astro.config.ts": ("import astrowind from './vendor/integration';\n"
                            "export default defineConfig({\n  output: 'static',\n"
                            "  integrations: [astrowind({ config: './src/config.yaml' })],\n});\n"),
        "src/config.yaml": CONFIG.format(permalink=permalink, slash=slash),
        "src/content/config.ts": (
            "const postCollection = defineCollection({\n"
            "  loader: glob({ pattern: ['*.md', '*.mdx'], base: 'src/data/post' }),\n});\n"
            "export const collections = { post: postCollection };\n"),
        "src/pages/[...blog]/index.astro": "---\nconst { post } = Astro.props;\n---\n",
        "src/data/post/new-pontoon.md": (
            "---\npublishDate: 2026-03-14T09:00:00Z\ntitle: A New Pontoon\n"
            "excerpt: Forty metres of it.\ncategory: Works\n---\n\nIt floats.\n"),
    })
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    return root


def test_posts_are_at_the_themes_permalink_and_its_demo_address_is_not_the_blogs(tmp_path):
    """The emails linked /post/new-pontoon/, where AstroWind serves nothing; init wrote the
    placeholder title and address, the theme's being in src/config.yaml."""
    root = _blog(tmp_path)
    settings = (root / "newsletter.toml").read_text()
    assert 'title = "Harbour Works"' in settings
    assert 'url = "https://astrowind.vercel.app' not in settings
    fill_in_settings(root, since="2000-01-01T00:00:00Z")
    write_readers(root, ["reader@example.org"])
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["id"], item["status"], item["url"]) for item in listed] == [
        ("/post/new-pontoon", "ready", "https://writer.example.net/new-pontoon")]
    assert invoke(root, "preview", "new-pontoon").exit_code == 0
    assert "Forty metres of it." in (root / "preview" / "new-pontoon" / "email.html").read_text()
    dry = invoke(root, "send", "--due", "--dry-run")
    assert dry.exit_code == 0 and '  would send /post/new-pontoon "A New Pontoon"' in dry.stdout


def test_a_permalink_with_the_date_and_category_and_a_trailing_slash(tmp_path):
    root = _blog(tmp_path, "/%category%/%year%/%month%/%slug%", "true")
    fill_in_settings(root)
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert listed[0]["url"] == "https://writer.example.net/works/2026/03/new-pontoon/"
