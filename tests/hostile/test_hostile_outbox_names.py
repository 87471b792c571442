"""The outbox's file names for odd addresses: one file a reader, in the post's folder, never a
``.dup2`` that no second send made.

Before: a name was the percent-encoded address cut at 200 characters, so two long addresses
alike in their first 200 (an internationalised domain takes 6 characters a letter) shared it:
the second reader's message became ``<stem>.dup2.eml``, which the outbox keeps for a message
sent twice, and the cut could fall inside a ``%C3%BC``. And `reconcile`, which reads the To
header of a file whose name is cut, crashed on an internationalised address there.
"""

from __future__ import annotations

import email
import email.policy
import os

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
