"""Real posts' pieces, rendered: what themes and writers put in Markdown that readers should not
get (a heading's permalink symbol, the writer's HTML comments)."""

from __future__ import annotations

import pytest
from conftest import invoke
from test_content import add_fixture
from test_render import body_of, edit_settings, render_fixture

from newsletter.render.anchors import HEADINGS

POST_URL = "https://blog.example.com/posts/permalinks-and-comments"


def test_a_headings_permalink_symbol_is_left_out_and_not_part_of_its_id(site):
    _, email = render_fixture(site, "permalinks_and_comments.md")
    headings = [heading for heading in body_of(email.html).iter(*HEADINGS)
                if "title" not in heading.classes]
    assert [(heading.get("id"), heading.text_content().strip()) for heading in headings] == [
        ("the-symptom", "The symptom"), ("setup", "Setup"), ("icons", "Icons"),
        ("the-fix", "The fix")]
    # A heading that is a link in its words keeps it, to the section on the blog.
    assert [[link.get("href") for link in heading.iter("a")] for heading in headings] == [
        [], [], [], [f"{POST_URL}#the-fix"]]
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
    assert quotes == ["Note: Version 2 reads the old settings file.",
                      "Back up first: The upgrade rewrites the database.",
                      "A quote that mentions [!NOTE] later stays as written."]
    assert [strong.text for strong in body_of(email.html).iter("strong")] == [
        "Note:", "Back up first:"]
    assert "> Note: Version 2 reads the old settings file." in email.text
