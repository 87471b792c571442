"""Each post in the Markdown its blog's generator reads (newsletter/render/dialects.py).

Hugo, Jekyll, Eleventy, Astro, Zola and Gatsby blogs are CommonMark with GitHub's extensions: a
list nested two spaces under ``- `` nests, ``1)`` is a list, ``~~x~~`` is struck through.
Pelican and the generic site keep Python-Markdown, so the example site renders as before
(tests/test_render.py compares it with its golden files). Where the dialects agree, the email
is the same element for element, text part included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import invoke
from generator_sites import SITES, fill_in_settings

from newsletter.render.dialects import DIALECTS, PYTHON_MARKDOWN
from newsletter.render.markdown import fragment_html, markdown_to_fragment
from newsletter.render.tags import TagContext, expand_tags
from newsletter.render.text import fragment_to_text

PAGE = "https://blog.example.com/posts/x"
COMMONMARK = DIALECTS["commonmark"]
KRAMDOWN = DIALECTS["kramdown"]

# Markdown both dialects read alike: (source, an element the email must have).
AGREED = {
    "emphasis, links and images": (
        'Some *em*, **strong**, `code`, [a link](/archive "The archive") and '
        "![A photo](https://cdn.example.com/p.png).\n",
        "//p/a[@href='https://blog.example.com/archive'][@title='The archive']"),
    "heading ids, written and repeated": (
        "# One\n\n## Two {#custom}\n\n### Two\n\n## One\n", "//h2[@id='one-1']"),
    "fenced and indented code": (
        "```python\nprint('<b>')\n```\n\n    indented code\n",
        "//pre/code[@class='language-python']"),
    "table with alignment": (
        "| Left | Right |\n|:-----|------:|\n| a *b* | 2 |\n| c | `d` |\n",
        "//div[@class='table-scroll']/table//td[contains(@style, 'right')]"),
    "footnotes": (
        "A claim.[^source] Another.[^2]\n\n[^source]: The *source*.\n[^2]: Second.\n",
        "//sup[@id='fnref:source']/a[@class='footnote-ref'][@href='#fn:source']"),
    "definition list": ("Term\n:   Its meaning.\n", "//dl/dd"),
    "smart punctuation": ("\"Quoted\" -- and 'single' --- and... done.\n",
                          "//p[contains(., '\u201cQuoted\u201d \u2013 and \u2018single\u2019 "
                          "\u2014 and\u2026 done.')]"),
    "task list": ("- [x] done\n- [ ] todo\n", "//li[@class='task']/span[.='\u2611']"),
    "list nested four spaces": ("1. one\n2. two\n    - a\n    - b\n3. three\n", "//ol/li/ul/li"),
    "quote holding a list": ("> A *quote*\n>\n> - a list\n", "//blockquote/ul/li"),
    "raw HTML": ('<div class="note">\n<p>Raw <em>HTML</em></p>\n</div>\n\nText <span>inline'
                 "</span>.\n", "//div[@class='note']/p/em"),
    "hard break and rule": ("one  \ntwo\n\n---\n\nthree\n", "//p/br"),
    "autolinks in angle brackets": ("<https://example.com/x> and <mail@example.com>\n",
                                    "//a[@href='https://example.com/x']"),
    "same-page links": ("[top](#two) and [note](#fn:source)\n\n## Two\n",
                        "//a[@href='https://blog.example.com/posts/x#two']"),
}


def shape(root) -> list[tuple]:
    """Every element: tag, attributes (spaces in styles aside), text and tail, spaces collapsed."""
    return [(element.tag, {key: re.sub(r"[\s;]", "", value) for key, value in element.items()},
             " ".join((element.text or "").split()), " ".join((element.tail or "").split()))
            for element in root.iter() if isinstance(element.tag, str)]


@pytest.mark.parametrize("source, needed", AGREED.values(), ids=AGREED)
def test_where_the_dialects_agree_the_email_is_the_same(source, needed):
    python_markdown = markdown_to_fragment(source, PAGE, PYTHON_MARKDOWN)
    commonmark = markdown_to_fragment(source, PAGE, COMMONMARK)

    assert python_markdown.xpath(needed) and commonmark.xpath(needed)
    assert shape(commonmark) == shape(python_markdown)
    assert fragment_to_text(commonmark) == fragment_to_text(python_markdown)


def tags(source: str, dialect) -> list[str]:
    return [element.tag for element in markdown_to_fragment(source, PAGE, dialect).iter()
            if isinstance(element.tag, str)][1:]


@pytest.mark.parametrize("name", sorted(set(DIALECTS) - {"python-markdown"}))
def test_commonmark_dialects_read_lists_and_strikethrough_as_the_blogs_do(name):
    dialect = DIALECTS[name]

    assert tags("- a\n  - nested two spaces\n- b\n", dialect) == ["ul", "li", "ul", "li", "li"]
    assert tags("1) one\n2) two\n", dialect) == ["ol", "li", "li"]
    assert tags("~~gone~~\n", dialect) == ["p", "del"]
    # Python-Markdown, as Pelican shows them: flat, a paragraph, tildes.
    assert tags("- a\n  - nested two spaces\n- b\n", PYTHON_MARKDOWN) == ["ul", "li", "li", "li"]
    assert tags("1) one\n2) two\n", PYTHON_MARKDOWN) == ["p"]
    assert tags("~~gone~~\n", PYTHON_MARKDOWN) == ["p"]


@pytest.mark.parametrize("name, linked", [
    ("goldmark", True), ("remark", True), ("commonmark", True), ("kramdown", False),
    ("markdown-it", False), ("pulldown-cmark", False), ("python-markdown", False)])
def test_bare_addresses_are_links_where_the_generator_links_them(name, linked):
    root = markdown_to_fragment("See www.example.com and https://example.org/a.\n", PAGE,
                                DIALECTS[name])

    hrefs = [link.get("href") for link in root.iter("a")]
    assert hrefs == (["http://www.example.com", "https://example.org/a"] if linked else [])
    assert fragment_to_text(root) == (
        "See <http://www.example.com> and <https://example.org/a>." if linked
        else "See www.example.com and https://example.org/a.")


def test_smart_punctuation_follows_the_generator():
    source = 'She said "yes" -- twice.\n'

    assert fragment_to_text(markdown_to_fragment(source, PAGE, DIALECTS["goldmark"])) == (
        "She said \u201cyes\u201d \u2013 twice.")
    assert fragment_to_text(markdown_to_fragment(source, PAGE, DIALECTS["pulldown-cmark"])) == (
        'She said "yes" -- twice.')


def test_heading_attributes_keep_the_id_and_classes_only():
    root = markdown_to_fragment('## Plans {#plans .wide onclick="alert(1)"}\n\n[Up](#plans)\n',
                                PAGE, COMMONMARK)

    heading = root.find("h2")
    assert (heading.text, dict(heading.attrib)) == ("Plans", {"id": "plans", "class": "wide"})
    assert root.find(".//a").get("href") == f"{PAGE}#plans"


def test_kramdown_attribute_lists_and_comments_never_reach_the_email():
    source = ("Lead paragraph.\n{: .lead}\n\n"
              '![A map](https://cdn.example.com/map.png){: .center width="50%"} and '
              '[a link](https://example.org){:target="_blank"}.\n\n'
              "| a | b |\n|---|---|\n| 1 | 2 |\n{: .table}\n\n"
              "{::comment}\nA note to myself.\n{:/comment}\n\n"
              "Inline {::comment}aside{:/comment}end, and `{: kept in code}`.\n\n"
              "```\n{: .kept-in-a-block}\n```\n\n"
              "*[HTML]: HyperText Markup Language\n\n- one list\n^\n- another\n")
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)
    text = fragment_to_text(root)

    assert "{:" not in text.replace("{: kept in code}", "").replace("{: .kept-in-a-block}", "")
    assert "A note to myself" not in text and "aside" not in text
    assert "HyperText" not in text and "^" not in text and len(root.findall("ul")) == 2
    assert [len(row) for row in root.iter("tr")] == [2, 2]  # the list is not a table row
    assert root.find(".//img").get("alt") == "A map"
    assert root.find(".//a").get("href") == "https://example.org"
    assert [code.text for code in root.iter("code")] == ["{: kept in code}",
                                                          "{: .kept-in-a-block}\n"]


def test_a_kramdown_comment_left_open_drops_only_its_own_line():
    root = markdown_to_fragment("Before.\n\n{::comment}\n\nAfter, still in the email.\n", PAGE,
                                KRAMDOWN)

    assert fragment_to_text(root) == "Before.\n\nAfter, still in the email."


def test_kramdown_toc_lists_the_headings_linked_to_the_post_on_the_blog():
    source = ("## Contents\n{: .no_toc}\n\n* TOC\n{:toc}\n\n## The start\n\nText.\n\n"
              "### A detail\n\n## The end {#finish}\n\nText.\n")
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)

    toc = root.find("ul")
    links = [(link.text, link.get("href")) for link in toc.iter("a")]
    assert links == [("The start", f"{PAGE}#the-start"), ("A detail", f"{PAGE}#a-detail"),
                     ("The end", f"{PAGE}#finish")]
    assert toc.xpath("li[1]/ul/li/a")[0].text == "A detail"  # nested under its section
    assert "TOC" not in fragment_to_text(root) and "{:" not in fragment_to_text(root)


def test_kramdown_reads_markdown_inside_html_marked_markdown_1():
    source = ('<details open markdown="block">\n  <summary>Contents</summary>\n'
              "  {: .text-delta }\n- TOC\n{:toc}\n</details>\n\n"
              '<div class="notice" markdown="1">\n**Note:** read *this*.\n</div>\n\n'
              "## The part\n")
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)

    assert [(a.text, a.get("href")) for a in root.xpath("//details/ul/li/a")] == [
        ("The part", f"{PAGE}#the-part")]
    assert root.xpath("//div[@class='notice']/p/strong")[0].text == "Note:"
    assert "markdown" not in fragment_html(root) and "{:" not in fragment_to_text(root)


def test_a_kramdown_nomarkdown_block_is_written_out_as_it_is():
    """kramdown writes what {::nomarkdown} ... {:/nomarkdown} holds as it is; its closing line
    ran on inside the HTML block above it, so the email showed "{:/nomarkdown}"."""
    source = ("Intro.\n\n{::nomarkdown}\n<p>Raw <b>HTML</b>, *not emphasis*</p>\n"
              "{:/nomarkdown}\n\n{::nomarkdown}\n<span>Short</span>{:/}\n\nAfter.\n")
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)

    assert fragment_to_text(root) == "Intro.\n\nRaw HTML, *not emphasis*\n\nShort\n\nAfter."
    assert root.xpath("//p/b")[0].text == "HTML" and not root.xpath("//em")


def test_kramdown_parse_block_html_reads_markdown_inside_html_from_the_option_on():
    """{::options parse_block_html="true" /} makes kramdown read Markdown inside <div> and
    <details> for the rest of the post; the email showed its **asterisks**."""
    source = ('<div class="box">\n**Before** the option\n</div>\n\n'
              '{::options parse_block_html="true" /}\n\n'
              '<div class="box">\n**After** the option\n</div>\n\n'
              "<details>\n<summary>More</summary>\n- a *list*\n</details>\n\n"
              '<div markdown="0">\n*kept as written*\n</div>\n')
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)

    assert [strong.text for strong in root.iter("strong")] == ["After"]
    assert root.xpath("//details/ul/li/em")[0].text == "list"
    text = fragment_to_text(root)
    assert "**Before** the option" in text and "*kept as written*" in text
    assert "{:" not in text and "**After**" not in text


def test_kramdown_reads_markdown_in_an_element_marked_markdown_1_inside_plain_html():
    """TeXt's grids: <div class="cell" markdown="1"> cells inside a plain <div>. The outer
    element has no attribute, so the cells' Markdown reached the email as written,
    "![Tile](...){:.rounded}"."""
    source = ('<div class="grid">\n<div class="cell" markdown="1">\n'
              '![Tile](https://cdn.example.com/tile.jpg "Tile"){:.rounded}\n</div>\n'
              '<div class="cell" markdown="1">\n<div>\nplain\n</div>\n**Second** cell\n</div>\n'
              "</div>\n\nAfter.\n")
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)

    assert root.xpath("//div[@class='grid']/div[@class='cell']/p/img")[0].get("alt") == "Tile"
    assert root.xpath("//div[@class='grid']/div[@class='cell'][2]/p/strong")[0].text == "Second"
    text = fragment_to_text(root)
    assert "![" not in text and "{:" not in text and "**" not in text and "After." in text


def test_a_kramdown_toc_with_classes_is_the_table_of_contents():
    """Hydejack's posts write {:toc .large-only}; the seed list stayed, "- Contents", and no
    table of contents was built."""
    source = "- Contents\n{:toc .large-only}\n\n## Why\n\nText.\n\n## When\n\nLater.\n"
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)

    assert [(a.text, a.get("href")) for a in root.xpath("//ul/li/a")] == [
        ("Why", f"{PAGE}#why"), ("When", f"{PAGE}#when")]
    assert "Contents" not in fragment_to_text(root)


def test_a_kramdown_toc_without_headings_leaves_nothing():
    root = markdown_to_fragment("* TOC\n{:toc}\n\nJust a paragraph.\n", PAGE, KRAMDOWN)

    assert fragment_to_text(root) == "Just a paragraph."


def test_kramdown_math_is_shown_as_the_latex_written_never_read_as_markdown():
    """kramdown keeps $$...$$ as written for the blog's MathJax: a block of its own is a code
    block, inside text inline code; underscores, stars and \\\\ stay LaTeX."""
    source = ("Let $$x_i * y_i$$ be *given* and $5 cheap.\n\n$$\na_1 \\\\ b_1 * c *\n$$\n\n"
              "Unclosed $$ stays text.\n")
    root = markdown_to_fragment(source, PAGE, KRAMDOWN)

    assert [code.text for code in root.iter("code")] == ["x_i * y_i", "a_1 \\\\ b_1 * c *\n"]
    assert [em.text for em in root.iter("em")] == ["given"]
    assert "$5 cheap" in fragment_to_text(root) and "Unclosed $$ stays" in fragment_to_text(root)
    commonmark = markdown_to_fragment(source, PAGE, COMMONMARK)  # other blogs: as before
    assert list(commonmark.iter("code")) == [] and "a_1 \\ b_1" in fragment_to_text(commonmark)


# ---- through the commands, on a blog of each generator (tests/generator_sites.py) ----------

FEATURES = ("\n\nThe plan:\n\n- pack\n  - the map\n  - the flask\n- walk\n\n1) first\n2) then\n\n"
            "A ~~long~~ short walk.\n")
NESTS = {"hugo": True, "jekyll": True, "eleventy": True, "astro": True, "zola": True,
         "gatsby": True, "pelican": False}


def blog_with_features(root: Path, generator: str, markdown: str | None = None,
                       also: str = "") -> tuple[str, Path]:
    """A blog of ``generator`` after `init`, its first ready post ending with FEATURES and
    ``also``; its id and the preview folder."""
    SITES[generator](root)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2000-01-01T00:00:00Z")
    if markdown:
        settings = root / "newsletter.toml"
        text = settings.read_text(encoding="utf-8")
        settings.write_text(text.replace("[posts]\n", f'[posts]\nmarkdown = "{markdown}"\n'),
                            encoding="utf-8")
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    post = min((item for item in listed if item["status"] == "ready"), key=lambda p: p["id"])
    path = root / post["file"]
    path.write_text(path.read_text(encoding="utf-8") + FEATURES + also, encoding="utf-8")
    return post["id"], root / "out"


def previewed(root: Path, post_id: str, out: Path):
    result = invoke(root, "preview", post_id, "--out", str(out))
    assert result.exit_code == 0, result.output
    (html,) = out.glob("*/email.html")
    return lxml.html.parse(str(html)).getroot(), html.with_name("email.txt").read_text("utf-8")


@pytest.mark.parametrize("generator", sorted(NESTS))
def test_a_post_renders_in_its_generators_dialect(tmp_path, generator):
    post_id, out = blog_with_features(tmp_path / generator, generator)

    document, text = previewed(tmp_path / generator, post_id, out)

    nested = document.xpath("//li[contains(., 'pack')]/ul/li")
    if NESTS[generator]:
        assert [item.text_content() for item in nested] == ["the map", "the flask"]
        assert [item.text_content() for item in document.xpath("//ol/li")] == ["first", "then"]
        assert document.xpath("//del")[0].text == "long"
        assert "- pack\n  - the map\n  - the flask\n- walk" in text
    else:  # Pelican's Python-Markdown wants four spaces, as the blog shows it
        assert nested == [] and "~~long~~" in text


def test_posts_markdown_setting_chooses_the_dialect(tmp_path):
    post_id, out = blog_with_features(tmp_path / "hugo", "hugo", markdown="python-markdown")

    document, text = previewed(tmp_path / "hugo", post_id, out)

    assert document.xpath("//li[contains(., 'pack')]/ul") == [] and "~~long~~" in text


JEKYLL_WORDS = '\n\nSee https://example.org/map and "the note" -- twice.\n'


@pytest.mark.parametrize("converter, linked, smart", [
    (None, False, True),  # kramdown: its smart quotes, no bare links
    ("CommonMark\ncommonmark:\n  options: [SMART]\n  extensions: [autolink, table]",
     True, True),
    ("CommonMark", False, False),  # jekyll-commonmark with nothing turned on
    ("GFM", True, False),  # GitHub Pages' CommonMarkGhPages: GitHub's bare links
])
def test_a_jekyll_blog_renders_in_the_converter_its_config_names(tmp_path, converter, linked,
                                                                   smart):
    root = tmp_path / "jekyll"
    post_id, out = blog_with_features(root, "jekyll", also=JEKYLL_WORDS)
    if converter:
        with (root / "_config.yml").open("a", encoding="utf-8") as config:
            config.write(f"\nmarkdown: {converter}\n")

    document, text = previewed(root, post_id, out)

    assert [a.get("href") for a in document.xpath("//a[contains(., 'example.org')]")] == (
        ["https://example.org/map"] if linked else [])
    assert ("\u201cthe note\u201d \u2013 twice" in text) is smart
    assert ('"the note" -- twice' in text) is not smart


def test_a_jekyll_blog_with_kramdowns_parse_block_html_shows_markdown_inside_a_div(tmp_path):
    root = tmp_path / "jekyll"
    post_id, out = blog_with_features(root, "jekyll", also=(
        '\n\n<div class="notice">\n**Note:** the *tide* turns.\n</div>\n'))
    with (root / "_config.yml").open("a", encoding="utf-8") as config:
        config.write("kramdown:\n  parse_block_html: true\n")

    document, text = previewed(root, post_id, out)

    assert document.xpath("//div[@class='notice']//strong")[0].text == "Note:"
    assert "Note: the tide turns." in text and "**" not in text


def test_an_unknown_markdown_dialect_is_one_line_naming_the_setting(site):
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text() + '\n[posts]\nmarkdown = "textile"\n')

    result = invoke(site, "posts")

    assert result.exit_code == 2
    number = len(settings.read_text().splitlines())
    assert result.output == (f"error: newsletter.toml:{number}: posts.markdown 'textile' is not "
                             "known; use one of commonmark, kramdown, python-markdown\n")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_tag_in_code_inside_a_list_item_is_shown_as_written_in_commonmark(newline):
    """CommonMark reads a fence indented under a list item as code (Python-Markdown does not):
    the tag in it is shown, never expanded nor reported."""
    source = newline.join(["1. Add the video:", "   ```", '   {{< youtube id="abc" >}}', "   ```",
                           "2. Then the note:", "   ~~~", "   {% include note.html %}", "   ~~~",
                           ""])
    context = TagContext(site_url="https://blog.example.com")

    expansion = expand_tags(source, context, 1, COMMONMARK)
    root = markdown_to_fragment(expansion.markdown, PAGE, COMMONMARK)

    assert expansion.all_problems(root) == ()
    assert [code.text.strip() for code in root.iter("code")] == [
        '{{< youtube id="abc" >}}', "{% include note.html %}"]
    python_markdown = expand_tags(source, context, 1, PYTHON_MARKDOWN)
    assert [problem.line for problem in python_markdown.problems] == [7]
