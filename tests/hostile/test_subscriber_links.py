"""Symbolic links, and other things that are no plain file, among the subscriber files.

Before, a link in subscribers/ (say, added by a pull request) was read as a list: the lines of
whatever it pointed at were shown in `subscribers check`'s problems (a credentials file's
password in a CI log) and any address in them was mailed. And a writer who kept the list
outside the blog's repository through a link named subscribers.csv lost it on the first
`subscribers remove`: the link was replaced by a copy of the list inside the repository, and
the real file was never updated again.
"""

from __future__ import annotations

import os

import pytest
from conftest import invoke, run_cli

REFUSAL = ("error: subscribers/{name}: a symbolic link: the list is read and written only as "
           "plain files; put the file it points to in its place (or link the whole subscribers "
           "folder)")


def test_a_link_to_a_file_outside_is_refused_unread_by_every_command(site, tmp_path):
    outside = tmp_path / "credentials"
    outside.write_text("machine api.example.com login me@example.com password s3cretTOKEN\n"
                       "stranger@example.net\n")
    (site / "subscribers" / "leak.csv").symlink_to(outside)

    for command in (("subscribers", "check"), ("subscribers", "list"),
                    ("send", "what-matters", "--yes")):
        result = invoke(site, *command)
        assert result.exit_code == 2, command
        assert result.stderr.strip().splitlines()[-1] == REFUSAL.format(name="leak.csv")
        assert "s3cret" not in result.output and "stranger" not in result.output
    assert not (site / "outbox").exists()


def test_a_linked_list_is_never_replaced_by_a_copy(site, tmp_path):
    private = tmp_path / "private-list.csv"
    listed = site / "subscribers" / "subscribers.csv"
    private.write_bytes(listed.read_bytes())
    listed.unlink()
    listed.symlink_to(private)
    before = private.read_bytes()

    result = invoke(site, "subscribers", "remove", "ada@example.com")

    assert result.exit_code == 2
    assert result.stderr.strip() == REFUSAL.format(name="subscribers.csv")
    assert listed.is_symlink() and private.read_bytes() == before


def test_a_linked_subscribers_folder_is_read_and_written_where_it_is(site, tmp_path):
    private = tmp_path / "private-list"
    (site / "subscribers").rename(private)
    (site / "subscribers").symlink_to(private)

    result = invoke(site, "subscribers", "remove", "ada@example.com")

    assert result.exit_code == 0, result.output
    assert "ada@example.com,Ada Lovelace,unsubscribed" in (
        private / "subscribers.csv").read_text()


@pytest.mark.parametrize("kind", ["a named pipe", "a folder"])
def test_a_pipe_or_a_folder_named_csv_is_one_line_not_a_hang_or_a_traceback(site, kind):
    """Before: a named pipe among the files made every command wait forever for a writer to
    open it, and a folder named old.csv was an IsADirectoryError traceback."""
    odd = site / "subscribers" / "old.csv"
    if kind == "a named pipe":
        os.mkfifo(odd)
    else:
        odd.mkdir()
    for command in (("subscribers", "check"), ("subscribers", "add", "new@example.com")):
        result = run_cli(site, *command, timeout=60)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            "error: subscribers/old.csv: not a file (a folder, a pipe or a device): the list is "
            "read only from plain files; move it out of subscribers/ (or rename it without "
            ".csv)\n")
    assert "new@example.com" not in (site / "subscribers" / "subscribers.csv").read_text()
