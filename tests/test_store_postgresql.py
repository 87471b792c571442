"""The PostgreSQL store as a writer sets it up: `[store] url`, `store migrate`, a schema from
a newer newsletter refused, and no SQLite file made in that mode (docs/store.md)."""

from __future__ import annotations

import secrets
from contextlib import closing, contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest

from newsletter.state import (
    EVENTS,
    JOURNAL,
    LEDGER,
    LIST,
    SEND_LOG,
    SIGNUPS,
    WEBHOOK_TOKENS,
    WELCOME,
    Schema,
    postgres,
)
from tests.conftest import invoke, run_cli, run_in_process
from tests.pg_support import SERVER, pg_url, use_postgresql  # noqa: F401 (fixture)

KINDS = (LIST, LEDGER, JOURNAL, SIGNUPS, WEBHOOK_TOKENS, EVENTS, SEND_LOG, WELCOME)


def test_store_migrate_builds_every_table_once_and_makes_no_sqlite_file(site, pg_url):
    use_postgresql(site, pg_url)
    first = invoke(site, "store", "migrate")
    assert first.exit_code == 0, first.output
    for schema in KINDS:
        assert (f"the PostgreSQL store ({schema.kind}): {len(schema.migrations)} migration(s) "
                "applied") in first.output
    with psycopg.connect(pg_url) as db:
        tables = {name for (name,) in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    assert {"subscribers", "deliveries", "ledger_meta", "runs", "journal_changes", "signups",
            "used_tokens", "events", "send_log", "welcome_meta", "welcome_progress",
                "welcome_sent", "newsletter_migrations"} <= tables
    assert invoke(site, "store", "migrate").output.count("up to date") == len(KINDS)
    invoke(site, "subscribers", "add", "new@example.org")
    invoke(site, "subscribers", "remove", "new@example.org")
    assert list(site.rglob("*.db")) == []


@pytest.mark.parametrize("kind, commands", [
    ("list", (("store", "migrate"), ("subscribers", "add", "x@example.org"))),
    # The database is one store: the list's commands refuse a newer ledger too (they went on).
    ("ledger", (("subscribers", "list"), ("subscribers", "import", "{incoming}"))),
    # A kind of state this version has none of is a newer newsletter's too (it was used).
    ("mailboxes", (("subscribers", "list"), ("store", "migrate"))),
])
def test_a_database_a_newer_newsletter_migrated_is_refused_in_one_line(site, pg_url, tmp_path,
                                                                       kind, commands):
    use_postgresql(site, pg_url)
    invoke(site, "store", "migrate")
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("INSERT INTO newsletter_migrations (kind, name) "
                   "VALUES (%s, 'm900_from_the_future')", (kind,))
    incoming = tmp_path / "more.csv"
    incoming.write_text("email\nnew@example.org\n")
    for args in commands:
        result = run_cli(site, *(arg.format(incoming=incoming) for arg in args))
        assert (result.returncode, result.stdout) == (1, ""), args
        assert result.stderr == (
            f"error: the PostgreSQL store ({kind}): made by a newer newsletter (its schema has "
            "migration m900_from_the_future, which this version does not know); upgrade "
            "newsletter to the version that wrote it, or newer\n")
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT count(*) FROM subscribers").fetchone()[0] == 0


def test_a_user_without_rights_on_the_schema_is_told_what_to_grant_in_one_line(site, pg_url):
    """`store migrate` and `store copy` let the server's refusal out as a traceback."""
    role = f"nl_qa_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f"CREATE ROLE {role} LOGIN")
    try:
        url = pg_url.replace("postgres@", f"{role}@", 1)
        use_postgresql(site, url)
        for args in (("store", "migrate"), ("subscribers", "list"), ("status",)):
            result = run_in_process(site, *args)
            assert result.returncode == 1, (args, result.stderr)
            assert result.stderr.startswith("error: the PostgreSQL store: cannot be used ("), args
            assert result.stderr.endswith(
                "or give the user the rights on it (GRANT USAGE, CREATE ON SCHEMA ...)\n"), args
            assert len(result.stderr.splitlines()) == 1, args
        copy = run_in_process(site, "store", "copy", "--to", url)
        assert copy.returncode == 1 and "give the user the rights on it" in copy.stderr
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f"DROP ROLE {role}")


