"""Blogs laid out the way each static site generator's documentation lays them out, written here.

Each function writes one blog into a folder and returns what a test should find in it: the posts
`newsletter posts --json` must list (status, id, URL) and the images their emails must carry.
The layouts follow gohugo.io, jekyllrb.com, 11ty.dev, docs.astro.build, getzola.org,
docs.getpelican.com and gatsbyjs.com; the text is this project's own.
"""

from __future__ import annotations

import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from newsletter.scaffold.placeholders import PLACEHOLDER_TITLE, PLACEHOLDER_URL


@dataclass
class Expected:
    """What newsletter must make of a generator's blog."""

    generator: str
    posts: dict[str, tuple[str, str | None]]  # id -> (posts --json status, url or None)
    images: dict[str, int] = field(default_factory=dict)  # post id -> images in its email
    files: dict[str, str] = field(default_factory=dict)  # id -> file, where it matters
    not_read: list[str] = field(default_factory=list)  # post files in another markup


def picture(colour: tuple[int, int, int], kind: str = "JPEG", size=(640, 400)) -> bytes:
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


WRITERS_URL = "https://writer.example.net"  # the address a writer fills in where init could not


def fill_in_settings(root: Path, **schedule: str) -> None:
    """Do what a writer does after `init`: name the sender, the postal address and where
    replies go, the blog's title and address where its settings did not say them, and (if
    given) set [schedule]."""
    path = root / "newsletter.toml"
    text = path.read_text(encoding="utf-8").replace(PLACEHOLDER_URL, WRITERS_URL)
    text = text.replace(f'title = "{PLACEHOLDER_TITLE}"', 'title = "A Writer\'s Blog"')
    values = {"from": '"Ana Writer <ana@example.org>"', "reply_to": '"ana@example.org"',
              "cta_url": '"mailto:ana@example.org"', "postal_address": '"2 Quay Street, Porto"'}
    for key, value in values.items():
        text = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
    if schedule:
        text += "\n[schedule]\n" + "".join(f"{k} = {v}\n" for k, v in schedule.items())
    path.write_text(text, encoding="utf-8")
    tomllib.loads(text)


def blog_after_init(root: Path, files: dict[str, str | bytes]):
    """A blog of ``files`` after `init`, its settings filled in (every post since 2000, nine a
    run) and one reader: `init`'s result."""
    from conftest import invoke
    from fake_providers import write_readers

    write_files(root, files)
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    fill_in_settings(root, since="2000-01-01T00:00:00Z", max_posts_per_run="9")
    write_readers(root, ["reader@example.org"])
    return result


HUGO_CONFIG = """\
baseURL = "https://notes.example.org/"
title = "Field Notes"
languageCode = "en-gb"
timeZone = "Europe/London"

[params]
mainSections = ["posts"]

[permalinks]
posts = "/:year/:month/:slug/"
"""


def hugo_site(root: Path) -> Expected:
    """Hugo: TOML, YAML and JSON front matter, _index.md, a headless bundle with a resource, a
    layout: page, a page bundle with its cover, static/ and assets/ images, an empty draft,
    publishDate, expiryDate and build options; mainSections and [permalinks]."""
    write_files(root, {
        "hugo.toml": HUGO_CONFIG,
        "content/_index.md": "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n",
        "content/about.md": "---\ntitle: About\ndate: 2023-01-01\n---\n\nWho writes here.\n",
        "content/archives.md": "---\ntitle: Archive\nlayout: archives\n---\n",
        "content/posts/_index.md": '+++\ntitle = "Posts"\n+++\n',
        "content/posts/first-light.md": (
            '+++\ntitle = "First Light on the Moor"\ndate = 2024-03-02T07:15:00Z\n'
            'description = "Up before the sun, and worth it."\ntags = ["walks"]\n'
            'images = ["/img/lamp.jpg"]\n+++\n\nThe moor is grey, then gold.\n\n'
            "![The lamp by the gate](/img/lamp.jpg)\n"),
        "content/posts/harbour-walk/index.md": (
            "---\ntitle: Harbour Walk\ndate: 2024-04-06\nslug: the-harbour-walk\n"
            "summary: Boats, ropes and a very patient heron.\ncover:\n  image: harbour.jpg\n"
            "  alt: Boats at low tide\n---\n\nWe walked the harbour wall at low tide, as on "
            '[the first morning]({{< ref "first-light.md" >}}).\n\n'
            '{{< figure src="heron.png" alt="A heron" caption="Patient." >}}\n\n'
            "{{< tide.inline >}}\n<p class=\"tide\">High water at 07:10.</p>\n"
            "{{</ tide.inline >}}\n"),
        "content/posts/winter-list.md": (
            '{\n  "title": "A Winter List",\n  "date": "2024-01-20T10:00:00Z",\n'
            '  "url": "/lists/winter/"\n}\n\nThings to read by the fire.\n\n'
            "![Logs](/img/logs.jpg)\n"),
        "content/posts/untitled.md": '+++\ntitle = "Untitled"\ndraft = true\n+++\n',
        "content/posts/search.md": "---\ntitle: Search\nlayout: search\n---\n",
        "content/posts/gallery/index.md": "---\nheadless: true\n---\n",
        "content/posts/gallery/caption.md": "---\ntitle: Caption\n---\n\nA caption.\n",
        "content/posts/hidden.md": ("---\ntitle: Hidden\ndate: 2024-02-02\nbuild:\n"
                                    "  render: never\n  list: never\n---\n\nNot published.\n"),
        "content/posts/old-news.md": ("---\ntitle: Old News\ndate: 2023-05-01\n"
                                      "expiryDate: 2023-06-01\n---\n\nNo longer true.\n"),
        "content/posts/next-year.md": ("---\ntitle: Next Year\ndate: 2024-01-01\n"
                                       "publishDate: 2999-01-01\n---\n\nNot yet.\n"),
        "static/img/lamp.jpg": picture((200, 160, 60)),
        "assets/img/logs.jpg": picture((120, 70, 30)),
        "content/posts/harbour-walk/harbour.jpg": picture((40, 90, 140)),
        "content/posts/harbour-walk/heron.png": picture((150, 150, 150), "PNG"),
    })
    site = "https://notes.example.org"
    return Expected("hugo", {
        "/posts/first-light": ("ready", f"{site}/2024/03/first-light-on-the-moor/"),
        "/posts/harbour-walk": ("ready", f"{site}/2024/04/the-harbour-walk/"),
        "/posts/winter-list": ("ready", f"{site}/lists/winter/"),
        "/posts/untitled": ("draft", None),
        "/posts/old-news": ("draft", None),  # expired
        "/posts/next-year": ("scheduled", None),
        "/posts": ("page", None),
        "/posts/search": ("page", None),
        "/posts/gallery": ("page", None),
        "/posts/gallery/caption": ("page", None),
        "/posts/hidden": ("page", None),
        "/": ("page", f"{site}/"),  # outside the post sections: read and listed as pages
        "/about": ("page", f"{site}/about/"),
        "/archives": ("page", f"{site}/archives/"),
    }, images={"/posts/first-light": 1, "/posts/harbour-walk": 2, "/posts/winter-list": 1})


