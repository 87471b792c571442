"""Fuwari (saicaca/fuwari), a popular Astro blog theme, as a blog made from it is laid out: the
``posts`` collection of src/content/config.ts (no loader), ``published:`` dates, the
src/pages/posts/[...slug].astro route, the theme's demo address still in astro.config.mjs,
and its ::github{repo} card. The text is this project's own."""

from __future__ import annotations

import json

from fake_providers import write_readers
from generator_sites import fill_in_settings, write_files

from conftest import invoke


def test_a_fuwari_blog_is_read_sent_and_its_demo_address_is_not_the_blogs(tmp_path):
    root = write_files(tmp_path / "moss", {
        "astro.config.mjs": ('import { defineConfig } from "astro/config";\n'
                             'export default defineConfig({\n\tsite: "https://fuwari.vercel.app/",'
                             '\n\tbase: "/",\n\ttrailingSlash: "always",\n});\n'),
        "src/config.ts": ('export const siteConfig: SiteConfig = {\n\ttitle: "Moss Notes",\n'
                          '\tsubtitle: "Demo Site",\n\tlang: "en",\n};\n'),
        "src/content/config.ts": ('const postsCollection = defineCollection({\n  schema: '
                                  'z.object({ title: z.string(), published: z.date() }),\n});\n'
                                  "export const collections = { posts: postsCollection };\n"),
        "src/pages/posts/[...slug].astro": (
            '---\nimport { getSortedPosts } from "@utils/content-utils";\n'
            "export async function getStaticPaths() {\n  const entries = await getSortedPosts();\n"
            "  return entries.map((entry) => ({ params: { slug: entry.slug }, props: { entry } }));"
            "\n}\n---\n"),
        "src/content/posts/cushion-moss.md": (
            "---\ntitle: Cushion Moss\npublished: 2026-04-02\ndescription: Round, and soft.\n"
            "tags: [moss]\ncategory: Field\ndraft: false\n---\n\nRound cushions on the wall.\n\n"
            '::github{repo="ana/moss-survey"}\n'),
        "src/content/posts/draft.md": ("---\ntitle: Feather Moss\npublished: 2026-04-09\n"
                                       "draft: true\n---\n\nLater.\n"),
    })
    result = invoke(root, "init")
    assert result.exit_code == 0
    settings = (root / "newsletter.toml").read_text()
    assert 'url = "https://fuwari.vercel.app' not in settings and "fuwari.vercel.app" in settings
    fill_in_settings(root, since="2000-01-01T00:00:00Z")
    write_readers(root, ["reader@example.org"])
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["id"], item["status"], item["url"]) for item in listed] == [
        ("/posts/draft", "draft", "https://writer.example.net/posts/draft/"),
        ("/posts/cushion-moss", "ready", "https://writer.example.net/posts/cushion-moss/")]
    assert invoke(root, "preview", "cushion-moss").exit_code == 0
    assert 'href="https://github.com/ana/moss-survey"' in \
        (root / "preview" / "cushion-moss" / "email.html").read_text()
    check = invoke(root, "check", "--json")
    assert [f for f in json.loads(check.stdout)["findings"] if f["severity"] == "error"] == []
    dry = invoke(root, "send", "--due", "--dry-run")
    assert dry.exit_code == 0 and '  would send /posts/cushion-moss "Cushion Moss"' in dry.stdout
