"""A kept chunk's line (kept_readers.chunk_json) is json.dumps's, byte for byte, whatever its
strings hold."""

from __future__ import annotations

import json
import random

import pytest

from newsletter.subscribers.kept_readers import chunk_json

PIECES = ["ann@example.com", "Ann Lee", "", "Zoë", 'say "hi"', "back\\slash", "tab\there",
          "line\nbreak", "\x00", "\x1f", "\x7f", "\u2028", "\ud7ff", "😀", "AbC-_09", "/"]


@pytest.mark.parametrize("seed", range(60))
def test_a_chunk_is_written_as_json_dumps_writes_it(seed):
    rng = random.Random(seed)
    plain = seed % 2  # half the chunks plain, so the joined path is taken too
    chunk = [tuple(rng.choice(PIECES[:4] if plain and rng.random() < 0.98 else PIECES)
                   for _ in range(3)) for _ in range(rng.randrange(0, 30))]
    if rng.random() < 0.3:
        chunk = [list(reader) for reader in chunk]
    assert chunk_json(chunk) == json.dumps(chunk, ensure_ascii=False)


@pytest.mark.parametrize("chunk", [[], [("a", "b", "c")], [["a", "b", "c"], ("d", "", "f")],
                                   [("a", "b", None)], [("a", "b", 1)]])
def test_the_edges(chunk):
    assert chunk_json(chunk) == json.dumps(chunk, ensure_ascii=False)
