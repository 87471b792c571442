"""Before anything is sent: the post's images can reach every reader.

Three checks, cheapest first (docs/images.md#delivery): a post with images of its own needs
``[images] mode``; the provider must be able to carry the message (inline parts, its size
limits: ``Provider.check_email``); and with ``hosted`` images, each URL must already answer
``200`` with an image, since the writer deploys ``publish_dir`` with the blog and a reader who
opens the email before that deploy sees broken images.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import requests

from newsletter import __version__
from newsletter.errors import NewsletterError
from newsletter.render import mode_problem

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers import Provider
    from newsletter.render import Email, EmailImage

CHECK_TIMEOUT = (5.0, 10.0)  # seconds to connect, and to wait for an answer, per URL
CHECKS_AT_ONCE = 4
HEADERS = {"User-Agent": f"newsletter/{__version__} image check"}


def check_images(settings: Settings, email: Email, provider: Provider, *, online: bool) -> None:
    """Raise if the post's images cannot reach readers; ``online`` also fetches hosted URLs."""
    if problem := mode_problem(settings, email):
        raise problem
    provider.check_email(email)
    if online:
        check_hosted_images(settings, email)


def check_hosted_images(settings: Settings, email: Email) -> None:
    """Raise unless every hosted image answers 200 with an image, fetched a few at a time."""
    hosted = [image for image in email.images if not image.inline]
    if not hosted:
        return
    with ThreadPoolExecutor(CHECKS_AT_ONCE) as pool:
        problems = [problem for problem in pool.map(_problem, hosted) if problem]
    if problems:
        raise NewsletterError(
            f"{len(problems)} of the post's {len(hosted)} images are not online: "
            + ", ".join(problems),
            hint=f"deploy {settings.images.publish_dir} with the blog (it must be served at "
                 f"{settings.images.url}), then send again",
        )


def _problem(image: EmailImage) -> str | None:
    """Why ``image`` cannot be loaded from its URL, or None when it can (the body is not read)."""
    try:
        with requests.get(image.src, timeout=CHECK_TIMEOUT, stream=True,
                          headers=HEADERS) as response:
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if response.status_code != 200:
                return f"{image.src} ({response.status_code})"
            if not kind.startswith("image/"):
                return f"{image.src} (not an image: {kind or 'no Content-Type'})"
    except requests.RequestException as error:
        return f"{image.src} (no answer: {type(error).__name__})"
    return None