JEKYLL_CONFIG = """\
title: Harbour Log
url: https://log.example.net
baseurl: /harbour
timezone: Europe/Lisbon
permalink: pretty
exclude: [README.md]
"""


def jekyll_site(root: Path) -> Expected:
    """Jekyll: dates and names in _posts file names, a post without a title, front matter date
    winning, per-post permalink with categories, published: false, _drafts, a file in _posts
    Jekyll skips, baseurl, root assets/ images named as {{ site.baseurl }}/... and
    relative_url."""
    write_files(root, {
        "_config.yml": JEKYLL_CONFIG,
        "index.md": "---\nlayout: home\n---\n",
        "about.md": "---\nlayout: page\ntitle: About\npermalink: /about/\n---\n\nThe log.\n",
        "_posts/2024-02-10-nets-and-knots.md": (
            "---\nlayout: post\nimage: /assets/img/nets.jpg\n"
            "excerpt: Every knot has a job.\n---\n\nA bowline, a clove hitch, a reef knot.\n\n"
            "![A net drying]({{ site.baseurl }}/assets/img/net-detail.jpg)\n"),
        "_posts/2024-03-01-mending-day.md": (
            "---\nlayout: post\ntitle: Mending Day\ncategories: [Work, boats]\n"
            "permalink: /:categories/:title/\nimage:\n  path: /assets/img/needle.jpg\n"
            "  alt: A netting needle\n---\n\nNeedles, twine and patience.\n"),
        "_posts/2024-03-15-the-tide.md": (
            "---\ntitle: The Tide\ndate: 2024-03-16 07:30:00 +0000\n---\n\nHigh water at "
            "seven, for {{ site.title }}. Knots first: [nets]({% post_url "
            "2024-02-10-nets-and-knots %}).\n\n"
            "![Tide chart]({{ '/assets/img/chart.png' | relative_url }})\n"),
        "_posts/2024-04-01-unpublished.md": ("---\ntitle: Not Yet\npublished: false\n---\n\n"
                                             "Later.\n"),
        "_posts/notes.md": "---\ntitle: Notes\n---\n\nJekyll skips this file.\n",
        "_posts/2024-01-25-tide-table.textile": ("---\ntitle: Tide Table\n---\n"
                                                 "|_. High|07:10|\n"),
        "_posts/2024-01-20-moved-house.md": ("---\ntitle: Moved House\nredirect_to: "
                                            "https://elsewhere.example.net/knots/\n---\n\n"
                                            "This log lives elsewhere now.\n"),
        "_drafts/a-quiet-idea.md": "---\nlayout: post\n---\n\nSomething to write up.\n",
        "assets/img/nets.jpg": picture((30, 60, 90)),
        "assets/img/net-detail.jpg": picture((60, 90, 30)),
        "assets/img/needle.jpg": picture((90, 30, 60)),
        "assets/img/chart.png": picture((220, 220, 240), "PNG"),
    })
    site = "https://log.example.net/harbour"
    return Expected("jekyll", {
        "/2024-02-10-nets-and-knots": ("ready", f"{site}/2024/02/10/nets-and-knots/"),
        "/2024-03-01-mending-day": ("ready", f"{site}/work/boats/mending-day/"),
        "/2024-03-15-the-tide": ("ready", f"{site}/2024/03/16/the-tide/"),
        "/2024-04-01-unpublished": ("draft", None),
        "/notes": ("page", None),
        "/2024-01-20-moved-house": ("page", None),
        "/a-quiet-idea": ("draft", None),
        "/about": ("page", f"{site}/about/"),
        "/index": ("page", f"{site}/"),
    }, images={"/2024-02-10-nets-and-knots": 2, "/2024-03-01-mending-day": 1,
               "/2024-03-15-the-tide": 1}, not_read=["_posts/2024-01-25-tide-table.textile"])


