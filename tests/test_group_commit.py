"""Group commit (state/group_commit.py): whichever commit fails, each writer in it gets the
error, never a hang and never a success; the writers of other commits are unaffected, and
writes after a failure commit again."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsletter.state import GroupCommit


class DiskGone(OSError):
    pass


@pytest.mark.parametrize("failing", ["the leader's commit", "the next commit"])
def test_every_writer_of_a_failed_commit_gets_its_error_and_the_others_their_result(failing):
    entered, release, mended = threading.Event(), threading.Event(), threading.Event()

    def commit(items):
        if "first" in items:  # the leader's own commit: held until the others wait behind it
            entered.set()
            release.wait(30)
            if failing == "the leader's commit":
                raise DiskGone("no space left")
        elif failing == "the next commit" and not mended.is_set():
            raise DiskGone("no space left")
        return [f"done {item}" for item in items]

    writes = GroupCommit(commit)

    def outcome(item):
        try:
            return writes.write(item)
        except DiskGone as error:
            return error

    with ThreadPoolExecutor(9) as pool:
        leader = pool.submit(outcome, "first")
        assert entered.wait(30)
        followers = [pool.submit(outcome, f"reader {n}") for n in range(8)]
        release.set()
        results = [leader.result(30), *(follower.result(30) for follower in followers)]
    if failing == "the leader's commit":
        assert isinstance(results[0], DiskGone)
        assert results[1:] == [f"done reader {n}" for n in range(8)]
    else:
        assert results[0] == "done first"
        assert all(isinstance(result, DiskGone) for result in results[1:])
    mended.set()
    assert writes.write("after") == "done after"  # nothing left stuck as the committer
