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


@pytest.fixture
def pg_url():
    """A store URL whose tables go into a new, empty schema, dropped after the test."""
    require_postgresql()
    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(SERVER, autocommit=True, options=NO_COMMIT_WAIT) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url_in_schema(schema)
    finally:
        with psycopg.connect(SERVER, autocommit=True, options=NO_COMMIT_WAIT) as db:
            db.execute(f"DROP SCHEMA {schema} CASCADE")


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
        move_to_postgresql(site, request.getfixturevalue("pg_url"), tmp_path / "copy-state")
    return site


@pytest.fixture(params=["files", "postgresql"])
def each_store(request, site):
    """Run the test on each store: the files, then PostgreSQL (the site pointed at a new
    schema); yields the store URL or None. A test that writes the CSV list then calls
    :func:`list_into_store`."""
    if request.param == "files":
        return None
    url = request.getfixturevalue("pg_url")
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
