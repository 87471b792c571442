"""Before anything is sent: the post's images can reach every reader.

Three checks, cheapest first (docs/images.md#delivery): a post with images of its own needs
``[images] mode``; the provider must be able to carry the message (inline parts, its size
limits: ``Provider.check_email``); and with ``hosted`` images, each URL must already answer
with an image, since the writer deploys ``publish_dir`` with the blog and a reader who opens
the email before that deploy sees broken images.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.check import image_problems
from newsletter.errors import NewsletterError
from newsletter.render import mode_problem

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers import Provider
    from newsletter.render import Email

# Seconds per URL, all of it (DNS, connection, redirects, headers): a server that trickles its
# answer a byte at a time cannot hold the send, which waits for every image.
CHECK_TIMEOUT = 15.0


def check_images(settings: Settings, email: Email, provider: Provider, *, online: bool) -> None:
    """Raise if the post's images cannot reach readers; ``online`` also fetches hosted URLs."""
    if problem := mode_problem(settings, email):
        raise problem
    provider.check_email(email)
    if online:
        check_hosted_images(settings, email)


def check_hosted_images(settings: Settings, email: Email) -> None:
    """Raise unless every hosted image answers with an image (its body is never read)."""
    hosted = [image.src for image in email.images if not image.inline]
    if not hosted:
        return
    problems = image_problems(hosted, CHECK_TIMEOUT)
    if problems:
        raise NewsletterError(
            f"{len(problems)} of the post's {len(hosted)} images are not online: "
            + ", ".join(f"{url} ({why})" for url, why in problems.items()),
            hint=f"deploy {settings.images.publish_dir} with the blog (it must be served at "
                 f"{settings.images.url}), then send again",
        )
