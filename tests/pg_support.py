"""A real PostgreSQL server for the tests that need one, each test in a schema of its own.

The server is the machine's (127.0.0.1:5432, database ``test``, user ``postgres``, trust auth;
``.ci/run`` starts one), or the one NEWSLETTER_TEST_PG names. A test that needs it and finds none
fails under CI (``CI`` set) and is skipped with one line elsewhere.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from urllib.parse import quote

import pytest
from machine import missing

SERVER = os.environ.get("NEWSLETTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NO_COMMIT_WAIT = "-csynchronous_commit=off"  # see url_in_schema


@lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why no PostgreSQL server answers, or None when one does."""
    try:
        import psycopg

        with psycopg.connect(SERVER, connect_timeout=5) as db:
            db.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 (any failure means: no server to test against)
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return None


def require_postgresql() -> None:
    reason = unavailable()
    if reason is None:
        return
    missing(f"no PostgreSQL at {SERVER} ({reason}): the PostgreSQL store's tests did not run")


def url_in_schema(schema: str) -> str:
    """The server's URL with ``schema`` first on the search path (the URL's last option), and
    commits that return before their WAL reaches the disk: a test's data never needs to
    survive a crash of the machine's server, and a commit waiting on that server's disk took
    9 ms at load 16 (1.5 ms without the wait); a PostgreSQL test makes a few hundred."""
    glue = "&" if "?" in SERVER else "?"
    options = f"{NO_COMMIT_WAIT} -csearch_path={schema}"
    return f"{SERVER}{glue}options={quote(options)}"


def new_schema() -> str:
    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(SERVER, autocommit=True, options=NO_COMMIT_WAIT) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    return schema


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True, options=NO_COMMIT_WAIT) as db:
        db.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_url():
    """A store URL whose tables go into a new, empty schema, dropped after the test."""
    require_postgresql()
    schema = new_schema()
    try:
        yield url_in_schema(schema)
    finally:
        drop_schema(schema)


@pytest.fixture(scope="session")
def migrated_schemas():
    """This worker's schemas that hold every table of the store, as migrations left them."""
    pool = MigratedSchemas()
    yield pool
    pool.close()


@pytest.fixture
def migrated_pg_url(migrated_schemas):
    """A store URL whose schema holds every table of the store, as migrations left them, and
    nothing else: for the tests of a site on PostgreSQL, not of making its tables (pg_url).
    Migrating a new schema and dropping it after each test cost these tests most of their
    PostgreSQL time; a schema the test left as it found it, but for rows, is emptied for the
    next test instead, one it changed otherwise is dropped."""
    require_postgresql()
    schema = migrated_schemas.take()
    try:
        yield url_in_schema(schema)
    finally:
        migrated_schemas.give_back(schema)


class MigratedSchemas:
    """Migrated schemas to lend: taken, emptied when given back, dropped at the end. ``made``
    holds each one's state as migrations left it (its migrations' records carry their time)."""

    SHAPE = """SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
                                       AND NOT a.attisdropped
               WHERE n.nspname = %s ORDER BY 1, 3"""

    def __init__(self):
        self.free: list[str] = []
        self.made: dict[str, tuple] = {}  # what migrations left: shape, rows, sequences

    def take(self) -> str:
        return self.free.pop() if self.free else self._migrated()

    def give_back(self, schema: str) -> None:
        import psycopg

        try:
            emptied = self._emptied(schema)
        except psycopg.Error:  # the test took the schema or its tables away
            emptied = False
        if emptied:
            self.free.append(schema)
        else:
            drop_schema(schema)

    def close(self) -> None:
        """Drop every schema still made (those lent out too, should a test still hold one)."""
        for schema in self.made:
            drop_schema(schema)

    def _migrated(self) -> str:
        from newsletter.state import migrate_postgresql

        schema = new_schema()
        migrate_postgresql(url_in_schema(schema), None, record_site=False)
        self.made[schema] = self._state(schema)
        return schema

    def _state(self, schema: str):
        import psycopg

        with psycopg.connect(url_in_schema(schema), autocommit=True) as db:
            shape = db.execute(self.SHAPE, (schema,)).fetchall()
            tables = [name for name, kind, *_ in shape if kind in ("r", "p")]
            rows = {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                    for table in dict.fromkeys(tables)}
            sequences = db.execute("SELECT sequencename, last_value FROM pg_sequences "
                                   "WHERE schemaname = %s ORDER BY 1", (schema,)).fetchall()
        return shape, rows, sequences

    def _emptied(self, schema: str) -> bool:
        """Empty ``schema`` as migrations left it, in one transaction; False, changing
        nothing, when the test changed more than rows (a table, a migration's record)."""
        import psycopg

        shape, rows, sequences = self.made.pop(schema)
        with psycopg.connect(url_in_schema(schema)) as db:
            if db.execute(self.SHAPE, (schema,)).fetchall() != shape or sorted(
                    db.execute("SELECT * FROM newsletter_migrations").fetchall(),
                    key=repr) != rows["newsletter_migrations"]:
                return False
            for table, kept in rows.items():
                if table == "newsletter_migrations":
                    continue
                db.execute(f"DELETE FROM {table}")
                for row in kept:
                    db.execute(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(row))})",
                               row)
            for sequence, last in sequences:
                db.execute("SELECT setval(%s, %s, %s)", (sequence, last or 1, last is not None))
        self.made[schema] = shape, rows, sequences
        return True


