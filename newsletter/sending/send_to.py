"""`send POST --to EMAIL`: a ``[TEST]`` copy to a few addresses, outside the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from newsletter.errors import NotSentError
from newsletter.message import MessageFactory, signing_secret
from newsletter.sending.images import check_images
from newsletter.sending.recipients import batch_size

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers import Provider, Result
    from newsletter.render import Email


def send_test(settings: Settings, email: Email, provider: Provider,
              addresses: Iterable[str]) -> list[tuple[str, Result]]:
    """Send a ``[TEST]`` copy to ``addresses`` only; nothing is written to the ledger."""
    from newsletter.addresses import normalise_address

    check_images(settings, email, provider, online=True)
    factory = MessageFactory(settings, email, signing_secret(settings), test=True)
    messages = [factory.build(normalise_address(address)) for address in addresses]
    answers: list[tuple[str, Result]] = []
    size = batch_size(settings, provider, email)
    for start in range(0, len(messages), size):
        batch = messages[start:start + size]
        try:
            answers.extend(zip((m.to_address for m in batch), provider.send_batch(batch)))
        except NotSentError as error:  # a [TEST] copy is in no ledger: nothing of it is pending
            error.hint = (error.hint or "").removesuffix(": they are pending")
            raise
    return answers
