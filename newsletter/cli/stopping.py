"""Running a waitress server until it is asked to stop, and stopping it gently.

systemd (``systemctl stop``, a restart after an upgrade), ``docker stop`` and ``kill`` send
SIGTERM, which ended the process at once: the unsubscribes and confirmations in progress got no
answer (their readers saw an error page) and the application was never closed (confirmation
emails being sent were cut off, to be sent twice after the restart). SIGTERM and Ctrl-C now stop
taking connections, let the requests in progress finish and their answers go out, then return,
so the command closes the application and exits 0. A second signal stops at once.
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
    stop = threading.Event()

    def asked_to_stop(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # asked twice: stop now
        stop.set()

    # Signal handlers belong to the main thread; elsewhere (a test's thread) Ctrl-C is Python's.
    handled = STOP_SIGNALS if threading.current_thread() is threading.main_thread() else ()
    previous = {number: signal.signal(number, asked_to_stop) for number in handled}
    try:
        while not stop.is_set():  # a signal wakes the poll; it returns within its timeout
            _poll(server, server.adj.asyncore_loop_timeout)
        _finish_requests(server, time.monotonic() + grace)
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _close(server)


def _poll(server, timeout: float) -> None:
    server.asyncore.loop(timeout=timeout, map=server._map, use_poll=server.adj.asyncore_use_poll,
                         count=1)


def _finish_requests(server, deadline: float) -> None:
    """Take no more connections; serve the requests begun until their answers are sent."""
    _stop_listening(server)
    while time.monotonic() < deadline:
        busy = False
        for channel in list(server._map.values()):
            if channel is server.trigger:
                continue
            if channel.requests or channel.request is not None or channel.total_outbufs_len:
                busy = True  # a request being read, served, or its answer being sent
            else:
                channel.will_close = True  # an idle keep-alive connection: closed on the poll
        if not busy:
            return
        _poll(server, DRAIN_POLL_SECONDS)


def _stop_listening(server) -> None:
    from waitress import wasyncore

    wasyncore.dispatcher.close(server)  # the listening socket only; the trigger stays


def _close(server) -> None:
    """The worker threads (idle by now, or given a few seconds), every connection, the trigger."""
    server.task_dispatcher.shutdown()
    for channel in list(server._map.values()):
        if channel is not server.trigger:
            channel.close()
    server.close()