def use_postgresql(site, url: str) -> None:
    """Point the site at the PostgreSQL store at ``url`` (a password-free URL: in the file)."""
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + f'\n[store]\nurl = "{url}"\n', encoding="utf-8")


@pytest.fixture(params=["files", "postgresql"])
def store_site(request, site, tmp_path):
    """The example site on each store: its files, or PostgreSQL holding a copy of its list
    (the CSV files then gone, so nothing can be read from them by mistake)."""
    if request.param == "postgresql":
        move_to_postgresql(site, request.getfixturevalue("migrated_pg_url"),
                           tmp_path / "copy-state")
    return site


@pytest.fixture(params=["files", "postgresql"])
def each_store(request, site):
    """Run the test on each store: the files, then PostgreSQL (the site pointed at a new
    schema); yields the store URL or None. A test that writes the CSV list then calls
    :func:`list_into_store`."""
    if request.param == "files":
        return None
    url = request.getfixturevalue("migrated_pg_url")
    use_postgresql(site, url)
    return url


def list_into_store(site) -> None:
    """On a site using the PostgreSQL store: make the list there exactly the one its CSV files
    hold, then remove the files (nothing can be read from them by mistake). Nothing on a
    files site."""
    import shutil
    import tempfile
    import tomllib
    from pathlib import Path

    from newsletter.state.postgres import Database
    from newsletter.subscribers import PostgresStore, SubscriberStore
    from newsletter.subscribers.postgres_store import insert

    url = tomllib.loads((site / "newsletter.toml").read_text()).get("store", {}).get("url")
    if url is None:
        return
    state_dir = Path(tempfile.mkdtemp(prefix="newsletter-list-"))
    database = Database(url)
    try:
        readers, problems = SubscriberStore(directory=site / "subscribers",
                                            state_dir=state_dir).load()
        assert not problems, problems
        with PostgresStore(database).connection() as db, db.transaction():
            db.execute("DELETE FROM subscribers")
            insert(db, readers)
    finally:
        database.close()
        shutil.rmtree(state_dir)
    for path in (site / "subscribers").glob("*.csv"):
        path.unlink()


def move_to_postgresql(site, url: str, state_dir) -> None:
    """Copy ``site``'s list into the PostgreSQL store at ``url``, remove its CSV files and
    point the site at the store."""
    from newsletter.state.postgres import Database
    from newsletter.subscribers import PostgresStore, SubscriberStore, copy_list

    database = Database(url)
    try:
        copy_list(SubscriberStore(directory=site / "subscribers", state_dir=state_dir),
                  PostgresStore(database))
    finally:
        database.close()
    for path in (site / "subscribers").iterdir():
        path.unlink()
    use_postgresql(site, url)


BIN = next(iter(sorted(__import__("glob").glob("/usr/lib/postgresql/*/bin"))), None)


class Cluster:
    """A PostgreSQL server of the test's own (initdb, pg_ctl) on a free port, to restart at
    will; never the machine's shared one. Run as the postgres user when the test runs as root
    (initdb refuses root)."""

    def __init__(self, folder, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *command: str) -> None:
        import subprocess

        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def ctl(self, *args: str) -> None:
        self._run(f"{BIN}/pg_ctl", "-D", str(self.data), "-w", "-t", "60", *args)

    def restart(self) -> None:
        """As an operator restarts it: every session ends; the server is back when this
        returns (its output to the log: a pipe would stay open as long as the server)."""
        self.ctl("-l", str(self.folder / "log"), "-m", "fast", "restart")

    def start(self) -> None:
        self.ctl("-l", str(self.folder / "log"), "-o",
                 f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                 "start")


@pytest.fixture
def own_cluster():
    """A throwaway PostgreSQL cluster, stopped and removed after the test (in a folder of
    /tmp that the postgres user can reach: pytest's own are private to root)."""
    import shutil
    import socket
    import tempfile
    from pathlib import Path

    require_postgresql()
    if BIN is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        missing("no initdb/pg_ctl (Debian's postgresql package) to start a cluster with")
    folder = Path(tempfile.mkdtemp(prefix="newsletter-pg-"))
    os.chmod(folder, 0o777)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cluster = Cluster(folder, port)
    try:
        cluster._run(f"{BIN}/initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres")
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.ctl("-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
