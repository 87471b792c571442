"""The PostgreSQL store's password is never printed, whole or in part, whatever fails; and
newsletter.toml may not hold it (docs/store.md)."""

from __future__ import annotations

import re
import socket

import pytest

from tests.conftest import run_cli, run_in_process
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)

PASSWORD = "Zq7-hunter2%Secret"  # with a character that travels URL-encoded
ENCODED = "Zq7-hunter2%25Secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_never_shown(result) -> None:
    for text in (result.stdout, result.stderr):
        for part in ("hunter2", "Zq7", "Secret", ENCODED):
            assert part not in text


def test_a_password_in_newsletter_toml_is_refused_without_being_echoed(site):
    use_postgresql(site, f"postgresql://postgres:{ENCODED}@127.0.0.1:5432/test")
    result = run_cli(site, "store", "migrate")
    assert result.returncode == 2
    number = (site / "newsletter.toml").read_text().splitlines().index(
        f'url = "postgresql://postgres:{ENCODED}@127.0.0.1:5432/test"') + 1
    assert result.stderr == (
        f"error: newsletter.toml:{number}: store.url holds a password, and newsletter.toml is no place "
        "for one; remove it from the file; set PGPASSWORD in the environment, or the whole URL "
        "in NEWSLETTER_STORE_URL\n")
    assert_never_shown(result)


@pytest.mark.parametrize("how", ["NEWSLETTER_STORE_URL", "PGPASSWORD"])
def test_a_store_that_cannot_be_reached_is_one_line_without_the_password(site, how):
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    if how == "PGPASSWORD":
        use_postgresql(site, url)
        env = {"PGPASSWORD": PASSWORD}
    else:
        env = {"NEWSLETTER_STORE_URL": url.replace("postgres@", f"postgres:{ENCODED}@")}
    for args in (("store", "migrate"), ("subscribers", "list"), ("subscribers", "export")):
        result = run_cli(site, *args, env=env)
        assert result.returncode == 1
        assert result.stderr.startswith("error: the PostgreSQL store: cannot be used (")
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
        assert_never_shown(result)


def test_a_working_store_with_a_password_shows_it_nowhere(site, pg_url):
    """Trust auth ignores the password: every command works, and none prints it."""
    env = {"NEWSLETTER_STORE_URL": pg_url.replace("postgres@", f"postgres:{ENCODED}@"),
           "PGPASSWORD": PASSWORD}
    for args in (("store", "migrate"), ("subscribers", "add", "a@example.org"),
                 ("subscribers", "list"), ("subscribers", "export"), ("subscribers", "check"),
                 ("status",)):
        result = run_cli(site, *args, env=env)
        assert "Traceback" not in result.stderr
        assert_never_shown(result)


# libpq refuses a URL it cannot read by quoting the part that holds the fault: the password,
# as written, when the space or the stray % is in it (decoded forms did not hide that one).
UNREADABLE = [f"postgresql://postgres:{ENCODED}%zz@127.0.0.1:5432/test",
              f"postgresql://postgres:{ENCODED} x@127.0.0.1:5432/test",
              f"postgresql://postgres:{ENCODED}\tx@127.0.0.1:5432/test",
              f"postgresql://postgres:{ENCODED.replace('%25', '%2F')}%@127.0.0.1:5432/test"]


@pytest.mark.parametrize("url", UNREADABLE)
def test_a_store_url_libpq_cannot_read_is_refused_before_it_quotes_the_password(site, url):
    result = run_in_process(site, "subscribers", "list", env={"NEWSLETTER_STORE_URL": url})
    copy = run_in_process(site, "store", "copy", "--to", url)
    assert result.returncode == copy.returncode == 2
    assert result.stderr == ("error: environment: NEWSLETTER_STORE_URL holds a space or a "
                             "control character, or a % that starts no %XX escape; write a "
                             "space as %20 and a % as %25\n")
    assert copy.stderr.startswith("error: the command line: --to holds a space")
    for each in (result, copy):
        assert_never_shown(each)
        assert "Zq7-hunter2%2FSecret" not in each.stderr


def test_a_password_holding_an_at_sign_is_refused_before_libpq_quotes_its_end(site):
    """libpq ends the password at its first @ and names the rest as the host it could not
    find ('Secret@127.0.0.1'); Python reads the password to the last, so hid nothing."""
    url = f"postgresql://postgres:{PASSWORD.replace('%', '@')}@127.0.0.1:5432/test"
    result = run_in_process(site, "subscribers", "list", env={"NEWSLETTER_STORE_URL": url})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("error: environment: NEWSLETTER_STORE_URL holds an @ in its user "
                             "name or password; write it as %40\n")
    assert_never_shown(result)


# A password holding a /, ? or # as it is (a base64 one, say) ends the URL's host part there:
# libpq took its first part for the port (its digits in "port 2024 failed") and the rest for
# the database; the others were "not a URL", to be written as the user had written it.
CUT = ["postgresql://localhost:2024/Zq7hunter2@127.0.0.1:5432/test",
       "postgresql://postgres:Zq7hunter2/Secret+x@127.0.0.1:5432/test",
       "postgresql://postgres:2024?Zq7hunter2@127.0.0.1:5432/test",
       "postgresql://postgres:2024#Zq7hunter2@127.0.0.1:5432/test?sslmode=disable"]


