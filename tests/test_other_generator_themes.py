"""Blogs made from the other generators' popular themes (Astro Cactus and Micro, Zola's and
Hexo's themes, MkDocs Material, Docusaurus, Nikola), shaped as each theme lays its files out,
in this project's own words: init finds what the theme says, and each email shows what the
blog's page shows."""

from __future__ import annotations

import json

from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


def posts_json(root) -> dict[str, dict]:
    result = invoke(root, "posts", "--json")
    return {post["file"]: post for post in json.loads(result.output)}


CACTUS_COLLECTIONS = """\
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";

const post = defineCollection({
\tloader: glob({ base: "./content/posts", pattern: "**/*.{md,mdx}" }),
});
const note = defineCollection({
\tloader: glob({ base: "./content/notes", pattern: "**/*.{md,mdx}" }),
});
export const collections = { post, note };
"""
ROUTE = '---\nexport const getStaticPaths = async () => [];\n---\n'


def test_astro_cactus_names_its_site_in_site_config(tmp_path):
    """Astro Cactus keeps the blog's address, name and language in src/site.config.ts, which
    astro.config.ts names (site: siteConfig.url): init wrote placeholders, so every link of
    every email led to the placeholder address until the writer found the setting."""
    root = write_files(tmp_path / "shore", {
        "astro.config.ts": ('import { siteConfig } from "./src/site.config";\n'
                            "export default defineConfig({\n\tsite: siteConfig.url,\n});\n"),
        "src/site.config.ts": ('export const siteConfig: SiteConfig = {\n'
                               '\t// your domain, used in astro.config.ts\n'
                               '\turl: "https://shore.example.org/",\n'
                               '\ttitle: "Shoreline Log",\n\tlang: "en-GB",\n};\n'),
        "src/content.config.ts": CACTUS_COLLECTIONS,
        "src/pages/posts/[...slug].astro": ROUTE,
        "src/pages/notes/[...slug].astro": ROUTE,
        "content/posts/razor-clams.md": ('---\ntitle: "Razor clams"\ndescription: "Washed up."\n'
                                         'publishDate: "12 Jan 2026"\n---\n\nHundreds.\n'),
        "content/notes/short.md": ('---\ntitle: "A note"\n'
                                   'publishDate: "2026-01-20T10:00:00Z"\n---\n\nShort.\n'),
    })
    result = invoke(root, "init")
    assert "Read the blog's title and address from src/site.config.ts." in result.output
    settings = (root / "newsletter.toml").read_text()
    assert 'title = "Shoreline Log"' in settings
    assert 'url = "https://shore.example.org"' in settings
    assert 'language = "en-GB"' in settings
    post = posts_json(root)["content/posts/razor-clams.md"]
    assert post["url"] == "https://shore.example.org/posts/razor-clams/"


def test_astro_themes_demo_addresses_are_not_the_blogs(tmp_path):
    """A blog made from Astro Micro keeps the theme's demo address in astro.config.mjs until
    its writer changes it, and its name as SITE.TITLE in src/consts.ts."""
    root = write_files(tmp_path / "tides", {
        "astro.config.mjs": ('export default defineConfig({\n'
                             '  site: "https://astro-micro.vercel.app",\n});\n'),
        "src/consts.ts": ('export const SITE: Site = {\n  TITLE: "Tide Tables",\n'
                          '  NUM_POSTS_ON_HOMEPAGE: 5,\n};\n'
                          'export const HOME: Metadata = {\n  TITLE: "Home",\n};\n'),
        "src/pages/blog/[...id].astro": ROUTE,
        "src/content/blog/01-first-tide/index.md": ('---\ntitle: "First tide"\n'
                                                    'date: "2026-01-05"\n---\n\nOut.\n'),
    })
    assert invoke(root, "init").exit_code == 0
    settings = (root / "newsletter.toml").read_text()
    assert 'title = "Tide Tables"' in settings
    assert "astro-micro.vercel.app" in settings  # named in init's comment, not the address
    assert 'url = "https://astro-micro.vercel.app' not in settings


def email_of(root, name: str) -> tuple[str, str]:
    """The preview of post ``name``: its HTML and its text."""
    result = invoke(root, "preview", name)
    assert result.exit_code == 0, result.output
    folder = next((root / "preview").glob(f"*{name}"))
    return (folder / "email.html").read_text(), (folder / "email.txt").read_text()


