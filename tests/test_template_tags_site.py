"""Template tags through the commands: `preview` of posts written for Hugo and Jekyll carries
no tag in either part, tags shown in code stay as written, and a tag that cannot be shown is a
`template-syntax` error at its line that `check`, `send`, `send --due` and `preview` all report.

Fixture posts (tests/fixtures/tags/) are shaped after the example posts Hugo and Jekyll themes
ship: a "rich content" post of shortcodes, a Jekyll post of Liquid tags, a post about tags.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import invoke

from newsletter.config import load_settings
from newsletter.sending import Ledger

FIXTURES = Path(__file__).parent / "fixtures" / "tags"
TAG_SYNTAX = re.compile(r"\{\{|\{%|%\}|\}\}")
NOW = "2026-11-27T12:00:00Z"


def add(site: Path, fixture: str, text: str | None = None) -> str:
    target = site / "content" / "posts" / f"{fixture}.md"
    if text is None:
        shutil.copy(FIXTURES / f"{fixture}.md", target)
    else:
        target.write_text(text, encoding="utf-8")
    return fixture


def preview(site: Path, tmp_path: Path, name: str):
    """(result, HTML part as a tree, text part) of `preview NAME`."""
    out = tmp_path / "preview"
    result = invoke(site, "preview", name, "--out", str(out))
    html = (out / name / "email.html").read_text(encoding="utf-8")
    text = (out / name / "email.txt").read_text(encoding="utf-8")
    return result, lxml.html.document_fromstring(html), text


def outside_code(document) -> str:
    """The HTML part's text, without what its <pre> and <code> elements show."""
    document = copy.deepcopy(document)
    for code in list(document.iter("pre", "code")):
        if code.getparent() is not None:
            code.drop_tree()
    return document.text_content()


def test_a_hugo_post_of_shortcodes_previews_with_no_tag_in_either_part(site, tmp_path):
    add(site, "hugo-rich-content")

    result, document, text = preview(site, tmp_path, "hugo-rich-content")

    assert result.exit_code == 0 and result.stderr == ""
    assert not TAG_SYNTAX.search(lxml.html.tostring(document, encoding="unicode"))
    assert not TAG_SYNTAX.search(text)
    assert not list(document.iter("iframe", "script"))
    links = {a.get("href") for a in document.iter("a")}
    assert {"https://www.youtube.com/watch?v=ZJthWmvUzzc", "https://vimeo.com/48912912",
            "https://gist.github.com/janewriter/7896402",
            "https://x.com/janewriter/status/1453110110599868418",
            "https://blog.example.com/posts/what-matters"} <= links
    [figure] = document.iter("figure")
    assert figure.find(".//img").get("src").startswith("images/")  # the desk photo arrived
    assert "The desk" in figure.text_content()
    assert [code.get("class") for code in document.iter("code")] == ["language-python"]
    assert ("\u25b6 Watch \u201cWriting for people\u201d on YouTube\n"
            "<https://www.youtube.com/watch?v=ZJthWmvUzzc>") in text
    assert "About this post\n\nIn short: A figure, two videos, a gist" in text  # details
    assert "In short: A figure, two videos, a gist, a post on X and some code. The post before " \
           "this one is worth reading first <https://blog.example.com/posts/what-matters>" \
           in " ".join(text.split())
    assert "A note to myself" not in text


def test_a_jekyll_post_of_liquid_tags_previews_with_tags_only_where_raw_keeps_them(site, tmp_path):
    add(site, "jekyll-liquid")

    result, document, text = preview(site, tmp_path, "jekyll-liquid")

    assert result.exit_code == 0 and result.stderr == ""
    assert not TAG_SYNTAX.search(outside_code(document))
    assert "Welcome to Example Notes." in text and "my-themes-great-include" not in text
    assert [a.get("href") for a in document.iter("a") if "what-matters" in a.get("href")] == [
        "https://blog.example.com/posts/what-matters"] * 2
    assert document.find(".//img[@alt='The desk']").get("src").startswith("images/")
    assert "The feed lives at https://blog.example.com/feed.xml." in text
    codes = [code.text_content() for code in document.iter("code")]
    assert codes[0].startswith("def greet(name)\n")  # {% highlight ruby %}
    assert codes[1] == "{% assign greeting = page.title | upcase %}\n{{ greeting }}\n"  # {% raw %}


def test_a_post_with_render_with_liquid_false_shows_its_braces_as_text(site, tmp_path):
    """Jekyll 4's render_with_liquid: false: the post's {{ }} and {% %} are its own text,
    as a post about another template language writes them; check finds nothing to report."""
    add(site, "handlebars", '---\ntitle: "Handlebars"\ndate: "2026-11-26T09:00:00Z"\n'
                            'description: "Braces."\nrender_with_liquid: false\n---\n\n'
                            "Write {{ name }} and {% if ok %} in a template.\n")

    checked = invoke(site, "check", "handlebars")
    _, document, text = preview(site, tmp_path, "handlebars")

    assert checked.exit_code == 0, checked.output
    assert "Write {{ name }} and {% if ok %} in a template." in " ".join(text.split())