def eleventy_site(root: Path) -> Expected:
    """Eleventy, shaped like eleventy-base-blog: input folder content/, a directory data file
    putting blog/ in the posts collection, a post in its own folder with its image, JavaScript
    front matter for a draft and a page, a permalink with a template."""
    write_files(root, {
        "eleventy.config.js": (
            'export default async function(eleventyConfig) {\n'
            '  eleventyConfig.addPassthroughCopy({"./public/": "/"});\n}\n\n'
            'export const config = {\n  dir: {\n    input: "content",\n'
            '    includes: "../_includes",\n    data: "../_data",\n  },\n};\n'),
        "_data/metadata.js": ('export default {\n  title: "Garden Letters",\n'
                              '  url: "https://garden.example.com/",\n  language: "en",\n};\n'),
        "content/about.md": ("---js\nconst eleventyNavigation = {\n  key: \"About\",\n"
                             "  order: 3,\n};\n---\n# About\n\nA small garden.\n"),
        "content/blog/blog.11tydata.js": ('export default {\n  tags: ["posts"],\n'
                                          '  layout: "layouts/post.njk",\n};\n'),
        "content/blog/first-frost.md": ("---\ntitle: First Frost\ndescription: The dahlias "
                                        "come in.\ndate: 2024-10-20\n---\n\nCold this "
                                        "morning. Sow after [the swap](seed-swap/seed-swap.md), "
                                        'or <a href="/blog/letter-to-the-bees.md">ask the '
                                        "bees</a>.\n\n![Frost on the shed](/img/frost.jpg)\n"),
        "content/blog/seed-swap/seed-swap.md": (
            "---\ntitle: Seed Swap\ndate: 2024-11-02\n---\n\nBring a packet, take a packet.\n\n"
            '<img src="./packet.png" alt="A seed packet">\n'),
        "content/blog/seed-swap/packet.png": picture((90, 140, 60), "PNG"),
        "content/blog/not-yet.md": ('---js\nconst title = "Not Yet";\nconst date = '
                                    '"2024-12-01";\nconst draft = true;\n---\nA draft.\n'),
        "content/blog/letter-to-the-bees.md": (
            "---\ntitle: A Letter to the Bees\ndate: 2024-09-09\n"
            'permalink: "/letters/{{ title | slugify }}/"\n---\n\nDear bees.\n'),
        "public/img/frost.jpg": picture((200, 220, 240)),
    })
    site = "https://garden.example.com"
    return Expected("eleventy", {
        "/blog/first-frost": ("ready", f"{site}/blog/first-frost/"),
        "/blog/seed-swap": ("ready", f"{site}/blog/seed-swap/"),
        "/blog/not-yet": ("draft", None),
        "/blog/letter-to-the-bees": ("ready", f"{site}/letters/a-letter-to-the-bees/"),
        "/about": ("page", f"{site}/about/"),
    }, images={"/blog/first-frost": 1, "/blog/seed-swap": 1})


def astro_site(root: Path) -> Expected:
    """Astro, shaped like its blog template: a content collection loaded by glob() from
    src/content/blog, the [...slug] route, pubDate as JavaScript writes dates, heroImage beside
    in src/assets or in public/, an MDX post with an import, a draft."""
    write_files(root, {
        "astro.config.mjs": ("import { defineConfig } from 'astro/config';\n"
                             "import mdx from '@astrojs/mdx';\n\nexport default defineConfig({\n"
                             "  site: 'https://stars.example.dev',\n  integrations: [mdx()],\n"
                             "});\n"),
        "src/content.config.ts": (
            "import { defineCollection, z } from 'astro:content';\n"
            "import { glob } from 'astro/loaders';\n\nconst blog = defineCollection({\n"
            "  loader: glob({ base: './src/content/blog', pattern: '**/*.{md,mdx}' }),\n"
            "  schema: ({ image }) => z.object({ title: z.string(), pubDate: z.coerce.date(),"
            " heroImage: image().optional() }),\n});\n\nexport const collections = { blog };\n"),
        "src/consts.ts": "export const SITE_TITLE = 'Night Sky';\nexport const SITE_DESCRIPTION"
                         " = 'Stars, planets and the odd comet.';\n",
        "src/pages/blog/[...slug].astro": "---\n// renders one entry of the blog collection\n---\n",
        "src/content/blog/orion-in-winter.md": (
            "---\ntitle: 'Orion in Winter'\ndescription: 'Three stars in a row.'\n"
            "pubDate: 'Jan 12 2024'\nheroImage: '../../assets/orion.jpg'\n---\n\n"
            "Look south after dark.\n"),
        "src/content/blog/using-a-chart.mdx": (
            "---\ntitle: 'Using a Star Chart'\npubDate: 'Feb 03 2024'\n"
            "heroImage: '/chart.jpg'\n---\n\nimport Chart from '../../components/Chart.astro';"
            "\nexport const meta = {\n  tilt: 23,\n};\n\nTurn the chart until the date meets "
            "the hour.{/* the club's chart, not the shop's */}\n\n```python\nimport math\n"
            "print(math.tau)\n```\n"),
        "src/pages/about.md": "---\ntitle: 'About'\n---\n\nA site about the sky.\n",
        "src/content/blog/meteor-shower/index.md": (
            "---\ntitle: 'The Perseids'\npublishDate: '12 August 2024'\ncoverImage:\n"
            "  src: './streaks.jpg'\n  alt: 'Three streaks over the hill'\n---\n\n"
            "Lie down and look north-east.\n"),
        "src/content/blog/meteor-shower/streaks.jpg": picture((5, 5, 30)),
        "src/content/blog/star-party.md": (
            "---\ntitle: 'Star Party at the Club'\npubDate: 'Jan 20 2024'\n"
            "externalUrl: 'https://club.example.org/star-party'\n---\n\nOn the club's site.\n"),
        "src/content/blog/comet-notes.md": ("---\ntitle: 'Comet Notes'\npubDate: 'Mar 01 2024'"
                                            "\ndraft: true\n---\n\nNot yet.\n"),
        "src/assets/orion.jpg": picture((10, 10, 40)),
        "public/chart.jpg": picture((20, 20, 60)),
    })
    site = "https://stars.example.dev"
    return Expected("astro", {
        "/blog/orion-in-winter": ("ready", f"{site}/blog/orion-in-winter/"),
        "/blog/using-a-chart": ("ready", f"{site}/blog/using-a-chart/"),
        "/blog/comet-notes": ("draft", None),
        "/blog/meteor-shower": ("ready", f"{site}/blog/meteor-shower/"),
        "/blog/star-party": ("page", None),
        "/about": ("page", None),
    }, images={"/blog/orion-in-winter": 1, "/blog/using-a-chart": 1,
               "/blog/meteor-shower": 1})  # the Cactus theme's coverImage.src


