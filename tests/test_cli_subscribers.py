"""`newsletter subscribers ...` as a writer uses it."""

from __future__ import annotations

from pg_support import each_store, list_into_store, pg_url  # noqa: F401 (fixtures)
from tests.conftest import invoke, run_cli


def test_example_list_counts_by_status(site):
    result = invoke(site, "subscribers", "count")
    assert result.exit_code == 0
    assert "unsubscribed        1" in result.output
    assert "total               5" in result.output


def test_add_list_remove_round_trip(site):
    assert invoke(site, "subscribers", "add", "New@Example.COM", "--name", "New",
                  "--tag", "a", "--tag", "b").output == "added New@example.com\n"
    assert "New@example.com\tNew\tactive\ta,b" in invoke(site, "subscribers", "list").output
    assert invoke(site, "subscribers", "remove", "new@example.com").output == \
        "unsubscribed new@example.com\n"
    listed = invoke(site, "subscribers", "list", "--status", "active").output
    assert "New@example.com" not in listed
    rows = (site / "subscribers" / "subscribers.csv").read_text().splitlines()
    assert len(rows) == 7 and ",unsubscribed," in rows[-1]


def test_add_refuses_to_resubscribe_without_the_flag(site):
    result = invoke(site, "subscribers", "add", "alan@example.com")
    assert result.exit_code == 2
    assert result.output == ("error: subscribers/subscribers.csv:4: alan@example.com is "
                             "unsubscribed; pass --resubscribe only if they asked to come back\n")
    result = invoke(site, "subscribers", "add", "alan@example.com", "--resubscribe")
    assert result.output == "alan@example.com is active again\n"


def test_a_name_or_tag_on_two_lines_is_refused_and_nothing_is_added(site):
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    result = invoke(site, "subscribers", "add", "eve@example.com", "--name",
                    "Eve\nBcc: all@example.com")
    assert result.exit_code == 2
    assert result.output == ("error: --name 'Eve\\nBcc: all@example.com' holds a line break or "
                             "control character; give it on one line\n")
    assert invoke(site, "subscribers", "add", "eve@example.com", "--tag", "a\rb").exit_code == 2
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_add_takes_an_address_as_a_mail_client_writes_it_with_its_name(site):
    """Before: "'Ann <ann@example.org>' is not a valid address (A display name and angle
    brackets around the email address are not permitted here.)"."""
    assert invoke(site, "subscribers", "add", "Ann Reader <ann@example.org>").output == \
        "added ann@example.org\n"
    assert invoke(site, "subscribers", "add", '"Lee, Jo" <jo@example.org>', "--name",
                  "Jo Lee").output == "added jo@example.org\n"
    listed = invoke(site, "subscribers", "list").output
    assert "ann@example.org\tAnn Reader\tactive" in listed
    assert "jo@example.org\tJo Lee\tactive" in listed


def test_remove_takes_an_address_as_a_mail_client_writes_it_as_add_does(site):
    """Before: a leaver's address copied from their email ('Ada <ada@example.com>') or a
    mailto: link was 'not a valid address', and they stayed on the list."""
    assert invoke(site, "subscribers", "remove", "Ada Lovelace <ada@example.com>").output == \
        "unsubscribed ada@example.com\n"
    assert invoke(site, "subscribers", "remove", "mailto:grace@example.org").output == \
        "unsubscribed grace@example.org\n"
    listed = invoke(site, "subscribers", "list", "--status", "unsubscribed").output
    assert "ada@example.com\t" in listed and "grace@example.org\t" in listed


def test_a_bad_address_is_a_one_line_error(site):
    result = invoke(site, "subscribers", "add", "nobody@")
    assert result.exit_code == 2
    assert result.output.startswith("error: 'nobody@' is not a valid address")
    assert invoke(site, "subscribers", "remove", "nobody@").exit_code == 2


def test_import_prints_counts_and_problems(site, tmp_path):
    incoming = tmp_path / "more.csv"
    incoming.write_text("email,name\nalan@example.com,Alan\nnew@example.org,New\nbroken,\n")
    result = invoke(site, "subscribers", "import", str(incoming))
    assert result.exit_code == 0
    assert "added 1, updated 0, unchanged 0, skipped 1, invalid 1" in result.output
    assert f"not imported: {incoming}:4: 'broken' is not a valid address" in result.output
    assert "skipped for sending" not in result.output


def test_export_to_stdout_and_to_a_file(site, tmp_path):
    result = invoke(site, "subscribers", "export", "--status", "unsubscribed")
    assert result.output.splitlines() == [
        "email,name,status,tags,subscribed_at",
        "alan@example.com,Alan Turing,unsubscribed,founding,2026-02-01T08:15:00+00:00"]
    out = tmp_path / "all.csv"
    invoke(site, "subscribers", "export", "--out", str(out))
    assert len(out.read_text().splitlines()) == 6


