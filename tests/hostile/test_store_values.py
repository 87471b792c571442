"""Values no store can hold, on either store: a NUL byte (PostgreSQL's text refuses 0x00) and
a lone surrogate (no UTF-8 has one). A webhook carrying one is stored without it, its other
events with it; an import or a copy leaves the row out and names it by file:line."""

from __future__ import annotations

import json
import sqlite3
from contextlib import ExitStack, closing

import psycopg
import requests
from conftest import invoke, run_cli, run_in_process
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings
from test_delivery_events import ANN, BOB, CY, POST, POST_FILE, READERS, SLUG, send_through
from web_server import serving, statuses, subscriber_csv
from webhook_support import ENVIRON, sendgrid_request

from newsletter.config import load_settings
from newsletter.web import NewsletterApp
from tests.pg_support import (  # noqa: F401 (fixtures)
    each_store,
    list_into_store,
    pg_url,
    use_postgresql,
)


def test_a_webhook_with_nul_bytes_and_lone_surrogates_is_stored_whole(site, each_store):
    """Before: 503 on PostgreSQL (and 500 on the files for a surrogate), so the provider
    retried the whole batch for days and its real bounce was never applied."""
    subscriber_csv(site, *READERS)
    list_into_store(site)
    odd = [
        {"email": BOB, "event": "bounce", "type": "bounce", "reason": "550 no\u0000such\ud800",
         "sg_event_id": "odd-1", "post": POST},
        {"email": ANN, "event": "delivered", "sg_event_id": "odd\u0000-2\udfff", "post": POST},
        {"email": CY + "\u0000", "event": "delivered", "sg_event_id": "odd-3", "post": POST},
    ]
    with ExitStack() as stack:
        send_through(site, "sendgrid", stack)
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        headers, body = sendgrid_request(odd)
        assert b"\\u0000" in body and b"\\ud800" in body
        answer = requests.post(f"{base}/webhooks/sendgrid", data=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert "3 events recorded" in answer.text
    assert reader_status(site, each_store, BOB) == "bounced"
    result = invoke(site, "status", SLUG, "--json", env=provider_environ("sendgrid"))
    figures = json.loads(result.output)
    assert (figures["sent"], figures["bounced"], figures["delivered"]) == (len(READERS), 1, 2)


def reader_status(site, url, address: str) -> str:
    if url is None:
        return statuses(site)[address]
    with psycopg.connect(url) as db:
        return db.execute("SELECT status FROM subscribers WHERE address = %s",
                          (address,)).fetchone()[0]


NUL_ROWS = (b"email,name,status,tags,subscribed_at,Odd \xc3\xa9 column\n"
            b"fine@example.org,Fine,active,,2026-01-01,kept\n"
            b"name@example.org,Na\x00me,active,,2026-01-01,\n"
            b"tag@example.org,Tag,active,t\x00g,2026-01-01,\n"
            b"extra@example.org,Extra,active,,2026-01-01,ex\x00tra\n"
            b"also@example.org,Also,active,,2026-01-01,\n")


def test_an_import_names_each_row_with_a_nul_byte_and_takes_the_rest(site, each_store,
                                                                   tmp_path):
    """Before: on PostgreSQL the whole import failed with "the PostgreSQL store: cannot be
    used (... NUL ...); check that the server runs", naming no line."""
    list_into_store(site)
    path = tmp_path / "list.csv"
    path.write_bytes(NUL_ROWS)
    result = run_in_process(site, "subscribers", "import", str(path))
    assert result.returncode == 0, result.stderr
    for line in (3, 4, 5):
        assert f"{path}:{line}: a NUL byte (0x00) in the row" in result.stderr
    assert "added 2, updated 0, unchanged 0, skipped 0, invalid 3" in result.stdout
    exported = run_in_process(site, "subscribers", "export").stdout
    assert "fine@example.org" in exported and "also@example.org" in exported
    assert "\0" not in exported and "name@example.org" not in exported
    assert "Odd é column" in exported.splitlines()[0]


def test_store_copy_leaves_a_row_with_a_nul_byte_behind_and_names_it(site, pg_url):
    csv = site / "subscribers" / "subscribers.csv"
    csv.write_bytes(csv.read_bytes() + b"nul@example.org,N\x00ul,active,,2026-01-01\n")
    line = csv.read_bytes().count(b"\n")
    result = run_in_process(site, "store", "copy", "--to", pg_url)
    assert result.returncode == 0, result.stderr
    assert f"not copied: subscribers/subscribers.csv:{line}: a NUL byte (0x00) in the row" in result.stderr
    assert result.stdout.startswith("subscribers: 5 reader(s), 5 new to the store\n")
    assert "copied and counted" in result.stdout


def test_store_copy_takes_a_journal_that_kept_a_providers_nul_byte(site, pg_url):
    """The files took a webhook's NUL bytes before the door refused them: store copy failed
    on such a journal with "the PostgreSQL store: cannot be used (... NUL ...)"."""
    assert invoke(site, "store", "migrate").exit_code == 0
    with closing(sqlite3.connect(site / ".newsletter" / "journal.db")) as db:
        db.execute("INSERT INTO changes (key, address, status, reason, record_unknown, at) "
                   "VALUES ('grace@example.org', 'grace@example.org', 'bounced', "
                   "'postmark: 550' || char(0) || ' no such user', 0, '2026-01-01')")
        db.commit()
    result = run_in_process(site, "store", "copy", "--to", pg_url)
    assert result.returncode == 0, result.stderr
    assert "journal_changes: 1 row(s), 1 new to the store" in result.stdout
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT reason FROM journal_changes").fetchall() == [
            ("postmark: 550 no such user",)]


