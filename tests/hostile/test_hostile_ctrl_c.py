"""Ctrl-C at the worst moments of `newsletter send`: the one the writer presses is never lost,
and what the terminal says about it is true.

- While a long list's helper process is forked (a send with --yes starts it before the render),
  Python runs its at-fork hooks; a KeyboardInterrupt raised inside one is printed as "Exception
  ignored" and dropped, so the send went on and mailed the whole list, exit 0.
- Pressed after the summary, while the ledger opens and before any batch is claimed, it said
  "interrupted while batches were on their way; the next send marks them in doubt": nothing
  was on its way, and nothing is in doubt.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from conftest import _cli_environ
from test_kill_helper import write_padded_readers

from sending_support import ledger_states, site_settings

# The real CLI, with one hook that presses Ctrl-C (SIGINT to itself) at the first fork: the
# helper's. The hook runs once, the moment the fork is about to happen.
PRESS_AT_FORK = """
import os, signal, sys
pressed = []
def press():
    if not pressed:
        pressed.append(1)
        os.kill(os.getpid(), signal.SIGINT)
os.register_at_fork(before=press)
from newsletter.cli import main
sys.argv[0] = "newsletter"
main()
"""

# The real CLI, with Ctrl-C pressed as the ledger is opened (the summary is printed by then).
PRESS_AT_LEDGER = """
import os, signal, sys
from newsletter.sending import Ledger
opened = Ledger.open.__func__
def pressed_then_opened(cls, *args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return opened(cls, *args, **kwargs)
Ledger.open = classmethod(pressed_then_opened)
from newsletter.cli import main
sys.argv[0] = "newsletter"
main()
"""


def _send_pressing(site, program: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", program, "--site", str(site), "send", "what-matters", "--yes"],
        capture_output=True, text=True, timeout=300, env=_cli_environ(None),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_ctrl_c_while_the_list_helper_is_forked_stops_the_send_before_anyone_gets_it(site):
    write_padded_readers(site)
    result = _send_pressing(site, PRESS_AT_FORK)
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Sent " not in result.stdout
    assert result.stderr.strip().splitlines()[-1] == (
        "error: stopped (Ctrl-C) before anything was sent; run `newsletter send what-matters` "
        "again to send it")
    assert not list((site / "outbox").glob("*/*.eml"))


def test_ctrl_c_before_any_batch_says_nothing_is_in_doubt(site):
    result = _send_pressing(site, PRESS_AT_LEDGER)
    assert "Post:" in result.stdout  # pressed after the summary
    assert "on their way" not in result.stderr and "in doubt" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "error: stopped (Ctrl-C) before anything was sent; run `newsletter send what-matters` "
        "again to send it")
    assert result.returncode == 1
    assert not ledger_states(site_settings(site))
    assert not list((site / "outbox").glob("*/*.eml"))