def test_tags_shown_in_code_are_left_as_written_and_not_reported(site, tmp_path):
    add(site, "tags-in-code")

    check = invoke(site, "check", "tags-in-code")
    result, document, text = preview(site, tmp_path, "tags-in-code")

    assert (check.exit_code, check.stdout) == (0, "")
    assert result.stderr == ""
    codes = [" ".join(code.text_content().split()) for code in document.iter("code", "pre")]
    assert "{{< youtube ID >}}" in codes and '{% include video.html id="ID" %}' in codes
    assert "{{ site.video_host }}" in codes
    assert any(code.startswith('{{< figure src="/images/photo.jpg"') for code in codes)
    assert any(code.startswith('{{< tweet user="someone"') for code in codes)
    assert '{{ page.date | date: "%B %-d" }}' in codes
    assert "{{ page.title | escape }}" in codes
    assert "In Hugo, escape a shortcode: {{< figure src=" in outside_code(document)
    assert "todo" not in text  # an HTML comment shows nothing, expanded or not


LINES = """---
title: "Tags an Email Cannot Show"
date: "2026-11-26T09:00:00Z"
description: "A link to no post and a Liquid counter."
---

Some text first.

{{< ref "no-such-post.md" >}}

{% increment shown %}
"""


def test_a_tag_that_cannot_be_shown_is_an_error_at_its_line_in_check(site):
    add(site, "unshown", LINES)

    result = invoke(site, "check", "unshown", "--json")

    report = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [(f["severity"], f["code"], f["where"]) for f in report["findings"]] == [
        ("error", "template-syntax", "content/posts/unshown.md:9"),
        ("error", "template-syntax", "content/posts/unshown.md:11"),
    ]
    assert report["findings"][1]["message"] == (
        "{% increment shown %} is a Liquid tag an email cannot run")


def test_send_send_due_and_preview_stop_on_it_and_say_where(site, tmp_path):
    add(site, "unshown", LINES)
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("since = 2026-01-01T00:00:00Z",
                                             'since = "2026-11-25T00:00:00Z"'))
    first_error = 'error: content/posts/unshown.md:9: template-syntax: {{< ref "no-such-post.md" ' \
                  '>}}: no post or page no-such-post.md on this site'

    send = invoke(site, "send", "unshown", "--yes")
    due = invoke(site, "send", "--due", "--now", NOW)
    dry_run = invoke(site, "send", "--due", "--dry-run", "--now", NOW)
    shown, _, _ = preview(site, tmp_path, "unshown")

    assert send.exit_code == 2 and send.stderr.startswith(first_error)
    assert "not sent: 2 errors above" in send.stderr
    assert due.exit_code == 1
    assert "/posts/unshown not sent: content/posts/unshown.md:9: template-syntax" in due.stderr
    assert dry_run.exit_code == 1 and "would NOT send /posts/unshown" in dry_run.stdout
    assert shown.stderr.startswith(first_error)
    assert not (site / "outbox").exists()
    with Ledger.open_existing(load_settings(site, {})) as ledger:
        assert "/posts/unshown" not in set(ledger.counts())


def test_a_tag_that_looked_like_code_but_is_not_shown_as_code_is_reported(site):
    # Inside a raw HTML block Markdown does nothing: the indented line is not code there.
    add(site, "in-html", LINES.replace("{{< ref", "<div>\n\n    {{< youtube x >}}\n\n</div>\n\n"
                                       "{{< ref"))

    result = invoke(site, "check", "in-html", "--json")

    wheres = [(f["code"], f["where"]) for f in json.loads(result.stdout)["findings"]]
    assert ("template-syntax", "content/posts/in-html.md:11") in wheres


REFERENCES = ['{{< ref "what-matters.md" >}}', '{{< ref "/posts/what-matters" >}}',
              '{{< relref "what-matters" >}}', "{% post_url what-matters %}",
              "{% link content/posts/what-matters.md %}"]


@pytest.mark.parametrize("reference", REFERENCES)
def test_links_to_other_posts_find_them_among_the_sites_posts(site, tmp_path, reference):
    add(site, "linking", LINES.split("Some text")[0] + f"Read [the first post]({reference}).\n")

    result, document, _ = preview(site, tmp_path, "linking")

    assert result.stderr == ""
    links = [a.get("href") for a in document.iter("a")]
    assert "https://blog.example.com/posts/what-matters" in links


def test_a_figure_whose_image_is_missing_is_reported_at_the_figures_line(site):
    add(site, "missing", LINES.replace('{{< ref "no-such-post.md" >}}',
                                       '{{< figure src="/media/no-such-photo.jpg" alt="x" >}}')
        .replace("{% increment shown %}", ""))

    result = invoke(site, "check", "missing", "--json")

    findings = [(f["code"], f["where"]) for f in json.loads(result.stdout)["findings"]]
    assert findings == [("image-missing", "content/posts/missing.md:9")]
