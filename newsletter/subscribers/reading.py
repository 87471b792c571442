"""Reading the list for a send: the readers to send to, streamed, and who is suppressed now.

A send streams the active readers once (:func:`stream_active`) and, before every batch, asks
who is suppressed (:class:`SuppressedView`): someone may have unsubscribed since it began.
That check must stay cheap however long the list is, so it reads the files again only when
they changed in a way the journal does not explain (docs/subscribers.md#the-suppression-journal).
"""

from __future__ import annotations

from contextlib import ExitStack, closing
from dataclasses import field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from newsletter.addresses import address_key
from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.appended import Appended, read_appended
from newsletter.subscribers.journal import Pending
from newsletter.subscribers.kept_readers import CHUNK as KEPT_CHUNK
from newsletter.subscribers.kept_readers import EarlierValues, Keeper, read_kept
from newsletter.subscribers.first_read import pass_cells, read_pass
from newsletter.subscribers.list_cells import cells_from, pass_readers, record_cells
from newsletter.subscribers.list_pass import keep_pass, kept_pass, opened_signature
from newsletter.subscribers.plain_pass import pass_pairs
from newsletter.subscribers.rows import Subscriber, row_key, suppresses


@record
class SuppressedView:
    """Who is suppressed, as of one read of the files and the journal since; picklable, so a
    send's helper process can hand over the view it read."""

    signature: tuple  # the files this view read
    epoch: int  # the journal's epoch when it read them
    generation: int  # the journal's generation when it read them
    listed: frozenset[str]  # keys the files suppress
    journalled: frozenset[str]  # keys the journal suppressed then, and every one since
    last_id: int  # the newest journal change seen
    _both: frozenset[str] | None = field(default=None, repr=False)

    @property
    def keys(self) -> frozenset[str]:
        if self._both is None:
            self._both = self.listed | self.journalled
        return self._both

    def follow(self, folder: ListFolder) -> SuppressedView:
        """This view brought up to date: new journal changes added; the files read again only
        when they changed and the journal does not vouch for the change."""
        journal = folder.journal
        changes, last_id, pruned_through = journal.since(self.last_id)
        if pruned_through > self.last_id:  # changes this view never saw are gone
            return read_suppressed(folder)
        if changes:
            self.journalled, self.last_id, self._both = (
                self.journalled | changes.keys(), last_id, None)
        signature = folder.signature()
        if signature != self.signature:
            marks = journal.marks()
            # Written by a locked write (the journal holds its suppressions) and nobody has
            # edited the files by hand since this view read them: nothing to read again.
            if marks.files != signature or marks.epoch != self.epoch:
                return read_suppressed(folder)
            self.signature = signature
        return self


def read_suppressed(folder: ListFolder) -> SuppressedView:
    """A fresh view: the journal first, then the files (a change folded in between is then
    in the files, or still in the journal)."""
    pending = folder.journal.pending()
    signature = folder.signature()
    keys: set[str] = set()
    with ExitStack() as stack:
        opened = [(path, stack.enter_context(path.open("r", encoding="utf-8", newline="")))
                  for path in folder.files()]
        for _, _, email, status in cells_from(folder, opened, None):
            if suppresses(status) and (key := row_key(email)):
                keys.add(key)
    return _view(signature, pending, keys)


def _view(signature: tuple, pending: Pending, listed: Iterable[str]) -> SuppressedView:
    return SuppressedView(signature, pending.marks.epoch, pending.marks.generation,
                          frozenset(listed),
                          frozenset(pending.statuses()), pending.last_id)


def stream_active(folder: ListFolder, problems: list[SubscriberError] | None = None,
                  tags: frozenset[str] | None = None,
                  seen_suppressed: Callable[[SuppressedView], None] = lambda view: None,
                  ) -> Iterator[Subscriber]:
    """The readers to send to: once each, in file order, invalid rows skipped (and appended
    to ``problems`` when given); with ``tags`` (folded to lower case), only readers holding
    one of them. ``seen_suppressed`` gets the suppressed keys it read, before the first reader.

    Before the first reader it must know who the files suppress (suppression wins, whatever
    the order of the copies) and which keys repeat: :func:`suppressed_and_repeated` reads that
    from the same open files (so both see one version of each), or keeps it from an earlier
    read of the same files. Then one pass yields each valid active row once; only the keys
    that may repeat are remembered, so memory stays flat.
    """
    with ExitStack() as stack:
        opened, pending, files = _opened(folder, stack)
        listed, repeats = read_pass(folder, opened, kept_pass(folder))
        view = _view(files, pending, listed)
        seen_suppressed(view)
        yield from pass_readers(pass_cells(folder, opened, problems), view.listed,
                                view.journalled, repeats, problems, tags)


