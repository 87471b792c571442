"""The exit codes of `send`, `send --due` and `reconcile`, one test a row of the table in
docs/sending.md ("Exit status"): cron mails only what a run prints on stderr and its exit code,
so each outcome must say what it is."""

from __future__ import annotations

import pytest

from conftest import invoke
from fake_providers import DROP, KEYS, fail, partial, provider_environ, start_fake
from fake_providers import write_provider_settings
from newsletter.sending import Ledger
from sending_support import REFERENCE_POST, leave_in_flight, site_settings, without_backoff_waits

ENV = provider_environ("postmark")


@pytest.fixture
def postmark(site, monkeypatch):
    """The site sending through a fake Postmark, four readers a batch of two."""
    without_backoff_waits(monkeypatch)
    server = start_fake("postmark", KEYS["postmark"])
    write_provider_settings(site, name="postmark", api_url=server.url, timeout=2.0,
                            concurrency=1, batch_size=2)
    yield server
    server.close()


def send(site, due: bool):
    return invoke(site, "send", *(["--due"] if due else ["what-matters", "--yes"]), env=ENV)


@pytest.mark.parametrize("due", [False, True], ids=["send", "send --due"])
def test_all_sent_exits_0_and_a_rerun_with_nothing_left_exits_0(site, postmark, due):
    first = send(site, due)
    assert first.exit_code == 0, first.output
    assert first.stderr == ""
    again = send(site, due)
    assert again.exit_code == 0
    assert again.output == ("" if due else "Nothing left to send: every active subscriber has "
                            "/posts/what-matters already.\n")


@pytest.mark.parametrize("due", [False, True], ids=["send", "send --due"])
def test_a_reader_failed_for_good_exits_1_and_names_the_retry(site, postmark, due):
    postmark.enqueue(partial(i0=406))
    result = send(site, due)
    assert result.exit_code == 1
    if due:
        assert "error: /posts/what-matters: failed 1" in result.stderr
    else:
        assert "Sent 3, failed 1, in doubt 0, pending 0." in result.stdout
        assert "`newsletter send what-matters --retry-failed` once the cause is fixed" in (
            result.stderr)


@pytest.mark.parametrize("due", [False, True], ids=["send", "send --due"])
def test_a_batch_in_doubt_exits_1_and_names_reconcile(site, postmark, due):
    postmark.enqueue(DROP)
    result = send(site, due)
    assert result.exit_code == 1
    if due:
        assert "error: /posts/what-matters: in doubt 2" in result.stderr
    else:
        assert "Sent 2, failed 0, in doubt 2, pending 0." in result.stdout
        assert ("`newsletter reconcile what-matters` asks postmark about the 2 in doubt"
                in result.stderr)
    reconciled = invoke(site, "reconcile", env=ENV)  # the fake took the dropped batch in
    assert reconciled.exit_code == 0 and "2 found at postmark (now sent)" in reconciled.stdout
    assert send(site, due).exit_code == 0


@pytest.mark.parametrize("due", [False, True], ids=["send", "send --due"])
def test_readers_left_pending_by_a_sending_limit_exit_0(site, postmark, due):
    write_provider_settings(site, name="postmark", api_url=postmark.url, timeout=2.0,
                            concurrency=1, batch_size=2, daily_limit=2, reserve_for_signups=0)
    result = send(site, due)
    assert result.exit_code == 0, result.output
    assert "Limit reached: the daily limit of 2" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("due", [False, True], ids=["send", "send --due"])
def test_a_provider_outage_exits_1_with_the_readers_pending(site, postmark, due):
    postmark.enqueue(*[fail(503)] * 40)
    result = send(site, due)
    assert result.exit_code == 1
    assert "pending" in result.stderr if due else "pending 4" in result.stdout


def test_nothing_due_exits_0_and_prints_nothing(site, postmark):
    assert send(site, due=True).exit_code == 0
    result = send(site, due=True)
    assert (result.exit_code, result.output) == (0, "")


def test_reconcile_exits_1_while_readers_stay_in_doubt(site):
    with Ledger.open(site_settings(site)) as ledger:  # a batch no record says where it went
        leave_in_flight(ledger, REFERENCE_POST, ["ada@example.com"])
    result = invoke(site, "reconcile")
    assert result.exit_code == 1 and "1 still in doubt" in result.stdout
    # stderr, which cron mails when the job's output goes elsewhere, said nothing
    assert result.stderr == ("error: 1 reader(s) still in doubt: /posts/what-matters (1); "
                             "`newsletter status POST` lists them and what to do\n")
    as_json = invoke(site, "reconcile", "--json")
    assert as_json.exit_code == 1 and as_json.stderr == result.stderr


