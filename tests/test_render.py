"""Rendering: the reference post's email against golden files and the rules of docs/email.md.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_render.py``
and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import lxml.html
import pytest

from conftest import REFERENCE_POST, invoke
from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.errors import ConfigError, ContentError, TemplateError
from newsletter.render.email import PLACEHOLDERS, RECIPIENT_FIELDS, render_post
from test_content import add_fixture

GOLDEN = Path(__file__).parent / "golden" / "what-matters"
PADDING = "\u034f\u200c\u00a0"  # &#847;&zwnj;&nbsp; once premailer has decoded them
SAMPLE = {"unsubscribe_url": "https://blog.example.com/unsubscribe?email=a%40example.org&token=t",
          "email": "a@example.org"}


def render(site: Path, name: str = REFERENCE_POST):
    settings = load_settings(site, {})
    posts, errors = load_posts(settings)
    assert errors == []
    post = find_post(posts, name)
    return post, render_post(settings, post)


def render_fixture(site: Path, fixture: str):
    add_fixture(site, fixture)
    return render(site, fixture)


def body_of(html: str):
    return lxml.html.document_fromstring(html).body


def edit_settings(site: Path, old: str, new: str) -> None:
    toml = site / "newsletter.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new))


# A prepared image's name is the hash of its bytes, which another libjpeg may encode differently.
IMAGE_NAME = re.compile(r"cid:[0-9a-f]{16}\.(jpg|png|gif)")


@pytest.mark.parametrize("part, golden", [("html", "email.html"), ("text", "email.txt")])
def test_reference_post_matches_the_golden_files(site, part, golden):
    _, email = render(site)
    rendered = IMAGE_NAME.sub(r"cid:<sha256>.\1", getattr(email, part))
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def test_reference_post_subject_and_preheader(site):
    post, email = render(site)
    assert email.post_id == REFERENCE_POST
    assert email.subject == "What Matters When You Write Every Week"
    assert email.preheader == post.description


def test_css_is_inlined_and_only_media_rules_stay_in_a_style_block(site):
    _, email = render(site)
    assert "<link" not in email.html
    document = lxml.html.document_fromstring(email.html)
    styles = [style.text for style in document.iter("style")]
    # The @media rules, then Apple Mail's detected links alone: Gmail drops a whole block that
    # holds an attribute selector, and with it dark mode.
    assert len(styles) == 2 and styles[1].startswith("a[x-apple-data-detectors]{")
    assert "[" not in styles[0] and "@media" not in styles[1]
    outside_media = _strip_blocks(styles[0], "@media")
    assert outside_media.strip() == ""
    assert "prefers-color-scheme:dark" in styles[0] and "!important" in styles[0]
    assert 'height="auto"' not in email.html  # premailer's invalid attribute is removed


def _strip_blocks(css: str, at_rule: str) -> str:
    """``css`` without each ``at_rule {...}`` block (braces balanced)."""
    out, index = [], 0
    while (start := css.find(at_rule, index)) >= 0:
        out.append(css[index:start])
        depth, index = 0, css.index("{", start)
        while True:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
            if depth == 0:
                break
    return "".join(out) + css[index:]


def test_every_paragraph_and_link_carries_an_inline_style(site):
    _, email = render(site)
    body = body_of(email.html)
    elements = list(body.iter("p", "a"))
    assert len(elements) > 20
    assert [el for el in elements if not el.get("style")] == []


def test_first_text_in_body_is_the_description_then_invisible_padding(site):
    post, email = render(site)
    first = next(text for text in body_of(email.html).itertext() if text.strip())
    assert first == post.description + PADDING * 90
    assert f'<meta name="description" content="{post.description}">' in email.html


def test_exactly_one_get_in_touch_button_for_every_client(site):
    _, email = render(site)
    buttons = [a for a in body_of(email.html).iter("a") if a.text_content().strip() == "Get in touch"]
    assert [a.get("href") for a in buttons] == ["mailto:jane@example.com"]
    # Outlook's VML twin sits in a conditional comment with the same link and size.
    vml = re.search(r"<!--\[if mso\]><v:roundrect[^>]*>", email.html).group(0)
    assert 'href="mailto:jane@example.com"' in vml and "height:48px" in vml and "width:220px" in vml
    assert "<!--[if !mso]><!-- -->" in email.html


def test_html_element_declares_language_and_direction(site):
    _, email = render(site)
    html = lxml.html.document_fromstring(email.html)
    assert (html.get("lang"), html.get("dir")) == ("en", "ltr")


def test_layout_tables_are_presentational_with_an_outlook_ghost_table(site):
    _, email = render(site)
    tables = list(body_of(email.html).iter("table"))
    assert tables and all(table.get("role") == "presentation" for table in tables)
    assert 'width="600"' in email.html
    assert '<!--[if mso]><table role="presentation" width="600"' in email.html


def test_every_link_and_image_is_absolute_once_filled(site):
    _, email = render(site)
    html, _ = email.fill(SAMPLE)
    body = body_of(html)
    urls = [a.get("href") for a in body.iter("a")] + [img.get("src") for img in body.iter("img")]
    assert [url for url in urls if not url.startswith(("https://", "mailto:", "cid:"))] == []
    assert f"cid:{email.images[0].name}" in urls  # the example site sends its image inline


def test_images_have_alt_text_a_width_and_fluid_style(site):
    _, email = render(site)
    images = list(body_of(email.html).iter("img"))
    assert len(images) == 1
    image = images[0]
    assert image.get("alt") == "A notebook, a pencil and a cup of coffee on a wooden desk"
    assert image.get("width") == "520"
    # The whole column up to its own width, even where the client drops the <style> block.
    style = image.get("style")
    assert "width:100%" in style and "max-width:520px" in style and "height:auto" in style


def test_an_image_width_written_with_px_percent_or_a_style_is_the_width_browsers_show(site):
    # Browsers read width="64px" as 64 and "50%" as half the column; the email showed them
    # 520 px wide (a small icon blown up to the whole column).
    (site / "content" / "posts" / "sized.md").write_text(
        '---\ntitle: "Sized"\ndate: "2026-11-02T09:00:00Z"\n---\n\n'
        '<img src="https://example.com/icon.png" alt="Icon" width="64px">\n'
        '<img src="https://example.com/half.png" alt="Half" width=" 50%">\n'
        '<img src="/media/what-matters-desk.jpg" alt="Desk" width="200px">\n'
        '<img src="https://example.com/logo.png" alt="Logo" width="600" style="width: 150px;">\n',
        encoding="utf-8")
    _, email = render(site, "sized")
    widths = {img.get("alt"): (img.get("width"), img.get("style"))
              for img in body_of(email.html).iter("img")}
    assert widths["Icon"][0] == "64" and "max-width:64px" in widths["Icon"][1]
    assert widths["Half"][0] == "260" and "max-width:260px" in widths["Half"][1]
    assert widths["Desk"][0] == "200" and "max-width:200px" in widths["Desk"][1]
    # The style wins, as in browsers: Outlook, which reads only the attribute, shows 150 too.
    assert widths["Logo"][0] == "150" and "max-width:150px" in widths["Logo"][1]


def test_footer_reads_online_unsubscribes_and_shows_the_postal_address(site):
    post, email = render(site)
    footer = next(td for td in body_of(email.html).iter("td") if td.get("class") == "footer")
    links = {a.text_content(): a.get("href") for a in footer.iter("a")}
    assert links == {"Read online": post.url, "Unsubscribe": PLACEHOLDERS["unsubscribe_url"]}
    assert "1 Example Street, Springfield" in footer.text_content()


def test_text_part_holds_the_title_every_paragraph_and_the_call_to_action(site):
    post, email = render(site)
    # Compare words only: quotes get "> " and links " <url>" in the text part.
    without_markup = re.sub(r"^> ?", "", re.sub(r"\s<[^>\s]+>", "", email.text), flags=re.MULTILINE)
    words = " ".join(without_markup.split())
    assert email.text.startswith(post.title + "\n" + "=" * len(post.title) + "\n")
    content = next(td for td in body_of(email.html).iter("td") if td.get("class") == "content")
    paragraphs = [" ".join(p.text_content().split()) for p in content.iter("p")]
    assert len(paragraphs) > 20
    assert [p for p in paragraphs if p not in words] == []
    text = " ".join(email.text.split())
    assert ("the importance of the daily practice "
            "<https://austinkleon.com/2019/09/30/the-importance-of-a-daily-practice/>") in text
    assert "[Image: A notebook, a pencil and a cup of coffee on a wooden desk]" in text
    assert "Showing up is the whole trick\n-----------------------------" in email.text
    assert "- Chasing a perfect headline." in email.text and "1. Write the first draft" in email.text
    assert "> Perfectionism is the voice of the oppressor" in email.text
    tail = email.text.rstrip().splitlines()[-8:]
    assert tail == [
        "Get in touch: mailto:jane@example.com",
        "",
        "Read online: https://blog.example.com/posts/what-matters",
        "Unsubscribe: %%unsubscribe_url%%",
        "",
        "You receive this because %%email%% subscribed to",
        "Example Notes <https://blog.example.com>.",
        "1 Example Street, Springfield",
    ]


def test_fill_escapes_values_in_html_and_keeps_them_raw_in_text(site):
    _, email = render(site)
    values = {"unsubscribe_url": "https://x.example/u?a=1&b=%%email%%", "email": "o'neil<x>@example.org"}
    html, text = email.fill(values)
    assert 'href="https://x.example/u?a=1&amp;b=%%email%%"' in html  # values are not re-scanned
    assert "o&#x27;neil&lt;x&gt;@example.org" in html
    assert "Unsubscribe: https://x.example/u?a=1&b=%%email%%" in text
    assert "o'neil<x>@example.org subscribed" in text
    assert "%%unsubscribe_url%%" not in html + text


def test_fill_needs_every_recipient_field(site):
    _, email = render(site)
    assert RECIPIENT_FIELDS == ("unsubscribe_url", "email")
    with pytest.raises(KeyError):
        email.fill({"email": "a@example.org"})


def test_a_post_cannot_inject_a_recipient_placeholder(site):
    with pytest.raises(ContentError) as caught:
        render_fixture(site, "placeholder_in_body.md")
    assert str(caught.value) == (
        "content/posts/placeholder_in_body.md: the post contains %%unsubscribe_url%%, which is reserved "
        "for each reader's unsubscribe_url; write it differently (for example with spaces: %% email %%)")


def test_html_in_title_and_description_never_reaches_markup_or_headers(site):
    _, email = render_fixture(site, "title_with_html.md")
    assert email.subject == "Hello World & alert(1)Friends"
    assert "<script" not in email.html and "<em>World" not in email.html and "<b>bold" not in email.html
    assert "<title>Hello World &amp; alert(1)Friends</title>" in email.html
    assert email.preheader == "A bold claim & more"
    assert '<meta name="description" content="A bold claim &amp; more">' in email.html


def test_character_references_in_title_and_description_read_as_their_characters(site):
    # WordPress imports write titles this way; the blog shows "&", the subject showed "&amp;".
    (site / "content" / "posts" / "entities.md").write_text(
        '---\ntitle: "Tom &amp; Jerry&#8217;s &lt;div&gt; soup"\ndate: "2026-11-02T09:00:00Z"\n'
        'description: "Cats &amp; mice &mdash; at AT&T, &copy2026"\n---\n\nBody.\n',
        encoding="utf-8")
    _, email = render(site, "entities")
    assert email.subject == "Tom & Jerry\u2019s <div> soup"
    assert email.preheader == "Cats & mice \u2014 at AT&T, &copy2026"
    assert "<title>Tom &amp; Jerry\u2019s &lt;div&gt; soup</title>" in email.html
    assert email.text.startswith("Tom & Jerry\u2019s <div> soup\n")


def test_a_button_link_with_spaces_is_whole_in_both_parts(site):
    # mailto:...?subject=Hello there: the text part's link ended at the space, and the VML
    # button of Outlook carried the raw space.
    (site / "content" / "posts" / "ask.md").write_text(
        '---\ntitle: "Ask"\ndate: "2026-11-02T09:00:00Z"\ncta_text: "Ask me"\n'
        'cta_url: "mailto:jane@example.com?subject=A question &body=Hi Jane "\n---\n\nBody.\n',
        encoding="utf-8")
    _, email = render(site, "ask")
    url = "mailto:jane@example.com?subject=A%20question%20&body=Hi%20Jane"
    assert email.html.count(f'href="{url.replace("&", "&amp;")}"') == 2  # VML and <a>
    assert f"Ask me: {url}\n" in email.text


def test_a_title_on_two_lines_becomes_a_one_line_subject(site):
    _, email = render_fixture(site, "title_with_newline.md")
    assert email.subject == "A Title On Two Lines"


def test_front_matter_overrides_subject_preheader_button_and_language(site):
    _, email = render_fixture(site, "cta_and_subject_overrides.md")
    assert email.subject == "A Custom Subject"
    assert email.preheader == "A custom preheader"
    html = lxml.html.document_fromstring(email.html)
    assert (html.get("lang"), html.get("dir")) == ("he", "rtl")
    buttons = [a.get("href") for a in html.body.iter("a") if a.text_content() == "Book a call"]
    assert buttons == ["https://cal.example.com/jane"]
    assert "Book a call: https://cal.example.com/jane" in email.text


def test_button_defaults_to_mailto_the_sender(site):
    edit_settings(site, 'cta_url = "mailto:jane@example.com"\n', "")
    edit_settings(site, 'from = "Jane Writer <jane@example.com>"', 'from = "Jane Writer <hello@example.com>"')
    _, email = render(site)
    assert [a.get("href") for a in body_of(email.html).iter("a")
            if a.text_content() == "Get in touch"] == ["mailto:hello@example.com"]


def test_subject_format_from_settings(site):
    edit_settings(site, 'subject = "{title}"', 'subject = "{site}: {title}"')
    _, email = render(site)
    assert email.subject == "Example Notes: What Matters When You Write Every Week"


def test_subject_format_with_an_unknown_field(site):
    edit_settings(site, 'subject = "{title}"', 'subject = "{titel}"')
    with pytest.raises(ConfigError) as caught:
        render(site)
    number = (site / "newsletter.toml").read_text().splitlines().index('subject = "{titel}"') + 1
    assert str(caught.value) == (f"newsletter.toml:{number}: email.subject may not use "
                                 "{titel}; use the fields {title}, {description}, {slug}, {url}, {date}, {site}, "
                                 "e.g. {date:%B %d}")


def test_a_post_without_description_gets_no_preheader(site):
    _, missing = render_fixture(site, "description_missing.md")
    assert missing.preheader == ""
    assert 'class="preheader"' not in missing.html


def test_relative_and_protocol_relative_links_become_absolute(site):
    _, email = render_fixture(site, "relative_links.md")
    content = next(td for td in body_of(email.html).iter("td") if td.get("class") == "content")
    assert [a.get("href") for a in content.iter("a")] == [
        "https://blog.example.com/archive",
        "https://blog.example.com/other-post",  # as a browser reads it on /posts/relative-links
        "https://blog.example.com/posts/notes.pdf",
        "https://example.org/x",
        "https://cdn.example.com/y",
    ]
    assert "[Image: A photo next to the post]" in email.text


def test_image_widths_are_capped_to_the_column(site):
    _, email = render_fixture(site, "image_without_alt.md")
    images = {img.get("src"): img for img in body_of(email.html).iter("img")}
    wide = images["https://cdn.example.com/wide.jpg"]
    assert wide.get("width") == "520" and wide.get("height") is None
    assert images["https://blog.example.com/media/chart.png"].get("alt") == ""
    assert "[Image]" in email.text and "[Image: A wide view]" in email.text


def test_footnotes_tables_code_and_line_breaks(site):
    _, email = render_fixture(site, "footnotes_and_table.md")
    body = body_of(email.html)
    data_table = next(t for t in body.iter("table") if t.get("role") is None)
    assert [th.text for th in data_table.iter("th")] == ["Day", "Words"]
    assert "&lt;b&gt;not bold&lt;/b&gt;" in email.html
    assert "A claim that needs a source.[1]" in email.text
    assert "Day | Words\n--- | -----\nMon | 500\nTue | 750" in email.text
    assert '    print("<b>not bold</b>")' in email.text
    assert "A line\nbreak here." in email.text
    assert "1. The source, at example.org <https://example.org/source>." in email.text


@pytest.mark.parametrize("template, source, line", [
    ("email.html", "<p>{{ title }</p>\n",
     "templates/email.html:1: unexpected '}'"),
    ("email.txt", "{{ title }}\n\n{{ no_such_value }}\n",
     "templates/email.txt:3: 'no_such_value' is undefined"),
])
def test_template_errors_name_the_file_and_line(site, template, source, line):
    (site / "templates" / template).write_text(source)
    with pytest.raises(TemplateError) as caught:
        render(site)
    assert str(caught.value) == line
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("template", ["email.html", "email.txt", "email.css"])
def test_a_missing_template_file(site, template):
    (site / "templates" / template).unlink()
    with pytest.raises(TemplateError) as caught:
        render(site)
    assert str(caught.value) == f"templates/{template}: template file not found; run `newsletter init` to restore it"


def test_an_image_its_style_floats_gets_the_align_outlook_honours(site):
    post = site / "content" / "posts" / "floating.md"
    post.write_text('---\ntitle: Floating\ndate: 2026-01-02\n---\n\n'
                    '<img src="https://example.com/a.png" alt="A" style="float: right; width: 90px">\n'
                    '<img src="https://example.com/b.png" alt="B" style="margin: 0">\n\n'
                    'Text beside them.\n', encoding="utf-8")
    _, email = render(site, "floating")
    images = {image.get("alt"): image for image in body_of(email.html).iter("img")}
    assert images["A"].get("align") == "right" and "float:right" in images["A"].get("style")
    assert images["B"].get("align") is None


def test_a_description_written_in_markdown_previews_as_its_words(site):
    # Jekyll's SEO tag shows a description through markdownify: the inbox showed "**small**"
    # and the backticks.
    (site / "content" / "posts" / "marked.md").write_text(
        '---\ntitle: "Marked"\ndate: "2026-11-02T09:00:00Z"\n'
        'description: "Why **small** posts win, in `three` steps & [one rule](https://x.example)"\n'
        '---\n\nThe body.\n', encoding="utf-8")
    _, email = render(site, "marked")
    words = "Why small posts win, in three steps & one rule"
    assert email.preheader == words
    html = lxml.html.document_fromstring(email.html)
    assert html.find_class("preheader")[0].text_content().startswith(words + "\u034f")
    assert html.xpath("//meta[@name='description']/@content") == [words]


def test_an_image_written_with_a_srcset_alone_shows_its_widest_candidate(site):
    # <img srcset="..."> without a src, as pasted from a page: browsers pick a candidate, the
    # email had none, and check refused the post ("an image has no src", on no line).
    (site / "content" / "posts" / "srcset.md").write_text(
        '---\ntitle: "Srcset"\ndate: "2026-11-02T09:00:00Z"\ndescription: "d"\n---\n\n'
        '<img srcset="https://example.com/desk-480.jpg 480w, https://example.com/desk-960.jpg'
        ' 960w" sizes="100vw" alt="A desk by the window">\n\n'
        '<img srcset="/media/what-matters-desk.jpg 2x" alt="The same desk">\n', encoding="utf-8")
    _, email = render(site, "srcset")
    images = {img.get("alt"): img for img in body_of(email.html).iter("img")}
    assert images["A desk by the window"].get("src") == "https://example.com/desk-960.jpg"
    assert IMAGE_NAME.fullmatch(images["The same desk"].get("src"))
    assert invoke(site, "check", "srcset").exit_code == 0


def test_a_post_element_with_a_class_of_the_emails_layout_keeps_its_own_look(site):
    # A bookmark card's <div class="title"> took the email title's 30 px bold, a Bootstrap
    # <div class="container"> the card's background and width, a <p class="footer"> the
    # footer's 13 px type: email.css styles those classes of the layout.
    (site / "content" / "posts" / "classes.md").write_text(
        '---\ntitle: "Classes"\ndate: "2026-11-02T09:00:00Z"\ndescription: "d"\n---\n\n'
        '<div class="container"><div class="bookmark"><div class="title">A bookmark</div>'
        '<p class="footer note">Its source</p></div></div>\n', encoding="utf-8")
    _, email = render(site, "classes")
    body = body_of(email.html)
    title = next(div for div in body.iter("div") if div.text == "A bookmark")
    assert "font-size" not in (title.get("style") or "") and title.get("class") is None
    container = title.getparent().getparent()
    assert "background-color" not in (container.get("style") or "")
    source = next(p for p in body.iter("p") if p.text == "Its source")
    assert source.get("class") == "note" and "font-size:18px" in source.get("style")
    assert body.find(".//h1").get("class") == "title"  # the email's own title keeps its class
