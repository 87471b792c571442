"""`newsletter subscribers sync` against fake provider suppression APIs on 127.0.0.1.

The servers are the fake providers of ``fake_providers`` (same auth rules, same recording);
this module adds only the GET suppression endpoints, with each provider's paging.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import invoke
from fake_providers import (
    KEYS,
    Recorded,
    _Handler,
    answer_json,
    provider_environ,
    start_fake,
    write_provider_settings,
)
from web_server import statuses, subscriber_csv

ANN, BOB, CY, DEE = "ann@example.com", "bob+news@example.org", "cy@example.net", "dee@example.com"
STREAM = "newsletter-broadcast"
DOMAIN = "mg.example.com"


# ------------------------------------------------------------- the suppression endpoints

def postmark_lists(path, query, lists):
    found = re.fullmatch(r"/message-streams/([^/]+)/suppressions/dump", path)
    if not found:
        return 404, {"ErrorCode": 1226, "Message": "The message stream was not found."}
    return 200, {"Suppressions": lists.get(found.group(1), [])}


def sendgrid_lists(path, query, lists):
    found = re.fullmatch(r"/v3/suppression/(\w+)", path)
    if not found or found.group(1) not in lists:
        return 404, {"errors": [{"message": "not found"}]}
    limit, offset = int(query["limit"][0]), int(query.get("offset", ["0"])[0])
    assert 1 <= limit <= 500  # SendGrid pages by limit 1 to 500 (docs/providers.md#sendgrid)
    return 200, lists[found.group(1)][offset:offset + limit]


def mailgun_lists(path, query, lists):
    found = re.fullmatch(rf"/v3/{DOMAIN}/(bounces|complaints|unsubscribes)", path)
    if not found:
        return 404, {"message": "Domain not found"}
    name = found.group(1)
    limit = int(query.get("limit", ["100"])[0])
    assert limit <= 1000
    items = lists.get(name, [])
    start = 0
    if query.get("page") == ["next"]:  # Mailgun pages by "after this address"
        after = query["address"][0]
        start = next(i for i, item in enumerate(items) if item["address"] == after) + 1
    page = items[start:start + limit]
    # Mailgun's links name its own host; the client must keep using its configured API URL.
    last = page[-1]["address"] if page else query.get("address", [""])[0]
    link = (f"https://api.mailgun.net/v3/{DOMAIN}/{name}?page=next&address={quote(last)}"
            f"&limit={limit}")
    return 200, {"items": page, "paging": {"next": link, "first": link, "last": link,
                                           "previous": link}}


def resend_lists(path, query, lists):
    if path != "/suppressions":
        return 404, {"statusCode": 404, "name": "not_found", "message": "Not found"}
    items = lists.get("suppressions", [])
    limit = int(query.get("limit", ["20"])[0])
    assert limit <= 100
    start = 0
    if "after" in query:
        start = next(i for i, item in enumerate(items) if item["id"] == query["after"][0]) + 1
    page = items[start:start + limit]
    return 200, {"object": "list", "has_more": start + limit < len(items), "data": page}


ANSWERS = {"postmark": postmark_lists, "sendgrid": sendgrid_lists, "mailgun": mailgun_lists,
           "resend": resend_lists}


class SuppressionHandler(_Handler):
    """The fake provider's handler, plus GET for the suppression lists in ``fake.lists``."""

    def do_GET(self):
        fake = self.server.fake
        url = urlsplit(self.path)
        request = Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, b"")
        with fake.lock:
            fake.requests.append(request)
        if fake.api.authorised(request.headers):
            status, payload = ANSWERS[fake.api.name](url.path, parse_qs(url.query), fake.lists)
        else:
            status, _, payload = fake.api.unauthorised()
        answer_json(self, status, payload)


@pytest.fixture
def provider_lists(site):
    """``serve(name, lists)``: a fake provider serving ``lists``, configured in the site."""
    servers = []

    def serve(name: str, lists: dict, **settings):
        server = start_fake(name, KEYS[name])
        server.httpd.RequestHandlerClass = SuppressionHandler
        server.lists = lists
        servers.append(server)
        extra = {"domain": DOMAIN} if name == "mailgun" else {}
        write_provider_settings(site, name=name, api_url=server.url, timeout=5, **extra, **settings)
        return server

    yield serve
    for server in servers:
        server.close()


