"""What `send`, `status` and `posts` say after odd runs: only what the ledger holds."""

from __future__ import annotations

from conftest import invoke
from sending_support import FlakyProvider, RejectingProvider, run_send, site_settings


def test_nothing_left_never_says_a_rejected_reader_has_the_post(site):
    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, {"ada@example.com"}))
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "Nothing left to send: every active subscriber was sent /posts/what-matters or tried "
        "(1 failed: see `newsletter status what-matters`).")
    assert "has /posts/what-matters already" not in result.output


def test_status_of_a_deleted_post_sends_nobody_to_a_send_that_cannot_find_it(site):
    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, {"ada@example.com"}))
    (site / "content" / "posts" / "what-matters.md").unlink()
    invoke(site, "subscribers", "add", "late@example.net")
    overall = invoke(site, "status").output
    assert overall.splitlines()[0] == ("/posts/what-matters: sent 3, failed 1, in doubt 0, "
                                       "pending 0; its file is gone from content/")
    one = invoke(site, "status", "what-matters").output
    assert "newsletter send" not in one and "not yet sent" not in one
    assert ("Failed (the provider rejected these for good):\n  ada@example.com: 422 inactive "
            "recipient\n  Restore its file under content/ to send it again.") in one
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 2  # why no send is offered


def test_pending_readers_who_left_are_not_promised_a_send(site):
    settings = site_settings(site)
    run_send(settings, FlakyProvider(settings, failures=100))  # an outage: all four pending
    invoke(site, "subscribers", "remove", "ada@example.com")
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    again = invoke(site, "send", "what-matters", "--yes")
    assert again.output.splitlines()[0] == (
        "Nothing left to send: every active subscriber was sent /posts/what-matters or tried "
        "(1 pending no longer among its readers: see `newsletter status what-matters`).")
    assert invoke(site, "status", "what-matters").output.splitlines()[-1] == (
        "1 pending (provably not sent): newsletter send what-matters sends those still among "
        "its readers.")


def test_a_deleted_post_is_said_gone_from_the_folder_the_posts_are_read_from(site):
    """A blog whose posts are not under content/ (Jekyll's _posts/, a [posts] dirs of its own)
    is told where to put the file back, not content/."""
    from fake_providers import write_settings

    (site / "writing").mkdir()
    (site / "content" / "posts" / "what-matters.md").rename(site / "writing" / "what-matters.md")
    write_settings(site, "posts", dirs=["writing"])
    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, {"ada@example.com"}))
    (site / "writing" / "what-matters.md").unlink()
    overall = invoke(site, "status").output
    assert overall.splitlines()[0].endswith("; its file is gone from writing/"), overall
    one = invoke(site, "status", "what-matters").output
    assert "Restore its file under writing/ to send it again." in one, one


def test_status_json_gives_a_script_every_count_of_a_post_that_adds_up_to_its_readers(site):
    # `status --json` had sent, failed, in doubt and pending, but not the readers no run had
    # reached yet, nor when the post last went out: a script could not tell "done" from
    # "half sent" (or from "new readers since").
    import json

    from newsletter.sending import Ledger
    from sending_support import REFERENCE_POST, leave_in_flight

    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, {"ada@example.com"}))
    with Ledger.open(settings) as ledger:  # a killed run's batch: in doubt once status looks
        leave_in_flight(ledger, REFERENCE_POST, ["grace@example.org"])
    invoke(site, "subscribers", "add", "late@example.net")
    invoke(site, "subscribers", "add", "later@example.net")
    one = json.loads(invoke(site, "status", "what-matters", "--json").stdout)
    assert list(one) == ["post", "sent", "in_doubt", "failed", "pending", "in_flight",
                         "not_yet_sent", "last_run", "accepted", "delivered", "bounced",
                         "hard_bounced", "no_word_yet", "deferred", "complained",
                         "unsubscribed", "opened",
                         "opened_by_machine", "clicked", "clicked_by_machine"]
    assert {key: one[key] for key in ("sent", "in_doubt", "failed", "pending", "in_flight",
                                      "not_yet_sent")} == {
        "sent": 2, "in_doubt": 1, "failed": 1, "pending": 0, "in_flight": 0, "not_yet_sent": 2}
    assert sum(one[key] for key in ("sent", "in_doubt", "failed", "not_yet_sent")) == 6
    last = one["last_run"]
    assert last["started"] <= last["ended"] and last["tags"] is None
    assert json.loads(invoke(site, "status", "--json").stdout) == [one]

    (site / "content" / "posts" / "what-matters.md").unlink()  # no send can find it now
    gone = json.loads(invoke(site, "status", "--json").stdout)[0]
    assert gone["not_yet_sent"] is None and gone["sent"] == 2


def test_status_json_of_a_post_never_sent_counts_its_readers_as_not_yet_sent(site):
    import json

    result = invoke(site, "status", "what-matters", "--json")
    figures = json.loads(result.stdout)
    assert (figures["sent"], figures["not_yet_sent"], figures["last_run"]) == (0, 4, None)
