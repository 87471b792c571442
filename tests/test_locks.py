"""The state folder's exclusive locks (newsletter/locks.py): flock held by an open handle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from newsletter.errors import NewsletterError
from newsletter.locks import exclusive_lock


def busy() -> NewsletterError:
    return NewsletterError("held elsewhere")


def test_two_handles_in_one_process_exclude_each_other_and_the_file_stays(tmp_path):
    path = tmp_path / "state" / "send.lock"
    with exclusive_lock(path, 0, busy):
        with pytest.raises(NewsletterError, match="held elsewhere"):
            with exclusive_lock(path, 0.05, busy):
                pass
    with exclusive_lock(path, 0, busy):  # released: free again
        pass
    assert path.is_file()


def test_a_waiter_gets_the_lock_once_its_holder_lets_go(tmp_path):
    path = tmp_path / "send.lock"
    held, order = threading.Event(), []

    def holder():
        with exclusive_lock(path, 0, busy):
            held.set()
            time.sleep(0.2)
            order.append("holder done")

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    with exclusive_lock(path, 10, busy):
        order.append("waiter in")
    thread.join()
    assert order == ["holder done", "waiter in"]


def test_a_lock_dies_with_a_killed_process(tmp_path):
    path = tmp_path / "send.lock"
    code = ("import sys, time; from newsletter.locks import exclusive_lock\n"
            f"with exclusive_lock(__import__('pathlib').Path({str(path)!r}), 0, RuntimeError):\n"
            "    print('held', flush=True); time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(NewsletterError):
            with exclusive_lock(path, 0, busy):
                pass
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    with exclusive_lock(path, 0, busy):  # no stale lock after SIGKILL
        pass
