"""Unquoted titles that YAML 1.1 reads as something else: PyYAML made ``title: No`` the subject
"False", ``title: 12:30`` (a base-60 number to YAML 1.1) "750" and ``title: 0x1F`` "31", while
Hugo, Eleventy, Astro and Gatsby (YAML 1.2) show the words as written. The text fields of the
front matter are now taken as written whenever YAML made them a boolean, a number or a date."""

from __future__ import annotations

import json

import pytest

from conftest import invoke


@pytest.mark.parametrize("written", ["No", "yes", "On", "12:30", "0x1F", "1_000", "2026-1-5",
                                     "1.10"])
def test_an_unquoted_title_is_the_subject_as_written(site, written):
    (site / "content" / "posts" / "plain.md").write_text(
        f"---\ntitle: {written}\ndate: 2026-11-21\ndescription: {written}\ndraft: no\n---\n\n"
        "Body.\n", encoding="utf-8")
    listed = json.loads(invoke(site, "posts", "--json").stdout)
    post, = [item for item in listed if item["id"] == "/posts/plain"]
    assert post["title"] == written and post["status"] == "ready"
    assert invoke(site, "preview", "plain").exit_code == 0
    message = (site / "preview" / "plain" / "message.eml").read_text(encoding="utf-8")
    assert f"\nSubject: {written}\n" in message
    assert written in (site / "preview" / "plain" / "email.html").read_text(encoding="utf-8")


def test_a_description_of_false_is_still_no_description(site):
    (site / "content" / "posts" / "plain.md").write_text(
        "---\ntitle: Plain\ndate: 2026-11-21\ndescription: false\n---\n\nBody words.\n",
        encoding="utf-8")
    found = json.loads(invoke(site, "check", "plain", "--json").stdout)["findings"]
    assert "no-description" in [finding["code"] for finding in found]


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_a_date_outside_the_years_1_to_9999_in_utc_is_one_line_at_its_line(site, date):
    """Both are dates Python reads, but not in UTC (the year 0, the year 10000): `posts`,
    `check`, `preview` and `send --due` stopped with an OverflowError traceback."""
    (site / "content" / "posts" / "edge.md").write_text(
        f"---\ntitle: Edge\ndate: {date}\ndescription: d\n---\n\nBody.\n", encoding="utf-8")
    refusal = "is before the year 1 or after 9999 in UTC or the site's time zone; check the year"
    # send --due sends the other posts, and skips this file until it is fixed (exit 1)
    for command, status in ((("posts",), 2), (("check", "edge"), 2), (("preview", "edge"), 2),
                            (("send", "--due", "--yes"), 1)):
        result = invoke(site, *command)
        assert result.exit_code == status, (command, result.output)
        line, = [line for line in result.output.splitlines() if refusal in line]
        assert line.startswith("error: content/posts/edge.md:3: ") and "Traceback" not in line
