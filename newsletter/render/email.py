"""Render a post into a ready-to-send :class:`Email`, once per post.

Template tags (:mod:`newsletter.render.tags`) -> Markdown in the blog's dialect
(:mod:`newsletter.render.markdown`) ->
Jinja2 templates (``templates/email.html`` with
autoescape, ``templates/email.txt``) -> premailer inlines ``templates/email.css`` (its ``@media``
rules stay in a ``<style>`` block; :mod:`newsletter.render.inlining`, which keeps its answer for
the next process) -> the text part from the same content (:mod:`newsletter.render.text`).
Template variables: ``title``, ``subject``, ``date``, ``preheader``, ``preheader_padding``,
``body``, ``lang``, ``dir`` (the post's language), ``site_lang``, ``site_dir`` (the site's: its
masthead and footer), ``tags``, ``cta_text``, ``cta_url``, ``post_url``, ``site_title``,
``site_url``, ``postal_address``, ``cta_lang``, ``cta_dir`` (the button's words' language: the
post's for its own ``cta_text``, else the site's), ``feature_image`` (a
:class:`~newsletter.render.images.FeatureImage` or None), ``css``, ``media_css`` (html only),
``unsubscribe_url`` and ``recipient_email`` (the placeholders below). The post's own image
files are prepared and placed by :mod:`newsletter.render.images`; ``Email.images`` carries
them.

Per-recipient placeholders
--------------------------
Nothing is re-rendered per recipient. The rendered ``Email.html`` and ``Email.text`` hold, for
each name in :data:`RECIPIENT_FIELDS`, the token ``%%name%%``:

- ``%%unsubscribe_url%%``: the reader's one-click unsubscribe URL (footer link in the HTML part,
  last lines of the text part);
- ``%%email%%``: the reader's address (the footer's "you receive this because" line).

The tokens reach the output only through the templates' ``unsubscribe_url`` and
``recipient_email`` variables, and are plain ASCII that Markdown, Jinja2's
autoescape and premailer leave untouched (premailer gets no ``base_url``, so it rewrites no URL;
links are made absolute here). A post whose text would produce a token is refused with a
ContentError, so post content can never inject a recipient value. ``Email.fill(values)`` swaps
every token in one pass: HTML-escaped in the HTML part (the tokens sit in attribute values and
text), raw in the text part. Values are never re-scanned, so a value that contains a token stays
as it is. Adapters that personalise on the provider's side pass the provider's own merge tags as
values.
"""

from __future__ import annotations

import binascii
import html as html_lib
import re
from typing import Mapping

import lxml.etree
from markupsafe import Markup

from newsletter.config import Settings
from newsletter.errors import ConfigError, ContentError
from newsletter.posts import Post, site_relative
from newsletter.records import record
from newsletter.render.dialects import markdown_dialect
from newsletter.render.directions import set_block_directions
from newsletter.render.excerpt import excerpt_text
from newsletter.render.images import EmailImage, place_images
from newsletter.render.inlining import inline_css
from newsletter.render.image_widths import fluid_images
from newsletter.render.markdown import fragment_html, post_fragment, whole_url
from newsletter.render.outline import close_heading_gaps
from newsletter.render.post_colours import dark_ink_rules
from newsletter.render.tags import TemplateProblem, expand_post
from newsletter.render.tags.html import inline_markdown
from newsletter.render.template_files import (
    HTML_TEMPLATE,
    TEXT_TEMPLATE,
    layout_classes,
    read_stylesheet,
    render_template,
    template_environment,
)
from newsletter.render.text import fragment_to_text

RECIPIENT_FIELDS = ("unsubscribe_url", "email")
PLACEHOLDERS = {name: f"%%{name}%%" for name in RECIPIENT_FIELDS}
_PLACEHOLDER = re.compile("%%(" + "|".join(RECIPIENT_FIELDS) + ")%%")

INLINED_FOLDER = "inlined"  # in the state folder: premailer's answers (render/inlining.py)
# Invisible characters after the preheader so the inbox preview stops before the body text
# (docs/email.md#preheader): combining grapheme joiner, zero-width non-joiner, no-break space.
PREHEADER_PADDING = Markup("&#847;&zwnj;&nbsp;" * 90)
# Gmail clips an HTML part past about 102 KB encoded, hiding the unsubscribe footer; we warn
# from 90 KB on (docs/email.md#gmail-clipping).
CLIP_WARNING_BYTES = 90 * 1024
GMAIL_CLIP_BYTES = 102 * 1024
_RTL_LANGUAGES = frozenset({"ar", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})
# What a reader sees in a post that holds no text: a picture, a video, a sound, a drawing. A
# post with none of these and no text (a writer's <!-- TODO --> alone) would mail an empty email.
_SHOWN_WITHOUT_TEXT = ("img", "video", "audio", "svg", "picture")
# What inline Markdown is written with: emphasis, code, links, struck text, escapes.
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# Spaces next to punctuation that ends or separates CSS, after a colon, before !important (not
# a descendant combinator's).
_CSS_NEEDLESS_SPACE = re.compile(r"\s*([{};,])\s*|(:)\s+|\s+(!)")


