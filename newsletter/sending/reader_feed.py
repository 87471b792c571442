"""The readers of a send, read from the list and prepared: in a helper process on a long list.

A send runs in one Python process, so everything it does per reader shares one core (the GIL).
Reading, validating and de-duplicating the list and signing each reader's unsubscribe link and
Message-ID (:meth:`ReaderSigner.prepare`) are a large share of that work
(docs/performance.md), and need nothing from the ledger or the provider. On a long list they run
in a helper process, on another core, up to a few thousand readers ahead (the pipe's buffer is the
only queue, so memory stays flat), while the send's own process builds, claims, sends, records.

The helper writes nothing: no ledger row, no mail, no subscriber file. Crash safety is the send's,
unchanged. If the send dies, so does the helper (at once when forked, else at its next write to
the pipe); if the helper dies, the send stops with an error, and the next run resumes from the
ledger.

Signing needs the post's id, not its rendered email, so a real send starts the helper before
the render (:func:`reading_ahead`): on two cores the list is read while the post renders.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import sys
import threading
import traceback
from contextlib import closing, contextmanager
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from newsletter.errors import ConfigError, NewsletterError, SubscriberError
from newsletter.message import Prepared, ReaderSigner, TokenCache, secret_id, signing_secret
from newsletter.sending.collector import fewer_collections
from newsletter.sending.recipients import selected
from newsletter.subscribers import ReaderStore, SubscriberStore

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from multiprocessing.process import BaseProcess

    from newsletter.config import Settings

logger = logging.getLogger(__name__)

# Below this many bytes of subscriber files (~20,000 readers) starting a helper (~0.2 s) costs
# more than it saves.
HELPER_MIN_BYTES = 1 << 20
CHUNK = 500  # readers per message on the pipe (~125 KB)
PIPE_BYTES = 1 << 20  # room for eight chunks
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# Prepared from the plain tuple that crossed the pipe, in C (Prepared._make runs in Python).
_as_prepared = partial(tuple.__new__, Prepared)


def prepared_readers(store: ReaderStore, signer: ReaderSigner,
                     tags: Sequence[str] | None = None,
                     problems: list[SubscriberError] | None = None,
                     select: Callable[[list[str]], set[str]] | None = None) -> Iterator[Prepared]:
    """Every reader to send to (:meth:`SubscriberStore.active`; with ``tags``, those holding
    one; with ``select``, those it keeps), prepared, in list order; their tokens from the site's
    TokenCache. The rows the list cannot use go to ``problems``."""
    for chunk in _prepared_chunks(store, signer, tags, problems, select):
        yield from map(_as_prepared, chunk)


def _prepared_chunks(store: ReaderStore, signer: ReaderSigner, tags: Sequence[str] | None,
                     problems: list[SubscriberError] | None,
                     select: Callable[[list[str]], set[str]] | None = None) -> Iterator[list]:
    """:func:`prepared_readers` as plain tuples, CHUNK at a time (what the pipe carries)."""
    files = store.state_dir if isinstance(store, SubscriberStore) else None
    # A send to every reader of files keeps the tokens with its readers (kept_readers): written
    # to tokens.db as well, they cost a first send 0.36 s of CPU a 100,000 for nothing.
    with closing(TokenCache(files, signer.secret, keep=not _whole_list(store, tags, select))
                 ) as cache:
        tokens = partial(cache.tokens, make=signer.tokens.make_all)
        for chunk in _reader_chunks(store, signer, tokens, tags, problems, select):
            yield signer.prepare_all(chunk)


def _reader_chunks(store: ReaderStore, signer: ReaderSigner,
                   tokens: Callable[[list[str]], list[str]], tags: Sequence[str] | None,
                   problems: list[SubscriberError] | None,
                   select: Callable[[list[str]], set[str]] | None) -> Iterator[list]:
    """(address, name, token) of each reader to send to, CHUNK or so at a time: kept between
    sends of unchanged files (SubscriberStore.active_with) when the send is to every reader."""
    if _whole_list(store, tags, select):
        # The tokens are kept with the readers for the secret that made them.
        yield from store.active_with(tokens, secret_id(signer.secret), problems)
        return
    subscribers = store.active(problems, tags=tags)
    if select is not None:  # chosen before they are signed: a few readers of a long list
        subscribers = selected(subscribers, select, CHUNK)
    while chunk := [(s.address, s.name) for s in islice(subscribers, CHUNK)]:
        yield [(address, name, token) for (address, name), token
               in zip(chunk, tokens([address for address, _ in chunk]))]


def _whole_list(store: ReaderStore, tags: Sequence[str] | None,
                select: Callable[[list[str]], set[str]] | None) -> bool:
    """Whether the send reads every reader of files (kept between sends with their tokens)."""
    return isinstance(store, SubscriberStore) and tags is None and select is None


class Helper:
    """A running helper process and the reading end of its pipe."""

    def __init__(self, process: BaseProcess, receiver: Connection, store: SubscriberStore,
                 post_id: str, tags: Sequence[str] | None):
        self.process, self.receiver = process, receiver
        self.files = (store.directory, store.state_dir)
        self.post_id, self.tags = post_id, tuple(tags or ())

    def serves(self, store: ReaderStore, signer: ReaderSigner,
               tags: Sequence[str] | None) -> bool:
        """Whether it reads what this send wants (the helper signs for one post)."""
        return (isinstance(store, SubscriberStore) and self.files == (store.directory,
                store.state_dir) and (self.post_id, self.tags) == (signer.post_id,
                                                                   tuple(tags or ())))

    def close(self, finished: bool = False) -> None:
        """Stop it (unless it ``finished``: its reading is not wanted) and wait for it."""
        self.receiver.close()
        if not finished:
            self.process.terminate()
        self.process.join()


@contextmanager
def reading_ahead(settings: Settings, post_id: str, tags: Sequence[str] | None,
                  wanted: bool = True) -> Iterator[Helper | None]:
    """The helper of a send of ``post_id``, started before its render when ``wanted`` and the
    list is files long enough to gain, for :func:`feed` to take over (``started``); stopped at
    the block's end if the send stopped before. None: the send reads by itself (and reports a
    missing secret in its turn)."""
    helper = None
    try:
        signer = ReaderSigner(settings, post_id, signing_secret(settings)) if wanted else None
    except ConfigError:
        signer = None
    store = None if settings.store_url or signer is None else SubscriberStore(settings)
    if _worth_a_helper(store):
        # No tags is None, as a Campaign has it (an empty set of tags would select nobody).
        helper = _start(store, signer, tuple(tags or ()) or None)
    try:
        yield helper
    finally:
        if helper is not None:
            helper.close()


def feed(store: ReaderStore, signer: ReaderSigner, tags: Sequence[str] | None = None,
         problems: list[SubscriberError] | None = None,
         select: Callable[[list[str]], set[str]] | None = None,
         started: Helper | None = None) -> Iterator[Prepared]:
    """:func:`prepared_readers`, from a helper process (``started``, or started now) when the
    list is long enough to gain (which sends ``problems`` when it is done) and every reader is
    wanted; a database streams its own way (the helper reads files)."""
    if started is not None and select is None and started.serves(store, signer, tags):
        return _from_helper(started, store, problems)
    if started is not None:
        started.close()
    if select is not None or not _worth_a_helper(store):
        return prepared_readers(store, signer, tags, problems, select)
    return _from_helper(_start(store, signer, tags), store, problems)


def _worth_a_helper(store: ReaderStore | None) -> bool:
    return (isinstance(store, SubscriberStore) and store.size() >= HELPER_MIN_BYTES
            and _cores() >= 2)


def _cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start_method() -> str:
    """fork while this process has one thread, else spawn.

    A forked helper starts at once with everything imported; a spawned one must start Python
    and import newsletter first, while the send has nothing to do. But a fork copies
    every lock as it is, held or not, so with other threads running (tests, a server) only
    spawn is safe.
    """
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


def _start(store: SubscriberStore, signer: ReaderSigner, tags: Sequence[str] | None) -> Helper:
    import multiprocessing  # only a long list's send starts a helper

    method = _start_method()
    context = multiprocessing.get_context(method)
    receiver, sender = context.Pipe(duplex=False)
    _widen(receiver)
    process = context.Process(
        target=_helper, name="newsletter list reader", daemon=True,
        # A forked helper inherits the reading end too, and must close it (see _helper).
        args=(sender, receiver if method == "fork" else None, os.getpid(), store.directory,
              store.state_dir, signer.settings, signer.post_id, signer.secret, tags),
    )
    with _ctrl_c_held():
        process.start()
    sender.close()  # the helper holds its own copy: EOF here once it exits
    return Helper(process, receiver, store, signer.post_id, tags)


def _from_helper(helper: Helper, store: SubscriberStore,
                 problems: list[SubscriberError] | None) -> Iterator[Prepared]:
    finished = False
    try:
        while True:
            try:
                kind, payload = helper.receiver.recv()
            except (EOFError, OSError):  # OSError: it died in the middle of a chunk
                helper.process.join()
                raise NewsletterError(
                    f"the helper process reading the subscriber list stopped "
                    f"(exit code {helper.process.exitcode}); run the send again to resume"
                ) from None
            if kind == "readers":
                yield from map(_as_prepared, payload)
            elif kind == "suppressed":
                store.adopt_suppression(payload)
            elif kind == "problems":
                if problems is not None:
                    problems.extend(payload)
            elif kind == "error":
                raise payload
            else:
                finished = True
                return
    finally:
        helper.close(finished)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold a Ctrl-C pressed during the fork until it is done: raised in one of Python's
    at-fork hooks, the KeyboardInterrupt was printed as "Exception ignored" and dropped, and
    the send went on. Released, it is raised here (the helper is a daemon: it ends with us)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _end_with(send_pid: int) -> None:
    """Have Linux kill this process when the send that forked it dies."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != send_pid:  # it died before prctl took effect
        os._exit(0)


