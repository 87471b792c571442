"""The fakes' lookup APIs answer as the providers document (docs/providers.md#finding-a-message-
later): paging, time windows, retention, 429s. `reconcile` is only as honest as they are."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from zoneinfo import ZoneInfo

import requests
from fake_providers import KEYS, post, start_fake

EASTERN = ZoneInfo("America/New_York")
PM = {"X-Postmark-Server-Token": KEYS["postmark"]}


def _postmark_batch(server, addresses, tag="/posts/a"):
    body = [{"From": "jane@example.com", "To": a, "Subject": "A", "TextBody": "t", "Tag": tag,
             "Metadata": {"post": tag, "reader": a}} for a in addresses]
    assert post(server, "postmark", body).status_code == 200


def _eastern(moment: dt.datetime) -> str:
    return moment.astimezone(EASTERN).replace(tzinfo=None).isoformat(timespec="seconds")


def test_postmark_search_pages_newest_first_within_a_window_in_eastern_time():
    with closing(start_fake("postmark", KEYS["postmark"])) as server:
        _postmark_batch(server, ["a@example.com", "b@example.com", "c@example.com"])
        _postmark_batch(server, ["d@example.com"], tag="/posts/other")
        now = dt.datetime.now(dt.timezone.utc)
        window = {"fromdate": _eastern(now - dt.timedelta(minutes=1)),
                  "todate": _eastern(now + dt.timedelta(seconds=1)), "tag": "/posts/a"}
        first = requests.get(server.url + "/messages/outbound", headers=PM, timeout=5,
                             params={"count": 2, "offset": 0, **window}).json()
        rest = requests.get(server.url + "/messages/outbound", headers=PM, timeout=5,
                            params={"count": 2, "offset": 2, **window}).json()
        assert first["TotalCount"] == 3
        found = [m["Metadata"]["reader"] for m in first["Messages"] + rest["Messages"]]
        assert sorted(found) == ["a@example.com", "b@example.com", "c@example.com"]
        earlier = {"fromdate": _eastern(now - dt.timedelta(hours=2)),
                   "todate": _eastern(now - dt.timedelta(hours=1))}
        assert requests.get(server.url + "/messages/outbound", headers=PM, timeout=5, params={
            "count": 10, "offset": 0, **earlier}).json()["TotalCount"] == 0


def test_postmark_search_refuses_more_than_ten_thousand_and_forgets_after_retention():
    with closing(start_fake("postmark", KEYS["postmark"])) as server:
        _postmark_batch(server, ["a@example.com"])
        too_far = requests.get(server.url + "/messages/outbound", headers=PM, timeout=5,
                               params={"count": 500, "offset": 9600})
        assert too_far.status_code == 422
        server.clock = lambda: dt.datetime.now().timestamp() + 46 * 86400
        assert requests.get(server.url + "/messages/outbound", headers=PM, timeout=5, params={
            "count": 10, "offset": 0}).json()["TotalCount"] == 0


def test_a_lookup_can_be_answered_429_and_a_wrong_key_is_refused():
    with closing(start_fake("postmark", KEYS["postmark"])) as server:
        server.lookup_queue.append((429, {"Retry-After": "1"}, {"Message": "slow down"}))
        limited = requests.get(server.url + "/messages/outbound", headers=PM, timeout=5,
                               params={"count": 1, "offset": 0})
        assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
        refused = requests.get(server.url + "/messages/outbound", timeout=5,
                               headers={"X-Postmark-Server-Token": "nope"},
                               params={"count": 1, "offset": 0})
        assert refused.status_code == 401


def test_mailgun_events_page_through_next_until_an_empty_page():
    with closing(start_fake("mailgun", KEYS["mailgun"])) as server:
        addresses = ["a@example.com", "b@example.com", "c@example.com"]
        assert post(server, "mailgun", {
            "from": "jane@example.com", "subject": "A", "text": "t", "to": addresses,
            "o:tag": ["/posts/a"], "v:reader": "%recipient.reader%",
            "recipient-variables": '{"a@example.com":{"reader":"a@example.com"},'
                                   '"b@example.com":{"reader":"b@example.com"},'
                                   '"c@example.com":{"reader":"c@example.com"}}'}).status_code == 200
        auth = ("api", KEYS["mailgun"])
        url = server.url + "/v3/mg.example.com/events"
        seen, pages = [], 0
        page = requests.get(url, auth=auth, timeout=5, params={
            "begin": 0, "end": dt.datetime.now().timestamp() + 5, "ascending": "yes",
            "limit": 2, "event": "accepted", "tags": "/posts/a"}).json()
        while page["items"]:
            pages += 1
            seen += [item["user-variables"]["reader"] for item in page["items"]]
            page = requests.get(page["paging"]["next"], auth=auth, timeout=5).json()
        assert (pages, sorted(seen)) == (2, addresses)
        assert requests.get(url, auth=auth, timeout=5, params={"limit": 301}).status_code == 400


def test_sendgrid_activity_needs_the_add_on_and_finds_a_batch():
    with closing(start_fake("sendgrid", KEYS["sendgrid"])) as server:
        body = {"personalizations": [{"to": [{"email": "a@example.com"}],
                                      "custom_args": {"reader": "a@example.com"}}],
                "from": {"email": "jane@example.com"}, "subject": "A",
                "content": [{"type": "text/plain", "value": "t"}],
                "custom_args": {"post": "/posts/a", "batch": "k1"}}
        assert post(server, "sendgrid", body).status_code == 202
        headers = {"Authorization": f"Bearer {KEYS['sendgrid']}"}
        query = {"query": "unique_args['batch']=\"k1\"", "limit": 1000}
        server.activity_feed = False
        assert requests.get(server.url + "/v3/messages", headers=headers, params=query,
                            timeout=5).status_code == 404
        server.activity_feed = True
        found = requests.get(server.url + "/v3/messages", headers=headers, params=query,
                             timeout=5).json()["messages"]
        assert [m["to_email"] for m in found] == ["a@example.com"]


def test_resend_lists_emails_newest_first_with_a_cursor():
    with closing(start_fake("resend", KEYS["resend"])) as server:
        for name in ("a", "b", "c"):
            assert post(server, "resend", [{"from": "jane@example.com", "to": [f"{name}@x.org"],
                                            "subject": "A", "text": "t"}]).status_code == 200
        headers = {"Authorization": f"Bearer {KEYS['resend']}"}
        first = requests.get(server.url + "/emails", headers=headers, params={"limit": 2},
                             timeout=5).json()
        rest = requests.get(server.url + "/emails", headers=headers, timeout=5,
                            params={"limit": 2, "after": first["data"][-1]["id"]}).json()
        assert [e["to"][0] for e in first["data"] + rest["data"]] == [
            "c@x.org", "b@x.org", "a@x.org"]
        assert (first["has_more"], rest["has_more"]) == (True, False)
