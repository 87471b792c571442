"""`reconcile` with the outbox: its folder of .eml files tells who a killed send wrote to.

A real `newsletter send` is SIGKILLed between writing a batch's files and recording them in the
ledger (deterministically: its outbox kills the process before its Nth file). The readers of
that batch are in doubt; `reconcile` reads the post's folder, and one more send leaves every
reader exactly one whole .eml file, on either store.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter

import pytest

from test_kill import reader_of

from conftest import invoke
from sending_support import site_settings
from newsletter.sending import Ledger, State
from tests.pg_support import pg_url, store_site, use_postgresql  # noqa: F401

POST = "/posts/what-matters"
READERS = ["ada@example.com", "edsger@example.com", "grace@example.org",
           "katherine@example.org"]  # the example site's active readers
KILLED_AT = 4  # the outbox's 4th file: batches of 2, so the second batch wrote only its first

CRASHING_SEND = """
import os, signal, sys
from newsletter.providers.outbox import OutboxProvider
from newsletter.cli import main
real, files = OutboxProvider._write, []
def write(self, message, folder):
    files.append(message.to_address)
    if len(files) == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(self, message, folder)
OutboxProvider._write = write
main(["--site", sys.argv[1], "send", "what-matters", "--yes"])
"""


def crashed_send(site) -> None:
    """`send` SIGKILLed before writing its KILLED_AT-th file, in batches of 2, one at a time."""
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace(
        'name = "outbox"', 'name = "outbox"\nbatch_size = 2\nconcurrency = 1'))
    process = subprocess.run([sys.executable, "-c", CRASHING_SEND, str(site), str(KILLED_AT)],
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr


def outbox_files(site) -> Counter:
    folder = site / "outbox" / "what-matters"
    return Counter(reader_of(name)[0] for name in os.listdir(folder) if name.endswith(".eml"))


def states(site) -> dict[str, str]:
    with Ledger.open(site_settings(site)) as ledger:
        return {d.address: d.state.value for d in ledger.deliveries(POST, list(State))}


def test_reconcile_settles_a_killed_outbox_send_from_its_files(store_site):  # noqa: F811
    site = store_site
    crashed_send(site)
    written = outbox_files(site)
    assert len(written) == KILLED_AT - 1

    result = invoke(site, "reconcile")

    assert result.exit_code == 0, result.output
    assert (f"{POST}: 2 in doubt; 1 found at outbox (now sent); 1 never reached outbox (now "
            "pending: the next send delivers them)") in result.output
    sent = {address for address, state in states(site).items() if state == "sent"}
    assert sent == set(written)
    with Ledger.open(site_settings(site)) as ledger:  # the file is the message's id
        ids = {d.address: d.provider_message_id for d in ledger.deliveries(POST, [State.SENT])}
    assert all((site / ids[address]).is_file() for address in written)

    finished = invoke(site, "send", "what-matters", "--yes")
    assert finished.exit_code == 0, finished.output
    assert outbox_files(site) == Counter({reader: 1 for reader in READERS})  # no .dup2
    assert states(site) == {reader: "sent" for reader in READERS}


def test_a_file_cut_short_or_of_another_secret_is_not_taken_for_a_message(site):
    crashed_send(site)
    folder = site / "outbox" / "what-matters"
    whole = sorted(folder.glob("*.eml"))
    unrecorded = [a for a, s in states(site).items() if s != "sent"]  # claimed, killed
    written = [path for path in whole if reader_of(path.name)[0] in unrecorded]
    assert len(written) == 1
    other = invoke(site, "reconcile", env={"NEWSLETTER_SECRET": "not the one it was sent with"})
    assert other.exit_code == 1
    assert ("the lookup failed: 3 files in outbox/what-matters/ bear another Message-ID "
            "(another post's? NEWSLETTER_SECRET changed?): check them") in other.output
    assert [a for a, s in states(site).items() if s == "in_doubt"] == unrecorded  # unmoved

    cut = written[0].read_bytes()
    written[0].write_bytes(cut[: len(cut) // 2])  # as a power cut could leave it
    result = invoke(site, "reconcile")
    assert "2 in doubt; 2 never reached outbox (now pending" in result.output
    invoke(site, "send", "what-matters", "--yes")
    copies = sorted(path.name for path in folder.glob("*.eml"))
    assert len(copies) == len(READERS) + 1  # the reader of the broken file gets a whole one
    again = folder.joinpath(written[0].name.replace(".eml", ".dup2.eml")).read_bytes()
    assert len(again) > len(cut) // 2 and again.endswith(b"--\r\n")


def test_an_outbox_it_cannot_read_whole_leaves_them_in_doubt_with_one_line(site):
    crashed_send(site)
    unrecorded = {a for a, s in states(site).items() if s != "sent"}
    (missing,) = unrecorded - set(outbox_files(site))  # killed before its file was written
    (site / "outbox" / "what-matters" / "x.eml").mkdir()  # named like a message, unreadable

    result = invoke(site, "reconcile")

    assert result.exit_code == 1
    assert ("the lookup failed: the outbox could not read outbox/what-matters/x.eml "
            "(Is a directory)") in result.output
    # Absence proves nothing on half a read (a file found before it still counts).
    assert states(site)[missing] == "in_doubt"


def test_a_reader_whose_file_name_is_cut_short_is_found_by_its_to_header(site):
    """File names stop at 200 bytes; a longer address is found by the file's To header."""
    long = "reader." + "x" * 50 + "@" + ".".join(["sub" + "y" * 56] * 3) + ".example.org"
    with open(site / "subscribers" / "subscribers.csv", "a", encoding="utf-8") as handle:
        handle.write(f"{long},Long Address,active,,2026-01-01T00:00:00+00:00\n")
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    with Ledger.open(site_settings(site)) as ledger:  # as a kill before the ledger heard back
        ledger.mark(POST, [*READERS, long], State.IN_DOUBT, "the run was interrupted")

    result = invoke(site, "reconcile")

    assert result.exit_code == 0, result.output
    assert f"{POST}: 5 in doubt; 5 found at outbox (now sent)" in result.output
    assert len(long) > 200 and states(site)[long] == "sent"


