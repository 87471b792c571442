"""Zero subscribers: `send` says the list is empty and where it looked, never "everyone has it"."""

from __future__ import annotations

import shutil

import pytest

from conftest import invoke


def outbox(site):
    return sorted((site / "outbox").rglob("*.eml"))


@pytest.mark.parametrize("dry_run", [False, True], ids=["send", "dry-run"])
def test_a_missing_list_is_named_with_the_folder_it_looked_in(site, dry_run):
    shutil.rmtree(site / "subscribers")
    result = invoke(site, "send", "what-matters", "--yes", *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 1
    folder = site.resolve() / "subscribers"
    assert (f"error: the list is empty: no subscriber file in {folder} (newsletter reads "
            f"{folder / '*.csv'}); nothing sent.") in result.output
    assert "Nothing left to send" not in result.output and outbox(site) == []


@pytest.mark.parametrize("text", ["email,name,status,tags,subscribed_at\n", "",
                                  "email,status\nann@example.com,unsubscribed\n"],
                         ids=["header-only", "empty-file", "nobody-active"])
def test_a_list_without_an_active_reader_is_empty(site, text):
    for path in (site / "subscribers").glob("*.csv"):
        path.unlink()
    (site / "subscribers" / "readers.csv").write_text(text)
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 1
    assert (f"error: the list is empty: no active subscriber in {site.resolve() / 'subscribers'} "
            "(readers.csv); nothing sent.") in result.output
    assert outbox(site) == []


def test_an_empty_segment_says_so_and_counts_the_whole_list(site):
    result = invoke(site, "send", "what-matters", "--yes", "--tag", "nobody-has-this")
    assert result.exit_code == 1
    assert "error: no active subscriber is tagged nobody-has-this in " in result.output
    assert "(4 readers active in all); nothing sent." in result.output
    assert outbox(site) == []


def test_when_everyone_has_it_the_rerun_still_says_so(site):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    again = invoke(site, "send", "what-matters", "--yes")
    assert again.exit_code == 0
    assert "Nothing left to send: every active subscriber has /posts/what-matters already." \
        in again.output


def test_send_due_names_the_folder_too(site):
    shutil.rmtree(site / "subscribers")
    result = invoke(site, "send", "--due", "--now", "2026-11-21T00:00Z")
    assert (f"/posts/what-matters: no active subscribers in {site.resolve() / 'subscribers'}, "
            "nothing sent.") in result.output
