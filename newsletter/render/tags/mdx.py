"""MDX's own syntax in a post's prose: the site's code, which no email can run.

An MDX post (Astro's, Gatsby's, Docusaurus's) holds JavaScript besides its Markdown:
``import`` and ``export`` statements (left out: they only feed the site's build),
``{/* comments */}`` (left out) and JSX: components (``<Chart data={...} />``) and
``{expressions}``. What an expression shows is worked out by the site's code when it builds
the page; an email cannot run it, so each is reported at its line and shown as text, never as
markup. A component is never markup either: what it holds stays (mdx_components.py). Code is
not read here: the expander only hands over prose.

One kind of component is shown: the image ones. ``<Image src={crab} alt="A crab" />`` of
``astro:assets`` (``crab`` imported from ``../../assets/crab.png``) and gatsby-plugin-image's
``<StaticImage src="../images/crab.png" alt="A crab" />`` are that image, as docs.astro.build
and gatsbyjs.com write them in MDX posts.
"""

from __future__ import annotations

import html
import re
from typing import Any, Mapping

from newsletter.render.tags.expansion import Piece
from newsletter.render.tags.html import escape, web_url
from newsletter.render.tags.mdx_components import Components

# Where MDX syntax may begin in prose: an ESM statement at the start of a line, a JSX element
# whose name is capitalised (HTML's are not case-sensitive, but no HTML element is written
# <Chart>), a closing one, or an expression in braces (an escaped \{ is text).
OPENING = re.compile(r"^(?:import|export)[ \t]|</[A-Z][\w.]*\s*>|<[A-Z][\w.]*(?=[\s/>])"
                     r"|(?<![\\{])\{(?![{%])", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|\Z)")
MAX_JSX_CHARS = 4000  # read of one component's opening tag or one expression, at most

# import crab from "../assets/crab.png"; import { Image as Img } from "astro:assets"
_FILE_IMPORT = re.compile(r"""^import[ \t]+([A-Za-z_$][\w$]*)[ \t]+from[ \t]*(["'])"""
                          r"""([^"'\n]{1,500}\.(?:png|jpe?g|gif|webp|avif|svg))\2""",
                          re.MULTILINE | re.IGNORECASE)
_IMAGE_MODULES = {"astro:assets": ("Image", "Picture"), "gatsby-plugin-image": ("StaticImage",)}
_NAMED_IMPORT = re.compile(r"""^import[ \t]*\{([^}\n]{1,500})\}[ \t]*from[ \t]*(["'])"""
                           rf"""({"|".join(_IMAGE_MODULES)})\2""", re.MULTILINE)
# export const high = "06:12"; export const depth = 4.5 (one to a line, alone)
_CONSTANT = re.compile(r"""^export[ \t]+const[ \t]+([A-Za-z_$][\w$]*)[ \t]*=[ \t]*"""
                       r"""(?:(["'])([^"'\\\n]{0,500})\2|(-?\d{1,15}(?:\.\d{1,15})?))"""
                       r"""[ \t]*;?[ \t]*$""", re.MULTILINE)
# {name} or {frontmatter.key}, spaces inside the braces allowed
# {' '} or {"a sentence"}: a string literal, which JSX shows as its text (a space kept by a
# formatter at a line's end, a word with a brace in it)
_STRING = re.compile(r"""\{\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')\s*\}""")
_NAME = re.compile(r"\{\s*([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?\s*\}")
# src="x.png", alt='A crab', src={crab}
_ATTRIBUTE = re.compile(r"""([A-Za-z]+)=(?:"([^"]*)"|'([^']*)'|\{\s*([A-Za-z_$][\w$]*)\s*\})""")