def test_a_killed_send_copied_to_postgresql_is_reconciled_there(site, pg_url):  # noqa: F811
    """`store copy` takes the batches each claim recorded along with the ledger: without them
    every reader in doubt was one 'claimed before newsletter recorded its batches', which no
    lookup can settle."""
    crashed_send(site)
    written = outbox_files(site)
    copied = invoke(site, "store", "copy", "--to", pg_url)
    assert copied.exit_code == 0, copied.output
    assert "batches: 2 row(s), 2 new to the store" in copied.output
    use_postgresql(site, pg_url)
    for path in (site / "subscribers").iterdir():
        path.unlink()

    result = invoke(site, "reconcile")

    assert result.exit_code == 0, result.output
    assert (f"{POST}: 2 in doubt; 1 found at outbox (now sent); 1 never reached outbox (now "
            "pending: the next send delivers them)") in result.output
    assert {a for a, s in states(site).items() if s == "sent"} == set(written)
    finished = invoke(site, "send", "what-matters", "--yes")  # its batch: an id past theirs
    assert finished.exit_code == 0, finished.output
    assert states(site) == {reader: "sent" for reader in READERS}


@pytest.mark.parametrize("settle, why", [
    ("nan", "nan is not a number of seconds"),
    ("inf", "inf is not in the range 0<=x<=7776000.0"),
    ("1e300", "1e+300 is not in the range 0<=x<=7776000.0")])
def test_a_settle_no_duration_can_hold_is_bad_usage_not_a_traceback(site, settle, why):
    result = invoke(site, "reconcile", "--settle", settle)
    assert result.exit_code == 2
    assert f"Invalid value for '--settle': {why}" in result.stderr