def test_a_provider_answering_message_ids_with_nul_bytes_still_gets_its_send_recorded(site,
                                                                                    pg_url):
    """A provider's words reach the ledger (message ids, reasons): before, PostgreSQL refused
    the batch's outcomes, the send stopped, and the readers the provider took were in doubt."""
    use_postgresql(site, pg_url)
    subscriber_csv(site, *READERS)
    list_into_store(site)
    (site / "content" / "posts" / "plain-words.md").write_text(POST_FILE)
    server = start_fake("postmark", KEYS["postmark"])
    answer = server.api.success

    def with_nul(request, behaviour):
        status, headers, answers = answer(request, behaviour)
        return status, headers, [{**each, "MessageID": each["MessageID"] + "\u0000x"}
                                 for each in answers]

    server.api.success = with_nul
    try:
        write_provider_settings(site, name="postmark", api_url=server.url, timeout=10)
        result = invoke(site, "send", SLUG, "--yes", env=provider_environ("postmark"))
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    assert f"Sent {len(READERS)}, failed 0, in doubt 0, pending 0." in result.output
    with psycopg.connect(pg_url) as db:
        ids = [id_ for (id_,) in db.execute("SELECT provider_message_id FROM deliveries")]
    assert len(ids) == len(READERS) and all(id_.endswith("x") and "\0" not in id_
                                            for id_ in ids)


def test_a_providers_suppression_reason_with_a_nul_byte_is_journalled_without_it(pg_url):
    """`subscribers sync` hands the provider's reasons to the list: a NUL in one failed the
    whole sync on PostgreSQL."""
    from newsletter.state.postgres import Database
    from newsletter.subscribers import PostgresStore, Suppression, apply_suppressions

    database = Database(pg_url)
    try:
        apply_suppressions(PostgresStore(database), [
            Suppression("gone@example.org", "bounced", "postmark: 550\x00 mailbox gone")],
            record_unknown=True)
    finally:
        database.close()
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT address, status, reason FROM journal_changes").fetchall() == [
            ("gone@example.org", "bounced", "postmark: 550 mailbox gone")]


def test_command_line_bytes_that_are_not_utf8_are_refused_in_one_line(site, each_store):
    """A name or tag typed in a Latin-1 terminal reaches Python as lone surrogates: `add`
    stopped with a traceback (UnicodeEncodeError) on either store, and `list --tag` on
    PostgreSQL; each is now one line, the list as it was."""
    list_into_store(site)
    before = run_cli(site, "subscribers", "export").stdout
    for args in (("subscribers", "add", "ann@example.org", "--name", "Ann\udcff"),
                 ("subscribers", "add", "Ann\udcff <ann@example.org>"),
                 ("subscribers", "add", "ann@example.org", "--tag", "caf\udce9"),
                 ("subscribers", "list", "--tag", "caf\udce9")):
        result = run_cli(site, *args)
        assert result.returncode != 0 and result.stdout == "", args
        assert "not UTF-8 text" in result.stderr and "Traceback" not in result.stderr, args
    assert run_cli(site, "subscribers", "export").stdout == before
