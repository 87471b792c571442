"""`newsletter send` and `newsletter status` as a writer uses them."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from email import policy

import pytest

from conftest import invoke, run_cli, run_in_process, start_cli
from newsletter.sending import Ledger, State
from newsletter.sending import site_lock
from newsletter.subscribers import SubscriberStore
from sending_support import REFERENCE_POST, leave_in_flight, ledger_states, site_settings

ACTIVE = {"ada@example.com", "grace@example.org", "katherine@example.org", "edsger@example.com"}


def outbox_files(site):
    return sorted(path.name for path in (site / "outbox" / "what-matters").glob("*.eml"))


def test_sending_the_reference_post_writes_one_eml_per_active_subscriber(site):
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0, result.output
    assert outbox_files(site) == sorted(f"{address}.eml" for address in ACTIVE)
    assert "Recipients: 4" in result.output
    assert "Sent 4, failed 0, in doubt 0, pending 0." in result.output
    parsed = email.message_from_bytes(
        (site / "outbox" / "what-matters" / "ada@example.com.eml").read_bytes(),
        policy=policy.default)
    assert parsed["To"] == "Ada Lovelace <ada@example.com>"


def test_a_sender_at_an_internationalised_domain_sends_with_its_message_id_in_punycode(site):
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text().replace("<jane@example.com>", "<jane@bücher.example>"))
    result = invoke(site, "send", "what-matters", "--yes")
    assert "Sent 4, failed 0, in doubt 0, pending 0." in result.output  # was: 4 in doubt, a crash
    written = (site / "outbox" / "what-matters" / "ada@example.com.eml").read_bytes()
    assert "From: Jane Writer <jane@bücher.example>".encode() in written
    assert email.message_from_bytes(written)["Message-ID"].endswith("@xn--bcher-kva.example>")


def test_a_rerun_sends_nothing_and_says_so(site):
    invoke(site, "send", "what-matters", "--yes")
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0
    assert "Nothing left to send" in result.output
    assert len(outbox_files(site)) == 4


def test_after_a_new_subscriber_a_rerun_sends_only_to_the_newcomer(site):
    invoke(site, "send", "what-matters", "--yes")
    SubscriberStore(site_settings(site)).add("newcomer@example.net", "New Comer")
    result = invoke(site, "send", "what-matters", "--yes")
    assert "Recipients: 1" in result.output
    assert "newcomer@example.net.eml" in outbox_files(site)
    assert len(outbox_files(site)) == 5


def test_without_a_terminal_and_without_yes_nothing_is_sent(site):
    result = invoke(site, "send", "what-matters")
    assert result.exit_code == 2
    assert "error: not on a terminal, so nothing was sent; add --yes" in result.output
    assert not (site / "outbox").exists()
    assert not (site / ".newsletter" / "ledger.db").exists()


def test_a_dry_run_counts_and_sends_nothing(site):
    result = invoke(site, "send", "what-matters", "--dry-run")
    assert result.exit_code == 0
    assert "Recipients: 4" in result.output and "Dry run: nothing sent." in result.output
    assert not (site / "outbox").exists()


def test_a_draft_is_refused_but_may_be_test_sent(site):
    refused = invoke(site, "send", "notes-on-editing", "--yes")
    assert refused.exit_code == 2
    assert "/posts/notes-on-editing is a draft: not sent" in refused.output

    test = invoke(site, "send", "notes-on-editing", "--to", "me@example.net")
    assert test.exit_code == 0, test.output
    assert "via outbox" in test.output and "me@example.net: accepted" in test.output
    [eml] = (site / "outbox" / "notes-on-editing" / "test-sends").glob("*.eml")
    parsed = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert parsed["Subject"].startswith("[TEST] ")
    assert parsed["To"] == "me@example.net"


def test_a_test_send_writes_nothing_to_the_ledger(site):
    invoke(site, "send", "what-matters", "--to", "me@example.net", "--to", "you@example.net")
    assert ledger_states(site_settings(site)) == {}
    assert outbox_files(site) == []  # test copies live in test-sends/, apart from the real ones


def test_a_second_send_while_one_runs_is_refused(site):
    with site_lock(site_settings(site)):
        result = run_cli(site, "send", "what-matters", "--yes")
    assert result.returncode == 1
    assert "another send is running on this site" in result.stderr
    assert not (site / "outbox").exists()


def test_a_real_provider_refuses_to_start_without_newsletter_secret(site):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('name = "outbox"', 'name = "postmark"'))
    result = run_cli(site, "send", "what-matters", "--yes")
    assert result.returncode == 2
    assert "NEWSLETTER_SECRET is not set" in result.stderr
    # the line says how to make one, with a command that works as printed
    command = result.stderr.split("make one with `", 1)[1].split("`", 1)[0]
    made = subprocess.run(command, shell=True, capture_output=True, text=True, check=True)
    assert len(made.stdout.strip()) >= 40


def test_status_counts_per_post_and_lists_problems_with_what_to_do(site):
    invoke(site, "send", "what-matters", "--yes")
    with Ledger.open(site_settings(site)) as ledger:
        ledger.mark(REFERENCE_POST, ["ada@example.com"], State.IN_DOUBT, "read timeout")
        ledger.record(REFERENCE_POST, [("grace@example.org", State.FAILED, None, "422 bounced")])
    overview = invoke(site, "status")
    assert "/posts/what-matters: sent 2, failed 1, in doubt 1, pending 0" in overview.output
    detail = invoke(site, "status", "what-matters")
    assert "ada@example.com: read timeout" in detail.output
    assert "grace@example.org: 422 bounced" in detail.output
    assert "--resend-in-doubt" in detail.output and "--retry-failed" in detail.output


def test_send_exits_1_and_says_so_when_something_is_left_in_doubt(site):
    with Ledger.open(site_settings(site)) as ledger:
        leave_in_flight(ledger, REFERENCE_POST, ["ada@example.com"])
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 1
    assert "Sent 3, failed 0" in result.output
    assert ("An earlier run was interrupted with 1 message(s) on their way: they are now in "
            "doubt, not resent (see `newsletter status what-matters`).") in result.output
    # nothing is pending: running send again would not reach ada, reconcile settles her
    assert result.stderr.splitlines()[-1] == (
        "See `newsletter status what-matters`; `newsletter reconcile what-matters` settles the "
        "1 in doubt from the outbox's files.")
    assert ledger_states(site_settings(site))["ada@example.com"] == "in_doubt"
    assert "ada@example.com.eml" not in outbox_files(site)

    resend = invoke(site, "send", "what-matters", "--yes", "--resend-in-doubt")
    assert "Recipients: 1" in resend.output and resend.exit_code == 0
    assert "ada@example.com.eml" in outbox_files(site)


def test_status_before_any_send(site):
    result = invoke(site, "status")
    assert result.exit_code == 0 and "Nothing sent yet" in result.output
    assert not (site / ".newsletter" / "ledger.db").exists()


def test_an_auth_error_stops_the_send_at_once_exits_1_and_leaves_readers_pending(site):
    from fake_providers import KEYS, start_fake, write_provider_settings

    server = start_fake("postmark", KEYS["postmark"])
    try:
        write_provider_settings(site, name="postmark", api_url=server.url, timeout=5.0,
                                concurrency=1, batch_size=2)
        result = run_cli(site, "send", "what-matters", "--yes",
                         env={"POSTMARK_SERVER_TOKEN": "wrong-token", "NEWSLETTER_SECRET": "s"})
    finally:
        server.close()
    assert result.returncode == 1
    assert "Sent 0, failed 0, in doubt 0, pending 2." in result.stdout
    assert "error: stopped:" in result.stderr and "2 readers not attempted" in result.stderr
    assert list(ledger_states(site_settings(site)).values()) == ["pending", "pending"]


def test_test_mode_allows_test_sends_but_refuses_a_send_that_would_mark_everyone_sent(site):
    from fake_providers import KEYS, start_fake, write_provider_settings

    server = start_fake("sendgrid", KEYS["sendgrid"])
    env = {"SENDGRID_API_KEY": KEYS["sendgrid"], "NEWSLETTER_SECRET": "s"}
    try:
        write_provider_settings(site, name="sendgrid", api_url=server.url, test_mode=True)
        refused = run_in_process(site, "send", "what-matters", "--yes", env=env)
        tested = run_in_process(site, "send", "what-matters", "--to", "me@example.net", env=env)
    finally:
        server.close()
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: newsletter.toml: provider.test_mode is on: sendgrid")
    assert "use send --to EMAIL to test" in refused.stderr
    assert tested.returncode == 0, tested.stderr
    assert list(server.accepted) == ["me@example.net"]
    assert ledger_states(site_settings(site)) == {}


def test_a_typo_in_a_test_address_is_reported_before_anything_is_sent(site):
    result = run_in_process(site, "send", "what-matters", "--to", "me@example.net", "--to", "bad@")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "error: 'bad@' is not a valid address (There must be something after the @-sign.); "
        "check it for typos")
    assert "Test send via" not in result.stdout
    assert not (site / "outbox").exists()


def test_status_of_an_unknown_post_says_so_before_anything_was_sent(site):
    result = invoke(site, "status", "nope")
    assert result.exit_code == 2
    assert result.stderr == "error: no post named 'nope'; run `newsletter posts` to list them\n"
    assert invoke(site, "status", "what-matters").stdout == "/posts/what-matters: not sent yet.\n"


def test_an_invalid_subscriber_row_is_never_skipped_silently(site):
    with (site / "subscribers" / "subscribers.csv").open("a") as csv:
        csv.write("not-an-email,Bob,active,,\n")
    result = run_in_process(site, "send", "what-matters", "--yes")
    assert result.returncode == 0
    assert result.stderr.splitlines()[:2] == [
        "warning: subscribers/subscribers.csv:7: 'not-an-email' is not a valid address (An email "
        "address must have an @-sign.); fix the address; the row is skipped for sending",
        "warning: 1 subscriber row(s) skipped; `newsletter subscribers check` lists them",
    ]
    assert "Recipients: 4" in result.stdout


def test_a_row_with_a_mistyped_status_is_named_among_the_rows_the_send_skips(site):
    # "actve" suppresses its reader (never guessed as active), but the send said nothing:
    # `subscribers check` and `count` named two unusable rows, the send "1 row(s) skipped".
    with (site / "subscribers" / "subscribers.csv").open("a") as csv:
        csv.write("zed@example.net,Zed,actve,,\nnot-an-email,Bob,active,,\n")
    result = run_in_process(site, "send", "what-matters", "--yes")
    assert result.returncode == 0
    assert result.stderr.splitlines()[:3] == [
        "warning: subscribers/subscribers.csv:7: unknown status 'actve'; use one of active, "
        "unsubscribed, bounced, complained, unconfirmed; the reader gets nothing until it is "
        "fixed",
        "warning: subscribers/subscribers.csv:8: 'not-an-email' is not a valid address (An email "
        "address must have an @-sign.); fix the address; the row is skipped for sending",
        "warning: 2 subscriber row(s) skipped; `newsletter subscribers check` lists them",
    ]
    assert "Recipients: 4" in result.stdout
    assert "zed@example.net.eml" not in outbox_files(site)
    status = run_in_process(site, "status")
    assert "unknown status 'actve'" in status.stderr


def test_sending_a_page_is_refused_in_one_line_naming_the_file(site):
    result = run_in_process(site, "send", "about", "--yes")
    assert result.returncode == 2
    assert result.stderr == ("error: content/pages/about.md: /pages/about is a page (template: page), "
                             "not a newsletter: not sent\n")


def test_a_refused_draft_and_render_warnings_name_the_file_from_the_site_folder(site):
    refused = run_in_process(site, "send", "notes-on-editing", "--yes")
    assert refused.stderr.startswith("error: content/posts/notes-on-editing.md: "
                                     "/posts/notes-on-editing is a draft: not sent;")
    post = site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text().replace("description:", "old_description:"))
    sent = run_in_process(site, "send", "what-matters", "--yes")
    assert sent.returncode == 0
    assert sent.stderr.count("warning: ") == 1  # printed once
    assert ("warning: content/posts/what-matters.md:1: no-description: the post has no "
            "description, so inboxes preview its first lines instead;") in sent.stderr


def test_ctrl_c_stops_the_send_records_the_batches_on_their_way_and_the_rerun_finishes(site):
    import signal
    import subprocess
    import time

    from sending_support import write_readers

    write_readers(site, 200)
    toml = site / "newsletter.toml"
    unpaced = toml.read_text()
    toml.write_text(unpaced.replace(
        'name = "outbox"', 'name = "outbox"\nbatch_size = 10\nrate_limit = 40'))
    folder = site / "outbox" / "what-matters"
    process = start_cli(site, "send", "what-matters", "--yes",
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(list(folder.glob("*.eml"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert "error: stopped: interrupted (Ctrl-C);" in err
    assert "run send again to continue." in err  # nothing failed or in doubt: no flags offered
    states = ledger_states(site_settings(site))
    assert set(states.values()) == {"sent"}  # nothing left submitting, so nothing in doubt
    assert len(states) == len(list(folder.glob("*.eml"))) < 200

    toml.write_text(unpaced)  # paced only to stop it part-way: the rest goes at full speed
    rerun = run_cli(site, "send", "what-matters", "--yes")
    assert rerun.returncode == 0, rerun.stderr
    assert "interrupted run" not in rerun.stdout
    assert f"Sent {200 - len(states)}, failed 0, in doubt 0, pending 0." in rerun.stdout
    assert len(list(folder.glob("*.eml"))) == 200


def test_status_finds_a_killed_runs_batch_in_doubt_and_shows_nothing_in_flight(site):
    with Ledger.open(site_settings(site)) as ledger:  # a killed run left a batch submitting
        leave_in_flight(ledger, REFERENCE_POST, ["ada@example.com"])
        ledger.claim(REFERENCE_POST, ["grace@example.org"], "outbox")
        ledger.mark(REFERENCE_POST, ["grace@example.org"], State.PENDING, "not sent: 503")
    detail = invoke(site, "status", "what-matters")
    lines = detail.output.splitlines()
    assert lines[0] == ("A send was interrupted with 1 message(s) on their way: they are now "
                        "in doubt (listed below for each post).")
    assert lines[1] == ("/posts/what-matters: sent 0, failed 0, in doubt 1, pending 1, "
                        "not yet sent 2")
    assert "  ada@example.com: the run stopped while its batch was being sent" in lines
    assert "in flight" not in detail.output
    assert lines[-1] == ("2 not yet sent (active readers no run has reached): "
                         "newsletter send what-matters sends them.")


def test_a_killed_runs_last_batch_is_reported_in_doubt_before_nothing_left_to_send(site):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    with Ledger.open(site_settings(site)) as ledger:  # as if killed with this batch on its way
        leave_in_flight(ledger, REFERENCE_POST, ["ada@example.com", "grace@example.org"])
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "An earlier run was interrupted with 2 message(s) on their way: they are now in doubt, "
        "not resent (see `newsletter status what-matters`).",
        "Nothing left to send: every active subscriber was sent /posts/what-matters or tried "
        "(2 in doubt: see `newsletter status what-matters`)."]
    status = invoke(site, "status", "what-matters")
    assert "in doubt 2" in status.output and "in flight" not in status.output
    again = invoke(site, "send", "what-matters", "--yes")  # was exit 0: cron never learned
    assert again.exit_code == 1
    assert again.stderr == ("error: `newsletter reconcile what-matters` settles the 2 in doubt "
                            "from the outbox's files.\n")
    assert invoke(site, "send", "what-matters", "--yes", "--resend-in-doubt").exit_code == 0
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0


def test_status_names_a_shared_in_doubt_reason_once_and_where_the_outbox_wrote(site):
    invoke(site, "send", "what-matters", "--yes")
    readers = ["ada@example.com", "grace@example.org", "edsger@example.com"]
    with Ledger.open(site_settings(site)) as ledger:
        ledger.mark(REFERENCE_POST, readers, State.IN_DOUBT, "the run was interrupted")
    detail = invoke(site, "status", "what-matters")
    assert detail.output.count("the run was interrupted") == 1
    assert "  3 readers: the run was interrupted\n" in detail.output
    assert all(f"\n    {address}\n" in detail.output for address in readers)
    assert ("newsletter reconcile what-matters settles them from their .eml files under "
            "outbox/what-matters/ (send --due does it first).") in detail.output
    assert "check its log" not in detail.output


POSTGRESQL_MODULES = ("psycopg", "newsletter.state.postgres", "newsletter.sending.ledger_pg",
                      "newsletter.subscribers.postgres_store")


@pytest.mark.parametrize("arguments", [["send", "what-matters", "--yes"],
                                       ["send", "what-matters", "--dry-run"],
                                       ["send", "--due", "--dry-run"]])
def test_a_site_on_files_never_loads_the_postgresql_store(site, arguments):
    # Sending from files imports neither psycopg nor the modules of the PostgreSQL store.
    code = ("import sys\nfrom newsletter.cli import main\n"
            f"try:\n    main(['--site', {str(site)!r}, *{arguments!r}])\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {POSTGRESQL_MODULES!r} if m in sys.modules))")
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "CI": ""})
    assert probe.stdout.strip().splitlines()[-1] == "[]", probe.stderr