def test_export_to_stdout_is_utf8_whatever_the_terminal_says(site):
    # a terminal set to ASCII (LC_ALL=C with PYTHONIOENCODING=ascii) gave a traceback at Zoë
    invoke(site, "subscribers", "add", "zoe@example.com", "--name", "Zoë Ünal")
    for encoding in ("ascii", "latin-1"):
        result = run_cli(site, "subscribers", "export",
                         env={"LC_ALL": "C", "PYTHONIOENCODING": encoding}, encoding="utf-8")
        assert result.returncode == 0, result.stderr
        assert "\nzoe@example.com,Zoë Ünal,active," in result.stdout


def test_export_onto_the_list_or_into_a_missing_folder_is_one_line_and_changes_nothing(site):
    listed = site / "subscribers" / "subscribers.csv"
    before = listed.read_bytes()
    result = invoke(site, "subscribers", "export", "--out", str(listed))
    assert result.exit_code == 2
    assert result.output == (f"error: {listed}: the export would land among the subscriber "
                             "files, read as the list; write it outside subscribers/\n")
    assert listed.read_bytes() == before
    missing = site / "no-such-folder" / "all.csv"
    result = run_cli(site, "subscribers", "export", "--out", str(missing))
    assert result.returncode == 2
    assert result.stderr == (f"error: {missing}: cannot be written (No such file or directory); "
                             "check that its folder exists and may be written and that the "
                             "disk has room; no file was changed\n")


def test_check_lists_every_problem_and_exits_2(site):
    assert invoke(site, "subscribers", "check").exit_code == 0
    (site / "subscribers" / "extra.csv").write_text("email;name\r\nfine@example.com;Fine\r\n"
                                                    "oops@@example.com;Oops\r\n")
    result = run_cli(site, "subscribers", "check")
    assert result.returncode == 2
    assert result.stdout.startswith("subscribers/extra.csv:3: 'oops@@example.com' is not a valid")
    assert "Traceback" not in result.stderr


def test_export_says_when_rows_with_problems_are_left_out(site, tmp_path):
    # A row whose status nobody knows keeps its address from being mailed here, but cannot be
    # exported as a reader: the export must not look complete
    (site / "subscribers" / "old.csv").write_text("email,name,status\n"
                                                  "bob@example.com,Bob,do-not-mail\n"
                                                  "not an address,Nobody,\n")
    warning = ("warning: 2 row(s) with problems are skipped; see `newsletter subscribers "
               "check`\n")
    result = invoke(site, "subscribers", "export")
    assert result.exit_code == 0
    assert result.stderr == warning
    assert result.stdout.startswith("email,name,status,tags,subscribed_at\n")
    assert "bob@example.com" not in result.stdout
    out = tmp_path / "all.csv"
    result = invoke(site, "subscribers", "export", "--out", str(out))
    assert result.stderr == f"wrote 5 reader(s) to {out}\n{warning}"


def test_count_list_check_and_export_of_a_long_list_hold_one_reader_at_a_time(site):
    # A list of a million readers: count, list, check and export held every reader (760 MB).
    import tracemalloc

    with (site / "subscribers" / "subscribers.csv").open("a") as rows:
        rows.writelines(f"reader{n}@example.net,Reader {n},active,,\n" for n in range(10_000))
    expected = {"count": "total           10005", "list": "reader9999@example.net\tReader 9999",
                "check": "10005 reader(s) in",
                "export": "\nreader9999@example.net,Reader 9999,active,,\n"}
    invoke(site, "subscribers", "count")  # imports and the journal's fold, not measured
    for command, words in expected.items():
        tracemalloc.start()
        try:
            result = invoke(site, "subscribers", command)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert words in result.output
        output = len(result.output.encode()) * 4  # the runner keeps what was printed
        assert peak - output < 4_000_000, (command, peak)  # all 10,005 readers held: 6 MB


def test_list_by_tag_shows_the_readers_a_send_to_that_tag_reaches(site, each_store):
    # Sends target tags (send --tag, newsletter_tags), but the list could not be filtered by
    # one: a writer could not see who a tagged send would reach before sending it.
    with (site / "subscribers" / "subscribers.csv").open("a") as csv:
        csv.write("wes@example.net,Wes,active,Weekly;paid,\n"
                  "pat@example.net,Pat,active,paid,\n"
                  "una@example.net,Una,unsubscribed,weekly,\n")
    list_into_store(site)

    def listed(*options):
        result = invoke(site, "subscribers", "list", *options)
        assert result.exit_code == 0, result.output
        return {line.split("\t")[0] for line in result.output.splitlines()}

    assert listed("--tag", "weekly") == {"wes@example.net", "una@example.net"}  # any case
    assert listed("--tag", "WEEKLY", "--tag", "paid") == {
        "wes@example.net", "pat@example.net", "una@example.net"}
    assert listed("--tag", "nobody-has-it") == set()
    segment = listed("--status", "active", "--tag", "weekly")
    assert segment == {"wes@example.net"}
    sent = invoke(site, "send", "what-matters", "--yes", "--tag", "weekly")
    assert sent.exit_code == 0, sent.output
    assert f"Recipients: {len(segment)} (tagged weekly)" in sent.output
