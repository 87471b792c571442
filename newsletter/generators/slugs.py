"""Each generator's way of turning a title or a file name into a piece of an address."""

from __future__ import annotations

import re
import unicodedata

_JEKYLL_DEFAULT = re.compile(r"[\W_]+")
_JEKYLL_PRETTY = re.compile(r"[^\w._~!$&'()+,;=@]+")
_HUGO_KEEP = set("./\\_-#+~@")


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens (Zola, Eleventy's slugify):
    accents dropped, everything else a separator."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def jekyll_slug(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's ``slugify``: ``default`` mode replaces every run of non-alphanumerics with a
    hyphen; ``pretty`` keeps ``._~!$&'()+,;=@`` too. Lower case unless ``cased``."""
    slug = (_JEKYLL_PRETTY if pretty else _JEKYLL_DEFAULT).sub("-", text).strip("-")
    return slug if cased else slug.lower()


def hugo_urlize(text: str, *, lower: bool = True, plain: bool = False) -> str:
    """Hugo's path making (its paths.Sanitize): letters, digits, marks, ``./\\_-#+~@`` and
    ``%`` escapes stay; a run of spaces between two of them is one hyphen, none beside a
    hyphen written (``Hugo - a guide`` is ``hugo-a-guide``); the rest is left out.
    ``plain``: without accents, as Hugo's removePathAccents makes them."""
    out: list[str] = []
    space = hyphen = False
    for index, char in enumerate(text):
        if _hugo_keeps(text, index, char):
            hyphen = char == "-"
            if space and not hyphen:
                out.append("-")
            out.append(char)
            space = False
        elif out and not hyphen and char.isspace():
            space = True
    slug = "".join(out)
    if plain:
        slug = unicodedata.normalize("NFC", "".join(
            char for char in unicodedata.normalize("NFD", slug)
            if unicodedata.category(char) != "Mn"))
    return slug.lower() if lower else slug


def _hugo_keeps(text: str, index: int, char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd" or char in _HUGO_KEEP or (
        char == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[index + 1:index + 3]) is not None)


def pelican_slug(text: str) -> str:
    """Pelican's ``slugify``: accents dropped, punctuation removed, spaces to hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^\w\s-]", "", plain).strip().lower()
    return re.sub(r"[-\s]+", "-", plain)


def github_slug(text: str) -> str:
    """github-slugger (Astro's ids): lower case, punctuation removed, each space a hyphen."""
    kept = "".join(char for char in text.lower()
                   if char.isalnum() or char in " -_" or unicodedata.category(char)[0] == "M")
    return kept.replace(" ", "-")


def titleize(slug: str) -> str:
    """``my-example-post`` → ``My Example Post`` (Jekyll's title for a post without one)."""
    return " ".join(word[:1].upper() + word[1:] for word in re.split(r"[-_\s]+", slug) if word)
