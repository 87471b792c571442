"""Postmark's ``Tag`` and ``Metadata`` on each message: the post and the reader it was sent to,
read back by `reconcile`'s message search and by webhooks
(docs/providers.md#finding-a-message-later). A ``Tag`` is at most 1000 characters.

Postmark refuses more than 10 fields, a field name over 20 characters or a value over 80
(422 "Invalid metadata content. Field names are limited to 20 characters and field values are
limited to 80 characters in length.").
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from newsletter.addresses import address_key
from newsletter.providers.base import TEST_COPY

if TYPE_CHECKING:
    from newsletter.message import Message

METADATA_VALUE_LIMIT = 80  # characters in a Metadata value
TAG_LIMIT = 1000


def post_tag(post_id: str) -> str:
    """The post's ``Tag``: its id, or one over 1000 characters cut short with a hash of the
    whole id, so that two long ids that begin alike still get tags of their own."""
    if len(post_id) <= TAG_LIMIT:
        return post_id
    digest = hashlib.sha256(post_id.encode()).hexdigest()[:16]
    return f"{post_id[:TAG_LIMIT - len(digest) - 1]}~{digest}"


def metadata(message: Message) -> dict[str, str]:
    """Each message's Metadata: its post and its reader, returned by the message search and in
    webhooks. A test copy names no reader and says it is one: it must never count as that
    reader's message. Postmark refuses a value over 80 characters (422 "Invalid metadata
    content"): a longer post id is left to ``Tag`` (webhooks fall back to it), a longer address
    to the message's ``Recipients`` (see :func:`reader_of`)."""
    labels = {"post": message.post_id}
    if message.test:
        labels[TEST_COPY] = "yes"
    else:
        labels["reader"] = address_key(message.to_address)
    return {name: value for name, value in labels.items() if len(value) <= METADATA_VALUE_LIMIT}


def reader_of(message: object, post_id: str) -> str | None:
    """The reader a searched message names in its Metadata (none: a test copy, or another's);
    one whose address was too long for Metadata is its one recipient."""
    if not isinstance(message, dict) or message.get("Tag") != post_tag(post_id):
        return None
    labels = message.get("Metadata")
    if not isinstance(labels, dict) or TEST_COPY in labels:
        return None
    recipients = message.get("Recipients")
    if ("reader" not in labels and isinstance(recipients, list) and len(recipients) == 1
            and isinstance(recipients[0], str)
            and len(address_key(recipients[0])) > METADATA_VALUE_LIMIT):
        return address_key(recipients[0])
    return labels.get("reader")