class ImageImports:
    """The post's image components (their local names) and image files imported by name."""

    def __init__(self, text: str):
        self.files = {found[1]: found[3] for found in _FILE_IMPORT.finditer(text)}
        self.components: set[str] = set()
        for found in _NAMED_IMPORT.finditer(text):
            for name in found[1].split(","):
                imported, _, local = name.strip().partition(" as ")
                if imported.strip() in _IMAGE_MODULES[found[3]]:
                    self.components.add((local or imported).strip())

    def image(self, source: str) -> str | None:
        """``<img>`` for the component opening ``source``, if it is an image one whose ``src``
        is a file or a web address; None for anything else."""
        name = re.match(r"<([\w.]+)", source)[1]
        if name not in self.components or not source.endswith("/>"):
            return None
        values = {}
        for key, double, single, variable in _ATTRIBUTE.findall(source):
            values[key] = double or single or self.files.get(variable, "")
        src = web_url(values.get("src") or "")
        return f'<img src="{escape(src)}" alt="{escape(values.get("alt") or "")}">' if src else None

    def own_image(self, source: str) -> str | None:
        """The picture of a site's own self-closing component given an image file the post
        imports (``<Figure src={heron} alt="..." caption="..." />``): the image, its alt text
        and its caption; None for any other. Only the picture: the rest is the site's code."""
        if not source.endswith("/>"):
            return None
        values, image = {}, None
        for key, double, single, variable in _ATTRIBUTE.findall(source):
            values[key] = double or single
            if variable in self.files and key in ("src", "image", "img"):
                image = image or web_url(self.files[variable])
        if not image:
            return None
        caption = values.get("caption") or values.get("title")
        return (f'<img src="{escape(image)}" alt="{escape(values.get("alt") or "")}">'
                + (f"\n\n<p>{escape(caption)}</p>" if caption else ""))


class Values:
    """What an expression names that the post itself says: a value of its front matter
    (``{frontmatter.title}``, Astro's; ``{frontMatter.title}``, Docusaurus's) or a constant it
    exports with a string or a number (``export const high = "06:12"``, then ``{high}``)."""

    def __init__(self, text: str, front_matter: Mapping[str, Any]):
        self.front_matter = front_matter
        self.constants = {found[1]: found[3] if found[3] is not None else found[4]
                          for found in _CONSTANT.finditer(text)}

    def value(self, source: str) -> str | None:
        """The text ``{expression}`` shows, when the post says it; None for anything else."""
        found = _NAME.fullmatch(source)
        if not found:
            return None
        if found[1] in ("frontmatter", "frontMatter") and found[2]:
            value = self.front_matter.get(found[2])
            return str(value) if isinstance(value, (str, int, float)) and \
                not isinstance(value, bool) else None
        return None if found[2] else self.constants.get(found[1])


def read(text: str, pos: int, limit: int, images: ImageImports | None,
         components: Components, values: Values | None = None) -> Piece:
    """The MDX syntax at ``pos`` (where :data:`OPENING` matched), read up to ``limit``. Each
    character is read once: what is read is what the piece covers (posts are hostile)."""
    if text.startswith(("import", "export"), pos):  # ends at the paragraph's end, as in MDX
        blank = _BLANK_LINE.search(text, pos, limit)
        return Piece(blank.start() if blank else limit, "")
    opening = OPENING.match(text, pos)[0]
    if opening.startswith("</"):
        return Piece(pos + len(opening), components.closing(opening[2:-1].strip()))
    end = _balanced_end(text, pos, limit)
    source = text[pos:end]
    if source.startswith("{/*") and source.endswith("*/}"):
        return Piece(end, "")
    image = images.image(source) if images and opening.startswith("<") else None
    if image:
        return Piece(end, image)
    own = images.own_image(source) if images and opening.startswith("<") else None
    if own:
        return Piece(end, own, f"{opening}> is an MDX component the site's code draws; the "
                     "email shows only its picture", "look at the email; write what else the "
                     "component shows into the post if readers need it", warning=True)
    if not opening.startswith("<") and values and (value := values.value(source)) is not None:
        return Piece(end, escape(value))
    if literal := _STRING.fullmatch(source):
        written = literal[1] if literal[1] is not None else literal[2]
        return Piece(end, escape(re.sub(r"\\(.)", r"\1", written)))
    if opening.startswith("<"):
        output, warning = components.opening(opening[1:], source)
        return Piece(end, output, warning, "look at the email; write what the component shows "
                     "into the post if readers need it", warning=True)
    return Piece(end, html.escape(source, quote=False),
                 f"{' '.join(source.split())[:60]} is an MDX expression: the site's "
                 "code works it out, an email cannot", "write its value into the post, or "
                 "escape the brace as \\{")


def _balanced_end(text: str, pos: int, limit: int) -> int:
    """The end of the component's opening tag or of the expression at ``pos``: the ``>`` or
    ``}`` outside braces and quotes; else where the paragraph, or :data:`MAX_JSX_CHARS`, ends."""
    depth, quote = 0, ""
    stop = min(limit, pos + MAX_JSX_CHARS)
    closer = ">" if text[pos] == "<" else "}"
    for index in range(pos, stop):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'`" and depth > 0 or char in "\"'" and closer == ">":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and closer == "}":
                return index + 1
        elif char == closer and depth == 0:
            return index + 1
        elif char == "\n" and _BLANK_LINE.match(text, index):
            return index
    return stop
