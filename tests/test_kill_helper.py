"""The kill test on a list long enough for the helper process: SIGKILL `newsletter send`, and
neither a second copy nor an orphaned helper.

As tests/test_kill.py, but the subscriber files pass reader_feed.HELPER_MIN_BYTES, so the real
CLI reads and prepares its readers in a helper process (newsletter.sending.reader_feed; forked or
spawned, whichever the send chooses). The list holds
more prepared readers than the helper's pipe, so for the first seconds of a send the helper is
alive, waiting on the pipe, when the send is killed. Before each kill the send's child processes
are noted; each must be gone soon after (a helper notices the send's death at its next write).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

from conftest import run_cli, start_cli
from test_kill import assert_each_reader_once, count_files, kill_at_a_random_moment

from newsletter.sending.reader_feed import HELPER_MIN_BYTES
from sending_support import ledger_states, site_settings

READERS = 8000  # ~2 MB prepared: twice what the pipe holds, so the helper waits on the send
PADDING = "x" * 100  # an extra column: the files total ~1.1 MiB
ROUNDS = 6
SEED = 20261126
CHILD_EXIT_SECONDS = 10


def write_padded_readers(site) -> set[str]:
    """Replace the site's list with READERS active readers, each row padded by a notes column."""
    folder = site / "subscribers"
    for old in folder.glob("*.csv"):
        old.unlink()
    addresses = [f"reader{number:05d}@example.org" for number in range(READERS)]
    with open(folder / "subscribers.csv", "w", encoding="utf-8") as handle:
        handle.write("email,name,status,notes\n")
        for number, address in enumerate(addresses):
            handle.write(f"{address},Reader {number},active,{PADDING}\n")
    assert sum(path.stat().st_size for path in folder.glob("*.csv")) > HELPER_MIN_BYTES
    return set(addresses)


def pace_outbox(site, rate_limit: int, batch_size: int) -> None:
    """Slow the site's outbox down to ``rate_limit`` messages a second, in batches of ``batch_size``."""
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace(
        'name = "outbox"', f'name = "outbox"\nrate_limit = {rate_limit}\nbatch_size = {batch_size}'))


def process_identity(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a process from /proc/<pid>/stat; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rpartition(")")[2].split()  # after "(command)", which may hold spaces
    return fields[0], fields[19]  # state; starttime (field 22), which tells a reused pid apart


def children_of(pid: int) -> dict[int, tuple[str, str, str]]:
    """pid -> (state, start time, command line) of every live child of ``pid``."""
    found = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                pids = [int(child) for child in handle.read().split()]
        except FileNotFoundError:
            continue
        for child in pids:
            identity = process_identity(child)
            if identity is None or identity[0] == "Z":
                continue  # already exited (a zombie waiting to be reaped)
            try:
                with open(f"/proc/{child}/cmdline", "rb") as handle:
                    command = handle.read().replace(b"\0", b" ").decode(errors="replace")
            except FileNotFoundError:
                continue
            found[child] = (*identity, command)
    return found


def still_running(pid: int, started: str) -> bool:
    """True while the process that had this pid and start time has not exited."""
    identity = process_identity(pid)
    return identity is not None and identity[1] == started and identity[0] != "Z"


def test_sigkill_with_a_helper_never_sends_twice_and_leaves_no_process_behind(site):
    addresses = write_padded_readers(site)
    unpaced = (site / "newsletter.toml").read_text()
    # A rate limit stretches the send over the rounds, and keeps the helper waiting on its pipe.
    pace_outbox(site, rate_limit=4000, batch_size=20)
    folder = site / "outbox" / "what-matters"
    rng = random.Random(SEED)
    helpers_killed_alive = 0
    for _ in range(ROUNDS):
        children = kill_at_a_random_moment(site, folder, rng, startup=1.0,
                                           before_kill=children_of)
        # Forked, the helper shows the send's command line; spawned, multiprocessing's (and
        # a resource tracker comes along).
        helpers_killed_alive += sum("resource_tracker" not in command
                                    for _, _, command in children.values())
        deadline = time.monotonic() + CHILD_EXIT_SECONDS
        while (left := {pid: command for pid, (_, started, command) in children.items()
                        if still_running(pid, started)}) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert left == {}, "the send's child processes outlived it"
    assert helpers_killed_alive > 0  # some kill did land while a helper was running

    (site / "newsletter.toml").write_text(unpaced)  # no more kills: the rest needs no pace
    sent = assert_each_reader_once(site, folder, addresses)
    assert len(sent) > READERS // 2  # the rounds really made progress between kills


def test_ctrl_c_stops_a_send_and_its_helper_and_records_what_was_on_its_way(site):
    addresses = write_padded_readers(site)
    unpaced = (site / "newsletter.toml").read_text()
    pace_outbox(site, rate_limit=2000, batch_size=50)
    folder = site / "outbox" / "what-matters"
    process = start_cli(site, "send", "what-matters", "--yes", stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True,
                        start_new_session=True)  # its own process group, as a terminal's job
    deadline = time.monotonic() + 30
    while count_files(folder) < 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    children = children_of(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the send and its helper
    out, err = process.communicate(timeout=60)

    assert process.returncode == 1, err
    assert "error: stopped: interrupted (Ctrl-C);" in err
    assert [pid for pid, (_, started, _) in children.items() if still_running(pid, started)] == []
    states = ledger_states(site_settings(site))
    assert set(states.values()) == {"sent"}  # batches on their way were recorded, none in doubt
    assert len(states) == count_files(folder) < READERS

    (site / "newsletter.toml").write_text(unpaced)  # paced only to let Ctrl-C land part-way
    rerun = run_cli(site, "send", "what-matters", "--yes")
    assert rerun.returncode == 0, rerun.stderr
    assert set(ledger_states(site_settings(site))) == addresses
    assert count_files(folder) == READERS  # everyone once
