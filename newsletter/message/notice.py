"""One-off messages to one reader, outside any campaign: the sign-up confirmation.

Unlike a post's messages they carry no List-Unsubscribe header (the reader is not on the list
yet) and get a random Message-ID (each confirmation is a new message). The rendered Email's
``unsubscribe_url`` placeholder holds the notice's one link (:mod:`newsletter.render.notice`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from email.utils import format_datetime
from typing import TYPE_CHECKING

from newsletter.message.compose import Message, sender_headers
from newsletter.message.recipient import checked_recipient, one_line
from newsletter.message.mime import MimeEncoder

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.render import Email


class NoticeFactory:
    """Builds the messages of one rendered notice, one reader and one link each."""

    def __init__(self, settings: Settings, email: Email):
        self.email = email
        self.encoder = MimeEncoder(email)
        self.from_header, self.reply_to = sender_headers(settings)
        self.subject = one_line(email.subject)
        self.domain = settings.email.sender_domain

    def build(self, address: str, name: str, link: str) -> Message:
        """The message to ``address`` holding ``link`` (SubscriberError for an unusable address)."""
        name, to = checked_recipient(address, name)
        headers = {
            "From": self.from_header,
            "To": to,
            "Subject": self.subject,
            "Date": format_datetime(dt.datetime.now(dt.timezone.utc)),
            "Message-ID": f"<signup.{secrets.token_hex(12)}@{self.domain}>",
        }
        if self.reply_to:
            headers["Reply-To"] = self.reply_to
        return Message(post_id=self.email.post_id, email=self.email, to_address=address,
                       to_name=name, values={"unsubscribe_url": link, "email": address},
                       headers=headers, encoder=self.encoder)
