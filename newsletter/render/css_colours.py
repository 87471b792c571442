"""CSS colour values as (r, g, b): what the post's colours are kept by (post_colours.py) and
what `check` compares text with its background by."""

from __future__ import annotations

import re

Colour = tuple[int, int, int]
TRANSPARENT = "transparent"
_NAMED = {"black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0),
          "green": (0, 128, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0),
          "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (192, 192, 192),
          "navy": (0, 0, 128), "maroon": (128, 0, 0), "purple": (128, 0, 128),
          "teal": (0, 128, 128), "olive": (128, 128, 0), "lime": (0, 255, 0),
          "aqua": (0, 255, 255), "fuchsia": (255, 0, 255), "orange": (255, 165, 0),
          "windowtext": (0, 0, 0)}  # the system's text colour, as word processors paste it
_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})(?:[0-9a-f]{2})?$", re.IGNORECASE)
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+%?)\s*)?\)",
                  re.IGNORECASE)


def parse_colour(value: str) -> Colour | str | None:
    """A CSS colour as (r, g, b), or TRANSPARENT; None when not understood."""
    value = value.strip().lower().removesuffix("!important").strip()
    if value in _NAMED:
        return _NAMED[value]
    if value == TRANSPARENT:
        return TRANSPARENT
    hex_match = _HEX.match(value)
    if hex_match:
        digits = hex_match[1] if len(hex_match[1]) == 6 else "".join(c * 2 for c in hex_match[1])
        return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    rgb = _RGB.match(value)
    if rgb:
        alpha = rgb[4]
        if alpha is not None and float(alpha.rstrip("%")) == 0:
            return TRANSPARENT
        return tuple(min(int(part), 255) for part in rgb.groups()[:3])  # type: ignore[return-value]
    return None


def contrast(first: Colour, second: Colour) -> float:
    """WCAG's contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(colour: Colour, background: Colour, ratio: float) -> Colour:
    """``colour``, or the nearest mix of it with black or white (whichever ``background`` is
    further from) that reaches ``ratio`` on ``background``: the same hue, darker or lighter."""
    end = 0 if _luminance(background) > 0.18 else 255
    for step in range(21):
        mixed = tuple(round(part + (end - part) * step / 20) for part in colour)
        if contrast(mixed, background) >= ratio:
            return mixed  # type: ignore[return-value]
    return (end, end, end)


def hex_colour(colour: Colour) -> str:
    return "#%02x%02x%02x" % colour


def _luminance(colour: Colour) -> float:
    linear = [part / 255 / 12.92 if part <= 10 else ((part / 255 + 0.055) / 1.055) ** 2.4
              for part in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