def test_a_user_who_may_use_but_not_create_in_a_new_schema_is_told_to_migrate_as_owner(
        site, pg_url):
    """The operator's least-rights user (USAGE on the schema, no CREATE) on a store nobody
    migrated yet: the line named only grants and schemas, not `store migrate` by the owner."""
    role = f"nl_qa_{secrets.token_hex(4)}"
    schema = pg_url.rsplit("%3D", 1)[1]
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f"CREATE ROLE {role} LOGIN")
        db.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    try:
        use_postgresql(site, pg_url.replace("postgres@", f"{role}@", 1))
        result = run_in_process(site, "subscribers", "list")
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (
            f"error: the PostgreSQL store: cannot be used (permission denied for schema "
            f"{schema}); give the store URL's user the rights on its schema (GRANT USAGE, "
            "CREATE ON SCHEMA ...), name a schema it owns in the URL's search_path, or run "
            "`newsletter store migrate` as the schema's owner (after each upgrade of "
            "newsletter)\n")
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f"DROP OWNED BY {role}")
            db.execute(f"DROP ROLE {role}")


def test_a_search_path_naming_no_schema_that_exists_says_to_make_it(site, pg_url):
    """A misspelt schema in the URL's options (or one never made) was told to grant rights."""
    use_postgresql(site, pg_url.replace("%3Dt_", "%3Dtypo_t_", 1))
    for args in (("store", "migrate"), ("status",), ("subscribers", "list")):
        result = run_in_process(site, *args)
        assert (result.returncode, result.stdout) == (1, ""), args
        assert result.stderr == (
            "error: the PostgreSQL store: cannot be used (no schema has been selected to create "
            "in); the URL's search_path names no schema the store URL's user may use: make it "
            "(CREATE SCHEMA name AUTHORIZATION user), check its spelling, or give the user the "
            "rights on it (GRANT USAGE, CREATE ON SCHEMA ...)\n"), args


def test_a_user_who_may_only_read_the_tables_is_told_to_grant_on_the_tables(site, pg_url):
    """A reporting user (SELECT only): reading works; a change is refused in one line that
    names the tables' grant (it named the schema's, which the user may have already)."""
    invoke(site, "store", "copy", "--to", pg_url)
    with a_role(site, pg_url, "SELECT"):
        assert run_in_process(site, "subscribers", "list").returncode == 0
        result = run_in_process(site, "subscribers", "add", "new@example.org")
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (
            "error: the PostgreSQL store: cannot be used (permission denied for table "
            f"subscribers){TABLE_RIGHTS}")


# What a user lacking rights on the store's tables or their sequences is told.
TABLE_RIGHTS = ("; give the store URL's user the rights on its tables and their sequences "
                "(GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ...; GRANT USAGE "
                "ON ALL SEQUENCES IN SCHEMA ...), or use their owner\n")


def test_a_user_granted_the_tables_but_not_their_sequences_is_told_to_grant_both(site, pg_url):
    """A new journal entry or reader takes the next id of a sequence, a right of its own: the
    line said to grant rights on the schema, which the user had."""
    invoke(site, "store", "copy", "--to", pg_url)
    with a_role(site, pg_url, "SELECT, INSERT, UPDATE, DELETE"):
        assert run_in_process(site, "subscribers", "list").returncode == 0
        for args, sequence in ((("subscribers", "remove", "grace@example.org"),
                                "journal_changes_id_seq"),
                               (("subscribers", "add", "new@example.org"),
                                "subscribers_position_seq")):
            result = run_in_process(site, *args)
            assert (result.returncode, result.stdout) == (1, ""), args
            assert result.stderr == ("error: the PostgreSQL store: cannot be used (permission "
                                     f"denied for sequence {sequence}){TABLE_RIGHTS}")


