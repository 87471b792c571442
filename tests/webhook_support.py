"""Signing webhook requests as each provider does, for the webhook and delivery-event tests."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from web_server import SECRET

SENDGRID_KEY = ec.generate_private_key(ec.SECP256R1())
SENDGRID_PUBLIC = base64.b64encode(SENDGRID_KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
RESEND_KEY = b"resend-test-signing-key-32-bytes"
ENVIRON = {
    "NEWSLETTER_SECRET": SECRET,
    "NEWSLETTER_WEBHOOK_USER": "postmark-hook",
    "NEWSLETTER_WEBHOOK_PASSWORD": "s3cret-pass",
    "SENDGRID_WEBHOOK_PUBLIC_KEY": SENDGRID_PUBLIC,
    "MAILGUN_WEBHOOK_SIGNING_KEY": "mailgun-signing-key",
    "RESEND_WEBHOOK_SECRET": "whsec_" + base64.b64encode(RESEND_KEY).decode(),
}


# ------------------------------------------------------------- signing as each provider does

def postmark_request(payload, *, password="s3cret-pass", when=None):
    credentials = base64.b64encode(f"postmark-hook:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}, json.dumps(payload).encode()


def sendgrid_request(events, *, key=SENDGRID_KEY, when=None):
    body = json.dumps(events).encode()
    timestamp = str(int(when or time.time()))
    signature = key.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    return {"X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
            "Content-Type": "application/json"}, body


def mailgun_request(event_data, *, key="mailgun-signing-key", when=None, token=None):
    # Mailgun signs every webhook with a new random 50-character token.
    timestamp, token = str(int(when or time.time())), token or secrets.token_hex(25)
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    body = {"signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": event_data}
    return {"Content-Type": "application/json"}, json.dumps(body).encode()


def resend_request(payload, *, key=RESEND_KEY, when=None, message_id=None):
    body = json.dumps(payload).encode()
    # Svix gives each message its own id, and keeps it on every retry of that message.
    message_id = message_id or "msg_" + secrets.token_hex(12)
    timestamp = str(int(when or time.time()))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {"svix-id": message_id, "svix-timestamp": timestamp,
            "svix-signature": f"v1,{base64.b64encode(b'old-key-signature').decode()} "
                              f"v1,{base64.b64encode(digest).decode()}",
            "Content-Type": "application/json"}, body


SIGN = {"postmark": postmark_request, "sendgrid": sendgrid_request,
        "mailgun": mailgun_request, "resend": resend_request}


# ---------------------------------------------------- delivery events as each provider documents them
# Postmark: webhook reference (RecordType Delivery, Bounce, SpamComplaint, Open, Click,
# SubscriptionChange; Tag and Metadata as sent). SendGrid: Event Webhook reference (an array;
# sg_event_id; categories and custom_args flattened in). Mailgun: event-data with its id, tags
# and user-variables. Resend: {type, created_at, data{email_id, to, tags{name: value}}}.

# Events happen an hour ago, a second apart: within the report's weeks whenever the tests run.
BASE_TIME = int(time.time()) - 3600


def stamp(n: int) -> int:
    return BASE_TIME + n


def moment(n: int) -> str:
    return dt.datetime.fromtimestamp(stamp(n), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def postmark_event(kind: str, address: str, post: str | None, n: int = 0) -> dict | None:
    labels = {"Tag": post, "Metadata": {"post": post}} if post else {}
    common = {"MessageStream": "broadcast", "MessageID": f"pm-{address}", **labels}
    records = {
        "delivered": {"RecordType": "Delivery", "ServerID": 23, "Recipient": address,
                      "DeliveredAt": moment(n), "Details": "smtp;250 2.0.0 OK"},
        "opened": {"RecordType": "Open", "FirstOpen": n == 0, "Recipient": address,
                   "ReceivedAt": moment(n), "Platform": "Desktop",
                   "UserAgent": "Mozilla/5.0", "ReadSeconds": 5},
        "clicked": {"RecordType": "Click", "ClickLocation": "HTML", "Recipient": address,
                    "OriginalLink": "https://blog.example.com/about/",
                    "ReceivedAt": moment(n), "Platform": "Desktop"},
        "bounced": {"RecordType": "Bounce", "ID": 4_323_372_036_854_775_807 - n,
                    "Type": "HardBounce", "TypeCode": 1, "Name": "Hard bounce", "Email": address,
                    "BouncedAt": moment(n), "Description": "Unknown user",
                    "Inactive": True, "CanActivate": True},
        "soft_bounce": {"RecordType": "Bounce", "ID": 4_323_372_036_854_000_000 - n,
                        "Type": "SoftBounce", "TypeCode": 4096, "Name": "Soft bounce",
                        "Email": address, "BouncedAt": moment(n), "Inactive": False},
        "deferred": {"RecordType": "Bounce", "ID": 4_323_372_036_853_000_000 - n,
                     "Type": "Transient", "TypeCode": 2, "Name": "Message delayed",
                     "Email": address, "BouncedAt": moment(n), "Inactive": False},
        "complained": {"RecordType": "SpamComplaint", "ID": 4_323_372_036_852_000_000 - n,
                       "Type": "SpamComplaint", "TypeCode": 512, "Email": address,
                       "BouncedAt": moment(n)},
        "unsubscribed": {"RecordType": "SubscriptionChange", "ServerID": 23,
                         "ChangedAt": moment(n), "Recipient": address,
                         "Origin": "Recipient", "SuppressSending": True,
                         "SuppressionReason": "ManualSuppression"},
    }
    return {**common, **records[kind]}


def sendgrid_event(kind: str, address: str, post: str | None, n: int = 0) -> dict | None:
    labels = {"category": [post], "post": post} if post else {}
    common = {"email": address, "timestamp": stamp(n),
              "sg_event_id": f"sg-{kind}-{n}-{address}",
              "sg_message_id": f"14c5d75ce93.{n}.filter0001.16648.5515E0B88.0", **labels}
    records = {
        "delivered": {"event": "delivered", "response": "250 OK", "ip": "168.1.1.1"},
        "opened": {"event": "open", "useragent": "Mozilla/5.0", "ip": "255.255.255.255"},
        "clicked": {"event": "click", "url": "https://blog.example.com/about/",
                    "useragent": "Mozilla/5.0", "ip": "255.255.255.255"},
        "bounced": {"event": "bounce", "type": "bounce", "status": "5.1.1",
                    "reason": "550 5.1.1 The email account does not exist."},
        "soft_bounce": {"event": "bounce", "type": "blocked", "status": "4.0.0",
                        "reason": "451 temporarily blocked"},
        "deferred": {"event": "deferred", "attempt": "1", "response": "400 try again later"},
        "complained": {"event": "spamreport"},
        "unsubscribed": {"event": "unsubscribe"},
        "taken": {"event": "processed", "smtp-id": f"<14c5d75ce93.{n}@ismtpd-555>"},
    }
    return {**common, **records[kind]}


def mailgun_event(kind: str, address: str, post: str | None, n: int = 0) -> dict | None:
    labels = {"tags": [post], "user-variables": {"post": post}} if post else {}
    common = {"id": f"mg-{kind}-{n}-{address}", "timestamp": stamp(n) + 0.25,
              "log-level": "info", "recipient": address,
              "recipient-domain": address.rpartition("@")[2],
              "message": {"headers": {"message-id": f"{n}.{address}@mg.example.com"}},
              **labels}
    records = {
        "delivered": {"event": "delivered", "delivery-status": {"code": 250}},
        "opened": {"event": "opened", "client-info": {"client-name": "Thunderbird"}},
        "clicked": {"event": "clicked", "url": "https://blog.example.com/about/"},
        "bounced": {"event": "failed", "severity": "permanent", "reason": "bounce",
                    "delivery-status": {"code": 550, "message": "No such mailbox"}},
        "soft_bounce": {"event": "failed", "severity": "permanent", "reason": "old",
                        "delivery-status": {"code": 602, "message": "Too old",
                                            "description": "gave up after retrying"}},
        "deferred": {"event": "failed", "severity": "temporary", "reason": "generic",
                     "delivery-status": {"code": 452, "message": "Try again later"}},
        "complained": {"event": "complained"},
        "unsubscribed": {"event": "unsubscribed"},
        "taken": {"event": "accepted", "method": "HTTP",
                  "envelope": {"targets": address, "transport": "smtp"}},
    }
    return {**common, **records[kind]} if kind in records else None


def resend_event(kind: str, address: str, post: str | None, n: int = 0) -> dict | None:
    types = {"delivered": "email.delivered", "opened": "email.opened",
             "clicked": "email.clicked", "bounced": "email.bounced",
             "soft_bounce": "email.bounced", "deferred": "email.delivery_delayed",
             "complained": "email.complained", "taken": "email.sent"}
    if kind not in types:
        return None
    data = {"created_at": moment(n), "email_id": f"re-{address}",
            "from": "Jane <jane@example.com>", "to": [address], "subject": "Plain Words"}
    if post:
        data["tags"] = {"post": post}
    if kind == "bounced":
        data["bounce"] = {"type": "Permanent", "subType": "General", "message": "no such user"}
    if kind == "soft_bounce":
        data["bounce"] = {"type": "Transient", "subType": "MailboxFull", "message": "full"}
    if kind == "clicked":
        data["click"] = {"link": "https://blog.example.com/about/", "timestamp": moment(n)}
    return {"type": types[kind], "created_at": moment(n), "data": data}


EVENT = {"postmark": postmark_event, "sendgrid": sendgrid_event, "mailgun": mailgun_event,
         "resend": resend_event}


def signed(provider: str, payloads: list[dict]) -> list[tuple[dict, bytes]]:
    """Signed requests carrying ``payloads``: SendGrid's in one array, the others one each."""
    if provider == "sendgrid":
        return [sendgrid_request(payloads)]
    return [SIGN[provider](payload) for payload in payloads]
