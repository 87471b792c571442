"""MDX posts (Astro, Gatsby): their import and export lines and comments are left out of the
email, their code blocks kept whole, and their JSX (components, expressions) is a
template-syntax error at its line, shown as text, never as markup."""

from __future__ import annotations

import json

import lxml.html

from generator_sites import picture, write_files
from test_generators import make_blog

from conftest import invoke
from newsletter.render.tags import TagContext, expand_tags


def expand_mdx(body: str) -> tuple[str, list[tuple[int, str]]]:
    expansion = expand_tags(body, TagContext(site_url="https://example.com", mdx=True))
    return expansion.markdown, [(problem.line, problem.message) for problem in expansion.problems]


def test_esm_and_comments_are_left_out_and_code_keeps_its_imports(tmp_path):
    root, _ = make_blog(tmp_path, "astro")
    assert invoke(root, "preview", "using-a-chart").exit_code == 0
    text = (root / "preview" / "using-a-chart" / "email.txt").read_text()
    html = (root / "preview" / "using-a-chart" / "email.html").read_text()
    assert "Turn the chart until the date meets the hour." in text
    for gone in ("import Chart", "export const", "tilt", "the club's chart"):
        assert gone not in text and gone not in html
    assert "import math" in text and "import math" in html  # in the code block, as written


def test_a_component_keeps_what_it_holds_with_a_warning_and_never_reaches_the_email_as_markup(
        tmp_path):
    root, _ = make_blog(tmp_path, "astro")
    write_files(root, {"src/content/blog/meteor-watch.mdx": (
        "---\ntitle: 'Meteor Watch'\npubDate: 'Aug 12 2024'\n---\n\n"
        "import Counter from '../../components/Counter.astro';\n\n"
        "Count them with me:\n\n"
        "<Counter start={0} label=\"meteors > 10\" onclick=\"alert(1)\">\n  Tap\n</Counter>\n\n"
        "<Chart data={[4, 8]} />\n\nUse `<Counter>` in your own pages.\n")})

    result = invoke(root, "check", "meteor-watch", "--json")
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1
    assert [(f["code"], f["where"], f["message"]) for f in findings
            if f["code"] == "template-degraded"] == [
        ("template-degraded", "src/content/blog/meteor-watch.mdx:10", "<Counter> is an MDX "
         "component the site's code draws; the email shows what it holds without it"),
        ("template-degraded", "src/content/blog/meteor-watch.mdx:14", "<Chart> is an MDX "
         "component the site's code draws; it is left out of the email")]

    invoke(root, "preview", "meteor-watch")
    html = (root / "preview" / "meteor-watch" / "email.html").read_text()
    text = (root / "preview" / "meteor-watch" / "email.txt").read_text()
    document = lxml.html.fromstring(html)
    assert not document.xpath("//counter | //chart | //*[@onclick]")
    assert "Count them with me:\n\nTap\n\nUse <Counter> in your own pages." in text
    for part in (document.text_content(), text):
        assert "start={0}" not in part and "data={" not in part and "</Counter>" not in part
    assert [code.text for code in document.iter("code")] == ["<Counter>"]  # code, as written


def test_expressions_are_reported_and_escaped_braces_are_text():
    markdown, problems = expand_mdx("Made in {new Date().getFullYear()}.\n\nA set: \\{1, 2\\}.\n")
    assert problems == [(1, "{new Date().getFullYear()} is an MDX expression: the site's "
                            "code works it out, an email cannot")]
    assert "\\{1, 2\\}" in markdown


def test_a_string_literal_expression_is_its_text():
    """{' '} (what formatters leave at a line's end) and {"..."} show their text, as JSX does."""
    markdown, problems = expand_mdx("Ink, paper{' '}\nand {\"a \\\"quill\\\"\"} {'<b>'}.\n")
    assert problems == []
    assert markdown == "Ink, paper\nand a &quot;quill&quot; &lt;b&gt;.\n"


def test_a_markdown_post_keeps_its_braces_and_capitalised_words():
    expansion = expand_tags("Sets {a, b} and <Tag> in plain Markdown.\n",
                            TagContext(site_url="https://example.com"))
    assert expansion.problems == () and "{a, b}" in expansion.markdown


