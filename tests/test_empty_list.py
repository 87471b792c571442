"""Zero subscribers: `send` says the list is empty and where it looked, never "everyone has it"."""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager

import pytest

from conftest import invoke
from tests.pg_support import pg_url, store_site  # noqa: F401 (fixtures)

ACTIVE = ["ada@example.com", "edsger@example.com", "grace@example.org", "katherine@example.org"]


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


@pytest.mark.parametrize("added", [[], ["nora@example.net"]], ids=["as-shipped", "after-an-add"])
def test_send_due_waits_for_a_missing_list_and_sends_once_it_is_back(site, added):
    """A list folder gone (moved, not pulled yet) is no "nobody subscribed": the post waits.
    After a reader was added (the journal then knows the files), the folder coming back as
    it was is still the list back, not the empty roster of the run that found it gone."""
    for address in added:
        assert invoke(site, "subscribers", "add", address).exit_code == 0
    shutil.move(site / "subscribers", site / "elsewhere")
    folder = site.resolve() / "subscribers"
    error = (f"error: /posts/what-matters not sent: no subscriber file in {folder} (newsletter "
             f"reads {folder / '*.csv'}); it goes out once the list is back")
    # the dry run tells what the run would do: not send it, and exit 1 (it said "would send
    # ... to 0 readers" and exited 0)
    plan = invoke(site, "send", "--due", "--dry-run", "--now", "2026-11-21T00:00Z")
    assert plan.exit_code == 1 and error in plan.output, plan.output
    assert 'would NOT send /posts/what-matters "' in plan.output
    first = invoke(site, "send", "--due", "--now", "2026-11-21T00:00Z")
    assert first.exit_code == 1
    assert error in first.output
    assert outbox(site) == []

    shutil.move(site / "elsewhere", site / "subscribers")
    second = invoke(site, "send", "--due", "--now", "2026-11-21T00:15Z")
    assert second.exit_code == 0, second.output
    assert second.output.startswith('Sent /posts/what-matters "')
    assert len(outbox(site)) == 4 + len(added)  # the example list's active readers


def test_a_post_due_while_nobody_subscribed_is_not_sent_to_later_readers(store_site):  # noqa: F811
    """A new blog's first post, due before anyone joined: sent to the list as it was (nobody);
    a reader who joins later gets the next post, and this one only on purpose."""
    site = store_site
    for address in ACTIVE:
        assert invoke(site, "subscribers", "remove", address).exit_code == 0
    first = invoke(site, "send", "--due", "--now", "2026-11-21T00:00Z")
    assert first.exit_code == 0, first.output
    assert first.output.startswith("/posts/what-matters: no active subscribers in ")
    assert first.output.endswith(", nothing sent; readers who join later do not get it.\n")

    assert invoke(site, "subscribers", "add", "nora@example.net").exit_code == 0
    later = invoke(site, "send", "--due", "--now", "2026-11-21T00:15Z")
    assert (later.exit_code, later.output, outbox(site)) == (0, "", [])
    on_purpose = invoke(site, "send", "what-matters", "--yes")
    assert on_purpose.exit_code == 0, on_purpose.output
    assert [path.name for path in outbox(site)] == ["nora@example.net.eml"]


@contextmanager
def importing(site, addresses: list[str]):
    """An import under way in another thread, as `subscribers import` holds the list: it has
    the list when this block starts, and adds ``addresses`` once ``counted`` is set."""
    from newsletter.config import load_settings
    from newsletter.subscribers import open_store

    store, held, counted = open_store(load_settings(site, {})), threading.Event(), threading.Event()

    def run() -> None:
        if hasattr(store, "writing"):  # the files: the list's lock, then a new file
            with store.writing(adds_readers=True):
                held.set()
                counted.wait(60)
                (site / "subscribers" / "imported.csv").write_text(
                    "email,status\n" + "".join(f"{a},active\n" for a in addresses))
        else:  # PostgreSQL: one transaction, as postgres_import's
            with store.connection() as db, db.transaction():
                db.execute("LOCK TABLE subscribers IN ROW EXCLUSIVE MODE")
                held.set()
                counted.wait(60)
                for address in addresses:
                    db.execute("INSERT INTO subscribers (key, email, address, status) "
                               "VALUES (%s, %s, %s, 'active')", (address, address, address))

    thread = threading.Thread(target=run)
    thread.start()
    assert held.wait(60)
    try:
        yield counted
    finally:
        counted.set()
        thread.join(60)


def test_send_due_waits_for_an_import_under_way_and_sends_to_its_readers(
        store_site, monkeypatch):  # noqa: F811
    """A new blog's list being imported when its first post falls due: the post is not marked
    sent to nobody; the run waits for the import and sends to its readers."""
    from newsletter.sending import due

    site = store_site
    for address in ACTIVE:
        assert invoke(site, "subscribers", "remove", address).exit_code == 0
    imported = ["ivy@example.net", "jon@example.net"]
    real = due.count_recipients
    with importing(site, imported) as counted:
        def count_then_let_the_import_finish(*args, **kwargs):
            found = real(*args, **kwargs)
            counted.set()
            return found
        monkeypatch.setattr(due, "count_recipients", count_then_let_the_import_finish)
        result = invoke(site, "send", "--due", "--now", "2026-11-21T00:00Z")

    assert result.exit_code == 0, result.output
    assert result.output.startswith('Sent /posts/what-matters "')
    assert sorted(path.name for path in outbox(site)) == [f"{a}.eml" for a in imported]
