"""Findings about the post itself: its address, its dates against the schedule, its description,
its subject, its button's label."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, error, warning
from newsletter.render import columns

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext
    from newsletter.posts import Post

FAR_AHEAD = dt.timedelta(days=365)
SUBJECT_MAX = 80  # characters; inboxes cut long subjects, phones at about 40
CAPITALS_SHARE = 0.7  # a subject this much in capitals reads as shouting (and as spam)
CAPITALS_MIN_LETTERS = 10
# The button is 220 px wide, its label 17 px bold with 16 px each side: about 24 characters of
# text fit on one line (docs/email.md#call-to-action-button).
BUTTON_LABEL_MAX = 24


def front_matter_findings(context: CheckContext) -> list[Finding]:
    """Dates, description and subject of the post."""
    return [*_address(context), *_dates(context), *_description(context), *_subject(context),
            *_button(context)]


def _address(context: CheckContext) -> list[Finding]:
    """An address with a query (``url: /?p=19``, as WordPress exports keep a post that had no
    permalink): the blog writes the page to a folder named ``?p=19`` that no link reaches, and
    the link shows the home page, where "Read online" would take every reader."""
    post = context.post
    if "?" not in post.url:
        return []
    key = next((key for key in ("url", "permalink") if key in post.front_matter), "title")
    return [error("post-address-query", context.sources.post.key_where(key),
                  f"the post's address {post.url} holds a query (?): that link shows the "
                  "home page, not the post",
                  f"give the post a path of its own ({key}: /{post.name}/)")]


def _dates(context: CheckContext) -> list[Finding]:
    post, source = context.post, context.sources.post
    if post.date is None or post.template != "post":
        return []
    where = source.key_where("date")
    zone = context.settings.site.zone
    date = f"{post.date.astimezone(zone):%Y-%m-%d %H:%M %Z}"  # the zone: cron's may differ
    since = context.since
    if since is not None and post.date < since:
        return [warning(
            "date-before-since", where,
            f"dated {date}, before [schedule] since ({since.astimezone(zone):%Y-%m-%d %H:%M %Z}): "
            "send --due never sends it",
            f"if the date is a typo, fix it; otherwise only `newsletter send {post.name}` "
            "sends it")]
    if post.date > context.now + FAR_AHEAD:
        waits = "the blog publishes it already (built with future posts), and send --due " \
            "sends it now" if post.early else "send --due waits until then"
        return [warning("date-far-future", where, f"dated {date}, more than a year ahead: {waits}",
                        "check the year")]
    return []


def _description(context: CheckContext) -> list[Finding]:
    if context.email.preheader:  # the front matter's, or the excerpt the blog describes it by
        return []
    return [warning("no-description", context.sources.post.where(1),
                    "the post has no description, so inboxes preview its first lines instead",
                    f"add {_description_line(context.post)} (one sentence, the point first)")]


def _description_line(post: Post) -> str:
    """Where the post's generator reads its description from, as the writer writes it."""
    generator = post.site.generator if post.site is not None else None
    if generator is not None and generator.name == "pelican":
        return "a :summary: field under the title" \
            if generator.reads_restructured(post.path) else "a line Summary: ... to the metadata"
    if generator is not None and generator.name == "nikola":
        return "a line .. description: ... to the metadata"
    return "description: ... to the front matter"


def _subject(context: CheckContext) -> list[Finding]:
    subject, post = context.email.subject, context.post
    key = "subject" if post.subject else "title"
    where = context.sources.post.key_where(key)
    found = []
    if len(subject) > SUBJECT_MAX:
        found.append(warning("subject-long", where,
                             f"the subject is {len(subject)} characters long; inboxes cut it "
                             f"after about {SUBJECT_MAX} (phones after about 40)",
                             f"shorten the {key}, or give the post a shorter subject: ..."))
    cased = [char for char in subject if char.isupper() or char.islower()]
    capitals = sum(char.isupper() for char in cased)
    if len(cased) >= CAPITALS_MIN_LETTERS and capitals > CAPITALS_SHARE * len(cased):
        found.append(warning("subject-capitals", where, f"the subject is in capitals: {subject}",
                             "write it in sentence or title case; spam filters count shouting"))
    return found


def _button(context: CheckContext) -> list[Finding]:
    """A label too long for one line of the button: classic Outlook draws the button as a shape
    of fixed size, 220 by 48 px, with no room for a second line."""
    post, label = context.post, context.post.cta_text or context.settings.email.cta_text
    if columns(label) <= BUTTON_LABEL_MAX:
        return []
    where = (context.sources.post.key_where("cta_text") if post.cta_text
             else context.sources.settings_file.setting_where("email", "cta_text"))
    return [warning("button-long", where,
                    f"the button's label \"{label}\" is {len(label)} characters long; about "
                    f"{BUTTON_LABEL_MAX} fit on its line, and classic Outlook's button has room for one",
                    "shorten cta_text (\"Book a call\"), and say the rest in the post")]