def zola_site(root: Path) -> Expected:
    """Zola: TOML front matter, a blog section sorted by date, a date taken from the file name,
    a page with its assets in its own folder ([extra] image), a slug, a draft."""
    write_files(root, {
        "config.toml": ('base_url = "https://trail.example.org"\ntitle = "Trail Notes"\n'
                        'default_language = "en"\n\n[markdown]\nhighlight_code = true\n'),
        "content/_index.md": "+++\npaginate_by = 5\n+++\n",
        "content/about.md": '+++\ntitle = "About"\n+++\n\nWho walks here.\n',
        "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n',
        "content/blog/2024-01-05-snowline.md": ('+++\ntitle = "Above the Snowline"\n'
                                                'description = "Crampons on."\n+++\n\n'
                                                "Ice on the ridge.\n"),
        "content/blog/ridge-walk/index.md": (
            '+++\ntitle = "Ridge Walk"\ndate = 2024-02-11\n\n[extra]\nimage = "map.png"\n+++\n'
            "\nAlong the ridge and down by the lake.\n"),
        "content/blog/ridge-walk/map.png": picture((100, 120, 80), "PNG"),
        "content/blog/bothy.md": ('+++\ntitle = "A Night in the Bothy"\ndate = 2024-03-09\n'
                                  'slug = "bothy-night"\n+++\n\nCandles and a stove. The way '
                                  "up: [the ridge](@/blog/ridge-walk/index.md#descent), after "
                                  "[the snow][snow].\n\n[snow]: @/blog/2024-01-05-snowline.md\n\n"
                                  '{{ youtube(id="Kx2b5Vq0T1w", autoplay=true) }}\n'),
        "content/blog/gear-list.md": ('+++\ntitle = "Gear List"\ndate = 2024-03-20\n'
                                      "draft = true\n+++\n\nTo do.\n"),
    })
    site = "https://trail.example.org"
    return Expected("zola", {
        "/blog/2024-01-05-snowline": ("ready", f"{site}/blog/snowline/"),
        "/blog/ridge-walk": ("ready", f"{site}/blog/ridge-walk/"),
        "/blog/bothy": ("ready", f"{site}/blog/bothy-night/"),
        "/blog/gear-list": ("draft", None),
        "/blog": ("page", f"{site}/blog/"),
        "/": ("page", f"{site}/"),
        "/about": ("page", f"{site}/about/"),
    }, images={"/blog/ridge-walk": 1})


def pelican_site(root: Path) -> Expected:
    """Pelican: pelicanconf.py and publishconf.py, Key: value metadata, a date from the file
    name, PAGE_PATHS, a draft, a translation, ARTICLE_URL with the date, {static} images, and
    a reStructuredText article (its title, :date: and :summary: fields, a section, an image)."""
    write_files(root, {
        "pelicanconf.py": ('AUTHOR = "Ana"\nSITENAME = "River Diary"\nSITEURL = ""\n'
                           'PATH = "content"\nTIMEZONE = "Europe/Paris"\nDEFAULT_LANG = "en"\n'
                           'ARTICLE_URL = "posts/{date:%Y}/{slug}/"\n'
                           'ARTICLE_SAVE_AS = "posts/{date:%Y}/{slug}/index.html"\n'
                           'STATIC_PATHS = ["images"]\n'),
        "publishconf.py": ('import os\nimport sys\nsys.path.append(os.curdir)\n'
                           'from pelicanconf import *\n\nSITEURL = "https://river.example.com"\n'
                           'RELATIVE_URLS = False\n'),
        "content/first-crossing.md": ("Title: The First Crossing\nDate: 2024-05-04 09:30\n"
                                      "Tags: ferries, mornings\nSummary: Fog, then the far "
                                      "bank.\n\nThe ferry leaves at nine.\n\n"
                                      "![The ferry]({static}/images/ferry.jpg)\n"),
        "content/2024-06-01-low-water.md": ("Title: Low Water\n\nThe river is a stream again, "
                                            "unlike on [the first crossing]"
                                            "({filename}/first-crossing.md).\n"),
        "content/draft-bridges.md": "Title: Bridges\nDate: 2024-07-01\nStatus: draft\n\nLater.\n",
        "content/first-crossing-fr.md": ("Title: La première traversée\nDate: 2024-05-04\n"
                                         "Lang: fr\nSlug: the-first-crossing\n\nLe bac part à "
                                         "neuf heures.\n"),
        "content/pages/about.md": "Title: About\n\nWhy a river diary.\n",
        "content/weirs.rst": ("Weirs and Sluices\n#################\n\n:date: 2024-08-01 08:00\n"
                              ":slug: weirs\n:tags: water, stone\n:summary: Where the river is "
                              "held,\n    and let go.\n\nWater over *stone*, after "
                              "`the crossing <{filename}/first-crossing.md>`_.\n\n"
                              "The sluice\n----------\n\n.. image:: {static}/images/sluice.png\n"
                              "   :alt: The sluice gate\n\n.. code-block:: text\n\n"
                              "   gate: open\n"),
        "content/images/ferry.jpg": picture((70, 80, 90)),
        "content/images/sluice.png": picture((90, 100, 80), "PNG"),
    })
    site = "https://river.example.com"
    return Expected("pelican", {
        "/first-crossing": ("ready", f"{site}/posts/2024/the-first-crossing/"),
        "/2024-06-01-low-water": ("ready", f"{site}/posts/2024/low-water/"),
        "/draft-bridges": ("draft", None),
        "/first-crossing-fr": ("page", None),
        "/pages/about": ("page", None),
        "/weirs": ("ready", f"{site}/posts/2024/weirs/"),
    }, images={"/first-crossing": 1, "/weirs": 1})


