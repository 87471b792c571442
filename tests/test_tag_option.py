"""`--tag` takes one tag: an empty one, or one holding a separator of the tags cell, is bad
usage (exit 2, one line), never two tags written, nor a send that counted readers it did not
send to."""

from __future__ import annotations

import pytest
from conftest import invoke


@pytest.mark.parametrize("command", [
    ("subscribers", "add", "new@example.org"), ("subscribers", "list"),
    ("send", "what-matters", "--dry-run")])
@pytest.mark.parametrize("tag, complaint", [
    ("", "a tag cannot be empty"),
    ("   ", "a tag cannot be empty"),
    ("weekly,books", "'weekly,books' holds ',', which separates tags in the subscriber files; "
                     "give each tag its own --tag"),
    ("a|b", "'a|b' holds '|', which separates tags in the subscriber files; give each tag its "
            "own --tag")])
def test_a_tag_that_is_not_one_tag_is_refused(site, command, tag, complaint):
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    result = invoke(site, *command, "--tag", tag)
    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for '--tag': {complaint}" in result.output
    assert "Recipients" not in result.output
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_a_tag_with_spaces_around_it_is_the_tag(site):
    assert invoke(site, "subscribers", "add", "new@example.org", "--tag", " weekly ").exit_code == 0
    listed = invoke(site, "subscribers", "list", "--tag", "weekly")
    assert "new@example.org\t\tactive\tweekly" in listed.output