def _widen(pipe: Connection) -> None:
    """Let the pipe hold a few chunks: with the default 64 KiB (half a chunk) the helper
    waits for every read, and the two processes take turns instead of working at once."""
    try:
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):  # not Linux, or over /proc/sys/fs/pipe-max-size
        logger.debug("the helper's pipe keeps its default size")


def _helper(sender: Connection, inherited: Connection | None, send_pid: int, directory,
            state_dir, settings: Settings, post_id: str, secret: str,
            tags: Sequence[str] | None) -> None:
    """The helper process: stream prepared readers to ``sender``, then ("end", None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the send to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held by the fork's send
    if inherited is not None:  # forked
        # With a reading end open here, a write would never fail once the send is gone.
        inherited.close()
        # A fork also shares the send's open files, its site lock among them: end with the
        # send, or a killed send's lock would outlive it until our next write.
        _end_with(send_pid)
    try:
        try:
            with fewer_collections():  # inherited when forked; a spawned helper sets its own
                _stream(sender, SubscriberStore(directory=directory, state_dir=state_dir),
                        ReaderSigner(settings, post_id, secret), tags)
        except NewsletterError as error:
            sender.send(("error", error))
        except Exception:  # noqa: BLE001 - a bug: the send reports it with this traceback
            sender.send(("error", RuntimeError(
                f"the helper process reading the subscriber list failed:\n"
                f"{traceback.format_exc()}")))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the send has gone: nobody to read for


def _stream(sender: Connection, store: SubscriberStore, signer: ReaderSigner,
            tags: Sequence[str] | None) -> None:
    """The suppressed keys, then the prepared readers a chunk at a time, then the rows the
    list could not use, then ("end", None)."""
    problems: list[SubscriberError] = []
    snapshot_sent = False
    for chunk in _prepared_chunks(store, signer, tags, problems):
        if not snapshot_sent:  # read by active() before its first reader
            sender.send(("suppressed", store.suppression_snapshot()))
            snapshot_sent = True
        sender.send(("readers", chunk))
    sender.send(("problems", problems))
    sender.send(("end", None))
