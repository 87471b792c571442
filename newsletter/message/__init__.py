"""Each reader's message: the post's Email with their values filled in, MIME bytes and tokens."""

from newsletter.message.assembled import Assembled
from newsletter.message.compose import (
    Message,
    MessageFactory,
    Prepared,
    ReaderSigner,
)
from newsletter.message.message_ids import MessageIds
from newsletter.message.notice import NoticeFactory
from newsletter.message.recipient import one_line
from newsletter.message.sample import SAMPLE_ADDRESS, sample_message
from newsletter.message.token_cache import TokenCache, secret_id
from newsletter.message.tokens import (
    DEVELOPMENT_SECRET,
    UnsubscribeTokens,
    signing_secret,
    verify_legacy_token,
)

__all__ = ["DEVELOPMENT_SECRET", "SAMPLE_ADDRESS", "Assembled", "Message", "MessageFactory", "MessageIds",
           "NoticeFactory", "Prepared", "ReaderSigner", "TokenCache", "UnsubscribeTokens",
           "one_line", "sample_message", "secret_id", "signing_secret", "verify_legacy_token"]
