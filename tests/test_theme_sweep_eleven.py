"""Blogs shaped as the themes of an eleventh sweep write them (So Simple's Markdown titles,
Beautiful Hugo, Hello Friend NG, Mediumish, Astro Nano), with this project's own text: every
command works on them and the email reads like the post."""

from __future__ import annotations

import email
import email.policy
import json

import lxml.html
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


def _site(root, files: dict):
    write_files(root, files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    assert invoke(root, "subscribers", "add", "reader@example.org").exit_code == 0
    return root


def _email(root, post_id: str):
    result = invoke(root, "preview", post_id)
    assert result.exit_code == 0, result.output
    folder = root / "preview" / post_id
    message = email.message_from_bytes((folder / "message.eml").read_bytes(),
                                       policy=email.policy.default)
    return (message, lxml.html.fromstring((folder / "email.html").read_text()),
            (folder / "email.txt").read_text())


def _post(root, post_id: str) -> dict:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return next(post for post in json.loads(result.stdout) if post["id"].strip("/") == post_id)


def _every_command_works(root, post_id: str) -> None:
    for command in (("check", post_id), ("send", post_id, "--dry-run")):
        result = invoke(root, *command)
        assert result.exit_code == 0, result.output


def test_a_title_written_in_markdown_is_emphasis_in_the_heading_and_words_elsewhere(tmp_path):
    """So Simple and Minimal Mistakes print a title through markdownify: the page shows
    emphasis, its <title> plain words. The email showed the asterisks in its heading, subject
    and text part."""
    root = _site(tmp_path / "marks", {
        "_config.yml": "title: Salt Marsh\nurl: https://marsh.example.org\ntheme: jekyll-theme-so-simple\n"
                       "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n",
        "_posts/2025-03-04-herons.md": (
            "---\ntitle: Herons *in* **March**\nexcerpt: The birds came back early.\n---\n\n"
            "Grey herons stood in the shallows all week.\n")})
    _every_command_works(root, "2025-03-04-herons")
    assert _post(root, "2025-03-04-herons")["title"] == "Herons *in* **March**"
    message, html, text = _email(root, "2025-03-04-herons")
    assert message["Subject"] == "Herons in March"
    heading = html.cssselect("h1.title")[0]
    assert heading.text_content() == "Herons in March"
    assert [(mark.tag, mark.text) for mark in heading] == [("em", "in"), ("strong", "March")]
    assert html.findtext(".//title") == "Herons in March"
    assert text.startswith("Herons in March\n===============\n")
    assert "*" not in text
