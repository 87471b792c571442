"""An Astro blog in several languages, as docs.astro.build's i18n recipe lays it out: one
collection with a folder per language, rendered by src/pages/[lang]/blog/[...slug].astro.
The site is this project's own."""

from __future__ import annotations

import json

from generator_sites import write_files

from conftest import invoke

ROUTE = """\
---
import { getCollection } from "astro:content";
export async function getStaticPaths() {
  const posts = await getCollection("blog");
  return posts.map((post) => {
    const [lang, ...slug] = post.id.split("/");
    return { params: { lang, slug: slug.join("/") }, props: post };
  });
}
---
"""


def dunes(tmp_path, **extra: str):
    return write_files(tmp_path / "dunes", {
        "astro.config.mjs": ('export default defineConfig({\n  site: "https://dunes.example.com",\n'
                             '  i18n: { defaultLocale: "en", locales: ["en", "fr"] },\n});\n'),
        "src/content.config.ts": ('const blog = defineCollection({\n  loader: glob({ base: '
                                  '"./src/content/blog", pattern: "**/*.md" }),\n});\n'
                                  "export const collections = { blog };\n"),
        "src/pages/[lang]/blog/[...slug].astro": ROUTE,
        "src/content/blog/en/marram-grass.md": ("---\ntitle: Marram grass\npubDate: 2026-04-02\n"
                                                "---\n\nIts roots hold the sand.\n"),
        "src/content/blog/fr/oyat.md": ("---\ntitle: L'oyat\npubDate: 2026-04-02\n---\n\n"
                                        "Ses racines tiennent le sable.\n"),
        **extra,
    })


def test_a_language_folder_fills_the_routes_language_parameter(tmp_path):
    """The email linked https://dunes.example.com/[lang]/blog/en/marram-grass/, an address
    with the route's file name in it, which no reader could open."""
    root = dunes(tmp_path)
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "posts", "--json")
    urls = {post["file"]: post["url"] for post in json.loads(result.output)}
    assert urls == {
        "src/content/blog/en/marram-grass.md": "https://dunes.example.com/en/blog/marram-grass/",
        "src/content/blog/fr/oyat.md": "https://dunes.example.com/fr/blog/oyat/",
    }


def test_a_post_outside_the_language_folders_is_refused_naming_the_route(tmp_path):
    root = dunes(tmp_path, **{"src/content/blog/loose.md": ("---\ntitle: Loose\npubDate: "
                                                            "2026-04-03\n---\n\nNo folder.\n")})
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "send", "loose")
    assert result.exit_code != 0
    assert ("src/content/blog/loose.md:2: src/pages/[lang]/blog takes [lang] from the folder of "
            "the post in its collection, and it is in none") in result.output
    assert "Traceback" not in result.output


PER_LOCALE_ROUTE = """\
---
import { getCollection } from "astro:content";
export async function getStaticPaths() {
  const posts = await getCollection("blog", ({ id }) => id.startsWith("%s/"));
  return posts.map((post) => ({ params: { slug: post.id.slice(3) }, props: post }));
}
---
"""


def per_locale_pages(tmp_path, routing: str):
    """docs.astro.build's i18n routing: a folder of src/pages per locale, the default one's
    pages at the root (prefixDefaultLocale: false, Astro's default) or in its folder too."""
    return write_files(tmp_path / "dunes", {
        "astro.config.mjs": ('export default defineConfig({\n  site: "https://dunes.example.com",\n'
                             '  i18n: {\n    defaultLocale: "en",\n    locales: ["en", "fr", '
                             '{ path: "spanish", codes: ["es"] }],\n'
                             f"    routing: {{ prefixDefaultLocale: {routing} }},\n  }},\n}});\n"),
        "src/content.config.ts": ('const blog = defineCollection({\n  loader: glob({ base: '
                                  '"./src/content/blog", pattern: "**/*.md" }),\n});\n'
                                  "export const collections = { blog };\n"),
        "src/pages/blog/[...slug].astro": PER_LOCALE_ROUTE % "en",
        "src/pages/fr/blog/[...slug].astro": PER_LOCALE_ROUTE % "fr",
        "src/pages/spanish/blog/[...slug].astro": PER_LOCALE_ROUTE % "spanish",
        "src/content/blog/en/marram-grass.md": ("---\ntitle: Marram grass\npubDate: 2026-04-02\n"
                                                "---\n\nIts roots hold the sand.\n"),
        "src/content/blog/fr/oyat.md": ("---\ntitle: L'oyat\npubDate: 2026-04-02\n---\n\n"
                                        "Ses racines tiennent le sable.\n"),
        "src/content/blog/spanish/barron.md": ("---\ntitle: El barrón\npubDate: 2026-04-02\n"
                                               "---\n\nSus raíces sujetan la arena.\n"),
    })


def test_the_default_locale_is_at_the_root_and_the_others_under_their_folder(tmp_path):
    """The email linked /blog/en/marram-grass/ and /blog/fr/oyat/: no such pages; Astro's
    default routing puts the default locale's at /blog/marram-grass/."""
    root = per_locale_pages(tmp_path, "false")
    assert invoke(root, "init").exit_code == 0
    urls = {post["file"]: post["url"]
            for post in json.loads(invoke(root, "posts", "--json").output)}
    assert urls == {
        "src/content/blog/en/marram-grass.md": "https://dunes.example.com/blog/marram-grass/",
        "src/content/blog/fr/oyat.md": "https://dunes.example.com/fr/blog/oyat/",
        "src/content/blog/spanish/barron.md": "https://dunes.example.com/spanish/blog/barron/",
    }
    statuses = {post["file"]: post["status"]
                for post in json.loads(invoke(root, "posts", "--json").output)}
    assert statuses == {"src/content/blog/en/marram-grass.md": "ready",  # the translations
                        "src/content/blog/fr/oyat.md": "page",  # are never mailed
                        "src/content/blog/spanish/barron.md": "page"}
    assert "(a translation (fr; i18n's defaultLocale is en)), not a newsletter: not sent" in \
        invoke(root, "send", "oyat").stderr
    assert invoke(root, "preview", "marram-grass").exit_code == 0
    assert 'href="https://dunes.example.com/blog/marram-grass/"' in \
        (root / "preview" / "marram-grass" / "email.html").read_text()


def test_prefix_default_locale_puts_the_default_locale_under_its_folder_too(tmp_path):
    root = per_locale_pages(tmp_path, "true")
    assert invoke(root, "init").exit_code == 0
    urls = {post["file"]: post["url"]
            for post in json.loads(invoke(root, "posts", "--json").output)}
    assert urls["src/content/blog/en/marram-grass.md"] == \
        "https://dunes.example.com/en/blog/marram-grass/"
    assert urls["src/content/blog/fr/oyat.md"] == "https://dunes.example.com/fr/blog/oyat/"
