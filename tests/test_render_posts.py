"""Real posts' pieces, rendered: what themes and writers put in Markdown that readers should not
get (a heading's permalink symbol, the writer's HTML comments)."""

from __future__ import annotations

import pytest
from conftest import invoke
from test_content import add_fixture
from test_render import body_of, edit_settings, render, render_fixture

from newsletter.render.anchors import HEADINGS
from newsletter.render.text import columns

POST_URL = "https://blog.example.com/posts/permalinks-and-comments"


def test_a_headings_permalink_symbol_is_left_out_and_not_part_of_its_id(site):
    _, email = render_fixture(site, "permalinks_and_comments.md")
    headings = [heading for heading in body_of(email.html).iter(*HEADINGS)
                if "title" not in heading.classes]
    assert [(heading.get("id"), heading.text_content().strip()) for heading in headings] == [
        ("the-symptom", "The symptom"), ("setup", "Setup"), ("icons", "Icons"),
        ("the-fix", "The fix"), ("logo", "Logo")]
    # A heading whose words or picture are a link keeps it, to the section on the blog.
    assert [[link.get("href") for link in heading.iter("a")] for heading in headings] == [
        [], [], [], [f"{POST_URL}#the-fix"], [f"{POST_URL}#logo"]]
    assert "The symptom\n-----------\n\nSetup\n-----\n\nIcons\n-----" in email.text
    assert "#" not in email.text.split("The symptom")[1].split("The fix")[0]


def test_the_permalinks_are_not_reported_as_links_to_missing_headings(site):
    add_fixture(site, "permalinks_and_comments.md")
    result = invoke(site, "check", "permalinks-and-comments")
    assert "link-fragment" not in result.output and "nothing found" in result.output


def test_the_writers_html_comments_reach_no_reader_but_outlooks_own_stay(site):
    _, email = render_fixture(site, "permalinks_and_comments.md")
    for part in (email.html, email.text):
        assert "TODO" not in part and "check the date" not in part
    assert "timing out. This is what we found." in email.text
    assert "<!--[if mso]><p>Shown in Outlook only.</p><![endif]-->" in email.html


@pytest.mark.parametrize("markdown", [None, "commonmark"])
def test_an_alerts_marker_reads_as_its_label(site, markdown):
    # GitHub's > [!NOTE] and Obsidian's > [!warning]- A title: the blog shows a note box.
    if markdown:
        edit_settings(site, "[schedule]", f'[posts]\nmarkdown = "{markdown}"\n\n[schedule]')
    _, email = render_fixture(site, "alerts.md")
    quotes = [quote.text_content().strip() for quote in body_of(email.html).iter("blockquote")]
    # A title alone, or ending in its own stop, takes no colon; FixIt's ~ shows no title.
    assert [" ".join(quote.split()) for quote in quotes] == [
        "Note: Version 2 reads the old settings file.",
        "Back up first: The upgrade rewrites the database.",
        "A quote that mentions [!NOTE] later stays as written.",
        "Keep a copy of the old file.", "Can you go back? Yes, with the copy.",
        "Read the changelog.", "Is it nested? Finish the upgrade.", "Finish the upgrade."]
    assert [strong.text for strong in body_of(email.html).iter("strong")] == [
        "Note:", "Back up first:", "Keep a copy of the old file.", "Can you go back?",
        "Is it nested?", "Finish the upgrade."]
    assert "> Note: Version 2 reads the old settings file." in email.text
    assert "> Is it nested?\n>\n> > Finish the upgrade." in email.text


def test_the_text_part_keeps_a_tight_list_together_and_a_loose_one_apart(site):
    # A nested list sat a blank line under its item, and a loose list's items ran together.
    _, email = render_fixture(site, "recipe_lists.md")
    assert ("- For the crust:\n  - 250 g flour\n  - 125 g cold butter\n"
            "- For the filling:\n  - 1.2 kg apples\n\n"
            "1. Rub the butter into the flour.\n\n   Keep everything cold.\n\n"
            "2. Bake 55 minutes.") in email.text