def gatsby_site(root: Path) -> Expected:
    """Gatsby, shaped like gatsby-starter-blog: gatsby-config.js with siteMetadata and a
    gatsby-source-filesystem folder content/blog, one folder per post with its image."""
    write_files(root, {
        "gatsby-config.js": (
            "module.exports = {\n  siteMetadata: {\n    title: `Kitchen Table`,\n"
            "    siteUrl: `https://kitchen.example.com/`,\n  },\n  plugins: [\n    {\n"
            "      resolve: `gatsby-source-filesystem`,\n      options: {\n"
            "        path: `${__dirname}/content/blog`,\n        name: `blog`,\n      },\n"
            "    },\n  ],\n}\n"),
        "content/blog/sourdough/index.md": (
            "---\ntitle: Sourdough, Slowly\ndate: \"2024-02-14T08:00:00.000Z\"\n"
            "description: \"A starter, a week, a loaf.\"\n---\n\nFeed it every morning.\n\n"
            "![The loaf](./loaf.jpg)\n"),
        "content/blog/sourdough/loaf.jpg": picture((190, 150, 100)),
        "content/blog/soup-season/index.md": ("---\ntitle: Soup Season\ndate: "
                                              "\"2024-10-01T08:00:00.000Z\"\n---\n\nLeeks.\n"),
    })
    site = "https://kitchen.example.com"
    return Expected("gatsby", {
        "/sourdough": ("ready", f"{site}/sourdough/"),
        "/soup-season": ("ready", f"{site}/soup-season/"),
    }, images={"/sourdough": 1})


HEXO_CONFIG = """\
title: Loom and Shuttle
language: en
timezone: Europe/Lisbon
url: https://loom.example.pt
permalink: :year/:month/:title/
new_post_name: :year-:month-:day-:title.md
source_dir: source
default_layout: post
post_asset_folder: true
"""


def hexo_site(root: Path) -> Expected:
    """Hexo, shaped like hexo-starter: _config.yml with new_post_name naming posts by date, a
    post asset folder (and asset_img, post_link tags), a post in a folder (not named as
    new_post_name says: its slug is its path slugged) whose front matter is closed by ---
    only, a post with its own permalink, a draft in _drafts, published: false, a page."""
    write_files(root, {
        "_config.yml": HEXO_CONFIG,
        "package.json": '{"name": "hexo-site", "dependencies": {"hexo": "^7.3.0"}}\n',
        "scaffolds/post.md": "---\ntitle: {{ title }}\ndate: {{ date }}\ntags:\n---\n",
        "source/_posts/2024-03-09-warp-and-weft.md": (
            "---\ntitle: Warp and Weft\ntags: [basics]\n---\n\nThe warp waits, the weft "
            "travels.\n\n![The loom](heddles.jpg)\n\n{% asset_img shuttle.jpg 320 200 "
            '"The shuttle" "A boat shuttle" %}\n'),
        "source/_posts/2024-03-09-warp-and-weft/heddles.jpg": picture((150, 110, 70)),
        "source/_posts/2024-03-09-warp-and-weft/shuttle.jpg": picture((120, 90, 40)),
        "source/_posts/dyes/madder-root.md": (
            "title: Madder Root\ndate: 2024-05-21 18:30:00\ncategories: [Dyes]\n---\n\n"
            "Red from a root.\n\n![Skeins](/images/skeins.png)\n"),
        "source/_posts/2024-06-02-a-shawl.md": (
            "---\ntitle: A Shawl\npermalink: shawls/first/\n---\n\nSix weeks, after "
            "{% post_link 2024-03-09-warp-and-weft 'the basics' %}.\n"),
        "source/_posts/2024-07-01-not-yet.md": (
            "---\ntitle: Not Yet\npublished: false\n---\n\nHalf woven.\n"),
        "source/_drafts/indigo-vat.md": "---\ntitle: The Indigo Vat\n---\n\nBlue.\n",
        "source/about/index.md": "---\ntitle: About\ndate: 2023-01-01\n---\n\nWho weaves.\n",
        "source/images/skeins.png": picture((160, 40, 40), "PNG"),
    })
    site = "https://loom.example.pt"
    return Expected("hexo", {
        "/2024-03-09-warp-and-weft": ("ready", f"{site}/2024/03/warp-and-weft/"),
        "/dyes/madder-root": ("ready", f"{site}/2024/05/dyes-madder-root/"),
        "/2024-06-02-a-shawl": ("ready", f"{site}/shawls/first/"),
        "/2024-07-01-not-yet": ("draft", None),
        "/indigo-vat": ("draft", None),
        "/about": ("page", f"{site}/about/"),
    }, images={"/2024-03-09-warp-and-weft": 2, "/dyes/madder-root": 1})


