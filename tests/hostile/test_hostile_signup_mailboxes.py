"""Spellings of one inbox share its limit of confirmation emails (``signup.max_per_address``).

The limit stops a stranger from filling someone's inbox with confirmation emails. It counted
each spelling of an address apart, and most mail services deliver ``jane+1@``, ``jane+2@``...
(and, at Gmail, ``j.ane@``, ``ja.ne@``...) to jane's one inbox: from a few networks a stranger
could send her as many as the daily cap. Now the limit counts the inbox; the email still goes to
the address as written, and every other reader is untouched.
"""

from __future__ import annotations

import time

from pg_support import pg_url, store_site  # noqa: F401 (fixtures)
from signup_support import configure_signup, outbox_emails, settle, sign_up, signup_endpoint

SPELLINGS = {
    "jane@example.org": [f"jane+{n}@example.org" for n in range(8)] + ["JANE+x@Example.org"],
    "janedoe@gmail.com": ["jane.doe@gmail.com", "j.a.n.e.doe@gmail.com", "JaneDoe+1@gmail.com",
                          "ja.nedoe+news@gmail.com", "janedo.e@gmail.com"],
}
OTHERS = ["jane.doe@example.org", "jane-1@example.org", "janedoe@googlemail.net"]


def to_inbox(site, inbox: str) -> list[str]:
    """The To of each confirmation email that reaches ``inbox``."""
    spellings = {address.lower() for address in [inbox, *SPELLINGS[inbox]]}
    return [m["To"] for m in outbox_emails(site) if str(m["To"]).lower() in spellings]


def test_sub_addresses_and_dotted_gmail_spellings_share_one_inboxs_limit(store_site):
    site = store_site
    configure_signup(site, max_per_address=3)
    with signup_endpoint(site) as (base, app):
        for addresses in [*SPELLINGS.values(), OTHERS]:
            for address in addresses:
                assert sign_up(base, address).status_code == 200
                time.sleep(0.02)  # spread over the worker's batches, as a script would
        settle(app)

    for inbox, spellings in SPELLINGS.items():
        sent = to_inbox(site, inbox)
        assert len(sent) == 3
        assert set(sent) <= set(spellings)  # each to the address as it was written
    others = {str(m["To"]).lower() for m in outbox_emails(site)} - {
        a.lower() for spellings in SPELLINGS.values() for a in spellings}
    assert others == set(OTHERS)  # other inboxes: one email each
