"""Personal blogs' MDX posts embed videos, posts and gists with components (astro-embed's
``<YouTube id>``, ``<Tweet id>``, ``<Vimeo id>``, ``<LinkPreview id>``; Gatsby's MDX Embed
``<YouTube youTubeId>``, ``<Tweet tweetLink>``, ``<Gist gistLink>``). They vanished from the
email (left out, with a warning): they are links now, as Hugo's youtube, tweet and gist
shortcodes are, and a component of the site's own (a counter) is still left out with a
warning at its line; one given a picture the post imports shows that picture."""

from __future__ import annotations

import lxml.html

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

ASTRO_POST = """---
title: Reading the tides
pubDate: 2024-08-01
heroImage: ./cover.jpg
---
import { YouTube, Tweet, Vimeo, LinkPreview } from 'astro-embed';
import Counter from '../../../components/Counter.jsx';

Tides come twice a day.

<YouTube id="https://youtu.be/dQw4w9WgXcQ" title="Spring tide" />

<Tweet id="https://twitter.com/tidewriter/status/1234567890" />

<Vimeo id="146022717" />

<LinkPreview id="https://tables.example.org/porto" />

<Counter client:load start={3} />

Fair winds.
"""
GATSBY_POST = """---
title: Knots
date: 2024-08-02
---
import { YouTube, Tweet, Gist } from 'mdx-embed'

Three knots.

<YouTube youTubeId="aqz-KE-bpKQ" />

<Tweet tweetLink="knotwriter/status/987654321" />

<Gist gistLink="knotwriter/5e8c2b1f" />
"""


def _email(root, post: str) -> tuple[str, str, str]:
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    checked = invoke(root, "check", post)
    result = invoke(root, "preview", post)
    assert result.exit_code == 0, result.output
    folder = next((root / "preview").glob(f"*{post}*"))
    return checked.output, (folder / "email.txt").read_text(), (folder / "email.html").read_text()


def test_astro_embed_components_are_links_in_the_email(tmp_path):
    root = write_files(tmp_path / "tides", {
        "package.json": '{"dependencies": {"astro": "^4.15.0", "@astrojs/mdx": "^3.1.0", '
                        '"astro-embed": "^0.7.0"}}',
        "astro.config.mjs": "import { defineConfig } from 'astro/config';\n"
                            "export default defineConfig({ site: 'https://tides.example.com' });\n",
        "src/content/config.ts": "import { defineCollection } from 'astro:content';\n"
                                 "export const collections = { blog: defineCollection({}) };\n",
        "src/content/blog/tides/index.mdx": ASTRO_POST,
        "src/content/blog/tides/cover.jpg": picture((10, 20, 30)),
    })
    checked, text, html = _email(root, "tides")
    assert "\u25b6 Watch \u201cSpring tide\u201d on YouTube\n<https://www.youtube.com/watch?v=dQw4w9WgXcQ>" in text
    assert "View the post by @tidewriter on X\n<https://x.com/tidewriter/status/1234567890>" in text
    assert "<https://vimeo.com/146022717>" in text
    assert "<https://tables.example.org/porto>" in text
    links = [a.get("href") for a in lxml.html.fromstring(html).iter("a")]
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in links
    assert "<YouTube" not in html and "<Tweet" not in html and "astro-embed" not in html
    degraded = [line for line in checked.splitlines() if "template-degraded" in line]
    assert len(degraded) == 1 and "index.mdx:19:" in degraded[0] and "<Counter>" in degraded[0]


def test_gatsby_mdx_embed_components_are_links_in_the_email(tmp_path):
    root = write_files(tmp_path / "knots", {
        "gatsby-config.js": "module.exports = { siteMetadata: { title: 'Knots', siteUrl: "
                            "'https://knots.example.com' }, plugins: ['gatsby-plugin-mdx'] };\n",
        "package.json": '{"dependencies": {"gatsby": "^5.13.0", "mdx-embed": "^1.1.2"}}',
        "content/blog/knots/index.mdx": GATSBY_POST,
    })
    checked, text, _ = _email(root, "knots")
    assert "<https://www.youtube.com/watch?v=aqz-KE-bpKQ>" in text
    assert "View the post by @knotwriter on X\n<https://x.com/knotwriter/status/987654321>" in text
    assert "View the code on GitHub: knotwriter/5e8c2b1f\n<https://gist.github.com/knotwriter/5e8c2b1f>" in text
    assert "template-degraded" not in checked


def test_a_sites_own_picture_component_given_an_imported_image_shows_that_picture(tmp_path):
    """``<Figure src={heron} alt caption />``, the blog's own component around a picture the
    post imports: the email shows the picture, its alt text and caption (it was left out), with
    a warning at its line, as a site's Hugo shortcode showing an image."""
    post = ("---\ntitle: Weir\npubDate: 2024-08-03\n---\nimport heron from './heron.jpg';\n"
            "import Figure from '../../../components/Figure.astro';\n\nBy the weir.\n\n"
            '<Figure src={heron} alt="A heron" caption="On the weir at dawn" />\n\nStill.\n')
    root = write_files(tmp_path / "weir", {
        "package.json": '{"dependencies": {"astro": "^4.15.0", "@astrojs/mdx": "^3.1.0"}}',
        "astro.config.mjs": "import { defineConfig } from 'astro/config';\n"
                            "export default defineConfig({ site: 'https://weir.example.com' });\n",
        "src/content/config.ts": "import { defineCollection } from 'astro:content';\n"
                                 "export const collections = { blog: defineCollection({}) };\n",
        "src/content/blog/weir/index.mdx": post,
        "src/content/blog/weir/heron.jpg": picture((130, 130, 140)),
    })
    checked, text, html = _email(root, "weir")
    assert "By the weir.\n\n[Image: A heron]\n\nOn the weir at dawn\n\nStill." in text
    assert html.count("<img") == 1 and 'alt="A heron"' in html and "Figure" not in html
    degraded = [line for line in checked.splitlines() if "template-degraded" in line]
    assert len(degraded) == 1 and "index.mdx:10:" in degraded[0] and "picture" in degraded[0]
