"""Rendering every element a post can hold (the kitchen-sink post, in each Markdown dialect),
heading ids as the blog has them, same-page links, the wrapper screen readers read, and
attributes only where HTML has them. How the result looks in a browser is
tests/test_email_browser.py's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from test_render import body_of, edit_settings, render, render_fixture

from newsletter.config import load_settings
from newsletter.render import CONFIRM, WELCOME, encoded_html_size, github_slug, render_notice

CHECK_FIXTURES = Path(__file__).parent / "fixtures" / "check"
POST_URL = "https://blog.example.com/posts/link_fragment_to_heading"
# Where HTML allows each presentational attribute (body, tables, rows, cells; image sizes).
ALLOWED = {"width": {"table", "td", "th", "img", "col"}, "height": {"table", "td", "th", "img"},
           "bgcolor": {"body", "table", "tr", "td", "th"}, "align": {"table", "tr", "td", "th"},
           "valign": {"tr", "td", "th"}}


def content_of(html: str):
    return next(td for td in body_of(html).iter("td") if "content" in td.classes)


@pytest.mark.parametrize("heading, slug", [
    ("Hello World", "hello-world"),
    ("The first transition", "the-first-transition"),
    ("Why it matters: a \u201cshort\u201d answer", "why-it-matters-a-short-answer"),
    ("Don\u2019t panic", "dont-panic"),
    ("C++ & C#", "c--c"),
    ("Emoji \U0001f389 party", "emoji--party"),
    ("snake_case and kebab-case", "snake_case-and-kebab-case"),
    ("foo \u2013 bar", "foo----bar"),  # smarty's "--": GitHub slugs the source's two hyphens
    ("\u00dcber caf\u00e9s", "\u00fcber-caf\u00e9s"),
    ("\u0428\u0440\u0438\u0444\u0442 2.0", "\u0448\u0440\u0438\u0444\u0442-20"),
])
def test_heading_ids_are_githubs_slugs(heading, slug):
    assert github_slug(heading) == slug


def test_a_table_of_contents_leads_to_the_headings_on_the_blog(site):
    shutil.copy(CHECK_FIXTURES / "link_fragment_to_heading.md", site / "content" / "posts")
    _, email = render(site, "link_fragment_to_heading")
    content = content_of(email.html)
    links = [a.get("href") for a in content.iter("a")]
    assert links[:4] == [f"{POST_URL}#the-first-transition",
                         f"{POST_URL}#why-it-matters-a-short-answer",
                         f"{POST_URL}#the-first-transition-1", f"{POST_URL}#by-hand"]
    # A note and an element of the post keep their ids: those links stay inside the email.
    assert {"#fn:1", "#raw-anchor", "#fnref:1"} <= set(links)
    ids = {element.get("id") for element in content.iter() if element.get("id")}
    assert {"the-first-transition", "the-first-transition-1", "by-hand", "fn:1", "fnref:1",
            "raw-anchor"} <= ids
    assert f"- The first transition <{POST_URL}#the-first-transition>" in " ".join(
        email.text.split())
    assert "A claim with a note.[1]" in email.text


def test_a_fragment_that_matches_nothing_goes_to_the_blog_page(site):
    shutil.copy(CHECK_FIXTURES / "link_fragment.md", site / "content" / "posts")
    _, email = render(site, "link_fragment")
    assert [a.get("href") for a in content_of(email.html).iter("a")] == [
        "https://blog.example.com/posts/link_fragment#notes"]


def read_as(site: Path, markdown: str | None) -> None:
    """Posts of ``site`` read in the dialect ``markdown`` (None: the site's own, Python-Markdown)."""
    if markdown:
        settings = site / "newsletter.toml"
        settings.write_text(settings.read_text() + f'\n[posts]\nmarkdown = "{markdown}"\n')


DIALECTS = [None, "commonmark", "kramdown"]


@pytest.mark.parametrize("markdown", DIALECTS)
def test_the_kitchen_sink_holds_every_element_each_styled_inline(site, markdown):
    read_as(site, markdown)
    _, email = render_fixture(site, "kitchen-sink")
    content = content_of(email.html)
    tags = {element.tag for element in content.iter() if isinstance(element.tag, str)}
    assert {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "blockquote", "figure",
            "figcaption", "footer", "cite", "img", "pre", "code", "table", "th", "td", "hr", "dl",
            "dt", "dd", "sup", "strong", "em", "del", "a", "wbr"} <= tags
    assert content.cssselect("li ul li ol li")  # lists three deep
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "code", "th", "td", "dt",
                "dd", "figcaption", "blockquote"):
        for element in content.iter(tag):
            assert "color:" in element.get("style", ""), (tag, element.text_content()[:40])
    boxes = [(box.text, box.get("role"), box.get("aria-label")) for box in
             content.cssselect("li.task > span.task-box")]
    assert boxes == [("\u2611", "img", "done"), ("\u2610", "img", "not done"),
                     ("\u2610", "img", "not done")]
    assert "- \u2611 Pick the question of the week" in email.text
    # Data tables keep their meaning and sit in a block that scrolls; layout tables do not.
    data_table = content.cssselect(".table-scroll > table")[0]
    assert data_table.get("role") is None and len(data_table.cssselect("thead th")) == 5
    assert ("Week | Posts | Words | Replies | The question that started it\n"
            "---- | ----- | ----- | ------- | ----------------------------\n1 | 1 |") in email.text


