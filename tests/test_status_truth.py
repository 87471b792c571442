"""What `send`, `status` and `posts` say after odd runs: only what the ledger holds."""

from __future__ import annotations

from conftest import invoke
from sending_support import RejectingProvider, run_send, site_settings


def test_nothing_left_never_says_a_rejected_reader_has_the_post(site):
    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, {"ada@example.com"}))
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "Nothing left to send: every active subscriber was sent /posts/what-matters or tried "
        "(1 failed: see `newsletter status what-matters`).")
    assert "has /posts/what-matters already" not in result.output
