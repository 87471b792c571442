"""Running a waitress server until it is asked to stop, and stopping it gently.

systemd (``systemctl stop``, a restart after an upgrade), ``docker stop`` and ``kill`` send
SIGTERM, which ended the process at once: the unsubscribes and confirmations in progress got no
answer (their readers saw an error page) and the application was never closed (confirmation
emails being sent were cut off, to be sent twice after the restart). SIGTERM and Ctrl-C now stop
taking connections, let the requests in progress finish and their answers go out, then return,
so the command closes the application and exits 0. A second signal stops at once.

Works on what ``waitress.create_server`` returns: one server, or a ``MultiSocketServer`` when
the host names several addresses (``localhost`` as 127.0.0.1 and ::1).
"""

from __future__ import annotations

import signal
import threading
import time

GRACE_SECONDS = 20.0  # for requests in progress; systemd waits 90 s (TimeoutStopSec) by default
DRAIN_POLL_SECONDS = 0.05
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def serve_until_stopped(server, grace: float = GRACE_SECONDS) -> None:
    """Run a waitress ``server`` until SIGTERM or Ctrl-C, finish the requests in progress (for
    at most ``grace`` seconds), then close it."""
    from waitress import wasyncore

    stop = threading.Event()

    def asked_to_stop(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # asked twice: stop now
        stop.set()

    sockets = getattr(server, "_map", None) or server.map  # every listener, connection, trigger
    # Signal handlers belong to the main thread; elsewhere (a test's thread) Ctrl-C is Python's.
    handled = STOP_SIGNALS if threading.current_thread() is threading.main_thread() else ()
    previous = {number: signal.signal(number, asked_to_stop) for number in handled}
    try:
        while not stop.is_set():  # a signal wakes the poll; it returns within its timeout
            _poll(server, sockets, server.adj.asyncore_loop_timeout)
        _finish_requests(server, sockets, time.monotonic() + grace)
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.task_dispatcher.shutdown()  # the worker threads: idle by now, or given seconds
        wasyncore.close_all(sockets)


def _poll(server, sockets: dict, timeout: float) -> None:
    server.asyncore.loop(timeout=timeout, map=sockets, use_poll=server.adj.asyncore_use_poll,
                         count=1)


def _finish_requests(server, sockets: dict, deadline: float) -> None:
    """Take no more connections; serve the requests begun until their answers are sent."""
    from waitress import wasyncore
    from waitress.channel import HTTPChannel
    from waitress.server import BaseWSGIServer

    for listener in [each for each in sockets.values() if isinstance(each, BaseWSGIServer)]:
        wasyncore.dispatcher.close(listener)  # the listening socket only; the trigger stays
    while time.monotonic() < deadline:
        busy = False
        for channel in [each for each in sockets.values() if isinstance(each, HTTPChannel)]:
            if channel.requests or channel.request is not None or channel.total_outbufs_len:
                busy = True  # a request being read, served, or its answer being sent
            else:
                channel.will_close = True  # an idle keep-alive connection: closed on the poll
        if not busy:
            return
        _poll(server, sockets, DRAIN_POLL_SECONDS)
