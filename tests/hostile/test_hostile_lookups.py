"""A provider's search answer is read, never obeyed: a next page on another host does not get
the key, and a provider's error never shows the key (docs/reconcile.md)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import invoke
from fake_providers import KEYS, provider_environ, slow
from test_provider_matrix import run  # noqa: F401
from test_reconcile import FIRST_BATCH, POST, in_doubt_first_batch

from newsletter.sending import State


class _Elsewhere(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def do_GET(self):
        _Elsewhere.seen.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_mailgun_paging_to_another_host_is_not_followed_with_the_key(run):  # noqa: F811
    campaign = in_doubt_first_batch(run, "mailgun", slow())
    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), _Elsewhere)
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        first = FIRST_BATCH[0]
        campaign.server.lookup_queue.append((200, {}, {
            "items": [{"event": "accepted", "recipient": first, "user-variables": {
                "post": POST, "reader": first}, "message": {"headers": {"message-id": "mg-1"}}}],
            "paging": {"next": f"http://127.0.0.1:{elsewhere.server_address[1]}/v3/events"}}))

        result = invoke(campaign.site, "reconcile", "--settle", "0",
                        env=provider_environ("mailgun"))

        assert result.exit_code == 1
        assert "points to no next page on its API" in result.output
        assert _Elsewhere.seen == []  # the key never left for another host
        assert campaign.counts() == {State.SENT: 4, State.IN_DOUBT: 2}  # the page was read
    finally:
        elsewhere.shutdown()
        elsewhere.server_close()


def test_a_search_error_that_quotes_the_key_never_shows_it(run):  # noqa: F811
    campaign = in_doubt_first_batch(run, "postmark", slow())
    campaign.server.lookup_queue.append(
        (422, {}, {"ErrorCode": 10, "Message": f"bad token {KEYS['postmark']}"}))

    result = invoke(campaign.site, "reconcile", "--settle", "0",
                    env=provider_environ("postmark"))

    assert result.exit_code == 1 and "the lookup failed" in result.output
    assert KEYS["postmark"] not in result.output
    status = invoke(campaign.site, "status", "what-matters", env=provider_environ("postmark"))
    assert "the lookup failed" in status.output and KEYS["postmark"] not in status.output
