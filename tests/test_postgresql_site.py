"""A whole site on the PostgreSQL store, as a writer runs it: every command, the welcome
series and a daily limit included, and not one SQLite file made, in the site or in the
system's temporary folder (docs/store.md)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from contextlib import contextmanager

import psycopg
import pytest
import requests
from fake_providers import provider_environ, start_fake, write_provider_settings, write_settings
from signup_support import configure_signup, sign_up, wait_for_email

from newsletter.message.tokens import UnsubscribeTokens
from tests.conftest import invoke, start_cli
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)

ENV = {"NEWSLETTER_SECRET": "test-secret"}
READERS = [f"reader{n}@example.org" for n in range(5)]
JOINERS = ["joiner0@example.net", "joiner1@example.net", "joiner2@example.net"]
SQLITE_HEADER = b"SQLite format 3\x00"


def write_post(site, name: str) -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(
        f'---\ntitle: "{name.title()}"\ndate: "2026-06-01T08:00:00Z"\nslug: /posts/{name}\n'
        f"description: About {name}.\n---\n\nThe body of {name}.\n")


def sqlite_files(folder) -> set[str]:
    """Every file under ``folder`` that is a SQLite database (or its log) by name or content."""
    found = set()
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.name.endswith((".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite")):
            found.add(str(path))
        else:
            with path.open("rb") as handle:
                if handle.read(16) == SQLITE_HEADER:
                    found.add(str(path))
    return found


@contextmanager
def serving(site, env):
    """`newsletter serve` in a process of its own; yields its base URL."""
    process = start_cli(site, "serve", "--port", "0", env=env, stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        yield re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
    finally:
        process.terminate()
        process.wait(20)


def run(site, *args, env=ENV, code=0):
    result = invoke(site, *args, env=env)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The system's temporary folder, for this test: a folder of its own, to be searched."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_site_on_postgresql_runs_every_command_and_makes_no_sqlite_file(
        site, pg_url, scratch, tmp_path):
    run(site, "init")  # needs no state: keeps the site's files
    use_postgresql(site, pg_url)
    for path in (site / "subscribers").iterdir():
        path.unlink()
    for name in ("best-a", "best-b"):
        write_post(site, name)
    write_settings(site, "schedule", since="2026-11-01T00:00:00Z")
    listed = tmp_path / "readers.csv"
    listed.write_text("email,name,status,tags,subscribed_at\n" + "".join(
        f"{address},,active,,2026-01-01T00:00:00+00:00\n" for address in READERS))
    assert "added 5, updated 0" in run(site, "subscribers", "import", str(listed))

    run(site, "send", "/posts/what-matters", "--yes")  # to the outbox
    assert len(list((site / "outbox").rglob("*.eml"))) == len(READERS)
    postmark = start_fake("postmark", provider_environ("postmark")["POSTMARK_SERVER_TOKEN"])
    try:
        write_provider_settings(site, name="postmark", api_url=postmark.url, timeout=10)
        run(site, "send", "/posts/best-a", "--yes", env=ENV | provider_environ("postmark"))
        assert postmark.accepted == {address: 1 for address in READERS}
    finally:
        postmark.close()

    # The welcome series under a daily limit: the first cron run starts it, then three join.
    write_provider_settings(site, name="outbox", daily_limit=2, reserve_for_signups=0)
    write_settings(site, "welcome", enabled=True, posts=["best-a", "best-b"], every="1d")
    run(site, "send", "--due")
    for address in JOINERS:
        run(site, "subscribers", "add", address)
    due = run(site, "send", "--due")
    assert 'Welcome series: sent /posts/best-a "Best-A" to 2 readers.' in due
    assert "Limit reached: the daily limit of 2; 1 reader left" in due
    welcomed = {p.stem for p in (site / "outbox" / "best-a").glob("*.eml")} & set(JOINERS)
    assert len(welcomed) == 2
    status = run(site, "welcome", "status")
    assert "/posts/best-a: sent 2, due now 1, waiting 0" in status, status
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT sum(messages) FROM send_log").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM welcome_progress").fetchone()[0] == 2
    run(site, "reconcile")
    # Sent to the whole list by hand before they joined: the joiner still waiting gets it from
    # the welcome series, not as the broadcast going on (docs/cron.md).
    assert "/posts/best-a: sent 7, failed 0, in doubt 0, pending 0, not yet sent 1; 2 readers " \
        "had it as a welcome email\n" in run(site, "status")

    configure_signup(site)
    tokens = UnsubscribeTokens(ENV["NEWSLETTER_SECRET"])
    with serving(site, ENV | {"TMPDIR": str(scratch)}) as base:
        gone = requests.post(f"{base}/unsubscribe/{tokens.make(READERS[0])}",
                             data={"List-Unsubscribe": "One-Click"}, timeout=30)
        assert gone.status_code == 200
        assert sign_up(base, "new.reader@example.com").status_code == 200
        wait_for_email(site, "new.reader@example.com")
    exported = run(site, "subscribers", "export")
    assert f"{READERS[0]},,unsubscribed" in exported
    assert "new.reader@example.com,,unconfirmed" in exported
    assert all(address in exported for address in JOINERS)

    assert sqlite_files(site) == set()
    assert not list(site.rglob("list_pass.json"))
    assert not list(site.rglob("list_readers.jsonl"))
    assert sqlite_files(scratch) == set()
