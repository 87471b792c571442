"""Blogs shaped as the themes of an eleventh sweep write them (So Simple's Markdown titles,
Beautiful Hugo, Hello Friend NG, Mediumish, Astro Nano, Eleventy Excellent), with this
project's own text: every command works on them and the email reads like the post."""

from __future__ import annotations

import email
import email.policy
import json

import lxml.html
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


EXCLUDE = "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n"


def _site(root, files: dict):
    write_files(root, files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    assert invoke(root, "subscribers", "add", "reader@example.org").exit_code == 0
    return root


def _email(root, post_id: str):
    result = invoke(root, "preview", post_id)
    assert result.exit_code == 0, result.output
    folder = root / "preview" / post_id
    message = email.message_from_bytes((folder / "message.eml").read_bytes(),
                                       policy=email.policy.default)
    return (message, lxml.html.fromstring((folder / "email.html").read_text()),
            (folder / "email.txt").read_text())


def _post(root, post_id: str) -> dict:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return next(post for post in json.loads(result.stdout) if post["id"].endswith("/" + post_id))


def _every_command_works(root, post_id: str) -> None:
    for command in (("check", post_id), ("send", post_id, "--dry-run")):
        result = invoke(root, *command)
        assert result.exit_code == 0, result.output


def test_a_title_written_in_markdown_is_emphasis_in_the_heading_and_words_elsewhere(tmp_path):
    """So Simple and Minimal Mistakes print a title through markdownify: the page shows
    emphasis, its <title> plain words. The email showed the asterisks in its heading, subject
    and text part."""
    root = _site(tmp_path / "marks", {
        "_config.yml": "title: Salt Marsh\nurl: https://marsh.example.org\n"
                       "theme: jekyll-theme-so-simple\n" + EXCLUDE,
        "assets/heron.jpg": picture((120, 130, 140)),
        "_posts/2025-03-04-herons.md": (
            "---\ntitle: Herons *in* **March**\nexcerpt: The birds came back early.\n"
            "image: /assets/heron.jpg\n---\n\n"
            "Grey herons stood in the shallows all week.\n")})
    _every_command_works(root, "2025-03-04-herons")
    assert _post(root, "2025-03-04-herons")["title"] == "Herons *in* **March**"
    message, html, text = _email(root, "2025-03-04-herons")
    assert message["Subject"] == "Herons in March"
    heading = html.cssselect("h1.title")[0]
    assert heading.text_content() == "Herons in March"
    assert [(mark.tag, mark.text) for mark in heading] == [("em", "in"), ("strong", "March")]
    assert html.findtext(".//title") == "Herons in March"
    assert [image.get("alt") for image in html.iter("img")] == ["Herons in March"]
    assert text.startswith("Herons in March\n===============\n")
    assert "*" not in text


HUGO = 'baseURL = "https://fells.example.org/"\ntitle = "Fell Notes"\nlanguageCode = "en-us"\n'


def test_a_beautiful_hugo_post_with_its_big_image_and_shortcodes(tmp_path):
    """Beautiful Hugo's posts name their header picture in ``bigimg: [{src, desc}]`` and
    write callouts, details, columns and tabs as shortcodes."""
    root = _site(tmp_path / "fells", {
        "hugo.toml": HUGO + 'theme = "beautifulhugo"\n',
        "static/img/ridge.jpg": picture((70, 110, 60)),
        "content/post/2025-04-02-ridge-walk.md": (
            "---\ntitle: Ridge walk\nsubtitle: Three tops before the rain\n"
            'author: "[Ann Moss](https://fells.example.org/about/)"\ndate: 2025-04-02\n'
            'categories: ["walks"]\ntags: ["fells", "weather"]\n'
            'bigimg: [{src: "/img/ridge.jpg", desc: "The ridge from the tarn"}]\n---\n\n'
            "We left the car at seven.\n\n<!-- more -->\n\n"
            '{{< callout warning "Mind the weather" >}}\nCloud came down **fast** on the '
            "second top.\n{{< /callout >}}\n\n"
            '{{< details "What we packed" >}}\nTwo flasks and a map.\n{{< /details >}}\n\n'
            "{{< columns >}}\nMorning: clear.\n{{< column >}}\nAfternoon: rain.\n"
            "{{< /columns >}}\n\n"
            '{{< tabs >}}\n{{< tab "Short" >}}\nFour miles.\n{{< /tab >}}\n'
            '{{< tab "Long" >}}\nNine miles.\n{{< /tab >}}\n{{< /tabs >}}\n\n'
            "{{< no-ai-summary >}}\nThe last stile is broken.\n{{< /no-ai-summary >}}\n")})
    _every_command_works(root, "2025-04-02-ridge-walk")
    post = _post(root, "2025-04-02-ridge-walk")
    assert post["url"] == "https://fells.example.org/post/2025-04-02-ridge-walk/"
    assert post["date"].startswith("2025-04-02")
    message, html, text = _email(root, "2025-04-02-ridge-walk")
    assert message["Subject"] == "Ridge walk"
    assert [image.get("alt") for image in html.iter("img")] == ["The ridge from the tarn"]
    assert html.cssselect(".preheader")[0].text_content().startswith("Three tops before the rain")
    body = " ".join(text.split())
    for words in ("Mind the weather", "Cloud came down fast on the second top.", "What we packed",
                  "Two flasks and a map.", "Morning: clear.", "Afternoon: rain.", "Short",
                  "Four miles.", "Long", "Nine miles.", "The last stile is broken."):
        assert words in body, words
    assert "{{" not in text and "{{" not in lxml.html.tostring(html, encoding="unicode")


def test_a_hello_friend_ng_post_with_its_cover_and_image_shortcode(tmp_path):
    """Hello Friend NG shows ``cover`` (through absURL) above the post with ``coverCaption``
    under it, and places pictures with its ``image`` shortcode; a translation sits beside the
    post as ``name.fr.md``."""
    root = _site(tmp_path / "fells", {
        "config.toml": HUGO + 'theme = "hello-friend-ng"\ndefaultContentLanguage = "en"\n'
                       '[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n',
        "static/img/tarn.jpg": picture((40, 70, 130)),
        "static/img/stile.png": picture((150, 120, 60), "PNG"),
        "content/posts/tarn-swim.md": (
            '+++\ntitle = "A cold tarn"\ndescription = "Five minutes in the water."\n'
            'type = ["posts","post"]\ndate = "2025-05-06"\ncover = "img/tarn.jpg"\n'
            'coverCaption = "The tarn at *noon*"\ntags = ["swims"]\n[author]\n  name = "Ann Moss"\n'
            "+++\n\nThe water was cold.\n\n"
            '{{< image src="/img/stile.png" alt="The old stile" position="center" '
            'style="border-radius: 8px;" >}}\n\nWe dried off by the wall.\n'),
        "content/posts/tarn-swim.fr.md": (
            '+++\ntitle = "Un lac froid"\ndate = "2025-05-06"\n+++\n\nL\'eau était froide.\n')})
    _every_command_works(root, "tarn-swim")
    post = _post(root, "tarn-swim")
    assert post["url"] == "https://fells.example.org/posts/tarn-swim/"
    assert post["date"].startswith("2025-05-06")
    message, html, text = _email(root, "tarn-swim")
    assert message["Subject"] == "A cold tarn"
    assert [image.get("alt") for image in html.iter("img")][-2:] == ["A cold tarn", "The old stile"]
    assert "[Image: The old stile]" in text
    assert "{{" not in text


def test_a_mediumish_post_with_its_relative_image_under_a_baseurl(tmp_path):
    """Mediumish writes ``image: assets/images/x.jpg`` (no leading slash, under the site's
    baseurl), ``author`` as a key of site.authors and ``hidden: true`` for a post kept off the
    home page's list but published; a star ``rating`` the page draws."""
    root = _site(tmp_path / "reviews", {
        "_config.yml": ('title: "Shelf Life"\nurl: https://shelf.example.org\n'
                        "baseurl: /reviews\npermalink: /:title/\n"
                        "authors:\n  ines:\n    name: Ines\n    display_name: Ines\n"
                        "plugins: [jekyll-seo-tag, jekyll-feed]\n"
                        + EXCLUDE),
        "assets/images/kettle.jpg": picture((180, 60, 40)),
        "_posts/2025-06-07-a-kettle.md": (
            '---\nlayout: post\ntitle:  "A kettle that lasts"\nauthor: ines\n'
            "categories: [ Kitchen, reviews ]\ntags: [steel]\nimage: assets/images/kettle.jpg\n"
            'description: "Ten years on one element."\nfeatured: true\nhidden: true\n'
            "rating: 4.5\n---\n\nIt boils in three minutes.\n\n## The handle\n\n"
            "It stays cool.\n")})
    _every_command_works(root, "2025-06-07-a-kettle")
    post = _post(root, "2025-06-07-a-kettle")
    assert (post["status"], post["url"]) == ("ready", "https://shelf.example.org/reviews/a-kettle/")
    message, html, text = _email(root, "2025-06-07-a-kettle")
    assert message["Subject"] == "A kettle that lasts"
    assert [image.get("alt") for image in html.iter("img")] == ["A kettle that lasts"]
    assert "It boils in three minutes." in text and "The handle" in text


NANO_CONFIG = ('import { defineConfig } from "astro/config";\nimport mdx from "@astrojs/mdx";\n\n'
               'export default defineConfig({\n  site: "https://dunes.example.org",\n'
               "  integrations: [mdx()],\n});\n")


def test_an_astro_nano_post_in_its_folder_with_a_written_out_date_and_a_rule_first(tmp_path):
    """Astro Nano keeps each post as ``src/content/blog/<nn-name>/index.md`` with its date as
    JavaScript reads it ("Mar 16 2024", "12/31/2022"), often opens the body with a rule, and
    its MDX posts use a component of the site."""
    root = _site(tmp_path / "dunes", {
        "package.json": '{"name": "dunes", "dependencies": {"astro": "^4.0.0"}}\n',
        "astro.config.mjs": NANO_CONFIG,
        "src/consts.ts": ('export const SITE = {\n  NAME: "Dune Log",\n'
                          "  NUM_POSTS_ON_HOMEPAGE: 3,\n};\n"),
        "src/content/config.ts": (
            'import { defineCollection, z } from "astro:content";\n'
            'const blog = defineCollection({\n  type: "content",\n  schema: z.object({\n'
            "    title: z.string(),\n    description: z.string(),\n    date: z.coerce.date(),\n"
            "    draft: z.boolean().optional()\n  }),\n});\n"
            "export const collections = { blog };\n"),
        "src/pages/blog/[...slug].astro": "---\nconst { post } = Astro.props;\n---\n<article />\n",
        "src/content/blog/01-shifting-sand/index.md": (
            '---\ntitle: "Shifting sand"\ndescription: "The dune moved a metre."\n'
            'date: "Mar 16 2024"\n---\n\n---\n\n## Measured\n\nWe set two stakes in March.\n'),
        "src/content/blog/02-old-notes/index.md": (
            '---\ntitle: "Old notes"\ndescription: "From the first winter."\n'
            'date: "12/31/2022"\ndraft: false\n---\n\nThe first winter was wet.\n')})
    for post_id, date in (("01-shifting-sand", "2024-03-16"), ("02-old-notes", "2022-12-31")):
        url = f"https://dunes.example.org/blog/{post_id}/"
        _every_command_works(root, post_id)
        post = _post(root, post_id)
        assert (post["status"], post["url"], post["date"][:10]) == ("ready", url, date)
    message, html, text = _email(root, "01-shifting-sand")
    assert message["Subject"] == "Shifting sand"
    assert "Measured\n--------\n\nWe set two stakes in March." in text


def test_a_slashed_date_that_reads_either_way_is_refused_in_one_line(tmp_path):
    """"05/06/2024" is May 6 to JavaScript and June 5 to Ruby: the post is refused with its
    line, never sent under a guessed date."""
    root = _site(tmp_path / "dunes", {
        "package.json": '{"name": "dunes", "dependencies": {"astro": "^4.0.0"}}\n',
        "astro.config.mjs": NANO_CONFIG,
        "src/pages/blog/[...slug].astro": "---\nconst { post } = Astro.props;\n---\n<article />\n",
        "src/content/blog/03-spring/index.md": (
            '---\ntitle: "Spring"\ndescription: "Green again."\ndate: "05/06/2024"\n---\n\n'
            "Marram grass came up.\n")})
    result = invoke(root, "check", "03-spring")
    assert result.exit_code != 0
    assert ("src/content/blog/03-spring/index.md:4: post-unreadable: date '05/06/2024' reads as "
            "month/day or as day/month; write it year first: 2024-05-06") in result.output
    assert "Traceback" not in result.output


EXCELLENT_CONFIG = (
    "import shortcodes from './src/_config/shortcodes.js';\n\n"
    "export default async function (eleventyConfig) {\n"
    "  eleventyConfig.addShortcode('image', shortcodes.imageShortcode);\n"
    "  return {\n    markdownTemplateEngine: 'njk',\n"
    "    dir: {output: 'dist', input: 'src', includes: '_includes', layouts: '_layouts'}\n"
    "  };\n}\n")


def test_an_eleventy_excellent_post_addressed_by_its_title_with_its_image(tmp_path):
    """Eleventy Excellent's posts sit in ``src/posts/<year>/`` under a ``posts.json`` whose
    permalink is the slugified title; ``image`` with ``alt`` beside it is the feature image,
    and ``{% image "path", "alt", "caption" %}`` places a picture."""
    root = _site(tmp_path / "orchard", {
        "package.json": '{"name": "orchard", "dependencies": {"@11ty/eleventy": "^3.0.0"}}\n',
        "eleventy.config.js": EXCELLENT_CONFIG,
        "src/_data/meta.js": ("export const url = process.env.URL || 'http://localhost:8080';\n"
                              "export const siteName = 'Orchard Diary';\n"),
        "src/posts/posts.json": ('{\n  "layout": "post",\n  "tags": "posts",\n'
                                 '  "permalink": "/blog/{{ title | slugify }}/index.html"\n}\n'),
        "src/assets/images/blossom.jpg": picture((230, 180, 200)),
        "src/assets/images/ladder.jpg": picture((120, 90, 40)),
        "src/posts/2025/2025-04-20-first-blossom.md": (
            "---\ntitle: 'First blossom on the old pear'\n"
            'description: "The pear flowered a week early."\ndate: 2025-04-20\n'
            "tags: ['trees', 'spring']\nimage: '/assets/images/blossom.jpg'\n"
            "alt: 'White pear blossom against a grey sky'\n---\n\n"
            "The old pear flowered first this year.\n\n"
            '{% image "/assets/images/ladder.jpg", "The orchard ladder", "We picked from it '
            'last autumn." %}\n\nThe apples are still bare.\n\n'
            '{% image "/assets/images/ladder.jpg", "The ladder folded", '
            '"(min-width: 30em) 50vw, 100vw" %}\n')})
    post_id = "2025-04-20-first-blossom"
    _every_command_works(root, post_id)
    post = _post(root, post_id)
    assert (post["status"], post["date"][:10]) == ("ready", "2025-04-20")
    assert post["url"].endswith("/blog/first-blossom-on-the-old-pear/")
    message, html, text = _email(root, post_id)
    assert message["Subject"] == "First blossom on the old pear"
    assert [image.get("alt") for image in html.iter("img")] == [
        "White pear blossom against a grey sky", "The orchard ladder", "The ladder folded"]
    assert [caption.text_content() for caption in html.iter("figcaption")] == [
        "We picked from it last autumn."]  # the plugin's sizes are no caption
    assert "We picked from it last autumn." in text
