"""A first send's pass over plain rows, a block at a time: (address, name) without a Subscriber.

The pass that streams a send's readers (list_cells.pass_readers over first_read.pass_cells)
splits each row, checks its address and builds a Subscriber, ~4 µs a reader in Python, for
a send that keeps only the address and the name (docs/performance.md, the sixteenth round).
Most rows of a list are written alike: an active status, an address of plain ASCII characters
whose normalised form is the address as written. :class:`RowPattern` matches each line of a
plain block (first_read.PlainBlock) against one compiled pattern of such rows in the file's
layout, in C; a row it matches is one ``pass_readers`` would read, check and let through as
the address and the stripped name the pattern found, so only suppression and repeats are
left to Python. Any other line (the pattern fails, or the domain is one the fast path of
:func:`~newsletter.addresses.fast_normalised` does not keep) goes through ``pass_readers``
itself, as does every part the full reader reads. tests/hostile/test_hostile_lean_scan.py
compares both passes' readers and problems.
"""

from __future__ import annotations

import re
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from newsletter.addresses import as_written_pattern, unchanged_domain
from newsletter.subscribers.csv_format import Layout
from newsletter.subscribers.csv_records import Record
from newsletter.subscribers.first_read import PlainBlock, pass_parts, plain_record
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.list_cells import pass_readers, record_cells
from newsletter.subscribers.rows import known_columns

# Separators a row pattern takes: none can be part of a plain address.
SEPARATORS = frozenset(",;\t|")


class RowPattern:
    """The rows of one layout a block pattern proves plain: exactly one cell a column, all of
    them known once each, the status ``active`` in any case, the address as written."""

    def __init__(self, layout: Layout):
        delimiter = re.escape(layout.delimiter)
        cell = f"[^{delimiter}\\n]*"
        special = {"email": f"(?P<email>{as_written_pattern(delimiter + '|$')})",
                   "status": "[Aa][Cc][Tt][Ii][Vv][Ee]", "name": f"(?P<name>{cell})"}
        row = delimiter.join(special.get(column, cell) for column in layout.columns)
        if "name" not in layout.columns:
            row += "(?P<name>)"
        # Every line is one match: a plain row's groups, or empty groups for any other line.
        self.pattern = re.compile(f"^(?:{row}|.*)$", re.MULTILINE)
        groups = self.pattern.groupindex
        self.fields = itemgetter(groups["email"] - 1, groups["domain"] - 1, groups["name"] - 1)

    @staticmethod
    def fits(layout: Layout) -> bool:
        columns = layout.columns
        return (layout.delimiter in SEPARATORS and known_columns(columns)
                and "email" in columns and "status" in columns)

    def rows(self, block: PlainBlock) -> Iterator[tuple[str, str, str]]:
        """(address, domain, name as written) of each line of ``block``; ("", "", "") for a
        line the pattern does not prove plain."""
        return map(self.fields, self.pattern.findall("\n".join(block.lines)))


def pass_pairs(folder: ListFolder, opened: list[tuple[Path, TextIO]], problems: list,
               listed: frozenset[str], repeats: frozenset[str] | set[str]
               ) -> Iterator[tuple[str, str]]:
    """(address, name) of each reader ``pass_readers(pass_cells(folder, opened, problems),
    listed, frozenset(), repeats, problems, None)`` yields, in order, with the same problems."""
    seen: set[str] = set()  # of the repeats only, shared by both paths

    def checked(path: Path, label: str, layout: Layout, records: Iterable[Record]
                ) -> Iterator[tuple[str, str]]:
        for reader in pass_readers(record_cells(path, label, layout, records), listed,
                                   frozenset(), repeats, problems, None, seen):
            yield reader.address, reader.name

    for path, label, layout, parts in pass_parts(folder, opened, problems):
        pattern = RowPattern(layout) if RowPattern.fits(layout) else None
        for part in parts:
            if pattern is None or not isinstance(part, PlainBlock):
                records = part.records(layout.delimiter) if isinstance(part, PlainBlock) \
                    else part
                yield from checked(path, label, layout, records)
                continue
            kept_domains: dict[str, bool] = {}  # read again each block: see unchanged_domain
            for number, (address, domain, name) in enumerate(pattern.rows(part)):
                if address and (kept_domains[domain] if domain in kept_domains else
                                kept_domains.setdefault(domain, unchanged_domain(domain))):
                    key = address.lower()  # address_key: nothing to strip
                    if key in listed or key in repeats and (key in seen or seen.add(key)):
                        continue
                    yield address, name.strip()
                elif (found := plain_record(part.line + number, part.lines[number],
                                            layout.delimiter)) is not None:
                    yield from checked(path, label, layout, (found,))
