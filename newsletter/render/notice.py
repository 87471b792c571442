"""The sign-up emails, ``templates/confirm.*`` and ``templates/welcome.*``, rendered like posts.

Same pipeline as a post (Jinja2 with autoescape, ``templates/email.css`` inlined by premailer,
its ``@media`` rules kept), same placeholders for each reader's values
(:mod:`newsletter.render.email`). A confirmation has no unsubscribe link: its one per-reader
link, the confirmation URL, travels in the ``unsubscribe_url`` placeholder, so providers and
the MIME encoder fill it in like any other. The subject is the template's ``subject`` block
(the example site's ``notice.html``, which both extend, puts it in the ``<title>``), else a
default.

Template variables: ``site_title``, ``site_url``, ``postal_address``, ``lang``, ``dir``,
``recipient_email``, ``subject`` (the ``subject`` block, rendered first: Zola parses every
template in ``templates/`` with Tera, which cannot read Jinja's ``self.subject()``), ``css``,
``media_css`` and ``preheader_padding``; a confirmation also
``confirm_url`` and ``confirm_within`` ("48 hours"), a welcome ``unsubscribe_url``.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from newsletter.config import Settings, duration_words
from newsletter.errors import TemplateError
from newsletter.posts import plain_line
from newsletter.render.email import (
    PLACEHOLDERS,
    PREHEADER_PADDING,
    Email,
    language_tag,
    split_media_rules,
    text_direction,
)
from newsletter.render.inlining import inline_css
from newsletter.render.template_files import read_stylesheet, render_template, template_environment

CONFIRM = "confirm"
WELCOME = "welcome"
DEFAULT_SUBJECTS = {CONFIRM: "Confirm your subscription to {site}", WELCOME: "Welcome to {site}"}
SUBJECT_BLOCK = "subject"


def notice_templates(templates_dir: Path, kind: str) -> tuple[Path, Path]:
    """The HTML and text template of a notice (``confirm`` or ``welcome``)."""
    return templates_dir / f"{kind}.html", templates_dir / f"{kind}.txt"


def has_notice(settings: Settings, kind: str) -> bool:
    """True if the site has both templates of this notice."""
    return all(path.is_file() for path in notice_templates(settings.templates_dir, kind))


def render_notice(settings: Settings, kind: str) -> Email:
    """Render ``templates/<kind>.html`` and ``.txt`` into an Email with reader placeholders."""
    site, signup = settings.site, settings.signup
    context = {
        "lang": language_tag(site.language),
        "dir": text_direction(site.language),
        "site_title": site.title,
        "site_url": site.url,
        "postal_address": settings.email.postal_address,
        "preheader_padding": PREHEADER_PADDING,
        "recipient_email": PLACEHOLDERS["email"],
    }
    if kind == CONFIRM:
        context |= {"confirm_url": PLACEHOLDERS["unsubscribe_url"],
                    "confirm_within": duration_words(signup.confirm_within)}
    else:
        context["unsubscribe_url"] = PLACEHOLDERS["unsubscribe_url"]
    environment = template_environment(settings.templates_dir)
    inlined_css, media_css = split_media_rules(read_stylesheet(settings.templates_dir))
    html_name = f"{kind}.html"
    subject = _subject_block(environment, html_name, context) or DEFAULT_SUBJECTS[kind].format(
        site=site.title)
    html = render_template(environment, html_name, {
        **context, "subject": subject, "css": Markup(inlined_css), "media_css": Markup(media_css)})
    return Email(
        post_id=f"signup-{kind}",
        subject=subject,
        preheader="",
        html=inline_css(html),
        text=render_template(environment, f"{kind}.txt", context),
    )


def _subject_block(environment: jinja2.Environment, name: str, context: dict) -> str:
    """The template's ``subject`` block on one line, or "" when it has none (or does not load:
    the full render, next, says why)."""
    try:
        template = environment.get_template(name)
    except jinja2.TemplateError:
        return ""
    block = template.blocks.get(SUBJECT_BLOCK)
    if block is None:
        return ""
    try:
        return plain_line("".join(block(template.new_context(context))))
    except jinja2.TemplateError as error:
        raise TemplateError(f"the subject block cannot be rendered ({error})",
                            where=f"templates/{name}") from None