@contextmanager
def a_role(site, pg_url, rights: str):
    """The site's store URL names a new role with USAGE and CREATE on the test's schema and
    ``rights`` on its tables, for the block; yields the role's name."""
    role = f"nl_qa_{secrets.token_hex(4)}"
    schema = pg_url.rsplit("%3D", 1)[1]
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f"CREATE ROLE {role} LOGIN")
        db.execute(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {role}")
        db.execute(f"GRANT {rights} ON ALL TABLES IN SCHEMA {schema} TO {role}")
    try:
        use_postgresql(site, pg_url.replace("postgres@", f"{role}@", 1))
        yield role
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f"DROP OWNED BY {role}")
            db.execute(f"DROP ROLE {role}")


def test_a_server_with_no_connection_to_spare_is_one_line_saying_so(site, pg_url):
    """The role's CONNECTION LIMIT (or the server's max_connections) reached by other
    sessions: the line said to check the store URL and PGPASSWORD, both right."""
    invoke(site, "store", "copy", "--to", pg_url)
    with a_role(site, pg_url, "SELECT") as role:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f"ALTER ROLE {role} CONNECTION LIMIT 1")
        with psycopg.connect(pg_url.replace("postgres@", f"{role}@", 1)):  # its one, taken
            result = run_in_process(site, "subscribers", "list")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("error: the PostgreSQL store: cannot be used (connection "
                                    "failed: ")
    assert f'too many connections for role "{role}"' in result.stderr
    assert result.stderr.endswith(
        "; the server has no connection to spare (its max_connections, or the CONNECTION "
        "LIMIT of the store URL's user or database): each `serve` keeps up to 11, a send 3; "
        "raise the limit, or run the command again when fewer are open\n")
    assert len(result.stderr.splitlines()) == 1


def test_a_user_who_may_change_rows_but_not_tables_is_told_who_can_migrate(site, pg_url):
    """Tables made by an owner role, used by one with the rights on their rows: an upgrade's
    migration (ALTER TABLE) is the owner's to run; the line said to check the server."""
    invoke(site, "store", "copy", "--to", pg_url)
    with psycopg.connect(pg_url, autocommit=True) as db:  # as before m003, the last one
        db.execute("ALTER TABLE signups DROP COLUMN mailer")
        db.execute("DELETE FROM newsletter_migrations WHERE name = 'm003_add_mailer'")
    with a_role(site, pg_url, "SELECT, INSERT, UPDATE, DELETE"):
        migrated = run_in_process(site, "store", "migrate")
    assert (migrated.returncode, migrated.stdout, migrated.stderr) == (1, "", (
        "error: the PostgreSQL store: cannot be used (must be owner of table signups); "
        "run `newsletter store migrate` with a store URL naming the tables' owner (after "
        "each upgrade of newsletter), or make the store URL's user their owner\n"))


def test_a_store_busy_past_the_sessions_lock_timeout_is_one_line_saying_run_again(site,
                                                                                 pg_url):
    use_postgresql(site, f"{pg_url}%20-clock_timeout%3D200ms")
    invoke(site, "store", "migrate")
    with psycopg.connect(pg_url) as holder:  # a session holding the list, all along
        holder.execute("LOCK TABLE subscribers IN ACCESS EXCLUSIVE MODE")
        result = run_in_process(site, "subscribers", "list")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "error: the PostgreSQL store: cannot be used (canceling statement due to lock "
        "timeout); the store was busy (another session held its tables too long); run the "
        "command again\n")