DOCUSAURUS_CONFIG = """\
import type {Config} from '@docusaurus/types';

const config: Config = {
  title: 'Bench Notes',
  url: 'https://bench.example.dev',
  baseUrl: '/',
  presets: [
    [
      'classic',
      {
        docs: {sidebarPath: './sidebars.ts'},
        blog: {
          path: 'journal',
          routeBasePath: 'notes',
          showReadingTime: true,
          feedOptions: {copyright: `Copyright ${new Date().getFullYear()} Bench Notes`},
          editUrl: ({locale}) => `https://example.dev/edit/${locale}`,
        },
      },
    ],
  ],
};

export default config;
"""


def docusaurus_site(root: Path) -> Expected:
    """Docusaurus, shaped like its classic template: docusaurus.config.ts with the blog in
    journal/ under /notes, a dated file, a dated folder with its image, a slug, a title taken
    from the heading of an .mdx post, a draft, an unlisted post, a partial, a page."""
    write_files(root, {
        "docusaurus.config.ts": DOCUSAURUS_CONFIG,
        "package.json": '{"dependencies": {"@docusaurus/core": "3.6.0"}}\n',
        "journal/authors.yml": "ana:\n  name: Ana Bench\n  title: Woodworker\n",
        "journal/2024-02-03-dovetails.md": (
            "---\ntitle: Cutting Dovetails\nauthors: [ana]\ntags: [joinery]\n---\n\n"
            "Tails first.\n\n<!-- truncate -->\n\nThen the pins.\n"),
        "journal/2024-04-12-sharpening/index.md": (
            "---\ntitle: Sharpening\nslug: keen-edges\n---\n\nStones and strops.\n\n"
            "![The stones](./stones.jpg)\n"),
        "journal/2024-04-12-sharpening/stones.jpg": picture((90, 90, 100)),
        "journal/2024-05-30-glue-ups.mdx": (
            "---\nauthors: ana\n---\n\nimport Clamp from '@site/src/components/Clamp';\n\n"
            "# Glue-Ups Without Tears\n\nDry fit first.\n"),
        "journal/2024-06-01-finishes.md": ("---\ntitle: Finishes\ndraft: true\n---\n\nOil.\n"),
        "journal/2024-06-02-offcuts.md": ("---\ntitle: Offcuts\nunlisted: true\n---\n\nBits.\n"),
        "journal/_shared-footer.mdx": "Thanks for reading.\n",
        "src/pages/about.md": "---\ntitle: About\n---\n\n# About the bench\n",
    })
    site = "https://bench.example.dev/notes"
    return Expected("docusaurus", {
        "/2024-02-03-dovetails": ("ready", f"{site}/2024/02/03/dovetails"),
        "/2024-04-12-sharpening": ("ready", f"{site}/keen-edges"),
        "/2024-05-30-glue-ups": ("ready", f"{site}/2024/05/30/glue-ups"),
        "/2024-06-01-finishes": ("draft", None),
        "/2024-06-02-offcuts": ("page", None),
        "/_shared-footer": ("page", None),
        "/about": ("page", "https://bench.example.dev/about"),
    }, images={"/2024-04-12-sharpening": 1})


MKDOCS_CONFIG = """\
site_name: Field Handbook
site_url: https://docs.example.io/handbook/
theme:
  name: material
  language: en
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
extra:
  analytics:
    property: !ENV [ANALYTICS_KEY, ""]
plugins:
  - search
  - blog:
      blog_dir: news
      post_url_date_format: yyyy/MM
"""


def mkdocs_site(root: Path) -> Expected:
    """MkDocs with Material's blog plugin: mkdocs.yml with Python tags, the blog in docs/news,
    a post dated by a created/updated map and titled by its heading, one with a slug, a draft,
    pages around them."""
    write_files(root, {
        "mkdocs.yml": MKDOCS_CONFIG,
        "docs/index.md": "# Field Handbook\n\nStart here.\n",
        "docs/setup.md": "# Setting Up\n\nInstall it.\n",
        "docs/news/index.md": "# News\n",
        "docs/news/.authors.yml": "authors:\n  ana:\n    name: Ana\n",
        "docs/news/posts/new-maps.md": (
            "---\ndate:\n  created: 2024-03-04\n  updated: 2024-03-08\nauthors: [ana]\n"
            "categories:\n  - Releases\n---\n\n# New Maps, Finally!\n\nThe trail maps are "
            "redrawn.\n\n<!-- more -->\n\n![A map](new-maps/legend.png)\n"),
        "docs/news/posts/new-maps/legend.png": picture((30, 120, 60), "PNG"),
        "docs/news/posts/winter.md": (
            "---\ntitle: Winter Routes\nslug: winter\ndate: 2024-11-20\n---\n\nShorter "
            "days.\n"),
        "docs/news/posts/spring.md": (
            "---\ntitle: Spring Routes\ndate: 2025-03-01\ndraft: true\n---\n\nSoon.\n"),
    })
    site = "https://docs.example.io/handbook"
    return Expected("mkdocs", {
        "/news/posts/new-maps": ("ready", f"{site}/news/2024/03/new-maps-finally/"),
        "/news/posts/winter": ("ready", f"{site}/news/2024/11/winter/"),
        "/news/posts/spring": ("draft", None),
        "/": ("page", f"{site}/"),
        "/setup": ("page", f"{site}/setup/"),
        "/news": ("page", f"{site}/news/"),
    }, images={"/news/posts/new-maps": 1})


