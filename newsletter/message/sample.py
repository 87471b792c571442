"""The sample reader's message: what previews show and what the preflight check reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.message.compose import Message, MessageFactory
from newsletter.message.tokens import DEVELOPMENT_SECRET

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.render import Email

SAMPLE_ADDRESS = "reader@example.org"
SAMPLE_NAME = "Sample Reader"


def sample_message(settings: Settings, email: Email) -> Message:
    """The message as the sample reader would get it, built exactly as `send` builds one."""
    # Signed with the real secret when set, so the preview's unsubscribe link works on a deployed
    # endpoint; a preview never refuses to run for want of a secret.
    secret = settings.secrets.get("NEWSLETTER_SECRET") or DEVELOPMENT_SECRET
    return MessageFactory(settings, email, secret).build(SAMPLE_ADDRESS, SAMPLE_NAME)
