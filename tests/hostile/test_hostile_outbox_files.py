"""The outbox's files: for odd addresses one file a reader, in the post's folder, never a
``.dup2`` that no second send made; a file where the outbox needs a folder, named.

Before: a name was the percent-encoded address cut at 200 characters, so two long addresses
alike in their first 200 (an internationalised domain takes 6 characters a letter) shared it:
the second reader's message became ``<stem>.dup2.eml``, which the outbox keeps for a message
sent twice, and the cut could fall inside a ``%C3%BC``. And `reconcile`, which reads the To
header of a file whose name is cut, crashed on an internationalised address there. An
``outbox`` that was a file claimed every batch, then said "(Not a directory) ... free some
space".
"""

from __future__ import annotations

import email
import email.policy
import os

import pytest

from conftest import invoke
from sending_support import ledger_states, site_settings

from newsletter.providers.outbox import MAX_NAME
from newsletter.sending import Ledger, State

LONG = "ann@" + "ü" * 40  # 244 characters once percent-encoded, before its last label
READERS = [f"{LONG}a.example", f"{LONG}b.example", "a/b@example.com", "a%2Fb@example.com",
           "o'hara+news@example.com"]


def test_long_and_odd_addresses_get_a_file_each_with_their_own_name(site):
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status\n" + "".join(f"{address},Reader,active\n" for address in READERS))

    sent = invoke(site, "send", "what-matters", "--yes")
    assert sent.exit_code == 0, sent.output

    folder = site / "outbox" / "what-matters"
    names = sorted(os.listdir(folder))
    assert len(names) == len(READERS) and not [name for name in names if ".dup" in name]
    assert all(len(name.encode()) <= MAX_NAME + len(".eml") for name in names)
    assert not [name for name in names if "%" in name[-8:-4]]  # no escape cut in two
    to = {str(email.message_from_bytes((folder / name).read_bytes(),
                                       policy=email.policy.default)["To"]) for name in names}
    assert to == {f"Reader <{address}>" for address in READERS}
    with Ledger.open(site_settings(site)) as ledger:  # as a kill before the ledger heard back
        ledger.mark("/posts/what-matters", [address.lower() for address in READERS],
                    State.IN_DOUBT, "the run was interrupted")

    result = invoke(site, "reconcile")  # each reader is found by their file's To header

    assert result.exit_code == 0, result.output
    assert "/posts/what-matters: 5 in doubt; 5 found at outbox (now sent)" in result.output
    assert set(ledger_states(site_settings(site)).values()) == {"sent"}


def test_a_file_where_the_outbox_needs_its_folder_is_named_before_anyone_is_claimed(site):
    (site / "outbox").write_text("notes\n")  # before: "(Not a directory) ... free some space"

    result = invoke(site, "send", "what-matters", "--yes")

    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: newsletter.toml:") and line.endswith(
        " provider.directory: outbox is a file, where the outbox needs a folder; move it away, "
        "or set provider.directory to another folder")
    assert (site / "outbox").read_text() == "notes\n"
    assert ledger_states(site_settings(site)) == {}  # nobody claimed, nobody in doubt


def test_a_file_where_the_outbox_needs_a_posts_folder_leaves_its_readers_pending(site):
    (site / "outbox").mkdir()
    (site / "outbox" / "what-matters").write_text("notes\n")

    result = invoke(site, "send", "what-matters", "--yes")

    assert result.exit_code == 1, result.output
    assert ("error: stopped: the outbox could not write outbox/what-matters (a file, where it "
            "needs a folder): none of this batch's 4 messages was kept; move that file away and "
            "send again: they are pending") in result.stderr
    assert set(ledger_states(site_settings(site)).values()) == {"pending"}


def test_a_test_copy_the_outbox_cannot_write_is_not_called_pending(site):
    """A [TEST] copy is in no ledger: the line said "they are pending", of nothing that waits."""
    (site / "outbox").mkdir()
    (site / "outbox" / "what-matters").write_text("notes\n")

    result = invoke(site, "send", "what-matters", "--to", "me@example.org")

    assert result.exit_code != 0 and "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert line == ("error: the outbox could not write outbox/what-matters/test-sends (a file, "
                    "where it needs a folder): the message was not kept; move that file away "
                    "and send again")
    assert (site / "outbox" / "what-matters").read_text() == "notes\n"