def test_a_schema_holding_another_applications_tables_is_told_to_use_a_schema_of_its_own(
        site, pg_url):
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("CREATE TABLE subscribers (id serial PRIMARY KEY, email text)")
    use_postgresql(site, pg_url)
    migrated = run_in_process(site, "store", "migrate")
    assert (migrated.returncode, migrated.stderr) == (1, (
        'error: the PostgreSQL store: cannot be used (relation "subscribers" already exists); '
        "the store's schema holds tables newsletter did not make; give it a schema of its own "
        "(CREATE SCHEMA newsletter, and options=-csearch_path%3Dnewsletter in the store URL)\n"))


def test_a_read_only_store_reads_and_refuses_changes_saying_to_use_the_primary(site, pg_url):
    use_postgresql(site, pg_url)
    invoke(site, "store", "migrate")  # on the primary: a standby has its tables
    invoke(site, "subscribers", "add", "kept@example.org")
    standby = {"NEWSLETTER_STORE_URL": f"{pg_url}%20-cdefault_transaction_read_only%3Don"}
    assert "kept@example.org" in run_in_process(site, "subscribers", "list", env=standby).stdout
    assert run_in_process(site, "status", env=standby).returncode == 0
    assert run_in_process(site, "reconcile", env=standby).returncode == 0
    result = run_in_process(site, "subscribers", "add", "new@example.org", env=standby)
    assert result.returncode == 1
    assert "in a read-only transaction); the store URL reaches a read-only server (a standby) " \
           "or session; point it at the primary" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    # Only a read-write server will do, and none of the URL's is: libpq's words were told to
    # check the server, the URL and PGPASSWORD.
    only = {"NEWSLETTER_STORE_URL": standby["NEWSLETTER_STORE_URL"]
            + "&target_session_attrs=read-write"}
    result = run_in_process(site, "status", env=only)
    assert (result.returncode, result.stdout) == (1, "")
    assert "failed: session is read-only); the store URL reaches a read-only server (a " \
           "standby) or session; point it at the primary" in result.stderr


def test_a_read_only_store_answers_status_while_a_run_has_rows_on_their_way(site, pg_url):
    """A run's mark and its `submitting` rows, as a sender on the primary keeps them (or a
    killed one leaves them): a standby cannot see the primary's senders, and `status`, `posts`
    and `reconcile` there tried to turn the rows in doubt, and failed."""
    invoke(site, "store", "copy", "--to", pg_url)
    use_postgresql(site, pg_url)
    sent = invoke(site, "send", "what-matters", "--yes", env={"NEWSLETTER_SECRET": "s" * 32})
    assert sent.exit_code == 0, sent.output  # to the outbox
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE deliveries SET state = 'submitting' WHERE address LIKE '%%.org'")
        db.execute("INSERT INTO ledger_meta VALUES ('running:/posts/what-matters', '')")
    standby = {"NEWSLETTER_STORE_URL": f"{pg_url}%20-cdefault_transaction_read_only%3Don"}
    for args in (("status",), ("posts",), ("reconcile",), ("status", "what-matters")):
        result = run_in_process(site, *args, env=standby)
        assert (result.returncode, result.stderr) == (0, ""), (args, result.stderr)
    assert "in flight 2," in run_in_process(site, "status", env=standby).stdout
    # On the primary, with no sender alive: in doubt, as ever.
    assert "in doubt 2," in run_in_process(site, "status").stdout


def test_the_welcome_series_is_read_on_a_read_only_store(site, pg_url):
    """`welcome status` and `send --due --dry-run` only look: they made a TEMP table first
    (refused on a standby, or with default_transaction_read_only) and failed there."""
    from fake_providers import write_settings

    use_postgresql(site, pg_url)
    write_settings(site, "welcome", enabled=True, posts=["what-matters"], every="1d")
    env = {"NEWSLETTER_SECRET": "s" * 32}
    assert invoke(site, "send", "--due", env=env).exit_code == 0  # starts the series
    invoke(site, "subscribers", "add", "joiner@example.org")
    standby = {**env,
               "NEWSLETTER_STORE_URL": f"{pg_url}%20-cdefault_transaction_read_only%3Don"}
    looked = run_in_process(site, "welcome", "status", env=standby)
    assert (looked.returncode, looked.stderr) == (0, ""), looked.stderr
    assert "/posts/what-matters: sent 0, due now 1, waiting 0" in looked.stdout
    dry = run_in_process(site, "send", "--due", "--dry-run", env=standby)
    assert (dry.returncode, dry.stderr) == (0, ""), dry.stderr
    assert "would send welcome post /posts/what-matters" in dry.stdout
    sent = run_in_process(site, "send", "--due", env=env)  # on the primary: given and sent
    assert "Welcome series: sent /posts/what-matters" in sent.stdout, sent.stderr
    assert (site / "outbox" / "what-matters" / "joiner@example.org.eml").exists()