@record(frozen=True)
class Email:
    """A post rendered once, with ``%%name%%`` placeholders for each recipient's values."""

    post_id: str
    subject: str
    preheader: str
    html: str
    text: str
    images: tuple[EmailImage, ...] = ()  # the post's own image files, prepared, each once
    markdown: str = ""  # the post's Markdown as rendered: its template tags expanded
    template_problems: tuple[TemplateProblem, ...] = ()  # tags it could not expand

    @property
    def inline_images(self) -> tuple[EmailImage, ...]:
        """The images that travel inside each message (``cid:`` parts)."""
        return tuple(image for image in self.images if image.inline)

    def fill(self, values: Mapping[str, str]) -> tuple[str, str]:
        """(html, text) with every placeholder replaced: HTML-escaped in html, raw in text."""
        missing = [name for name in RECIPIENT_FIELDS if name not in values]
        if missing:
            raise KeyError(f"no value for placeholder(s): {', '.join(missing)}")
        html = _PLACEHOLDER.sub(lambda m: html_lib.escape(values[m[1]], quote=True), self.html)
        text = _PLACEHOLDER.sub(lambda m: values[m[1]], self.text)
        return html, text


def render_post(settings: Settings, post: Post) -> Email:
    """Render ``post`` into its Email (HTML and text parts, subject, preheader)."""
    where = site_relative(settings, post.path)
    expansion = expand_post(settings, post)
    fragment = post_fragment(settings, post, expansion.markdown)
    set_block_directions(fragment, text_direction(post.language))
    close_heading_gaps(fragment)
    template_problems = expansion.all_problems(fragment)
    environment = template_environment(settings.templates_dir)
    _drop_classes(fragment, layout_classes(environment))
    images, feature_image = place_images(settings, post, fragment)
    fluid_images(fragment)
    body_html = fragment_html(fragment)
    body_text = fragment_to_text(fragment)
    if not body_text.strip() and next(fragment.iter(*_SHOWN_WITHOUT_TEXT), None) is None:
        raise ContentError("the post shows nothing: all its body holds is left out of the email "
                           "(HTML comments, styles, scripts, components, HTML nested over 255 "
                           "deep)", where=where,
                           hint="write the post below the front matter")
    context = _template_context(settings, post)
    context["preheader"] = context["preheader"] or excerpt_text(
        post, expansion.markdown, markdown_dialect(settings, post))
    context["subject"] = subject = _subject(settings, post, where)
    _refuse_placeholders(where, post.body, body_html, body_text,
                         *(value for value in context.values() if isinstance(value, str)))
    context["unsubscribe_url"] = PLACEHOLDERS["unsubscribe_url"]
    context["recipient_email"] = PLACEHOLDERS["email"]
    context["feature_image"] = feature_image

    inlined_css, media_css = split_media_rules(read_stylesheet(settings.templates_dir))
    media_css = "\n".join(filter(None, [media_css, dark_ink_rules(body_html)]))
    html = render_template(environment, HTML_TEMPLATE, {
        **context, "body": Markup(body_html), "css": Markup(inlined_css), "media_css": Markup(media_css),
    })
    # Kept with the site's files (a site on PostgreSQL keeps nothing on the host).
    html = inline_css(html, None if settings.store_url else settings.state_dir / INLINED_FOLDER)
    text = render_template(environment, TEXT_TEMPLATE, {**context, "body": body_text})
    return Email(
        post_id=post.id,
        subject=subject,
        preheader=context["preheader"],
        html=html,
        text=text,
        images=images,
        markdown=expansion.markdown,
        template_problems=template_problems,
    )


def split_media_rules(css: str) -> tuple[str, str]:
    """``css`` split into (rules to inline, ``@media`` blocks to keep), comments dropped and
    the kept blocks without needless spaces (every reader downloads them)."""
    css = _CSS_COMMENT.sub("", css)
    plain, media, index = [], [], 0
    while (start := css.find("@media", index)) >= 0:
        plain.append(css[index:start])
        depth, index = 0, css.find("{", start)
        while index != -1 and index < len(css):
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
            if depth == 0:
                break
        else:
            index = len(css)  # an unclosed block: keep the rest as it is, for Gmail to judge
        media.append(css[start:index].strip())
    plain.append(css[index:])
    # "}}" would read as a template tag's end to whoever looks for leftover {{ }} in an email.
    kept = (_CSS_NEEDLESS_SPACE.sub(r"\1\2\3", " ".join(block.split())).replace("}}", "}\n}")
            for block in media)
    return "".join(plain).strip(), "\n".join(kept)


