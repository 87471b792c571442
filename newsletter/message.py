"""One recipient's message: the post's rendered Email with that reader's values filled in.

CONTRACT (shared by sending and every provider adapter; the build functions are not written yet):

- ``Message.email`` is the post's :class:`newsletter.render.Email`, rendered once per post and
  shared by every message of the campaign.
- ``Message.values`` holds the per-recipient placeholder values (``unsubscribe_url``, ``email``)
  that ``Email.fill(values)`` substitutes into the HTML (escaped) and text parts.
- ``Message.headers`` holds every final header as a string, in order: From, To, Subject, Date,
  Message-ID, Reply-To (if set), List-Unsubscribe, List-Unsubscribe-Post.
- Adapters that substitute per recipient on the provider side (Mailgun recipient-variables,
  SendGrid substitutions) call ``message.email.fill({...provider tokens...})`` once per batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from newsletter.render import Email


@dataclass(frozen=True)
class Message:
    """A ready-to-send message for one recipient."""

    post_id: str
    email: Email
    to_address: str  # normalised address
    to_name: str
    values: Mapping[str, str]
    headers: Mapping[str, str]

    @property
    def message_id(self) -> str:
        return self.headers["Message-ID"]

    @property
    def subject(self) -> str:
        return self.headers["Subject"]

    @cached_property
    def parts(self) -> tuple[str, str]:
        """(html, text) with this recipient's values filled in."""
        return self.email.fill(self.values)

    @property
    def html(self) -> str:
        return self.parts[0]

    @property
    def text(self) -> str:
        return self.parts[1]