def test_a_pasted_video_player_is_a_link_to_the_video_and_another_iframe_is_an_error(site):
    _, email = render_fixture(site, "video_embeds.md")
    content = body_of(email.html)
    links = [(link.get("href"), link.text_content(), [image.get("src") for image in link.iter("img")])
             for link in content.iter("a") if "watch" in link.text_content().lower()]
    assert links == [
        ("https://www.youtube.com/watch?v=Kx2b5Vq0T1w&t=42s", "\u25b6 Watch the video on YouTube",
         ["https://i.ytimg.com/vi/Kx2b5Vq0T1w/hqdefault.jpg"]),
        ("https://www.youtube.com/watch?v=ZJthWmvUzzc",
         "\u25b6 Watch \u201cOn Tools and Hands\u201d on YouTube",
         ["https://i.ytimg.com/vi/ZJthWmvUzzc/hqdefault.jpg"]),
        ("https://vimeo.com/146022717", "\u25b6 Watch the video on Vimeo", [])]
    # The responsive box would clip the link under its height:0: it went with its player.
    assert "padding-bottom:56.25%" not in email.html
    assert [frame.get("src") for frame in content.iter("iframe")] == [
        "https://maps.example.org/embed?pb=hall"]
    assert ("\u25b6 Watch \u201cOn Tools and Hands\u201d on YouTube\n"
            "<https://www.youtube.com/watch?v=ZJthWmvUzzc>") in email.text
    add_fixture(site, "video_embeds.md")
    result = invoke(site, "check", "video-embeds")
    assert result.output.splitlines()[0].startswith(
        "error: content/posts/video_embeds.md:22: html-embed: an <iframe> "
        "(https://maps.example.org/embed?pb=hall)")
    assert "1 error" in result.output


@pytest.mark.parametrize("markdown", [None, "commonmark"])
def test_a_footnotes_way_back_asks_for_its_text_form_not_an_emoji(site, markdown):
    if markdown:
        edit_settings(site, "[schedule]", f'[posts]\nmarkdown = "{markdown}"\n\n[schedule]')
    _, email = render_fixture(site, "footnotes_and_table.md")
    backs = [link.text for link in body_of(email.html).iter("a") if "footnote-backref" in link.classes]
    assert backs and set(backs) == {"\u21a9\ufe0e"}


def test_a_japanese_titles_and_headings_underlines_are_as_wide_as_they_are_shown(site):
    # Each of these characters takes two columns of a monospaced font: an underline of one
    # character each stopped halfway.
    _, email = render_fixture(site, "japanese_headings.md")
    assert email.text.startswith("静かな朝について\n" + "=" * 16 + "\n")
    assert "読むことと書くこと\n" + "-" * 18 + "\n" in email.text


def test_the_text_parts_japanese_paragraphs_wrap_at_72_columns_between_characters(site):
    # Japanese has no spaces between words: a paragraph was one line of 180 columns. It breaks
    # between characters, never before a closing mark (、。」) or after an opening one (「).
    _, email = render_fixture(site, "japanese_headings.md")
    paragraph = email.text.split("一文ずつ、ゆっくりと書く。\n\n")[1].split("\n\n")[0]
    lines = paragraph.splitlines()
    assert len(lines) == 3 and "".join(lines).startswith("窓の外では") and "「急がなくていい」" in "".join(lines)
    assert all(68 <= columns(line) <= 72 for line in lines[:-1])
    assert not any(line[0] in "、。」" or line[-1] == "「" for line in lines)


def test_the_text_parts_long_title_and_heading_wrap_over_their_underline(site):
    # A 98-character title and its underline ran past a terminal's 80 columns.
    _, email = render_fixture(site, "long_title_and_heading.md")
    assert email.text.startswith(
        "What Twelve Months of Writing Before Breakfast Taught Me About Habits,\n"
        "Focus and Keeping Promises\n" + "=" * 70 + "\n")
    assert ("\nThe mornings I did not want to write, and what got me to the desk anyway\n"
            "on every one of them\n" + "-" * 72 + "\n") in email.text
    assert max(len(line) for line in email.text.split("Read online")[0].splitlines()) <= 72


def test_the_text_part_never_breaks_a_line_inside_an_emoji(site):
    # A line may break beside an emoji (it is wide, like a Chinese character), never inside one
    # written with several characters: a family joined by zero-width joiners, a skin tone.
    (site / "content" / "posts" / "emoji-line.md").write_text(
        '---\ntitle: "Emoji"\ndate: "2026-11-02T09:00:00Z"\n---\n\n'
        + "word " * 13 + "\U0001f44d\U0001f3fd\U0001f468\u200d\U0001f469\u200d\U0001f467 and"
        " the rest of the line.\n", encoding="utf-8")
    _, email = render(site, "emoji-line")
    lines = email.text.split("Emoji\n=====\n")[1].split("\n\n")[1].splitlines()
    assert len(lines) == 2 and lines[0].endswith("word \U0001f44d\U0001f3fd")
    assert lines[1].startswith("\U0001f468\u200d\U0001f469\u200d\U0001f467 and")