def stream_active_with(folder: ListFolder, values: Callable[[list[str]], list[str]],
                       values_id: str, problems: list[SubscriberError] | None = None,
                       seen_suppressed: Callable[[SuppressedView], None] = lambda view: None,
                       ) -> Iterator[list]:
    """:func:`stream_active` (no tags) as lists of (address, name, value), each value from
    ``values(addresses)``: read back from :mod:`newsletter.subscribers.kept_readers` when the
    files are those a complete read kept with values named ``values_id``; with the rows
    appended to the last file since (:mod:`newsletter.subscribers.appended`), those alone
    read; else read from the files (the values of readers an earlier kept read holds taken
    from it: ``values`` is asked only for the others). Kept for the next send."""
    problems = [] if problems is None else problems
    found: list[SubscriberError] = []
    with ExitStack() as stack:
        opened, pending, files = _opened(folder, stack)
        signature = opened_signature(opened)
        before = kept_pass(folder)
        grown = _grown(folder, opened, values_id, before)
        if grown is not None:
            listed, repeats = grown[0].listed, grown[0].repeats
        else:
            listed, repeats = read_pass(folder, opened, before)
        view = _view(files, pending, listed)
        seen_suppressed(view)
        journalled = view.journalled
        kept = (None if grown
                else read_kept(folder.state_dir, signature, values_id, problems))
        if kept is not None:
            for chunk in kept:
                yield _not_in(chunk, journalled)
            return
        keeper = Keeper(folder.state_dir, signature, values_id)
        try:
            # Kept readers are those the files let through (the journal's unsubscribes too):
            # whoever the journal suppresses is left out as they are yielded, here and when
            # they are read back, as pass_readers would (after the repeats: no copy of theirs).
            if grown is not None:
                chunks = grown[0].merged(grown[1], values, found)
            else:
                earlier = stack.enter_context(closing(EarlierValues(folder.state_dir,
                                                                    values_id)))
                chunks = _valued(_chunked(pass_pairs(folder, opened, found, view.listed,
                                                     repeats)), earlier, values)
            for chunk in chunks:
                keeper.add(chunk)
                yield _not_in(chunk, journalled)
            if grown is not None and keeper.keeping:  # the pass of these files, for the next
                keep_pass(folder, signature, grown[0].listed, grown[0].repeats, grown[0].mark)
            keeper.done(found)
        finally:
            problems.extend(found)
            keeper.discard()  # stopped early: nothing kept (after done(), nothing to do)


def _chunked(pairs: Iterator[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """``pairs`` (address, name), KEPT_CHUNK at a time."""
    while batch := list(islice(pairs, KEPT_CHUNK)):
        yield batch


def _valued(chunks: Iterator[list[tuple[str, str]]], earlier: EarlierValues,
            values: Callable[[list[str]], list[str]]) -> Iterator[list]:
    """(address, name, value) of the readers of ``chunks``."""
    for batch in chunks:
        addresses = [address for address, _ in batch]
        yield [(address, name, value) for (address, name), value
               in zip(batch, _reused(addresses, earlier, values))]


def _reused(addresses: list[str], earlier: EarlierValues,
            values: Callable[[list[str]], list[str]]) -> list[str]:
    """The value of each address: kept by an earlier read, else from ``values`` (asked once,
    for the addresses no earlier read kept)."""
    earlier = earlier.take(addresses)
    if not earlier:  # a first read: nothing kept
        return values(addresses)
    missing = [address for address in addresses if address not in earlier]
    made = dict(zip(missing, values(missing))) if missing else {}
    return [earlier[address] if address in earlier else made[address] for address in addresses]


def _not_in(chunk: list, journalled: frozenset[str]) -> list:
    """The readers of ``chunk`` whose keys the journal does not suppress."""
    if not journalled:
        return chunk
    return [pair for pair in chunk if address_key(pair[0]) not in journalled]


def _opened(folder: ListFolder, stack: ExitStack
            ) -> tuple[list[tuple[Path, TextIO]], Pending, tuple]:
    """The list's files opened (on ``stack``), with the journal's pending changes and the
    files' signature, both read before they were opened (see :func:`read_suppressed`: a later
    change then forces a re-read)."""
    pending = folder.journal.pending()
    signature = folder.signature()
    opened = [(path, stack.enter_context(path.open("r", encoding="utf-8", newline="")))
              for path in folder.files()]
    return opened, pending, signature


def _grown(folder: ListFolder, opened: list[tuple[Path, TextIO]], values_id: str,
           before: dict | None) -> tuple[Appended, Iterator[list]] | None:
    """(the rows appended to the last file, the kept readers' chunks) when the files are
    those of the kept read (``before``: its pass; values named ``values_id``) but for bytes
    appended to the last one; else None."""
    if before is None or before["mark"] is None or not opened:
        return None
    now = opened_signature(opened)
    if len(now) != len(before["signature"]) or now[:-1] != before["signature"][:-1]:
        return None
    path, handle = opened[-1]
    appended = read_appended(folder.label(path), path, handle, before["mark"],
                             before["listed"], before["repeats"], record_cells, pass_readers)
    if appended is None:
        return None
    kept = read_kept(folder.state_dir, before["signature"], values_id, appended.earlier)
    return None if kept is None else (appended, kept)