@pytest.mark.parametrize("markdown", DIALECTS)
def test_a_long_address_breaks_at_its_slashes_and_keeps_its_text(site, markdown):
    read_as(site, markdown)
    _, email = render_fixture(site, "kitchen-sink")
    address = ("https://example.com/archives/2026/11/a-very-long-address-that-has-no-space-"
               "anywhere-in-it-at-all/index.html")
    link = next(a for a in content_of(email.html).iter("a") if a.get("href") == address)
    assert link.text_content() == address and len(list(link.iter("wbr"))) >= 6
    assert "</wbr>" not in email.html
    assert f"<{address}>" in email.text  # the text part is untouched
    code = next(c for c in content_of(email.html).iter("code") if "--since" in c.text_content())
    assert code.find("wbr") is None  # code keeps its characters


@pytest.mark.parametrize("fixture, markdown", [("kitchen-sink", None), (None, None),
                                               ("kitchen-sink", "commonmark")])
def test_presentational_attributes_only_where_html_allows_them(site, fixture, markdown):
    read_as(site, markdown)
    _, email = render_fixture(site, fixture) if fixture else render(site)
    misplaced = [(element.tag, name) for element in lxml.html.document_fromstring(email.html).iter()
                 for name in ALLOWED if name in element.attrib and element.tag not in ALLOWED[name]]
    assert misplaced == []
    button = next(a for a in body_of(email.html).iter("a") if "button" in a.get("class", ""))
    assert set(button.attrib) == {"class", "href", "style"}


def test_an_article_wrapper_tells_screen_readers_the_language_and_the_subject(site):
    post, email = render_fixture(site, "cta_and_subject_overrides.md")
    wrapper = body_of(email.html).cssselect("div.email")[0]
    assert (wrapper.get("role"), wrapper.get("aria-roledescription")) == ("article", "email")
    assert wrapper.get("aria-label") == email.subject == "A Custom Subject"
    assert (wrapper.get("lang"), wrapper.get("dir")) == ("he", "rtl")
    assert wrapper.cssselect("table.wrapper") and wrapper.cssselect("td.footer")