@pytest.mark.parametrize("url", CUT)
def test_a_password_holding_a_slash_question_mark_or_hash_is_refused_before_libpq_cuts_it(
        site, url):
    result = run_in_process(site, "subscribers", "list", env={"NEWSLETTER_STORE_URL": url})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("error: environment: NEWSLETTER_STORE_URL holds a /, ? or # in "
                             "its user name or password (or an @ in its database name); write "
                             "them as %2F, %3F, %23 (and %40)\n")
    assert "2024" not in result.stderr
    assert_never_shown(result)
    copy = run_in_process(site, "store", "copy", "--to", url.replace("postgres:", "x:"))
    assert copy.returncode == 2 and "holds a /, ? or # in its user name" in copy.stderr


def test_an_at_sign_in_a_urls_parameter_value_is_no_password(site, pg_url):
    use_postgresql(site, f"{pg_url}&application_name=writer@laptop")
    assert run_in_process(site, "subscribers", "list").returncode == 0


# libpq decodes a parameter's name as it decodes its value, so each of these is the password.
PARAMETERS = [f"password={ENCODED}", f"sslpassword={ENCODED}", f"pass%77ord={ENCODED}",
              f"ssl%70assword={ENCODED}"]


@pytest.mark.parametrize("parameter", PARAMETERS)
def test_a_password_in_the_urls_parameters_is_hidden_when_libpq_quotes_it(site, parameter):
    """libpq quotes a parameter's value holding %00 (forbidden), the password's as well."""
    url = f"postgresql://postgres@127.0.0.1:5432/test?{parameter}%00"
    result = run_in_process(site, "subscribers", "list", env={"NEWSLETTER_STORE_URL": url})
    assert result.returncode == 1
    assert result.stderr.startswith("error: the PostgreSQL store: cannot be used (")
    assert_never_shown(result)


def test_a_failure_quoting_the_url_hides_its_password_as_written_and_decoded():
    """The last line of defence in the store itself, whatever libpq quotes."""
    import psycopg

    from newsletter.state.postgres import unusable

    url = f"postgresql://postgres:{ENCODED}@127.0.0.1:5432/test"
    for quoted in (ENCODED, PASSWORD):
        error = unusable(psycopg.ProgrammingError(f'invalid token: "{quoted}"'), url)
        assert str(error).startswith('the PostgreSQL store: cannot be used (invalid token: '
                                     '"<hidden>")')


def test_a_store_url_with_a_nul_in_newsletter_toml_is_refused(site):
    """libpq reads a URL up to its NUL: `.../test\\u0000-other` connected to `test`."""
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text() + '\n[store]\nurl = '
                        '"postgresql://postgres@127.0.0.1:5432/test\\u0000-other"\n')
    result = run_in_process(site, "subscribers", "list")
    assert (result.returncode, result.stdout) == (2, "")
    number = len(settings.read_text().splitlines())
    assert result.stderr.startswith(f"error: newsletter.toml:{number}: store.url holds a space "
                                    "or a control character")


@pytest.mark.parametrize("url", [f"postgresql://postgres:{ENCODED}@127.0.0.1:5432/test",
                                 f"postgresql://postgres@127.0.0.1:5432/test?password={ENCODED}"])
def test_store_copy_refuses_a_password_on_its_command_line(site, url):
    """Every user of the machine reads a command line in `ps`: PGPASSWORD holds it instead."""
    result = run_in_process(site, "store", "copy", "--to", url)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: the command line: --to holds a password, and any user of this machine may read "
        "a command line (ps); remove it; set PGPASSWORD in the environment\n")
    assert_never_shown(result)


def test_a_password_parameter_whose_equals_sign_is_escaped_is_hidden(site):
    """libpq refuses ``password%3D...`` as a parameter without a value, quoting it whole."""
    url = f"postgresql://postgres@127.0.0.1:5432/test?password%3D{ENCODED}"
    result = run_in_process(site, "subscribers", "list", env={"NEWSLETTER_STORE_URL": url})
    assert result.returncode == 1
    assert result.stderr.startswith("error: the PostgreSQL store: cannot be used (")
    assert_never_shown(result)


@pytest.mark.parametrize("parameter", PARAMETERS[2:] + [f"password%3D{ENCODED}"])
def test_a_password_parameter_written_with_escapes_in_newsletter_toml_is_refused(site,
                                                                                parameter):
    """libpq connected with ``pass%77ord=`` from the file: a password it must not hold."""
    use_postgresql(site, f"postgresql://postgres@127.0.0.1:5432/test?{parameter}")
    result = run_in_process(site, "subscribers", "list")
    assert (result.returncode, result.stdout) == (2, "")
    assert re.match(r"error: newsletter\.toml:\d+: store\.url holds a password", result.stderr)
    assert_never_shown(result)