def strangers(count: int) -> list[str]:
    """Suppressed addresses that are not on the list (they fill the first pages)."""
    return [f"gone{i}@example.net" for i in range(count)]


# Each provider's lists: many strangers first (so the readers sit on a later page), then
# ANN bounced, BOB complained, CY unsubscribed, and DEE (already unsubscribed here) bounced.
LISTS = {
    "postmark": {STREAM: [
        *({"EmailAddress": a, "SuppressionReason": "HardBounce", "Origin": "Recipient",
           "CreatedAt": "2026-11-01T10:00:00Z"} for a in strangers(3)),
        {"EmailAddress": ANN, "SuppressionReason": "HardBounce", "Origin": "Recipient"},
        {"EmailAddress": BOB, "SuppressionReason": "SpamComplaint", "Origin": "Recipient"},
        {"EmailAddress": CY, "SuppressionReason": "ManualSuppression", "Origin": "Recipient"},
        {"EmailAddress": DEE, "SuppressionReason": "HardBounce", "Origin": "Recipient"},
    ], "outbound": [{"EmailAddress": "other@example.com", "SuppressionReason": "HardBounce"}]},
    "sendgrid": {
        "bounces": [*({"email": a, "created": 1764000000, "reason": "550", "status": "5.1.1"}
                      for a in strangers(700)),
                    {"email": ANN, "created": 1764000000, "reason": "550 no such user"},
                    {"email": DEE, "created": 1764000000, "reason": "550 no such user"}],
        "blocks": [], "invalid_emails": [],
        "spam_reports": [{"email": BOB, "created": 1764000000, "ip": "10.0.0.1"}],
        "unsubscribes": [{"email": CY, "created": 1764000000}],
    },
    "mailgun": {
        "bounces": [*({"address": a, "code": "550", "error": "No such mailbox",
                       "created_at": "Thu, 11 Dec 2025 01:49:40 UTC"} for a in strangers(1200)),
                    {"address": ANN, "code": "550", "error": "No such mailbox"},
                    {"address": DEE, "code": "550", "error": "No such mailbox"}],
        "complaints": [{"address": BOB, "created_at": "Thu, 11 Dec 2025 01:49:40 UTC"}],
        "unsubscribes": [{"address": CY, "tags": ["*"], "created_at": "Thu, 11 Dec 2025"}],
    },
    "resend": {"suppressions": [
        *({"id": f"s{i}", "email": a, "origin": "bounce"} for i, a in enumerate(strangers(150))),
        {"id": "a", "email": ANN, "origin": "bounce", "created_at": "2026-11-01 10:00:00+00"},
        {"id": "b", "email": BOB, "origin": "complaint"},
        {"id": "c", "email": CY, "origin": "manual"},
        {"id": "d", "email": DEE, "origin": "bounce"},
    ]},
}
SETTINGS = {"postmark": {"message_stream": STREAM}}


def readers(site):
    subscriber_csv(site, ANN, BOB, CY)
    with (site / "subscribers" / "subscribers.csv").open("a") as csv:
        csv.write(f"{DEE},Dee,unsubscribed,,2026-01-01T00:00:00+00:00\n")


@pytest.mark.parametrize("name", list(LISTS))
def test_sync_applies_every_list_and_prints_what_changed(site, provider_lists, name):
    readers(site)
    server = provider_lists(name, LISTS[name], **SETTINGS.get(name, {}))

    result = invoke(site, "subscribers", "sync", env=provider_environ(name))

    assert result.exit_code == 0, result.output
    assert statuses(site) == {ANN: "bounced", BOB: "complained", CY: "unsubscribed",
                              DEE: "unsubscribed"}  # DEE keeps the status she chose
    lines = result.output.splitlines()
    assert [line.split(" ")[:2] for line in lines[:-1]] == [
        ["complained:", BOB], ["bounced:", ANN], ["unsubscribed:", CY]]
    assert lines[-1].startswith("3 changed;")
    assert all(urlsplit(r.path).path.startswith(("/message-streams/", "/v3/", "/suppressions"))
               for r in server.requests)  # every page came from the configured API URL