def contentlayer_site(root: Path) -> Expected:
    """Next.js with Contentlayer, shaped like tailwind-nextjs-starter-blog: posts in
    data/blog/**/*.mdx (one in a folder), siteMetadata.js, an image in public/, a draft."""
    write_files(root, {
        "contentlayer.config.ts": (
            "export const Blog = defineDocumentType(() => ({\n  name: 'Blog',\n"
            "  filePathPattern: 'blog/**/*.mdx',\n  contentType: 'mdx',\n}))\n\n"
            "export default makeSource({\n  contentDirPath: 'data',\n"
            "  documentTypes: [Blog, Authors],\n})\n"),
        "data/siteMetadata.js": (
            "const siteMetadata = {\n  title: 'Night Sky Log',\n  language: 'en-us',\n"
            "  siteUrl: 'https://sky.example.net',\n"
            "  siteLogo: `${process.env.BASE_PATH || ''}/static/images/logo.png`,\n}\n\n"
            "module.exports = siteMetadata\n"),
        "data/authors/default.mdx": "---\nname: Ana Sky\n---\n\nStargazer.\n",
        "data/blog/orion.mdx": (
            "---\ntitle: 'Finding Orion'\ndate: '2024-01-14'\ntags: ['winter']\n"
            "draft: false\nsummary: Three stars in a row.\n---\n\nLook south.\n\n"
            "![Orion](/static/images/orion.png)\n"),
        "data/blog/meteors/perseids.mdx": (
            "---\ntitle: The Perseids\ndate: 2024-08-12\n---\n\nLie on the grass.\n"),
        "data/blog/comets.mdx": "---\ntitle: Comets\ndate: 2024-09-01\ndraft: true\n---\n\nSoon.\n",
        "public/static/images/orion.png": picture((10, 10, 60), "PNG"),
    })
    site = "https://sky.example.net"
    return Expected("contentlayer", {
        "/blog/orion": ("ready", f"{site}/blog/orion"),
        "/blog/meteors/perseids": ("ready", f"{site}/blog/meteors/perseids"),
        "/blog/comets": ("draft", None),
    }, images={"/blog/orion": 1})


def bridgetown_site(root: Path) -> Expected:
    """Bridgetown, shaped like its starter: bridgetown.config.yml, src/_data/site_metadata.yml,
    posts in src/_posts (one dated by its front matter only, one in a category), the default
    pretty permalinks, an image in src/images, pages in src/ and src/_pages."""
    write_files(root, {
        "bridgetown.config.yml": "url: https://tram.example.com\ntimezone: Europe/Lisbon\n",
        "src/_data/site_metadata.yml": "title: Tram Lines\nemail: ana@example.com\n",
        "src/_posts/2024-04-02-line-28.md": (
            "---\ntitle: Line 28\ncategories: routes\n---\n\nUp the hill.\n\n"
            "![The tram](/images/tram.jpg)\n"),
        "src/_posts/depot-visit.md": (
            "---\ntitle: A Visit to the Depot\ndate: 2024-05-10\n---\n\nSheds.\n"),
        "src/_posts/2024-06-01-hidden.md": (
            "---\ntitle: Hidden\npublished: false\n---\n\nNot yet.\n"),
        "src/about.md": "---\ntitle: About\n---\n\nRiding trams.\n",
        "src/_pages/contact.md": "---\ntitle: Contact\n---\n\nWrite.\n",
        "src/images/tram.jpg": picture((220, 180, 20)),
        "README.md": "# Tram Lines\n\nThe site's source.\n",
    })
    site = "https://tram.example.com"
    return Expected("bridgetown", {
        "/2024-04-02-line-28": ("ready", f"{site}/routes/2024/04/02/line-28/"),
        "/depot-visit": ("ready", f"{site}/2024/05/10/depot-visit/"),
        "/2024-06-01-hidden": ("draft", None),
        "/about": ("page", f"{site}/about/"),
        "/_pages/contact": ("page", f"{site}/contact/"),
    }, images={"/2024-04-02-line-28": 1})


NIKOLA_CONF = """\
# -*- coding: utf-8 -*-
import time

# Configuration of this Nikola site.
BLOG_TITLE = "Letterpress Notes"
SITE_URL = "https://press.example.org/"
DEFAULT_LANG = "en"
TIMEZONE = "Europe/Dublin"
POSTS = (
    ("posts/*.rst", "blog", "post.tmpl"),
    ("posts/*.md", "blog", "post.tmpl"),
)
PAGES = (
    ("pages/*.md", "", "page.tmpl"),
)
PRETTY_URLS = True
COPYRIGHT = f"{time.gmtime().tm_year} Ana"
"""


