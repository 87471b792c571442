"""A blog's email shows its Markdown as the blog's renderer does, the site's settings included:
Hugo's Goldmark (newsletter/generators/hugo_markup.py) omits raw HTML unless ``unsafe = true``
(a shortcode's HTML shown either way), sets quotes and dashes, links bare addresses and keeps a
table row indented four spaces a row; Astro's ``smartypants`` and ``gfm`` are read too.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from conftest import invoke
from generator_sites import fill_in_settings
from test_markdown_dialects import blog_with_features, previewed

from newsletter.render.dialects import DIALECTS
from newsletter.render.markdown import markdown_fragment

POST = ('\n\n<div class="aside">Raw aside</div>\n\nShe said "go" -- then left... '
        "See www.example.org/tide for <b>times</b>.\n")


def hugo_email(root: Path, settings: str = "", where: str = "hugo.toml"):
    """The post's raw HTML and sentence as the email shows them, its text part, and the
    addresses its bare address was linked to."""
    post_id, out = blog_with_features(root, "hugo")
    if settings:
        path = root / where
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((path.read_text() if path.exists() else "") + settings)
    post = next((root / "content" / "posts").glob("first-light.md"))
    post.write_text(post.read_text() + POST)
    document, text = previewed(root, post_id, out)
    body = document.xpath("//div[contains(@class, 'aside')] | //p[contains(., 'She said')]")
    links = [href for href in document.xpath("//a/@href") if "example.org/tide" in href]
    bold = [element.text for element in document.xpath("//b")]
    return " ".join(element.text_content() for element in body), text, links, bold


def test_hugos_defaults_omit_raw_html_set_quotes_and_link_bare_addresses(tmp_path):
    shown, text, links, bold = hugo_email(tmp_path / "blog")

    assert "Raw aside" not in shown and "Raw aside" not in text
    assert "\u201cgo\u201d \u2013 then left\u2026" in shown
    assert "times" in shown and "times" not in bold  # the tags go, their text stays
    assert links == ["http://www.example.org/tide"]


@pytest.mark.parametrize("settings, where", [
    ("\n[markup.goldmark.renderer]\nunsafe = true\n[markup.goldmark.extensions]\n"
     "linkify = false\n[markup.goldmark.extensions.typographer]\ndisable = true\n", "hugo.toml"),
    ("[goldmark.renderer]\nunsafe = true\n[goldmark.extensions]\nlinkify = false\n"
     "typographer = false\n", "config/_default/markup.toml"),
])
def test_the_sites_goldmark_settings_are_read(tmp_path, settings, where):
    shown, _, links, bold = hugo_email(tmp_path / "blog", settings, where)

    assert "Raw aside" in shown and bold == ["times"]
    assert 'She said "go" -- then left...' in shown
    assert links == []


@pytest.mark.parametrize("settings, broken", [
    ("", False), ("\n[markup.goldmark.renderer]\nhardWraps = true\n", True)])
def test_hugos_hard_wraps_setting_breaks_a_paragraphs_lines_as_the_blog_does(tmp_path, settings,
                                                                             broken):
    """``renderer.hardWraps = true`` (poems, addresses, sites written in CJK) makes each line's
    end a line break on the blog; the email ran the lines together into one."""
    root = tmp_path / "blog"
    post_id, out = blog_with_features(root, "hugo")
    (root / "hugo.toml").write_text((root / "hugo.toml").read_text() + settings)
    post = root / "content" / "posts" / "first-light.md"
    post.write_text(post.read_text() + "\n\nThe tide went out,\nthe gulls came in.\n")

    document, text = previewed(root, post_id, out)

    (verse,) = document.xpath("//p[contains(., 'The tide went out')]")
    assert bool(verse.xpath(".//br")) is broken
    assert ("The tide went out,\nthe gulls came in." in text) is broken


@pytest.mark.parametrize("settings, shown", [
    ("", True), ("\n[markup.goldmark.parser.attribute]\nblock = true\n", False)])
def test_hugos_block_attribute_lines_style_the_block_when_the_site_reads_them(tmp_path,
                                                                             settings, shown):
    """With ``parser.attribute.block = true`` a ``{.note}`` line after a paragraph (or an
    image's ``{width="1200"}``) styles it on the blog; the email showed it as text. Without
    the setting it is text on the blog too."""
    root = tmp_path / "blog"
    post_id, out = blog_with_features(root, "hugo")
    (root / "hugo.toml").write_text((root / "hugo.toml").read_text() + settings)
    post = root / "content" / "posts" / "first-light.md"
    post.write_text(post.read_text() + '\n\nMind the step.\n{.warning #step}\n\n- rope\n'
                    '{.kit}\n\nA {curly} word.\n{TODO}\n')

    document, text = previewed(root, post_id, out)

    assert ("{.warning #step}" in text) is shown and ("{.kit}" in text) is shown
    assert "A {curly} word. {TODO}" in text  # no attribute list: text either way
    assert bool(document.xpath("//p[@id='step'][contains(@class, 'warning')]")) is not shown


def test_check_warns_once_where_the_posts_raw_html_is_left_out(tmp_path):
    root = tmp_path / "blog"
    hugo_email(root)

    result = invoke(root, "check", "--json")

    omitted = [finding for finding in json.loads(result.stdout)["findings"]
               if finding["code"] == "raw-html-omitted"]
    assert [(finding["severity"], finding["where"], finding["message"]) for finding in omitted] == [
        ("warning", "content/posts/first-light.md:27", "the post writes raw HTML in 2 places, "
         "which the blog does not show (markup.goldmark.renderer.unsafe is false), so the email "
         "leaves it out too")]


def test_a_shortcode_written_without_spaces_is_no_raw_html(tmp_path):
    """``{{<youtube id>}}`` and ``{{<mermaid>}}...{{</mermaid>}}`` (Hugo Coder's way) look like
    HTML tags between the braces: check warned that the post writes raw HTML the blog does not
    show, at the shortcode's line, though both show on the blog and in the email."""
    root = tmp_path / "blog"
    hugo_email(root)
    post = root / "content" / "posts" / "first-light.md"
    text = post.read_text().replace('<div class="aside">Raw aside</div>', "Aside.").replace(
        "<b>times</b>", "times")
    post.write_text(text + "\n{{<youtube w7Ft2ymGmfc>}}\n\n{{<mermaid>}}\nflowchart LR\n"
                    "    A --> B\n{{</mermaid>}}\n")

    result = invoke(root, "check", "--json")

    codes = [finding["code"] for finding in json.loads(result.stdout)["findings"]]
    assert "raw-html-omitted" not in codes and "template-degraded" in codes  # the diagram's


TABLE = "| a | b |\n|---|---|\n| 1 | 2 |\n    | 3 | 4 |\n| 5 | 6 |\n\n    code\n"


@pytest.mark.parametrize("dialect, rows, code", [
    ("goldmark", ["1 2", "3 4", "5 6"], ["code"]),  # a table is a paragraph's lines to Goldmark
    ("remark", ["1 2"], ["| 3 | 4 |", "code"]),  # GitHub's reading: the indented row is code
    ("markdown-it", ["1 2"], ["| 3 | 4 |", "code"]),
])
def test_a_table_row_indented_four_spaces_is_read_as_each_renderer_reads_it(dialect, rows, code):
    root = markdown_fragment(TABLE, DIALECTS[dialect])

    assert [" ".join(cell.text for cell in row) for row in root.xpath("//tbody/tr")] == rows
    assert [block.text_content().strip() for block in root.iter("pre")] == code


@pytest.mark.parametrize("markdown_settings, curly, linked", [
    ("", True, True),  # Astro's defaults: smartypants and GFM on
    ("  markdown: { smartypants: false, gfm: false },\n", False, False),
])
def test_astros_smartypants_and_gfm_settings_are_read(tmp_path, markdown_settings, curly, linked):
    root = tmp_path / "stars"
    post_id, out = blog_with_features(root, "astro")
    config = root / "astro.config.mjs"
    config.write_text(config.read_text().replace("  integrations:", markdown_settings
                                                  + "  integrations:"))
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    post = root / next(item["file"] for item in listed if item["id"] == post_id)
    post.write_text(post.read_text() + '\n\nShe said "look" at www.example.org/sky today.\n')

    document, _ = previewed(root, post_id, out)

    (said,) = document.xpath("//p[contains(., 'She said')]")
    assert ("\u201clook\u201d" in said.text_content()) is curly
    assert bool(said.xpath(".//a[contains(@href, 'example.org/sky')]")) is linked


MATH = ("\n\nThe load \\(F = k x_1 * x_2 * y\\) grows.\n\n\\[\n\\sum_{i=1}^n a_i * b_i * c\n"
        "\\]\n\nAlso $$E = m c^2$$ within a line. Prices of $5 and $10 stay.\n")
PASSTHROUGH = ("\n[markup.goldmark.extensions.passthrough]\nenable = true\n"
               "[markup.goldmark.extensions.passthrough.delimiters]\n"
               "block = [['\\[', '\\]'], ['$$', '$$']]\ninline = [['\\(', '\\)']]\n")


def test_hugos_passthrough_math_is_shown_as_the_latex_written_in_code(tmp_path):
    """With Goldmark's passthrough extension (Hugo's way to math), what is between its
    delimiters reaches KaTeX as written: the email shows it as code, its asterisks and
    underscores and backslashes intact, a block delimiter's paragraph as a code block (before,
    the backslashes were eaten as escapes). A $ that is no delimiter stays a dollar."""
    root = tmp_path / "blog"
    post_id, out = blog_with_features(root, "hugo")
    (root / "hugo.toml").write_text((root / "hugo.toml").read_text() + PASSTHROUGH)
    post = next((root / "content" / "posts").glob("first-light.md"))
    post.write_text(post.read_text() + MATH)

    document, text = previewed(root, post_id, out)

    assert [code.text for code in document.iter("code")] == [
        "F = k x_1 * x_2 * y", "\\sum_{i=1}^n a_i * b_i * c\n", "E = m c^2"]
    assert "The load F = k x_1 * x_2 * y grows." in text
    assert "    \\sum_{i=1}^n a_i * b_i * c\n" in text
    assert "Prices of $5 and $10 stay." in text


@pytest.mark.parametrize("generator", ["astro", "docusaurus"])
def test_remark_math_is_read_where_the_site_depends_on_it(tmp_path, generator):
    """remark-math reads $...$ and $$...$$ (a dollar written \\$ stays one); a site without it
    has no math, so its $ signs are dollars."""
    root = tmp_path / generator
    post_id, out = blog_with_features(root, generator)
    package = root / "package.json"
    data = json.loads(package.read_text()) if package.exists() else {}
    data.setdefault("dependencies", {})["remark-math"] = "^6.0.0"
    package.write_text(json.dumps(data))
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    post = root / next(item["file"] for item in listed if item["id"] == post_id)
    post.write_text(post.read_text() + "\n\nEnergy $E = m_1 * c_2 * d$ costs \\$5.\n\n$$\n"
                                       "\\int_0^1 x_i * y_i\n$$\n")

    document, text = previewed(root, post_id, out)

    assert [code.text for code in document.iter("code")] == [
        "E = m_1 * c_2 * d", "\\int_0^1 x_i * y_i\n"]
    assert "Energy E = m_1 * c_2 * d costs $5." in text


SAID = 'She said "go" -- then left...\nThe tide turned.\n'
PELICAN = "SITEURL = 'https://pools.example.org'\nPATH = 'content'\n"
NIKOLA = ("BLOG_TITLE = 'Pools'\nSITE_URL = 'https://pools.example.org/'\n"
          "POSTS = (('posts/*.md', 'posts', 'post.tmpl'),)\n")
NIKOLA_POST = ("<!--\n.. title: Tide\n.. slug: tide\n.. date: 2026-01-02 09:00:00 UTC\n"
               ".. description: d\n-->\n\n")
MKDOCS = ("site_name: Pools\nsite_url: https://pools.example.org/\ntheme:\n  name: material\n"
          "plugins:\n  - blog\n")
MKDOCS_POST = "---\ndate: 2026-01-02\n---\n\n# Tide\n\n"
STRAIGHT, CURLED = 'She said "go" -- then left... The tide turned.', \
    "She said \u201cgo\u201d \u2013 then left\u2026 The tide turned."


@pytest.mark.parametrize("files, shown, broken", [
    ({"pelicanconf.py": PELICAN, "content/tide.md": "Title: Tide\nDate: 2026-01-02\n\n" + SAID},
     STRAIGHT, False),
    ({"pelicanconf.py": PELICAN + "MARKDOWN = {'extension_configs': {'markdown.extensions."
      "smarty': {}, 'markdown.extensions.nl2br': {}}, 'output_format': 'html5'}\n",
      "content/tide.md": "Title: Tide\nDate: 2026-01-02\n\n" + SAID}, CURLED, True),
    ({"conf.py": NIKOLA, "posts/tide.md": NIKOLA_POST + SAID}, STRAIGHT, False),
    ({"conf.py": NIKOLA + "MARKDOWN_EXTENSIONS = ['markdown.extensions.extra', "
      "'markdown.extensions.smarty']\n", "posts/tide.md": NIKOLA_POST + SAID}, CURLED, False),
    ({"mkdocs.yml": MKDOCS, "docs/blog/posts/tide.md": MKDOCS_POST + SAID}, STRAIGHT, False),
    ({"mkdocs.yml": MKDOCS + "markdown_extensions:\n  - smarty\n  - nl2br\n",
      "docs/blog/posts/tide.md": MKDOCS_POST + SAID}, CURLED, True),
], ids=["pelican", "pelican-smarty-nl2br", "nikola", "nikola-smarty", "mkdocs",
        "mkdocs-smarty-nl2br"])
def test_python_markdown_sites_set_quotes_and_breaks_only_with_their_extensions(
        tmp_path, files, shown, broken):
    """Pelican, Nikola and MkDocs render with Python-Markdown, whose quotes and dashes stay as
    written unless the site adds smarty, and whose lines break only with nl2br: the email
    curled them on every such blog, and never broke a line."""
    root = tmp_path / "pools"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "tide")
    assert result.exit_code == 0, result.output
    email = (next((root / "preview").glob("*tide")) / "email.html").read_text()
    paragraph = next(p for p in lxml.html.fromstring(email).iter("p")
                     if "She said" in p.text_content())
    assert " ".join(paragraph.text_content().split()) == shown
    assert (paragraph.find("br") is not None) is broken


EXTRAS = ("\n[markup.goldmark.extensions]\nstrikethrough = false\n"
          + "".join(f"[markup.goldmark.extensions.extras.{name}]\nenable = true\n"
                    for name in ("delete", "insert", "mark", "subscript", "superscript")))
MARKED = "\n\nKeep H~2~O ==cold==, the 1^st^ rule. ++Added++ and ~~dropped~~; a == b stays.\n"


@pytest.mark.parametrize("settings, marked", [("", False), (EXTRAS, True)])
def test_hugos_goldmark_extras_mark_text_where_the_site_enables_them(tmp_path, settings,
                                                                     marked):
    """Hugo 0.126's extras (FixIt's and Hinode's sites turn them on): ``==a==``, ``++a++``,
    ``H~2~O``, ``1^st^`` and (with strikethrough off) ``~~a~~`` are mark, ins, sub, sup and
    del on the blog; the email showed the markers as written. Off, they are text there too."""
    root = tmp_path / "blog"
    post_id, out = blog_with_features(root, "hugo")
    (root / "hugo.toml").write_text((root / "hugo.toml").read_text() + settings)
    post = root / "content" / "posts" / "first-light.md"
    post.write_text(post.read_text() + MARKED)

    document, text = previewed(root, post_id, out)

    (rule,) = document.xpath("//p[contains(., 'Keep H')]")
    shown = [(element.tag, element.text) for element in rule.iter("sub", "sup", "mark", "ins",
                                                                   "del")]
    if marked:
        assert shown == [("sub", "2"), ("mark", "cold"), ("sup", "st"), ("ins", "Added"),
                         ("del", "dropped")]
        assert "Keep H2O cold, the 1st rule. Added and ~~dropped~~; a == b stays." in text
    else:
        assert shown == [("del", "dropped")]
        assert "Keep H~2~O ==cold==, the 1^st^ rule. ++Added++" in text


CJK = ("\n[markup.goldmark.extensions.cjk]\nenable = true\neastAsianLineBreaks = true\n"
       "escapedSpace = true\n")
WRAPPED = "\n\n这是一个很长的句子，\n在源文件里换了行。**强调**\\ 文字 and\nEnglish words.\n"


@pytest.mark.parametrize("settings, joined", [("", False), (CJK, True)])
def test_hugos_cjk_line_breaks_join_wrapped_east_asian_sentences(tmp_path, settings, joined):
    """With Goldmark's CJK extension (``eastAsianLineBreaks``, ``escapedSpace``), a Chinese
    sentence wrapped in the source reads as one on the blog and ``\\ `` shows nothing; the
    email put a space into the sentence and showed the backslash. Between Latin words a line's
    end is still a space; without the setting, both are as before."""
    root = tmp_path / "blog"
    post_id, out = blog_with_features(root, "hugo")
    (root / "hugo.toml").write_text((root / "hugo.toml").read_text() + settings)
    post = root / "content" / "posts" / "first-light.md"
    post.write_text(post.read_text() + WRAPPED)

    document, text = previewed(root, post_id, out)

    (sentence,) = document.xpath("//p[contains(., '这是')]")
    shown = " ".join(sentence.text_content().split())
    if joined:
        assert shown == "这是一个很长的句子，在源文件里换了行。强调文字 and English words."
    else:
        assert shown == "这是一个很长的句子， 在源文件里换了行。强调\\ 文字 and English words."
    assert sentence.xpath(".//strong/text()") == ["强调"]


FRENCH = ('\n[markup.goldmark.extensions.typographer]\nleftDoubleQuote = "&laquo;&nbsp;"\n'
          'rightDoubleQuote = "&nbsp;&raquo;"\n')


@pytest.mark.parametrize("settings, quoted", [
    ("", "\u201cgo\u201d"), (FRENCH, "\u00ab\u00a0go\u00a0\u00bb")])
def test_hugos_typographer_quotes_are_the_sites_own(tmp_path, settings, quoted):
    """A French (or German) Hugo blog sets its typographer's quotes (``leftDoubleQuote =
    "&laquo;&nbsp;"``): the email curled them the English way. Single quotes and apostrophes
    the site leaves alone stay Goldmark's."""
    shown, text, _, _ = hugo_email(tmp_path / "blog", settings)

    assert f"She said {quoted} \u2013 then left\u2026" in shown
    assert f"She said {quoted} \u2013 then left\u2026" in text.replace("\n", " ")