@pytest.mark.parametrize("name", list(LISTS))
def test_a_second_sync_changes_nothing_and_prints_nothing(site, provider_lists, name):
    readers(site)
    provider_lists(name, LISTS[name], **SETTINGS.get(name, {}))
    invoke(site, "subscribers", "sync", env=provider_environ(name))
    before = (site / "subscribers" / "subscribers.csv").read_text()

    again = invoke(site, "subscribers", "sync", env=provider_environ(name))

    assert (again.exit_code, again.output) == (0, "")
    assert (site / "subscribers" / "subscribers.csv").read_text() == before


def test_sync_pages_through_every_list(site, provider_lists):
    readers(site)
    server = provider_lists("sendgrid", LISTS["sendgrid"])

    invoke(site, "subscribers", "sync", env=provider_environ("sendgrid"))

    bounce_pages = [r.path for r in server.requests if "/bounces" in r.path]
    assert [parse_qs(urlsplit(p).query)["offset"] for p in bounce_pages] == [["0"], ["500"]]


def test_a_sendgrid_block_leaves_the_reader_on_the_list(site, provider_lists):
    """A block is the receiver refusing one message (this server's IP on a block list, its
    content); SendGrid keeps sending to the address, and so does the list."""
    readers(site)
    lists = {**LISTS["sendgrid"], "blocks": [
        {"email": ANN, "created": 1764000000, "reason": "550 5.7.1 blocked using a list",
         "status": "5.7.1"}], "bounces": []}
    provider_lists("sendgrid", lists)

    result = invoke(site, "subscribers", "sync", env=provider_environ("sendgrid"))

    assert result.exit_code == 0, result.output
    assert statuses(site)[ANN] == "active"
    assert ANN not in result.output


def test_a_mailgun_unsubscribe_from_another_tag_leaves_the_reader_on_the_list(site, provider_lists):
    """Mailgun's tag unsubscribe link stops only mail with that message's tags (another mail
    of the domain's: an app's alerts); the newsletter's posts still reach the reader."""
    readers(site)
    lists = {"unsubscribes": [
        {"address": ANN, "tags": ["app-alerts"], "created_at": "Thu, 11 Dec 2025 01:49:40 UTC"},
        {"address": CY, "tags": ["app-alerts", "*"], "created_at": "Thu, 11 Dec 2025"}]}
    provider_lists("mailgun", lists)

    result = invoke(site, "subscribers", "sync", env=provider_environ("mailgun"))

    assert result.exit_code == 0, result.output
    assert (statuses(site)[ANN], statuses(site)[CY]) == ("active", "unsubscribed")
    assert ANN not in result.output


def test_postmark_sync_reads_the_newsletter_stream_only(site, provider_lists):
    readers(site)
    server = provider_lists("postmark", LISTS["postmark"], message_stream=STREAM)

    invoke(site, "subscribers", "sync", env=provider_environ("postmark"))

    assert [r.path for r in server.requests] == [f"/message-streams/{STREAM}/suppressions/dump"]
    assert server.requests[0].headers["x-postmark-server-token"] == KEYS["postmark"]


def test_a_refused_key_is_one_line_and_changes_nothing(site, provider_lists):
    readers(site)
    provider_lists("sendgrid", LISTS["sendgrid"])
    environ = {"SENDGRID_API_KEY": "SG.wrong", "NEWSLETTER_SECRET": "test-secret"}

    result = invoke(site, "subscribers", "sync", env=environ)

    assert result.exit_code == 1
    assert result.output.startswith("error: sendgrid answered 401: The provided authorization")
    assert "SG.wrong" not in result.output
    assert statuses(site)[ANN] == "active"


def test_a_provider_without_suppression_lists_says_so(site):
    result = invoke(site, "subscribers", "sync")

    assert result.exit_code == 2
    assert "provider 'outbox' keeps no suppression list to sync" in result.output