def test_astro_and_gatsby_image_components_arrive_as_the_posts_images(tmp_path):
    """docs.astro.build (Images in MDX): <Image src={imported} alt="..." /> of astro:assets,
    its file imported by name; gatsby-plugin-image's <StaticImage src="..." alt="..." />. Both
    are the image, sent inline; a component of the same name the post did not import from
    those modules is still an error."""
    root, _ = make_blog(tmp_path, "astro")
    write_files(root, {
        "src/assets/lens.png": picture((40, 40, 90), "PNG"),
        "src/content/blog/new-lens.mdx": (
            "---\ntitle: 'A New Lens'\ndescription: 'Glass.'\npubDate: 'Sep 02 2024'\n---\n"
            "import { Image as Picture } from 'astro:assets';\nimport { StaticImage } from "
            '"gatsby-plugin-image";\nimport lens from "../../assets/lens.png";\n\n'
            'It came today. <Picture src={lens} alt="The lens, boxed" />\n\n'
            '<StaticImage src="../../assets/lens.png" alt="The lens again" width={300} />\n'),
        "src/content/blog/own-image.mdx": (
            "---\ntitle: 'Own'\ndescription: 'Mine.'\npubDate: 'Sep 03 2024'\n---\n"
            "import Image from '../../components/Image.astro';\n\n"
            'My chart:\n\n<Image src="/chart.jpg" alt="x" />\n'),
    })
    assert invoke(root, "preview", "new-lens").exit_code == 0
    page = lxml.html.fromstring((root / "preview/new-lens/email.html").read_bytes())
    images = [image.get("alt") for image in page.iter("img")
              if image.get("src", "").startswith("images/")]
    assert images == ["The lens, boxed", "The lens again"]
    result = invoke(root, "check", "own-image", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["message"] == (
        "<Image> is an MDX component the site's code draws; it is left out of the email")


def test_tabs_and_note_boxes_are_labelled_sections_with_their_content_as_markdown(tmp_path):
    """Docusaurus's <Tabs> of <TabItem label>, its content indented inside (MDX has no indented
    code: it is text), Nextra's <Tabs items={[...]}> of <Tabs.Tab>, a <Callout> and Starlight's
    <Aside>: each tab under its label, one after another, each box under its title or kind;
    shown whole, so nothing to report, and no component in either part."""
    root, _ = make_blog(tmp_path, "docusaurus")
    write_files(root, {"journal/2024-07-01-planing.mdx": (
        "---\ntitle: Planing\ndescription: Planes.\n---\n\n"
        "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n"
        "Pick your plane.\n\n<Tabs>\n  <TabItem value=\"jack\" label=\"Jack plane\" default>\n"
        "    Long and **flat**.\n  </TabItem>\n  <TabItem value=\"block\">\n\n"
        "    Small and handy.\n\n  </TabItem>\n</Tabs>\n\n"
        "<Tabs items={['Oil', \"Wax\"]}>\n  <Tabs.Tab>Soaks in.</Tabs.Tab>\n"
        "  <Tabs.Tab>Sits on top.</Tabs.Tab>\n</Tabs>\n\n"
        "<Callout type=\"warning\">\n  Keep your fingers behind the iron.\n</Callout>\n\n"
        "<Aside type=\"tip\" title=\"Wax the sole\">It glides.</Aside>\n")})

    result = invoke(root, "check", "2024-07-01-planing")
    assert invoke(root, "preview", "2024-07-01-planing").exit_code == 0
    html = (root / "preview" / "2024-07-01-planing" / "email.html").read_text()
    text = (root / "preview" / "2024-07-01-planing" / "email.txt").read_text()

    assert result.exit_code == 0, result.output
    document = lxml.html.fromstring(html)
    assert [strong.text for strong in document.iter("strong")] == [
        "Jack plane", "flat", "block", "Oil", "Wax", "Warning", "Wax the sole"]
    assert not list(document.iter("pre", "code"))  # the indented lines are text
    assert ("Pick your plane. Jack plane Long and flat. block Small and handy. Oil Soaks in. "
            "Wax Sits on top. Warning Keep your fingers behind the iron. Wax the sole It glides."
            ) in " ".join(text.split())
    assert "\nJack plane\n\nLong and flat.\n" in text
    for part in (html, text):
        assert "Tab" not in part and "Callout" not in part and "Aside" not in part


def test_a_docusaurus_md_post_is_read_as_mdx_unless_its_settings_say_detect(tmp_path):
    """Docusaurus reads .md files as MDX (markdown.format 'mdx', its default): their import
    lines are not mailed as text, nor their <Tabs> as elements no client knows. With
    format: 'detect' a .md file is CommonMark, and its braces and capitalised tags are text."""
    root, _ = make_blog(tmp_path, "docusaurus")
    post = ("---\ntitle: Planing\ndescription: Planes.\n---\n\n"
            "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n"
            "<Tabs>\n  <TabItem value=\"jack\" label=\"Jack plane\">\n\n  Long and flat.\n\n"
            "  </TabItem>\n</Tabs>\n")
    write_files(root, {"journal/2024-07-01-planing.md": post})

    assert invoke(root, "preview", "2024-07-01-planing").exit_code == 0
    html = (root / "preview" / "2024-07-01-planing" / "email.html").read_text()
    text = (root / "preview" / "2024-07-01-planing" / "email.txt").read_text()
    document = lxml.html.fromstring(html)
    assert not document.xpath("//tabs | //tabitem")
    assert "import" not in text and "Jack plane\n\nLong and flat." in text

    config = root / "docusaurus.config.ts"
    config.write_text(config.read_text().replace("const config: Config = {",
                                                 "const config: Config = {\n  markdown: "
                                                 "{format: 'detect'},"))
    assert invoke(root, "preview", "2024-07-01-planing").exit_code == 0
    assert "import Tabs from" in (root / "preview" / "2024-07-01-planing" / "email.txt").read_text()
