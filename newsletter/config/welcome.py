"""The [welcome] settings checked: durations that parse, a series to send, a one-line intro."""

from __future__ import annotations

from newsletter.config.sections import WelcomeSettings
from newsletter.errors import ConfigError

INTRO_FIELDS = ("site",)  # what welcome.intro may name: {site}, the blog's title


def check_welcome(welcome: WelcomeSettings, where: str) -> None:
    """ConfigError naming the first bad [welcome] value; which posts the series names is
    checked against the blog when a run reads its posts."""
    for key, read in (("every", lambda: welcome.gaps), ("first_after", lambda: welcome.delay)):
        try:
            length = read()
        except ValueError as error:
            raise ConfigError(f"welcome.{key}: {error}", where=where) from None
        if key == "every" and not all(length or [None]):
            raise ConfigError("welcome.every must be longer than 0" if length else
                              "welcome.every lists no duration", where=where,
                              hint='for example every = "3d", or ["2d", "5d"] after the first '
                                   'and the second')
    if welcome.enabled and not welcome.posts:
        raise ConfigError("welcome.enabled is true but welcome.posts names no post",
                          where=where, hint='list them in order: posts = ["best-post", ...]')
    if len(set(welcome.posts)) != len(welcome.posts):
        raise ConfigError("welcome.posts names a post twice", where=where)
    intro = welcome.intro
    if intro is not None:
        if any(char in intro for char in "\r\n\0"):
            raise ConfigError("welcome.intro must be one line", where=where)
        try:
            intro.format(**{name: "" for name in INTRO_FIELDS})
        except (KeyError, IndexError, ValueError) as error:
            raise ConfigError(f"welcome.intro cannot be filled in ({error!r})", where=where,
                              hint="it may name {site}; write a literal brace as {{ or }}") from None
