"""Each reader's message: the post's Email with their values, MIME bytes and signed tokens."""

from newsletter.message.compose import Message, MessageFactory, Prepared
from newsletter.message.notice import NoticeFactory
from newsletter.message.tokens import DEVELOPMENT_SECRET, signing_secret, verify_token

__all__ = ["DEVELOPMENT_SECRET", "Message", "MessageFactory", "NoticeFactory", "Prepared",
           "signing_secret", "verify_token"]
