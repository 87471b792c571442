"""Hostile Eleventy template posts (``.html``, ``.njk``, ``.liquid``), through the CLI: their
HTML goes into the email as written, its template tags expanded, so it must obey the rules raw
HTML of a Markdown post obeys (newsletter/render/markdown.py drops ``<script>``, ``<style>``,
``<base>``, ``<meta>`` and ``on*=`` attributes; newsletter/check/embeds.py and links.py refuse
iframes, forms, SVG, ``javascript:`` and ``data:`` URLs); and a file that is junk, not UTF-8,
huge or includes itself is one line, never a hang or a traceback.
"""

from __future__ import annotations

import json
import os

from conftest import invoke, run_cli, run_in_process
from fake_providers import write_readers
from generator_sites import fill_in_settings, write_files

SITE = {
    "eleventy.config.js": ('export default async function (eleventyConfig) {}\n'
                           'export const config = { dir: { input: "content" } };\n'),
    "package.json": '{"dependencies": {"@11ty/eleventy": "^3.0.0"}}\n',
    "content/_data/metadata.js": ('export default {\n  title: "Lichen Walks",\n'
                                  '  url: "https://lichen.example.org/",\n};\n'),
    "content/_includes/layouts/post.njk": "<article>{{ content | safe }}</article>\n",
    "content/blog/blog.11tydata.js": ('export default {\n  tags: ["posts"],\n'
                                      '  layout: "layouts/post.njk",\n};\n'),
}
FRONT = "---\ntitle: {title}\ndate: 2026-02-10\ndescription: On the walls.\n---\n"
HOSTILE_HTML = (
    '<p onclick="steal()">Crust on {{ metadata.title }}</p><style>p { display: none }</style>\n'
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">\n'
    '<base href="https://evil.example/"><script>steal()</script>\n'
    '<iframe src="https://evil.example/"></iframe><form action="https://evil.example/"></form>\n'
    '<a href="javascript:steal()">js</a><svg onload="steal()"><script>steal()</script></svg>\n'
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">\n')


def _blog(tmp_path, files: dict[str, str | bytes]):
    root = write_files(tmp_path / "lichen", {**SITE, **files})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2000-01-01T00:00:00Z")
    write_readers(root, ["reader@example.org"])
    return root


def test_hostile_html_in_each_template_format_obeys_the_markdown_paths_rules(tmp_path):
    posts = {f"crust-{suffix}": suffix for suffix in ("html", "njk", "liquid")}
    root = _blog(tmp_path, {f"content/blog/{name}.{suffix}": FRONT.format(title=name)
                            + HOSTILE_HTML for name, suffix in posts.items()})
    for name, suffix in posts.items():  # in-process: the module's other tests run the real CLI
        preview = run_in_process(root, "preview", name, "--out", str(tmp_path / "out"))
        check = run_in_process(root, "check", name, "--json")

        assert preview.returncode == 0, preview.stderr
        html = (tmp_path / "out" / name / "email.html").read_text()
        assert ">Crust on Lichen Walks</p>" in html  # the tag expanded
        for left_out in ("onclick", "onload", "p { display: none }", "http-equiv", "<base",
                         "steal()</script>"):
            assert left_out not in html, (suffix, left_out)
        codes = {(finding["code"], finding["where"]) for finding in json.loads(check.stdout)[
            "findings"] if finding["severity"] == "error"}
        where = f"content/blog/{name}.{suffix}:"
        assert codes == {(code, where + line) for code, line in (
            ("html-script-attribute", "6"), ("html-embed", "8"), ("html-embed", "9"),
            ("link-javascript", "10"), ("html-script-attribute", "10"), ("html-embed", "10"),
            ("html-svg", "10"), ("image-data", "11"))}, suffix
        assert check.returncode == 2
        sent = run_in_process(root, "send", name, "--dry-run")
        assert sent.returncode != 0 and "would send" not in sent.stdout


def test_junk_non_utf8_and_oversized_template_posts_are_one_line_each(tmp_path):
    junk = bytes(range(256)) * 8
    root = _blog(tmp_path, {
        "content/blog/junk.html": junk,
        "content/blog/latin.njk": (FRONT.format(title="Latin") + "<p>Caf\xe9</p>\n").encode(
            "latin-1"),
        "content/blog/huge.njk": FRONT.format(title="Huge") + "<p>{{ title }}</p>\n" * 70_000,
        "content/blog/fine.njk": FRONT.format(title="Fine") + "<p>Fine.</p>\n",
    })

    listed = run_cli(root, "posts")

    assert listed.returncode == 2 and "Traceback" not in listed.stderr
    assert "error: content/blog/junk.html:2: not UTF-8 text (byte 0x80); save the file as UTF-8" \
        in listed.stderr.splitlines()
    assert "error: content/blog/latin.njk:6: not UTF-8 text (byte 0xe9); save the file as " \
        "UTF-8" in listed.stderr.splitlines()
    assert "error: content/blog/huge.njk: the post is 1.3 MB; posts over 1 MB are refused" in \
        listed.stderr
    assert "/blog/fine" in listed.stdout


def test_a_post_that_includes_itself_or_a_layout_loop_renders_once(tmp_path):
    root = _blog(tmp_path, {
        "content/blog/mirror.njk": (FRONT.format(title="Mirror") + "<p>Facing.</p>\n"
                                    '{% include "blog/mirror.njk" %}\n'),
        "content/blog/echo.liquid": (FRONT.format(title="Echo") + "<p>Again.</p>\n"
                                     "{% include 'blog/echo.liquid' %}\n"),
        "content/blog/ring.njk": ("---\ntitle: Ring\ndate: 2026-02-11\nlayout: layouts/ring.njk"
                                  "\n---\n<p>Round.</p>\n"),
        "content/_includes/layouts/ring.njk": "---\nlayout: layouts/ring.njk\n---\n{{ content }}",
    })
    for name, words in (("mirror", "Facing."), ("echo", "Again."), ("ring", "Round.")):
        done = run_cli(root, "preview", name, "--out", str(tmp_path / "out"), timeout=60)

        assert done.returncode == 0, done.stderr
        text = (tmp_path / "out" / name / "email.txt").read_text()
        assert text.count(words) == 1, name