def encoded_html_size(html: str) -> int:
    """Bytes the HTML part takes quoted-printable encoded, as it is sent."""
    return len(binascii.b2a_qp(html.encode("utf-8"), istext=True))


def cta_url(settings: Settings, post: Post) -> str:
    """The call to action's link, as both parts carry it: the post's, the site's, or a mail
    to the From address. "mailto:...?subject=Hello there": the text part's link would end at
    the space, so spaces are escaped."""
    email = settings.email
    return whole_url(post.cta_url or email.cta_url or f"mailto:{email.from_address}")


def _template_context(settings: Settings, post: Post) -> dict:
    email = settings.email
    date = post.date.astimezone(settings.site.zone) if post.date else None
    title_html, title_words = inline_markdown(post.title)
    cta_language = post.language if post.cta_text else settings.site.language
    return {
        "lang": language_tag(post.language),
        "dir": text_direction(post.language),
        "site_lang": language_tag(settings.site.language),
        "site_dir": text_direction(settings.site.language),
        "title": title_words,
        "title_html": Markup(title_html),
        "date": f"{date:%B} {date.day}, {date.year}" if date else "",
        "preheader": inline_markdown(post.preheader)[1] if post.preheader else described(post),
        "preheader_padding": PREHEADER_PADDING,
        "tags": post.tags,
        "cta_text": post.cta_text or email.cta_text,
        # The button's words are the post's (its own cta_text) or the site's settings'.
        "cta_lang": language_tag(cta_language),
        "cta_dir": text_direction(cta_language),
        "cta_url": cta_url(settings, post),
        "post_url": post.url,
        "site_title": settings.site.title,
        "site_url": settings.site.url,
        "postal_address": email.postal_address,
    }


def language_tag(language: str) -> str:
    """``language`` as HTML's ``lang`` reads it (BCP 47): a locale as Jekyll sites and Open Graph
    write it, ``en_US``, is ``en-US``."""
    return language.strip().replace("_", "-")


def described(post: Post) -> str:
    """The post's description as plain text: its inline Markdown read, as Hugo renders a summary
    and jekyll-seo-tag a description (``A **rich** start`` is "A rich start"): an inbox shows
    the marks, never the emphasis."""
    return inline_markdown(post.description)[1] if post.description else ""


def title_words(post: Post) -> str:
    """The post's title as plain words: So Simple and Minimal Mistakes print a title through
    ``markdownify`` (``Title *with* **Markdown**`` is emphasis on the page) and jekyll-seo-tag
    strips that to words, so the subject and text part carry no asterisks."""
    return inline_markdown(post.title)[1]


def text_direction(language: str) -> str:
    """``rtl`` for a right-to-left language tag (``ar``, ``he-IL``, ``he_IL``...), else ``ltr``."""
    return "rtl" if language_tag(language).split("-")[0].lower() in _RTL_LANGUAGES else "ltr"


def _subject(settings: Settings, post: Post, where: str) -> str:
    if post.subject:
        return post.subject
    fields = {"title": title_words(post), "description": described(post), "slug": post.id,
              "url": post.url, "date": post.date, "site": settings.site.title}
    try:
        subject = settings.email.subject.format(**fields)
    except (KeyError, IndexError, ValueError, TypeError) as error:  # TypeError: {date:%Y}, no date
        raise ConfigError(
            f"email.subject {settings.email.subject!r} cannot be filled in ({error})",
            where="newsletter.toml", hint="use the fields {" + "}, {".join(fields) + "}",
        ) from None
    # One line (a newline must never reach a header); its fields are plain text already, so
    # "&lt;div&gt;" a title decoded to "<div>" stays.
    subject = " ".join(subject.split())
    if not subject:
        raise ContentError("the subject is empty", where=where, hint="give the post a title")
    return subject


def _drop_classes(fragment: lxml.etree._Element, names: frozenset[str]) -> None:
    """The layout's class names taken off the post's elements: a bookmark card's
    ``<div class="title">`` took the email title's 30 px bold."""
    for element in fragment.iter(lxml.etree.Element):
        classes = (element.get("class") or "").split()
        if names.intersection(classes):
            kept = [name for name in classes if name not in names]
            if kept:
                element.set("class", " ".join(kept))
            else:
                del element.attrib["class"]


def _refuse_placeholders(where: str, *texts: str) -> None:
    for text in texts:
        match = _PLACEHOLDER.search(text)
        if match:
            raise ContentError(
                f"the post contains {match[0]}, which is reserved for each reader's {match[1]}",
                where=where, hint="write it differently (for example with spaces: %% email %%)",
            )