def test_reconcile_with_nobody_in_doubt_exits_0(site):
    result = invoke(site, "reconcile")
    assert (result.exit_code, result.stdout) == (0, "Nothing is in doubt.\n")


def test_a_send_reaching_newcomers_still_names_an_earlier_runs_readers_in_doubt(site):
    # A run crashed with a batch on its way; the next run reported it (exit 1). A later send to
    # newcomers said "Sent 1, failed 0, in doubt 0, pending 0." and exited 0: from cron, the
    # writer never learned that the crashed batch's readers were still unsettled.
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    with Ledger.open(site_settings(site)) as ledger:
        leave_in_flight(ledger, REFERENCE_POST, ["ada@example.com"])
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 1  # it found the crash
    invoke(site, "subscribers", "add", "newcomer@example.net")
    result = invoke(site, "send", "what-matters", "--yes")
    assert "Sent 1, failed 0, in doubt 0, pending 0." in result.stdout
    assert "Left by earlier runs: in doubt 1." in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "See `newsletter status what-matters`; `newsletter reconcile what-matters` settles the "
        "1 in doubt from the outbox's files.")
    assert result.exit_code == 1


@pytest.mark.parametrize("command, code", [(("send", "what-matters", "--yes"), 1),
                                           (("send", "--due"), 0), (("reconcile",), 1)])
def test_another_send_holding_the_site(site, command, code):
    from newsletter.sending import site_lock

    Ledger.open(site_settings(site)).close()  # without a ledger, reconcile has nothing to ask
    with site_lock(site_settings(site)):
        result = invoke(site, *command)
    assert result.exit_code == code
    assert "another send is running on this site" in result.output


def test_a_dry_run_names_what_earlier_runs_left_and_where_a_limit_would_stop(site):
    # The dry run said "Recipients: 3" of a list of four and nothing else: not that a reader
    # was in doubt from a crashed run, nor that the daily limit would stop the send after two.
    from fake_providers import write_settings

    with Ledger.open(site_settings(site)) as ledger:
        leave_in_flight(ledger, REFERENCE_POST, ["ada@example.com"])
    write_settings(site, "provider", name="outbox", daily_limit=2, reserve_for_signups=0)
    result = invoke(site, "send", "what-matters", "--dry-run")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "Recipients: 3" in lines
    assert ("Left by earlier runs: in doubt 1 (not among the recipients; see `newsletter "
            "status what-matters`).") in lines
    limit = next(line for line in lines if line.startswith("Limit:"))
    assert limit.startswith("Limit:      the daily limit of 2: a send now reaches 2 readers, "
                            "the other 1 go out later (estimated to finish ")
    assert lines[-1] == "Dry run: nothing sent."
    assert not (site / "outbox").exists()


def test_a_cron_run_resuming_a_post_names_its_readers_in_doubt_but_not_old_failures(site):
    # Earlier runs left one reader rejected for good (reported by that run, exit 1) and one in
    # doubt. A later cron run that resumed the post reported "failed 1" again on every run:
    # the failure was old news, while the reader in doubt is still an open question.
    from sending_support import RejectingProvider, run_send

    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, {"ada@example.com"}))
    with Ledger.open(settings) as ledger:
        leave_in_flight(ledger, REFERENCE_POST, ["grace@example.org"])
    invoke(site, "subscribers", "add", "late@example.net")
    result = invoke(site, "send", "--due")
    assert result.stdout == ('Sent /posts/what-matters "What Matters When You Write Every Week" '
                             "to 1 reader (resumed an unfinished run).\n")
    assert result.stderr == ("error: /posts/what-matters: in doubt 1; see `newsletter status "
                             "what-matters`\n")
    assert result.exit_code == 1


def test_a_cron_dry_run_says_a_resumed_posts_readers_in_doubt_will_make_the_run_exit_1(site):
    # The dry run showed "would resume ... to 1 reader" and exited 0 like a clean run, while
    # the real run then reported the earlier run's reader in doubt and exited 1.
    from sending_support import RejectingProvider, run_send

    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, set()))
    with Ledger.open(settings) as ledger:
        leave_in_flight(ledger, REFERENCE_POST, ["grace@example.org"])
    invoke(site, "subscribers", "add", "late@example.net")
    dry = invoke(site, "send", "--due", "--dry-run")
    lines = dry.stdout.splitlines()
    resumed = next(i for i, line in enumerate(lines) if "would resume /posts/what-matters" in line)
    assert lines[resumed + 1] == ("    1 reader in doubt from an earlier run: a run that cannot "
                                  "settle them exits 1 (newsletter status what-matters)")
    assert invoke(site, "send", "--due").exit_code == 1