@pytest.mark.parametrize("kind", [CONFIRM, WELCOME])
def test_the_sign_up_emails_share_the_skeleton(site, kind):
    settings = load_settings(site, {})
    email = render_notice(settings, kind)
    _, post = render(site)
    body = body_of(email.html)
    wrapper = body.cssselect("div.email")[0]
    assert (wrapper.get("role"), wrapper.get("aria-label"), wrapper.get("lang")) == (
        "article", email.subject, "en")
    assert all(table.get("role") == "presentation" for table in body.iter("table"))
    container = body.cssselect("table.container")[0]
    assert container.get("width") == "100%" and "max-width:600px" in container.get("style")
    assert '<!--[if mso]><table role="presentation" width="600"' in email.html
    # The same <style> block as a post's: phone refinements and dark mode.
    def styles(html: str) -> list[str]:
        return [style.text for style in lxml.html.document_fromstring(html).iter("style")]

    assert styles(email.html) == styles(post.html)


def test_a_site_title_with_an_apostrophe_and_ampersand_reads_as_written_in_sign_up_subjects(site):
    edit_settings(site, 'title = "Example Notes"', 'title = "Jane\'s Bits & <Bytes>"')
    settings = load_settings(site, {})
    assert [render_notice(settings, kind).subject for kind in (CONFIRM, WELCOME)] == [
        "Confirm your subscription to Jane's Bits & <Bytes>", "Welcome to Jane's Bits & <Bytes>"]


def test_a_right_to_left_sites_sign_up_emails_indent_lists_on_the_right(site):
    # A writer's welcome email may hold a list: its bullets' indent goes where lines start.
    edit_settings(site, 'language = "en"', 'language = "he"')
    settings = load_settings(site, {})
    for kind in (CONFIRM, WELCOME):
        content = next(td for td in body_of(render_notice(settings, kind).html).iter("td")
                       if "content" in td.classes)
        assert content.classes == {"content", "rtl"}


def test_the_templates_text_lines_fit_78_columns_with_a_readers_values(site):
    # RFC 5322's 78 characters: a text reader's terminal showed the footer and the sign-up
    # emails' sentences wrapped mid-word. A line holding a URL may be longer.
    settings = load_settings(site, {})
    values = {"unsubscribe_url": "https://blog.example.com/unsubscribe/" + "T" * 46,
              "email": "firstname.lastname@example.org"}
    emails = [render(site)[1], *(render_notice(settings, kind) for kind in (CONFIRM, WELCOME))]
    for email in emails:
        text = email.fill(values)[1]
        ending = text[text.index("Get in touch"):] if "Get in touch" in text else text
        assert [line for line in ending.splitlines() if len(line) > 78 and "://" not in line] == []


def test_the_example_posts_html_part_stays_under_20_kb(site):
    _, email = render(site)
    assert 15 * 1024 < encoded_html_size(email.html) <= 20 * 1024


def test_a_long_word_holding_a_control_character_is_left_whole(site):
    post = site / "content" / "posts" / "control.md"
    post.write_text('---\ntitle: "Control"\ndate: "2026-11-02T09:00:00Z"\n---\n\n'
                    "See \x01https://example.com/a/very/long/path/that/would/break here.\n",
                    encoding="utf-8")
    _, email = render(site, "control")
    assert "https://example.com/a/very/long/path/that/would/break" in email.text
    assert "{{" not in email.html and "}}" not in email.html


def test_a_style_the_post_writes_restyles_nothing_and_a_videos_urls_are_absolute(site):
    _, email = render_fixture(site, "raw_style_and_video.md")
    body = body_of(email.html)
    assert "red" not in (body.get("style") or "")
    assert not any("#ff00ff" in (element.get("style") or "") for element in body.iter())
    assert "<style>body" not in email.html and "background: red" not in email.text
    video = next(body.iter("video"))
    folder = "https://blog.example.com/posts/"  # beside the page /posts/raw-style-and-video
    assert (video.get("src"), video.get("poster")) == (folder + "walk.mp4", folder + "still.jpg")
    assert next(body.iter("source")).get("src") == folder + "walk.webm"


