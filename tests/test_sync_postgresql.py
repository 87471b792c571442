"""`newsletter subscribers sync` on the PostgreSQL store: the provider's lists go into the
subscribers table, with the same rules and the same report as on the files."""

from __future__ import annotations

import psycopg
from fake_providers import provider_environ
from test_sync import ANN, BOB, CY, DEE, LISTS, SETTINGS, provider_lists, readers  # noqa: F401

from tests.conftest import invoke
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)


def test_sync_applies_the_lists_to_the_database_and_a_second_sync_changes_nothing(
        site, provider_lists, pg_url):  # noqa: F811 (fixtures)
    readers(site)
    provider_lists("postmark", LISTS["postmark"], **SETTINGS["postmark"])
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    for path in (site / "subscribers").iterdir():
        path.unlink()
    use_postgresql(site, pg_url)

    result = invoke(site, "subscribers", "sync", env=provider_environ("postmark"))
    again = invoke(site, "subscribers", "sync", env=provider_environ("postmark"))

    assert result.exit_code == 0, result.output
    with psycopg.connect(pg_url) as db:
        statuses = dict(db.execute("SELECT address, status FROM subscribers"))
    assert {a: statuses[a] for a in (ANN, BOB, CY, DEE)} == {
        ANN: "bounced", BOB: "complained", CY: "unsubscribed", DEE: "unsubscribed"}
    assert "gone0@example.net" not in statuses  # a provider's list holds others' readers
    lines = result.output.splitlines()
    assert sorted(line.split(" ")[1] for line in lines[:-1]) == sorted([ANN, BOB, CY])
    assert lines[-1].startswith("3 changed;")
    assert (again.exit_code, again.output) == (0, "")
