"""Gatsby blogs made the way Gatsby's own tutorial makes them (`npm init gatsby`, posts in
blog/<name>/index.mdx with a hero_image, pages from src/pages/blog/{mdx.frontmatter__slug}.js),
read from `init` on. The text is this project's own."""

from __future__ import annotations

import json

import lxml.html
from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

GATSBY_CONFIG = """\
module.exports = {
  siteMetadata: {
    title: `Lakeside Notebook`,
    siteUrl: `https://www.yourdomain.tld`,
  },
  plugins: [
    "gatsby-plugin-image",
    { resolve: "gatsby-source-filesystem", options: { name: `blog`, path: `${__dirname}/blog` } },
    "gatsby-plugin-mdx",
  ],
};
"""


def tutorial_blog(root):
    return write_files(root, {
        "gatsby-config.js": GATSBY_CONFIG,
        "package.json": '{"dependencies": {"gatsby": "^5.13.0", "gatsby-plugin-mdx": "^5.13.0"}}',
        "src/pages/blog/{mdx.frontmatter__slug}.js": "export default function Post() {}\n",
        "blog/first-swim/index.mdx": (
            '---\ntitle: "First swim"\ndate: "2021-07-23"\nslug: "first-swim"\n'
            'hero_image: "./lake.jpg"\nhero_image_alt: "A still lake at dawn"\n---\n\nCold.\n'),
        "blog/first-swim/lake.jpg": picture((40, 90, 140)),
    })


def test_npm_init_gatsbys_yourdomain_tld_is_no_address_for_the_emails(tmp_path):
    """`npm init gatsby` writes siteUrl https://www.yourdomain.tld: init took it as the blog's
    address, and every link of every email sent led there."""
    root = tutorial_blog(tmp_path / "lake")
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    settings = (root / "newsletter.toml").read_text()
    assert 'url = "https://your-blog.example"' in settings
    assert "gatsby-config.js has https://www.yourdomain.tld: the starter's example" in settings
    checked = invoke(root, "check", "first-swim")
    assert checked.exit_code == 2
    assert "site.url" in checked.output


def test_the_tutorials_hero_image_heads_the_email(tmp_path):
    """Gatsby's tutorial shows a post's hero_image (with hero_image_alt) above it: the email
    had no picture at all."""
    root = tutorial_blog(tmp_path / "lake")
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["status"], item["url"]) for item in listed] == [
        ("ready", "https://writer.example.net/blog/first-swim/")]
    assert invoke(root, "preview", "first-swim").exit_code == 0
    html = lxml.html.fromstring((root / "preview/first-swim/email.html").read_text())
    assert [image.get("alt") for image in html.iter("img")] == ["A still lake at dawn"]