def nikola_site(root: Path) -> Expected:
    """Nikola, shaped like its new site: conf.py with POSTS and PAGES, Markdown posts whose
    metadata is in a comment (or bare .. lines), a draft, a private post, a page, an .rst post
    (reStructuredText, its metadata in bare .. lines), an .html post (not read) and an image
    in images/."""
    write_files(root, {
        "conf.py": NIKOLA_CONF,
        "posts/ink-and-rollers.md": (
            "<!--\n.. title: Ink and Rollers\n.. slug: ink-rollers\n"
            ".. date: 2024-03-05 09:30:00 UTC+01:00\n.. tags: ink, presses\n.. category: \n"
            ".. link: \n.. description: Tack, and how much.\n.. type: text\n-->\n\n"
            "Less ink than you think.\n\n![A roller](/images/roller.png)\n"),
        "posts/type-cases.md": (
            ".. title: Type Cases\n.. slug: type-cases\n.. date: 2024-04-01 10:00:00 UTC\n\n"
            "Upper and lower.\n"),
        "posts/chases.md": ("<!--\n.. title: Chases\n.. slug: chases\n"
                            ".. date: 2024-05-01 10:00:00 UTC\n.. status: draft\n-->\n\nSoon.\n"),
        "posts/quoins.md": ("<!--\n.. title: Quoins\n.. slug: quoins\n"
                            ".. date: 2024-05-02 10:00:00 UTC\n.. status: private\n-->\n\nKeys.\n"),
        "posts/old-press.rst": (".. title: The Old Press\n.. slug: old-press\n"
                                ".. date: 2024-04-20 09:00:00 UTC\n\nCast *iron*.\n\n"
                                "Platen\n======\n\n- a bed\n- a platen\n"),
        "posts/press-notes.html": "<p>Notes kept as a page of HTML.</p>\n",
        "pages/about.md": "<!--\n.. title: About\n.. slug: about\n-->\n\nA small press.\n",
        "images/roller.png": picture((20, 20, 20), "PNG"),
    })
    site = "https://press.example.org"
    return Expected("nikola", {
        "/posts/ink-and-rollers": ("ready", f"{site}/blog/ink-rollers/"),
        "/posts/type-cases": ("ready", f"{site}/blog/type-cases/"),
        "/posts/chases": ("draft", None),
        "/posts/quoins": ("page", None),
        "/pages/about": ("page", f"{site}/about/"),
        "/posts/old-press": ("ready", f"{site}/blog/old-press/"),
    }, images={"/posts/ink-and-rollers": 1}, not_read=["posts/press-notes.html"])


def vitepress_site(root: Path) -> Expected:
    """VitePress run as `vitepress dev docs`: docs/.vitepress/config.mts (base, sitemap
    hostname, srcExclude), posts in docs/posts with the list page posts/index.md, a post
    titled by its heading, a post in a folder, a draft, an unbuilt post, a page, an image in
    docs/public."""
    write_files(root, {
        "package.json": '{"devDependencies": {"vitepress": "^1.5.0"}}\n',
        "docs/.vitepress/config.mts": (
            "import { defineConfig } from 'vitepress'\n\nexport default defineConfig({\n"
            "  title: 'Tide Tables',\n  lang: 'en-GB',\n  base: '/tides/',\n"
            "  sitemap: { hostname: 'https://sea.example.org' },\n"
            "  srcExclude: process.env.NODE_ENV === 'production' ? ['**/unfinished/**'] : [],\n"
            "  themeConfig: { nav: [{ text: 'Posts', link: '/posts/' }] },\n})\n"),
        "docs/index.md": "---\nlayout: home\n---\n",
        "docs/about.md": "# About\n\nWho measures.\n",
        "docs/posts/index.md": "---\ntitle: All posts\n---\n\n<PostList />\n",
        "docs/posts/spring-tides.md": (
            "---\ndate: 2024-03-20\n---\n\n# Spring Tides\n\nHigher highs.\n\n"
            "![Chart](/charts/spring.png)\n"),
        "docs/posts/neap/index.md": "---\ntitle: Neap Tides\ndate: 2024-03-27\n---\n\nLow.\n",
        "docs/posts/storm-surge.md": ("---\ntitle: Storm Surge\ndate: 2024-04-02\ndraft: true\n"
                                      "---\n\nLater.\n"),
        "docs/public/charts/spring.png": picture((0, 60, 120), "PNG"),
        "docs/posts/unfinished/rip-currents.md": ("---\ntitle: Rip Currents\ndate: 2024-04-09\n"
                                                  "---\n\nNot built.\n"),
    })
    site = "https://sea.example.org/tides"
    return Expected("vitepress", {
        "/posts/spring-tides": ("ready", f"{site}/posts/spring-tides.html"),
        "/posts/neap": ("ready", f"{site}/posts/neap/"),
        "/posts/storm-surge": ("draft", None),
        "/posts/unfinished/rip-currents": ("draft", None),
        "/posts": ("page", f"{site}/posts/"),
        "/about": ("page", f"{site}/about.html"),
        "/": ("page", f"{site}/"),
    }, images={"/posts/spring-tides": 1})


def nextjs_site(root: Path) -> Expected:
    """Next.js's blog-starter: _posts/*.md without dates in their names, a cover image in
    public/, next in package.json (and no _config.yml: not Jekyll)."""
    write_files(root, {
        "package.json": '{"dependencies": {"next": "15.0.0", "gray-matter": "4.0.3"}}\n',
        "_posts/first-climb.md": (
            '---\ntitle: "The First Climb"\nexcerpt: "Up the slab."\n'
            'coverImage: "/assets/blog/first-climb/cover.jpg"\n'
            'date: "2024-05-04T08:00:00.000Z"\nauthor:\n  name: Ana\n---\n\nChalk, then up.\n'),
        "_posts/ropes.md": ('---\ntitle: "Ropes"\ndate: "2024-06-01T08:00:00.000Z"\n---\n\n'
                            "Dynamic, not static.\n"),
        "public/assets/blog/first-climb/cover.jpg": picture((140, 140, 160)),
    })
    return Expected("nextjs", {
        "/first-climb": ("ready", f"{WRITERS_URL}/posts/first-climb"),
        "/ropes": ("ready", f"{WRITERS_URL}/posts/ropes"),
    }, images={"/first-climb": 1})


SITES = {"hugo": hugo_site, "jekyll": jekyll_site, "eleventy": eleventy_site,
         "astro": astro_site, "zola": zola_site, "pelican": pelican_site, "gatsby": gatsby_site,
         "hexo": hexo_site, "docusaurus": docusaurus_site, "mkdocs": mkdocs_site,
         "contentlayer": contentlayer_site, "bridgetown": bridgetown_site,
         "nikola": nikola_site, "vitepress": vitepress_site, "nextjs": nextjs_site}
