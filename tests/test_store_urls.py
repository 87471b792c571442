"""The store URL in the forms libpq reads and an operator writes (docs/store.md): several
hosts for a failover, the database named by a connection service file or by ``dbname=``."""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from newsletter.config import check_url
from newsletter.errors import ConfigError
from tests.conftest import run_in_process
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_url_naming_two_hosts_reaches_the_one_that_answers(site, pg_url):
    parts = urlsplit(pg_url)
    both = f"{parts.hostname}:{closed_port()},{parts.hostname}:{parts.port}"
    use_postgresql(site, pg_url.replace(parts.netloc, f"{parts.username}@{both}")
                   + "&target_session_attrs=read-write")
    result = run_in_process(site, "subscribers", "add", "failover@example.org")
    assert result.returncode == 0, result.stderr
    assert "failover@example.org" in run_in_process(site, "subscribers", "list").stdout


def test_a_url_naming_a_connection_service_uses_its_database(site, pg_url, tmp_path,
                                                             monkeypatch):
    parts = urlsplit(pg_url)
    options = unquote(parse_qs(parts.query)["options"][0])
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[newsletter]\nhost={parts.hostname}\nport={parts.port}\n"
                        f"user={parts.username}\ndbname={parts.path.strip('/')}\n"
                        f"options={options}\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    use_postgresql(site, "postgresql://?service=newsletter")
    result = run_in_process(site, "subscribers", "add", "service@example.org")
    assert result.returncode == 0, result.stderr
    named_in_full = run_in_process(site, "subscribers", "list",
                                   env={"NEWSLETTER_STORE_URL": pg_url})
    assert "service@example.org" in named_in_full.stdout  # the same schema: the reader is there


@pytest.mark.parametrize("variable", ["PGDATABASE", "PGSERVICE"])
def test_a_url_leaving_its_database_to_libpqs_environment_uses_it(site, pg_url, tmp_path,
                                                                  monkeypatch, variable):
    """libpq takes what the URL leaves out from PGDATABASE or PGSERVICE: such a URL was
    refused as 'must be a postgresql:// URL naming a database'."""
    parts = urlsplit(pg_url)
    if variable == "PGDATABASE":
        monkeypatch.setenv("PGDATABASE", parts.path.strip("/"))
        url = f"postgresql://{parts.netloc}?{parts.query}"
    else:
        options = unquote(parse_qs(parts.query)["options"][0])
        services = tmp_path / "pg_service.conf"
        services.write_text(f"[newsletter]\nhost={parts.hostname}\nport={parts.port}\n"
                            f"user={parts.username}\ndbname={parts.path.strip('/')}\n"
                            f"options={options}\n", encoding="utf-8")
        monkeypatch.setenv("PGSERVICEFILE", str(services))
        monkeypatch.setenv("PGSERVICE", "newsletter")
        url = "postgresql://"
    use_postgresql(site, url)
    result = run_in_process(site, "subscribers", "add", "environment@example.org")
    assert result.returncode == 0, result.stderr
    named_in_full = run_in_process(site, "subscribers", "list",
                                   env={"NEWSLETTER_STORE_URL": pg_url})
    assert "environment@example.org" in named_in_full.stdout


@pytest.mark.parametrize("url", ["postgresql:///?dbname=newsletter",
                                 "postgresql://db1:5432,db2:5433/newsletter",
                                 "postgresql://newsletter@[2001:db8::5]:5432/newsletter",
                                 "postgresql:///newsletter?host=/var/run/postgresql"])
def test_urls_libpq_reads_are_taken(url):
    check_url(url, "store.url", "newsletter.toml")


@pytest.mark.parametrize("url", ["postgresql://db1:5432,db2:five/newsletter",
                                 "postgresql://db1:5432/", "postgresql://?sslmode=require"])
def test_urls_without_a_database_or_with_a_port_that_is_no_number_are_refused(url):
    with pytest.raises(ConfigError):
        check_url(url, "store.url", "newsletter.toml")


@pytest.mark.parametrize("pooled", [False, True])
def test_a_connect_timeout_in_the_url_is_the_one_used(pg_url, pooled):
    """The operator's ``connect_timeout`` (with several hosts: the time each is given) was
    replaced by the store's own 10 s."""
    from newsletter.state.postgres import Database

    database = Database(f"{pg_url}&connect_timeout=3", pooled=pooled)
    try:
        with database.connection() as db:
            assert "connect_timeout=3" in db.info.dsn.split()
    finally:
        database.close()


@pytest.mark.parametrize("where", ["url", "PGCLIENTENCODING"])
def test_a_client_encoding_other_than_utf8_still_keeps_every_name(site, pg_url, monkeypatch,
                                                                   where):
    """client_encoding=LATIN1 (in the URL, or libpq's PGCLIENTENCODING): a name outside
    Latin-1 stopped `subscribers add` with a traceback, and `list` refused the store."""
    if where == "url":
        use_postgresql(site, f"{pg_url}&client_encoding=LATIN1")
    else:
        monkeypatch.setenv("PGCLIENTENCODING", "LATIN1")
        use_postgresql(site, pg_url)
    added = run_in_process(site, "subscribers", "add", "wang@example.org", "--name", "王小明")
    assert added.returncode == 0, added.stderr
    listed = run_in_process(site, "subscribers", "list")
    assert listed.returncode == 0, listed.stderr
    assert "王小明" in listed.stdout