def test_a_right_to_left_post_indents_lists_and_rules_quotes_on_the_right(site):
    _, email = render_fixture(site, "right_to_left.md")
    content = content_of(email.html)
    quote = next(content.iter("blockquote")).get("style")
    assert "border-right:4px solid" in quote and "padding:0 16px 0 0" in quote
    assert "border-left:0" in quote
    assert "padding:0 24px 0 0" in next(content.iter("ul")).get("style")
    _, ltr = render_fixture(site, "kitchen-sink")
    assert "border-left:4px solid" in next(content_of(ltr.html).iter("blockquote")).get("style")


def test_text_part_numbers_a_resumed_list_as_the_html_and_sets_a_summary_apart(site):
    _, email = render_fixture(site, "resumed_list.md")
    assert next(content_of(email.html).iter("ol")).get("start") is None
    assert 'start="3"' in email.html
    assert "3. Open the folder.\n4. Read the notes." in email.text
    assert "Why a tarball?\n\nIt keeps the dates of the files." in email.text


def test_srcsets_name_no_file_of_the_site_and_only_absolute_urls(site):
    _, email = render_fixture(site, "picture_sources")
    content = content_of(email.html)
    assert list(content.iter("source")) == []  # Apple Mail would pick it, and find no file
    chart, harbour, dunes = content.iter("img")
    assert chart.get("src").startswith("cid:") and next(content.iter("picture")) is chart.getparent()
    assert harbour.get("srcset") is None
    assert dunes.get("srcset") == "https://photos.example.net/dunes@2x.jpg 2x"


def test_a_link_with_spaces_is_whole_in_the_text_part(site):
    _, email = render_fixture(site, "spaces_in_links.md")
    slides = "https://blog.example.com/posts/Talk%20Slides.pdf"  # from /posts/spaces-in-links
    recording = "https://media.example.org/spring%20talks/recording.mp3"
    assert [a.get("href") for a in content_of(email.html).iter("a")] == [slides, recording]
    assert f"<{slides}>" in email.text and f"<{recording}>" in email.text


def test_a_video_or_a_sound_never_widens_the_column(site):
    # Chromium draws an <audio> player 300 px wide: 23 px past a 320 px phone's screen.
    _, email = render_fixture(site, "raw_style_and_video.md")
    for player in ("video", "audio"):
        style = next(content_of(email.html).iter(player)).get("style") or ""
        assert "max-width:100%" in style and "height:auto" in style, player


def test_a_line_break_in_a_table_cell_or_heading_is_a_space_in_the_text_part(site):
    _, email = render_fixture(site, "line_breaks_in_cells.md")
    assert "\x00" not in email.text  # a NUL byte, which mail must never carry (RFC 5322)
    assert "Opening hours and prices\n------------------------\n" in email.text
    assert "Monday | 9:00 to 12:00 14:00 to 18:00" in email.text


@pytest.mark.parametrize("markdown", ["commonmark", None])
def test_struck_out_text_stays_struck_out_in_the_text_part(site, markdown):
    read_as(site, markdown)
    struck = "~~$20~~" if markdown else "<del>$20</del>"
    (site / "content" / "posts" / "struck.md").write_text(
        '---\ntitle: "Struck"\ndate: "2026-11-02T09:00:00Z"\n---\n\n'
        f"The ticket is {struck} $10, <s>sold out</s> back in stock.\n", encoding="utf-8")
    _, email = render(site, "struck")
    assert "The ticket is ~~$20~~ $10, ~~sold out~~ back in stock." in email.text


def test_an_images_kramdown_attribute_list_gives_its_size(site):
    # Jekyll posts size images this way (Chirpy's docs: {: w="700" h="400" }); the email
    # dropped the list and showed a 120 px logo 520 px wide.
    read_as(site, "kramdown")
    (site / "content" / "posts" / "sized.md").write_text(
        '---\ntitle: "Sized"\ndate: "2026-11-02T09:00:00Z"\n---\n\n'
        '![Logo](https://example.com/logo.png){: width="120"}\n\n'
        '![Shot](https://example.com/shot.png){: w="300" h="200" .shadow }\n\n'
        '![Half](https://example.com/half.png){:width="50%"} and '
        '![Plain](https://example.com/p.png) then {: width="30"}\n', encoding="utf-8")
    _, email = render(site, "sized")
    widths = {img.get("alt"): img.get("width") for img in content_of(email.html).iter("img")}
    assert widths == {"Logo": "120", "Shot": "300", "Half": "260", "Plain": "520"}
    assert "{:" not in email.text and "{:" not in email.html


