"""Emoji codes (``:tada:``) as the characters, where the site's generator writes them so: Hugo
with ``enableEmoji = true`` and Zola with ``render_emoji = true`` (both read GitHub's codes).

A core rule over the text of each paragraph once it is parsed (code is left as written): a code
this module knows becomes its character, in one pass. It knows the codes posts use most, written
out below, and every other code that is an emoji's own Unicode name (``:hedgehog:``,
``:sun_with_face:``), or that name with ``face`` after it, as GitHub names animals (``:dog:``
is the dog's face); any other ``:word:`` stays as written, as Hugo leaves a code it does not
know.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it.rules_core import StateCore

# A code at each colon: "10:30:tada:" holds :30: (no emoji) and then :tada:.
_CODE = re.compile(r":(?=([a-z0-9_+-]{1,40}):)")

# GitHub's codes whose character's Unicode name is another, written out.
_CODES = {
    "smile": "\U0001F604", "smiley": "\U0001F603", "grinning": "\U0001F600",
    "grin": "\U0001F601", "laughing": "\U0001F606", "satisfied": "\U0001F606",
    "sweat_smile": "\U0001F605", "joy": "\U0001F602", "rofl": "\U0001F923",
    "slightly_smiling_face": "\U0001F642", "upside_down_face": "\U0001F643",
    "wink": "\U0001F609", "blush": "\U0001F60A", "innocent": "\U0001F607",
    "heart_eyes": "\U0001F60D", "star_struck": "\U0001F929", "kissing_heart": "\U0001F618",
    "yum": "\U0001F60B", "stuck_out_tongue": "\U0001F61B", "thinking": "\U0001F914",
    "neutral_face": "\U0001F610", "expressionless": "\U0001F611", "smirk": "\U0001F60F",
    "unamused": "\U0001F612", "roll_eyes": "\U0001F644", "grimacing": "\U0001F62C",
    "relieved": "\U0001F60C", "pensive": "\U0001F614", "sleepy": "\U0001F62A",
    "sleeping": "\U0001F634", "mask": "\U0001F637", "nerd_face": "\U0001F913",
    "sunglasses": "\U0001F60E", "partying_face": "\U0001F973", "confused": "\U0001F615",
    "worried": "\U0001F61F", "slightly_frowning_face": "\U0001F641", "open_mouth": "\U0001F62E",
    "astonished": "\U0001F632", "flushed": "\U0001F633", "cry": "\U0001F622",
    "sob": "\U0001F62D", "scream": "\U0001F631", "disappointed": "\U0001F61E",
    "sweat": "\U0001F613", "weary": "\U0001F629", "angry": "\U0001F620", "rage": "\U0001F621",
    "skull": "\U0001F480", "poop": "\U0001F4A9", "hankey": "\U0001F4A9", "relaxed": "\u263A\uFE0F",
    "see_no_evil": "\U0001F648", "hear_no_evil": "\U0001F649", "speak_no_evil": "\U0001F64A",
    "heart": "\u2764\uFE0F", "broken_heart": "\U0001F494", "sparkling_heart": "\U0001F496",
    "orange_heart": "\U0001F9E1", "yellow_heart": "\U0001F49B", "green_heart": "\U0001F49A",
    "blue_heart": "\U0001F499", "purple_heart": "\U0001F49C", "black_heart": "\U0001F5A4",
    "100": "\U0001F4AF", "boom": "\U0001F4A5", "collision": "\U0001F4A5", "zzz": "\U0001F4A4",
    "wave": "\U0001F44B", "ok_hand": "\U0001F44C", "v": "\u270C\uFE0F",
    "crossed_fingers": "\U0001F91E", "point_right": "\U0001F449", "point_left": "\U0001F448",
    "point_up": "\u261D\uFE0F", "point_down": "\U0001F447", "+1": "\U0001F44D",
    "thumbsup": "\U0001F44D", "-1": "\U0001F44E", "thumbsdown": "\U0001F44E",
    "fist": "\u270A", "facepunch": "\U0001F44A", "punch": "\U0001F44A", "clap": "\U0001F44F",
    "raised_hands": "\U0001F64C", "open_hands": "\U0001F450", "handshake": "\U0001F91D",
    "pray": "\U0001F64F", "muscle": "\U0001F4AA", "eyes": "\U0001F440", "brain": "\U0001F9E0",
    "raised_hand": "\u270B", "hand": "\u270B", "writing_hand": "\u270D\uFE0F",
    "man_shrugging": "\U0001F937\u200D\u2642\uFE0F", "shrug": "\U0001F937",
    "woman_shrugging": "\U0001F937\u200D\u2640\uFE0F", "facepalm": "\U0001F926",
    "tada": "\U0001F389", "confetti_ball": "\U0001F38A", "sparkles": "\u2728",
    "star": "\u2B50", "star2": "\U0001F31F", "dizzy": "\U0001F4AB", "zap": "\u26A1",
    "fire": "\U0001F525", "snowflake": "\u2744\uFE0F", "sunny": "\u2600\uFE0F",
    "cloud": "\u2601\uFE0F", "umbrella": "\u2614", "rainbow": "\U0001F308",
    "crescent_moon": "\U0001F319", "earth_africa": "\U0001F30D", "earth_americas": "\U0001F30E",
    "earth_asia": "\U0001F30F", "globe_with_meridians": "\U0001F310", "ocean": "\U0001F30A",
    "seedling": "\U0001F331", "evergreen_tree": "\U0001F332", "deciduous_tree": "\U0001F333",
    "four_leaf_clover": "\U0001F340", "fallen_leaf": "\U0001F342", "bug": "\U0001F41B",
    "beetle": "\U0001F41E", "bee": "\U0001F41D", "honeybee": "\U0001F41D", "coffee": "\u2615",
    "tea": "\U0001F375", "beer": "\U0001F37A", "beers": "\U0001F37B", "wine_glass": "\U0001F377",
    "champagne": "\U0001F37E", "pizza": "\U0001F355", "hamburger": "\U0001F354",
    "cake": "\U0001F370", "birthday": "\U0001F382", "apple": "\U0001F34E",
    "gift": "\U0001F381", "balloon": "\U0001F388", "trophy": "\U0001F3C6",
    "medal_sports": "\U0001F3C5", "1st_place_medal": "\U0001F947", "soccer": "\u26BD",
    "art": "\U0001F3A8", "musical_note": "\U0001F3B5", "notes": "\U0001F3B6",
    "headphones": "\U0001F3A7", "microphone": "\U0001F3A4", "movie_camera": "\U0001F3A5",
    "camera": "\U0001F4F7", "tv": "\U0001F4FA", "video_game": "\U0001F3AE",
    "computer": "\U0001F4BB", "iphone": "\U0001F4F1", "keyboard": "\u2328\uFE0F",
    "floppy_disk": "\U0001F4BE", "cd": "\U0001F4BF", "bulb": "\U0001F4A1",
    "flashlight": "\U0001F526", "battery": "\U0001F50B", "electric_plug": "\U0001F50C",
    "mag": "\U0001F50D", "mag_right": "\U0001F50E", "lock": "\U0001F512",
    "unlock": "\U0001F513", "key": "\U0001F511", "bell": "\U0001F514", "link": "\U0001F517",
    "hammer": "\U0001F528", "wrench": "\U0001F527", "gear": "\u2699\uFE0F",
    "toolbox": "\U0001F9F0", "nut_and_bolt": "\U0001F529", "package": "\U0001F4E6",
    "email": "\U0001F4E7", "envelope": "\u2709\uFE0F", "inbox_tray": "\U0001F4E5",
    "outbox_tray": "\U0001F4E4", "mailbox": "\U0001F4EB", "memo": "\U0001F4DD",
    "pencil": "\U0001F4DD", "pencil2": "\u270F\uFE0F", "pen": "\U0001F58A\uFE0F",
    "book": "\U0001F4D6", "open_book": "\U0001F4D6", "books": "\U0001F4DA",
    "bookmark": "\U0001F516", "newspaper": "\U0001F4F0", "page_facing_up": "\U0001F4C4",
    "clipboard": "\U0001F4CB", "calendar": "\U0001F4C6", "date": "\U0001F4C5",
    "pushpin": "\U0001F4CC", "paperclip": "\U0001F4CE", "scissors": "\u2702\uFE0F",
    "chart_with_upwards_trend": "\U0001F4C8", "chart_with_downwards_trend": "\U0001F4C9",
    "bar_chart": "\U0001F4CA", "moneybag": "\U0001F4B0", "dollar": "\U0001F4B5",
    "hourglass": "\u231B", "hourglass_flowing_sand": "\u23F3", "watch": "\u231A",
    "alarm_clock": "\u23F0", "stopwatch": "\u23F1\uFE0F", "construction": "\U0001F6A7",
    "rotating_light": "\U0001F6A8", "warning": "\u26A0\uFE0F", "no_entry": "\u26D4",
    "no_entry_sign": "\U0001F6AB", "x": "\u274C", "heavy_check_mark": "\u2714\uFE0F",
    "white_check_mark": "\u2705", "ballot_box_with_check": "\u2611\uFE0F",
    "heavy_multiplication_x": "\u2716\uFE0F", "question": "\u2753", "exclamation": "\u2757",
    "grey_question": "\u2754", "interrobang": "\u2049\uFE0F", "bangbang": "\u203C\uFE0F",
    "information_source": "\u2139\uFE0F", "new": "\U0001F195", "free": "\U0001F193",
    "ok": "\U0001F197", "sos": "\U0001F198", "top": "\U0001F51D", "soon": "\U0001F51C",
    "arrow_right": "\u27A1\uFE0F", "arrow_left": "\u2B05\uFE0F", "arrow_up": "\u2B06\uFE0F",
    "arrow_down": "\u2B07\uFE0F", "arrows_counterclockwise": "\U0001F504",
    "recycle": "\u267B\uFE0F", "checkered_flag": "\U0001F3C1", "triangular_flag_on_post":
    "\U0001F6A9", "dart": "\U0001F3AF", "red_circle": "\U0001F534", "large_blue_circle":
    "\U0001F535", "copyright": "\u00A9\uFE0F", "registered": "\u00AE\uFE0F",
    "tm": "\u2122\uFE0F", "house": "\U0001F3E0", "office": "\U0001F3E2", "car": "\U0001F697",
    "red_car": "\U0001F697", "bike": "\U0001F6B2", "airplane": "\u2708\uFE0F",
    "train": "\U0001F68B", "ship": "\U0001F6A2", "rocket": "\U0001F680",
    "world_map": "\U0001F5FA\uFE0F", "mountain": "\u26F0\uFE0F", "camping": "\U0001F3D5\uFE0F",
    "speech_balloon": "\U0001F4AC", "thought_balloon": "\U0001F4AD", "loudspeaker":
    "\U0001F4E2", "mega": "\U0001F4E3", "robot": "\U0001F916", "ghost": "\U0001F47B",
    "alien": "\U0001F47D", "space_invader": "\U0001F47E", "unicorn": "\U0001F984",
    "octocat": "\U0001F419", "penguin": "\U0001F427", "whale": "\U0001F433",
}


def emoji_codes(state: StateCore) -> None:
    """Each known code in the text of ``state`` (code spans and blocks aside) as its emoji."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "text" and ":" in child.content:
                    child.content = _with_emoji(child.content)


def _with_emoji(text: str) -> str:
    pieces, pos = [], 0
    for code in _CODE.finditer(text):
        emoji = emoji_of(code.group(1)) if code.start() >= pos else None
        if emoji:
            pieces += [text[pos:code.start()], emoji]
            pos = code.start() + len(code.group(1)) + 2
    return "".join(pieces) + text[pos:]


@lru_cache(maxsize=1024)
def emoji_of(code: str) -> str | None:
    """The emoji GitHub's code names (``tada``), or None when it names none this module
    knows."""
    if code in _CODES:
        return _CODES[code]
    name = code.replace("_", " ").upper()
    for candidate in (f"{name} FACE", name):
        try:
            character = unicodedata.lookup(candidate)
        except KeyError:
            continue
        if len(character) == 1 and _pictograph(character):
            return character
    return None


def _pictograph(character: str) -> bool:
    """An emoji's own character: a symbol of the pictographic blocks, not a letter or a
    mathematical sign that happens to have the name."""
    point = ord(character)
    return unicodedata.category(character) == "So" and 0x1F300 <= point <= 0x1FAFF