def test_a_list_from_before_the_welcome_series_ran_there_learns_when_each_reader_joined(
        site, pg_url):
    # A store made before the list kept `joined`: `store migrate` reads it from subscribed_at
    # as the files store does (no zone: UTC; not a time: unknown), and the series can start.
    with closing(postgres.connect(pg_url)) as db:
        postgres.migrate(db, Schema(LIST.kind, LIST.file, LIST.migrations[:1]))
        with db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO subscribers (key, email, address, subscribed_at) "
                "VALUES (%s, %s, %s, %s)",
                [(a, a, a, at) for a, at in (("a@example.org", "2026-01-01T02:00:00+02:00"),
                                             ("b@example.org", "2026-01-01"),
                                             ("c@example.org", "last spring"))])
    use_postgresql(site, pg_url)
    assert "the PostgreSQL store (list): 3 migration(s) applied" in run_cli(
        site, "store", "migrate").stdout
    with psycopg.connect(pg_url) as db:
        joined = dict(db.execute("SELECT key, joined FROM subscribers"))
    assert joined == {"a@example.org": 1767225600, "b@example.org": 1767225600,
                      "c@example.org": None}


def test_a_list_from_before_its_columns_were_kept_in_order_exports_them_all(site, pg_url):
    # A store made before list_columns: `store migrate` names every extra column the rows
    # hold (their first order is not known any more: by name).
    with closing(postgres.connect(pg_url)) as db:
        postgres.migrate(db, Schema(LIST.kind, LIST.file, LIST.migrations[:2]))
        db.execute("INSERT INTO subscribers (key, email, address, extra) VALUES "
                   "('a@example.org', 'a@example.org', 'a@example.org', "
                   "'{\"zip\": \"123\", \"company\": \"Acme\"}')")
    use_postgresql(site, pg_url)
    assert "the PostgreSQL store (list): 2 migration(s) applied" in run_cli(
        site, "store", "migrate").stdout

    lines = run_cli(site, "subscribers", "export").stdout.splitlines()

    assert lines == ["email,name,status,tags,subscribed_at,company,zip",
                     "a@example.org,,active,,,Acme,123"]


def test_a_database_not_made_in_utf8_is_told_to_move_to_one(site):
    """A LATIN1 database takes José but not 王小明: the line said to check that the server
    runs, and the store URL and PGPASSWORD."""
    name = f"nl_qa_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name} ENCODING 'LATIN1' TEMPLATE template0 "
                   "LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        use_postgresql(site, urlsplit(SERVER)._replace(path=f"/{name}").geturl())
        assert run_in_process(site, "subscribers", "add", "jose@example.org", "--name",
                              "José").returncode == 0
        result = run_in_process(site, "subscribers", "add", "wang@example.org", "--name",
                                "王小明")
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr.startswith("error: the PostgreSQL store: cannot be used (")
        assert result.stderr.endswith(
            "; the store's database was made with an encoding other than UTF8, which cannot "
            "hold every name: move the store to one made with ENCODING 'UTF8' (`store copy "
            "--to files`, then `store copy --to` the new one)\n")
        assert "José" in run_in_process(site, "subscribers", "list").stdout
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f"DROP DATABASE {name} WITH (FORCE)")
