"""A blog's address written as ``process.env.URL || "https://..."`` (Netlify's and Vercel's
builds set the variable; everywhere else the literal is the address): init reads the literal,
and names one that is not public instead of writing it. The blogs are this project's own."""

from __future__ import annotations

import pytest
from generator_sites import write_files

from conftest import invoke

GATSBY = """\
import type { GatsbyConfig } from "gatsby"

const config: GatsbyConfig = {
  siteMetadata: {
    title: `Salt Marsh`,
    author: `J. Reed`,
    siteUrl: process.env.SITE_URL || %s,
  },
  plugins: [{ resolve: "gatsby-source-filesystem", options: { name: "blog", path: "./content/blog/" } }],
}

export default config
"""
ELEVENTY = """\
module.exports = {
\ttitle: "Salt Marsh",
\turl: process.env.URL ?? %s,
\tlanguage: "en",
};
"""


def site(root, kind: str, address: str):
    if kind == "gatsby":
        return write_files(root, {
            "gatsby-config.ts": GATSBY % address,
            "content/blog/avocets/index.md": "---\ntitle: Avocets\ndate: 2026-05-01\n---\n\nBack.\n",
        })
    return write_files(root, {
        "eleventy.config.js": "module.exports = function (eleventyConfig) {};\n",
        "_data/metadata.js": ELEVENTY % address,
        "blog/blog.json": '{"tags": ["posts"]}',
        "blog/avocets.md": "---\ntitle: Avocets\ndate: 2026-05-01\n---\n\nBack.\n",
    })


@pytest.mark.parametrize("kind, source", [("gatsby", "gatsby-config.ts"),
                                          ("eleventy", "_data/metadata.js")])
def test_the_address_a_build_falls_back_to_is_the_blogs(tmp_path, kind, source):
    """init wrote the placeholder address, and every email linked it until the writer found
    the setting."""
    root = site(tmp_path / "marsh", kind, "`https://marsh.example.org`")
    result = invoke(root, "init")
    assert f"Read the blog's title and address from {source}." in result.output
    assert f'url = "https://marsh.example.org"  # from {source}' in \
        (root / "newsletter.toml").read_text()


@pytest.mark.parametrize("kind, source", [("gatsby", "gatsby-config.ts"),
                                          ("eleventy", "_data/metadata.js")])
def test_a_fallback_on_the_writers_own_computer_is_named_not_written(tmp_path, kind, source):
    root = site(tmp_path / "marsh", kind, '"http://localhost:8080"')
    assert invoke(root, "init").exit_code == 0
    settings = (root / "newsletter.toml").read_text()
    url_line = next(line for line in settings.splitlines() if line.startswith("url = "))
    assert url_line.startswith('url = "https://your-blog.example"  # your blog')
    assert (f"({source} has http://localhost:8080: an address on your own computer or "
            "network)") in settings
