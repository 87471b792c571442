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

SERVER = os.environ.get("NEWSLETTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
UNDER_CI = bool(os.environ.get("CI"))  # read at import: tests/conftest.py hides CI from tests


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
    message = f"no PostgreSQL at {SERVER} ({reason})"
    if UNDER_CI:
        pytest.fail(f"{message}: CI must run the PostgreSQL store's tests", pytrace=False)
    pytest.skip(f"{message}: the PostgreSQL store's tests did not run")


def url_in_schema(schema: str) -> str:
    """The server's URL with ``schema`` first on the search path."""
    glue = "&" if "?" in SERVER else "?"
    return f"{SERVER}{glue}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_url():
    """A store URL whose tables go into a new, empty schema, dropped after the test."""
    require_postgresql()
    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url_in_schema(schema)
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
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
        from newsletter.state.postgres import Database
        from newsletter.subscribers import PostgresStore, SubscriberStore, copy_list

        url = request.getfixturevalue("pg_url")
        database = Database(url)
        try:
            copy_list(SubscriberStore(directory=site / "subscribers",
                                      state_dir=tmp_path / "copy-state"), PostgresStore(database))
        finally:
            database.close()
        for path in (site / "subscribers").iterdir():
            path.unlink()
        use_postgresql(site, url)
    return site