BOG = """\
+++
title = "Sphagnum"
date = 2026-01-10
description = "It holds water."
+++

{{ admonition(type="tip", text="Squeeze it *gently*.") }}

{% admonition(type="warning", icon="warning", title="Mind the pools") %}
Bogs are **deep**.
{% end %}

{% alert(caution=true) %}
Wet boots.
{% end %}

{% tip() %}
Go at dawn.
{% end %}

{% detail(title="Why it floats") %}
Air in its cells.
{% end %}

{% quote(cite="An old cutter") %}
Never stand still on a quaking bog.
{% end %}
"""


def test_zola_themes_note_boxes_sections_and_quotes_show_as_their_pages(tmp_path):
    """tabi's admonition, Duckquill's alert, serene's tip, detail and quote are boxes headed
    by their title or kind, a summary over a section, a quote with its source, as the themes
    draw them; the email dropped the titles and kinds (a warning each), and tabi's admonition
    of text= alone lost its kind."""
    root = write_files(tmp_path / "bog", {
        "config.toml": 'base_url = "https://moss.example.org"\ntitle = "Moss"\n',
        "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n',
        "content/blog/sphagnum.md": BOG,
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "sphagnum")
    assert result.exit_code == 0, result.output
    assert "template-degraded" not in result.output
    html, text = email_of(root, "sphagnum")
    for label, body in (("Tip", "Squeeze it <em>gently</em>."),
                        ("Mind the pools", "Bogs are <strong>deep</strong>."),
                        ("Caution", "Wet boots."), ("Tip", "Go at dawn.")):
        assert f"<strong>{label}</strong>" in html
        assert body in html
    assert "> Mind the pools\n>\n> Bogs are deep." in text
    assert "Why it floats\n\nAir in its cells." in text
    assert "> Never stand still on a quaking bog.\n>\n> \u2015 An old cutter" in text
    assert "{%" not in text and "{{" not in text


NIKOLA_CONF = """\
BLOG_TITLE = "Larch Notes"
SITE_URL = "https://larch.example.org/"
POSTS = (
    ("posts/*.md", "posts", "post.tmpl"),
)
ONE_FILE_POSTS = False
"""


def test_a_nikola_posts_meta_file_is_its_metadata(tmp_path):
    """With ONE_FILE_POSTS = False, nikola new_post writes the metadata into a .meta file
    beside the post (older Nikola one value a line, without the dots): every such post was
    broken ("no title"), and told to add a front matter Nikola does not use."""
    root = write_files(tmp_path / "larch", {
        "conf.py": NIKOLA_CONF,
        "posts/golden.md": "Larches turn gold in October.\n",
        "posts/golden.meta": (".. title: Golden larch\n.. slug: gold\n"
                              ".. date: 2026-01-14 09:30:00 UTC+01:00\n"
                              ".. description: Gold needles.\n"),
        "posts/later.md": "Not yet.\n",
        "posts/later.meta": (".. title: Later\n.. date: 2026-01-15 09:30:00 UTC\n"
                             ".. status: draft\n"),
        "posts/old.md": "Older.\n",
        "posts/old.meta": "Old larch\nold-larch\n2026-01-05 08:00:00 UTC\ntrees\n\nAn old one.\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    posts = posts_json(root)
    assert [(posts[name]["status"], posts[name]["title"], posts[name]["url"])
            for name in ("posts/golden.md", "posts/later.md", "posts/old.md")] == [
        ("ready", "Golden larch", "https://larch.example.org/posts/gold/"),
        ("draft", "Later", "https://larch.example.org/posts/later/"),
        ("ready", "Old larch", "https://larch.example.org/posts/old-larch/")]
    assert posts["posts/golden.md"]["date"] == "2026-01-14T09:30:00+01:00"
    html, text = email_of(root, "golden")
    assert "Gold needles." in html  # the preheader
    assert text.startswith("Golden larch\n")
    assert "Larches turn gold in October." in text


KITE_LINES = """\
---
title: Choosing kite lines
date: 2026-01-22 10:15:00
index_img: /img/kite.jpg
excerpt: Dyneema or polyester?
---

Use {% label primary @dyneema %} for stunt kites, {% label polyester green %} for the rest,
a {% label info@braided %} line, and {% hideInline never nylon,Which not? %}.

{% fold info @Why dyneema? %}
It hardly **stretches**.
{% endfold %}

{% hideToggle Knots to know,#eee,#333 %}
The bowline.
{% endhideToggle %}
"""


def test_hexo_themes_labels_folds_and_card_pictures_show_as_their_pages(tmp_path):
    """Fluid's, NexT's and Butterfly's labels are words in a sentence: the email left them
    out ("Use for stunt kites"), with a warning each; their folds lost their titles; Fluid's
    index_img, the post's picture on the blog's cards, was not the email's picture."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": ("title: Kite Lines\nurl: https://kites.example.org\n"
                        "permalink: :year/:month/:title/\ntheme: fluid\n"),
        "package.json": '{"hexo": {"version": "7.3.0"}, "dependencies": {"hexo": "^7.3.0"}}',
        "source/_posts/kite-lines.md": KITE_LINES,
        "source/img/kite.jpg": picture((200, 80, 50)),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "kite-lines")
    assert result.exit_code == 0, result.output
    assert "template-degraded" not in result.output
    html, text = email_of(root, "kite-lines")
    assert ("Use dyneema for stunt kites, polyester for the rest, a braided line, and "
            "never nylon.") in " ".join(text.split())
    assert "<strong>Why dyneema?</strong></p>" in html
    assert "It hardly <strong>stretches</strong>." in html
    assert "Knots to know\n\nThe bowline." in text
    assert 'class="feature"' in html


MKDOCS_SETTINGS = """\
site_name: Fern Journal
site_url: https://ferns.example.org/
theme:
  name: material
plugins:
  - blog
markdown_extensions:
  - admonition
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - attr_list
  - md_in_html
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
"""
HARTS_TONGUE = """\
---
date:
  created: 2026-01-12
  updated: 2026-01-20
description: Strap-shaped fronds.
---

# Hart's-tongue in the ravine

=== "Wet rocks"

    They grow by the *falls*.

=== "Dry walls"
    Rarely in mortar.

<div class="grid cards" markdown>

- :material-leaf: __Fronds__ up to 60 cm
- :fontawesome-solid-droplet: __Damp__ shade

</div>

Found them :smile: and `:smile:` in code.
"""


def test_mkdocs_material_tabs_cards_and_emoji_show_as_the_blogs_page(tmp_path):
    """Material blogs write tabs (pymdownx.tabbed), Markdown in <div markdown> (md_in_html) and
    emoji and icon codes (pymdownx.emoji): the email showed '=== "Wet rocks"' over an indented
    code block, the cards' Markdown as text with its underscores, and ':smile:'."""
    root = write_files(tmp_path / "ferns", {
        "mkdocs.yml": MKDOCS_SETTINGS,
        "docs/index.md": "# Home\n",
        "docs/blog/index.md": "# Blog\n",
        "docs/blog/posts/hart.md": HARTS_TONGUE,
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    html, text = email_of(root, "hart")
    assert "Wet rocks\n\nThey grow by the falls.\n\nDry walls\n\nRarely in mortar." in text
    assert "<strong>Wet rocks</strong>" in html and "<em>falls</em>" in html
    assert '=== "' not in text
    assert "<strong>Fronds</strong> up to 60 cm" in html and "__" not in text
    assert "material-leaf" not in text and "fontawesome" not in text
    assert "Found them \N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES} and" in text
    assert ":smile:</code>" in html


OTTERS = """\
---
title: "Otters at dusk"
date: "2026-01-20"
description: "By the river."
---

::: {.callout-note}
## Where to look
Under the *alders*.
:::

::: {.callout-tip title="Stay still"}
They see movement.
:::

:::{.callout-warning collapse="true"}
Do not feed them.
:::

::: {.column-margin}
A margin note.
:::

::: {.callout-important}
Never closed: shown as written.
"""


def test_quarto_callouts_show_as_note_boxes_under_their_titles(tmp_path):
    """Quarto blogs' .md posts write Pandoc's fenced divs: the email showed '::: {.callout-note}'
    and '## Where to look' as a heading, and ran the closing ':::' into the text, without a
    word from check."""
    root = write_files(tmp_path / "otters", {
        "_quarto.yml": ('project:\n  type: website\nwebsite:\n  title: "Otter Notes"\n'
                        "  site-url: https://otters.example.org\n"),
        "posts/dusk/index.md": OTTERS,
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    html, text = email_of(root, "dusk")
    assert "Where to look: Under the alders." in text
    assert "Where to look:</strong> Under the <em" in " ".join(html.split())
    assert "<h2" not in html
    assert "Stay still: They see movement." in text
    assert "Warning: Do not feed them." in text
    assert "A margin note." in text and "column-margin" not in text
    assert "::: {.callout-important}" in text  # never closed: as written
    assert text.count(":::") == 1


def test_eleventy_permalinks_computed_or_written_as_code(tmp_path):
    """A post's eleventyComputed permalink is its address, as Eleventy builds it (it was read
    as none, and the post mailed with the path's address); a data file whose permalink is a
    function made every post of it link to an address the blog does not have, without a word:
    now such a post is refused, naming the data file and what to write (one returning a template
    literal of the data's values alone is read: tests/test_writers_blog_folders.py)."""
    root = write_files(tmp_path / "terns", {
        "eleventy.config.js": 'export const config = { dir: { input: "content" } };\n',
        "_data/metadata.js": ('export default { title: "Terns", '
                              'url: "https://terns.example.org/" };\n'),
        "content/blog/blog.11tydata.js": 'export default { tags: ["posts"] };\n',
        "content/blog/dive.md": ('---\ntitle: Diving\ndate: 2026-02-20\neleventyComputed:\n'
                                 '  permalink: "/notes/{{ page.fileSlug }}/"\n---\n\nSplash.\n'),
        "content/blog/glide.md": "---\ntitle: Gliding\ndate: 2026-02-21\n---\n\nAcross.\n",
        "content/blog/glide.11tydata.js": ("export default {\n  permalink: function (data) {\n"
                                           "    return `/g/${data.page.date.getFullYear()}/"
                                           "${data.page.fileSlug}/`;\n  },\n};\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    posts = posts_json(root)
    assert posts["content/blog/dive.md"]["url"] == "https://terns.example.org/notes/dive/"
    glide = posts["content/blog/glide.md"]
    assert glide["status"] == "broken"
    assert glide["errors"] == [
        "content/blog/glide.md:2: the permalink of content/blog/glide.11tydata.js is code, which "
        "newsletter does not run; write the post's address in its front matter: "
        'permalink: "/blog/my-post/"']
    result = invoke(root, "check", "glide")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_astro_cactus_before_loaders_mails_its_post_collection(tmp_path):
    """Astro Cactus before Astro 5 kept its posts in src/content/post and its notes in
    src/content/note, with routes src/pages/posts/[...slug].astro and notes/[...slug].astro:
    init took the route's folder src/pages/posts for the posts (it holds no Markdown) and
    found none."""
    route = ('---\nexport async function getStaticPaths() {{\n  const entries = await {};\n'
             '  return entries.map((entry) => ({{ params: {{ slug: entry.slug }} }}));\n}}\n---\n')
    root = write_files(tmp_path / "shore", {
        "astro.config.mjs": ('export default defineConfig({\n'
                             '  site: "https://shore.example.org/",\n});\n'),
        "src/content/config.ts": ('const post = defineCollection({ type: "content" });\n'
                                  'const note = defineCollection({ type: "content" });\n'
                                  "export const collections = { post, note };\n"),
        "src/pages/notes/[...slug].astro": route.format('getCollection("note")'),
        "src/pages/posts/[...slug].astro": route.format("getAllPosts()"),
        "src/content/post/razor.md": ('---\ntitle: Razor\npublishDate: "12 Jan 2026"\n'
                                      "---\n\nShells.\n"),
        "src/content/note/first.md": ('---\ntitle: First\npublishDate: "2026-01-20T10:00:00Z"\n'
                                      "---\n\nShort.\n"),
    })
    result = invoke(root, "init")
    assert "posts in src/content/post (the post collection), 1 post" in result.output
    fill_in_settings(root)
    posts = posts_json(root)
    assert list(posts) == ["src/content/post/razor.md"]
    assert posts["src/content/post/razor.md"]["url"] == "https://shore.example.org/posts/razor/"


def test_hexo_zola_and_material_posts_are_previewed_by_their_summary(tmp_path):
    """Hexo, Zola and Material's blog plugin end a post's summary at <!-- more --> (their
    themes' descriptions, feeds and lists show it): a post without a description had no
    preheader, so inboxes quoted the title and date again, and check warned."""
    summary, rest = "The red kite rose over the ridge at dawn.", "It stayed up all day."
    post = f"\n{summary}\n\n<!-- more -->\n\n{rest}\n"
    sites = {
        "hexo": {"_config.yml": "title: Kites\nurl: https://kites.example.org\n",
                 "package.json": '{"hexo": {"version": "7.3.0"}}',
                 "source/_posts/ridge.md": ("---\ntitle: Ridge\ndate: 2026-01-22 10:15:00\n"
                                            "---\n" + post.replace("<!-- more -->",
                                                                   "<!--more-->"))},
        "zola": {"config.toml": 'base_url = "https://kites.example.org"\ntitle = "Kites"\n',
                 "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n',
                 "content/blog/ridge.md": f'+++\ntitle = "Ridge"\ndate = 2026-01-22\n+++\n{post}'},
        "mkdocs": {"mkdocs.yml": "site_name: Kites\nsite_url: https://kites.example.org/\n"
                                 "plugins:\n  - blog\n",
                   "docs/blog/posts/ridge.md": f"---\ndate: 2026-01-22\n---\n\n# Ridge\n{post}"},
    }
    for name, files in sites.items():
        root = write_files(tmp_path / name, files)
        assert invoke(root, "init").exit_code == 0
        fill_in_settings(root)
        result = invoke(root, "check", "ridge")
        assert "no-description" not in result.output, (name, result.output)
        html, _ = email_of(root, "ridge")
        preheader = html.partition('class="preheader"')[2].partition("</div>")[0]
        assert summary in preheader and rest not in preheader, name


def test_bridgetown_url_helpers_in_links_are_their_addresses(tmp_path):
    """Bridgetown posts link their pages with ERB's <%= relative_url "/about" %>: in a link's
    destination it was read as the address '%= relative_url "/about" %' under the post's own,
    a broken link, with no error; any other ERB there went unreported."""
    root = write_files(tmp_path / "larks", {
        "bridgetown.config.yml": 'url: "https://larks.example.org"\nbase_path: "/log"\n',
        "src/_posts/2026-01-12-skylark.md": (
            "---\ntitle: Skylark\ndescription: Song.\n---\n\n"
            'The [about page](<%= relative_url "/about/" %>), the [feed](<%= absolute_url '
            '"/feed.xml" %>) and [a resource](<%= url_for("/birds/") %>).\n\n'
            "[Mine](<%= site.metadata.url %>)\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "skylark")
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if "template-syntax" in line] == [
        "error: src/_posts/2026-01-12-skylark.md:8: template-syntax: <%= site.metadata.url %> "
        "is ERB, Ruby the site runs when it builds the page; an email cannot; write what it "
        "shows into the post, or put it in code"]
    (root / "src/_posts/2026-01-12-skylark.md").write_text(
        (root / "src/_posts/2026-01-12-skylark.md").read_text().replace(
            "[Mine](<%= site.metadata.url %>)", ""))
    html, _ = email_of(root, "skylark")
    for path in ("about/", "feed.xml", "birds/"):
        address = f"https://larks.example.org/log/{path}"
        assert f'href="{address}"' in html
    assert "%=" not in html


def test_zolas_escaped_shortcodes_show_as_written(tmp_path):
    """getzola.org: {{/* x() */}} and {%/* x() */%} show the shortcode's syntax, as posts about
    a theme do; the email dropped the first without a word ("Write  to embed") and refused
    the second as a Liquid tag."""
    root = write_files(tmp_path / "docs", {
        "config.toml": 'base_url = "https://moss.example.org"\ntitle = "Moss"\n',
        "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n',
        "content/blog/howto.md": (
            '+++\ntitle = "How to"\ndate = 2026-01-26\ndescription = "Embeds."\n+++\n\n'
            "Write {{/* youtube(id=abc) */}} to embed, and {%/* note() */%}text{%/* end */%}"
            " for a note.\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "howto")
    assert result.exit_code == 0, result.output
    _, text = email_of(root, "howto")
    assert "Write {{ youtube(id=abc) }} to embed, and {% note() %}text{% end %} for a note." \
        in " ".join(text.split())
