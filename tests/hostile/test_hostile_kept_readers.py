"""A hand-edited .newsletter/list_readers.jsonl (the readers a send kept for the next one):
valid JSON that is not readers stops the send with one line naming the file, which is
removed; the send run again reads the files and reaches every reader once.

Before, such a line reached the message code: the send died with a traceback ("ValueError: not
enough values to unpack"), put a number where the unsubscribe token goes, or stopped every
send with an error about a To header that named no file.
"""

from __future__ import annotations

import pytest
from conftest import invoke
from test_kept_readers_sends import OLD, READERS, send, write_list, write_post


@pytest.mark.parametrize("line", ['[["r9@example.com"]]', "[5]", "[null]", '["abc"]',
                                  '[["r9@example.com", "Nine", 5]]', '[["", "Nobody", "t"]]',
                                  '[["not an address", "Nobody", "t"]]',
                                  '[["a@example.com\\r\\nBcc: b@example.com", "Evil", "t"]]'])
def test_a_kept_line_of_the_wrong_shape_stops_the_send_with_one_line(site, line):
    write_list(site)
    write_post(site, "second")
    send(site, "what-matters")
    kept = site / ".newsletter" / "list_readers.jsonl"
    head, _, rest = kept.read_text().partition("\n")
    kept.write_text(f"{head}\n{line}\n{rest}")
    stopped = invoke(site, "send", "second", "--yes", env={"NEWSLETTER_SECRET": OLD})
    assert stopped.exit_code == 2
    assert stopped.stderr.splitlines()[-1] == (
        f"error: {kept} is damaged; it was removed; run the send again: it resumes where this "
        "one stopped")
    assert not kept.exists()
    assert sorted(send(site, "second")) == READERS