def test_an_image_a_kramdown_class_centres_is_centred(site):
    # Minimal Mistakes centres a picture with {: .align-center}; the email dropped the class and
    # showed it on the left.
    read_as(site, "kramdown")
    (site / "content" / "posts" / "centred.md").write_text(
        '---\ntitle: "Centred"\ndate: "2026-11-02T09:00:00Z"\n---\n\n'
        '![Logo](https://example.com/logo.png){: .align-center width="120"}\n\n'
        '![Shot](https://example.com/shot.png){:.shadow.rounded}\n', encoding="utf-8")
    _, email = render(site, "centred")
    logo, shot = content_of(email.html).iter("img")
    assert logo.get("class") == "align-center" and logo.get("width") == "120"
    assert "margin-left:auto; margin-right:auto" in logo.get("style")
    assert shot.get("class") == "shadow rounded" and "margin-left:auto" not in shot.get("style")


def test_a_line_break_in_pasted_preformatted_html_is_a_line_in_the_text_part(site):
    (site / "content" / "posts" / "pasted.md").write_text(
        '---\ntitle: "Pasted"\ndate: "2026-11-02T09:00:00Z"\n---\n\n'
        "<pre>$ make<br>cc -o notes notes.c<br/>done in <b>2 s</b></pre>\n", encoding="utf-8")
    _, email = render(site, "pasted")
    assert "    $ make\n    cc -o notes notes.c\n    done in 2 s\n" in email.text


def test_terminal_colour_codes_and_control_characters_reach_neither_part(site):
    _, email = render_fixture(site, "terminal_output.md")
    for part in (email.html, email.text):
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", part)
    assert "ERROR: missing file notes.txt" in email.text
    assert "ERROR: missing file notes.txt" in content_of(email.html).text_content()


@pytest.mark.parametrize("written, lang, direction", [("he_IL", "he-IL", "rtl"), ("en_US", "en-US", "ltr")])
def test_a_locale_written_with_an_underscore_is_a_language_tag(site, written, lang, direction):
    post = site / "content" / "posts" / "right_to_left.md"
    post.write_text((CHECK_FIXTURES.parent / "posts" / "right_to_left.md").read_text()
                    .replace("lang: ar", f"lang: {written}"), encoding="utf-8")
    _, email = render(site, "right_to_left")
    html = lxml.html.document_fromstring(email.html)
    wrapper = next(div for div in html.iter("div") if div.get("role") == "article")
    assert (html.get("lang"), html.get("dir")) == (lang, direction)
    assert (wrapper.get("lang"), wrapper.get("dir")) == (lang, direction)


def test_a_videos_source_is_a_void_element(site):
    _, email = render_fixture(site, "raw_style_and_video.md")
    assert "<source " in email.html and "</source>" not in email.html
    assert "</wbr>" not in email.html


def test_a_bundle_image_named_by_its_address_on_the_blog_is_sent(site):
    _, email = render_fixture(site, "bundle_by_address")
    [image] = content_of(email.html).iter("img")
    assert image.get("src").startswith("cid:") and len(email.inline_images) == 1


@pytest.mark.parametrize("markdown", ["commonmark", None])
def test_a_definition_is_indented_under_its_term_in_the_text_part(site, markdown):
    # Term and definition were two paragraphs alike: a reader could not tell which was which.
    read_as(site, markdown)
    _, email = render_fixture(site, "kitchen-sink")
    assert ("\n\nWeekly letter\n    A short essay sent on the same day each week.\n\n"
            "Preheader\n    The line an inbox shows after the subject.[") in email.text
