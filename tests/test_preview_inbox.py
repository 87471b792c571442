"""The preview's inbox rows show what an inbox would show after the subject."""

from __future__ import annotations

import lxml.html
from conftest import invoke
from test_content import add_fixture


def inbox_rows(site, fixture: str, slug: str) -> list[str]:
    add_fixture(site, fixture)
    assert invoke(site, "preview", slug).exit_code == 0
    page = lxml.html.parse(str(site / "preview" / slug / "index.html")).getroot()
    return [" ".join(row.text_content().split()) for row in page.find_class("preheader")]


def test_without_a_description_the_inbox_rows_show_the_emails_first_words(site):
    # Clients read the body from its start: the masthead, the title, the date. The rows were
    # empty, as if the inbox would show nothing.
    desktop, phone = inbox_rows(site, "description_missing.md", "description-missing")
    assert desktop.startswith("\u2013 Example Notes ")
    assert phone.startswith("Example Notes ") and phone.endswith("\u2026")


def test_with_a_description_the_inbox_rows_show_it(site):
    desktop, _ = inbox_rows(site, "highlighted_code.md", "highlighted-code")
    assert desktop == "\u2013 Three code blocks, coloured by three highlighters."
