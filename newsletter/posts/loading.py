"""Posts: every post file of the site's layout read into a :class:`Post`.

Where the files are, and what their generator makes of each (its id, address and date, whether
it is a page or a draft), comes from :mod:`newsletter.generators` (docs/generators.md). Real
blogs' front matter is messy: accepted here are YAML, TOML, JSON, Eleventy's literal JavaScript
and Pelican's ``Key: value`` lines (:mod:`newsletter.posts.front_matter`); dates as ISO strings
(``Z`` allowed), YAML or TOML dates, Jekyll's ``2016-05-20 10:00:00 -0500`` or JavaScript's
``Jul 08 2022``, a zone-less one read in ``site.timezone``; ``tags`` as a list or a
comma-separated string; ``draft`` and ``newsletter`` as booleans or "true"/"false". Every file
is read and every problem reported: one broken post never hides the others. Pages and drafts are
never errors for what a post needs (a title, a date, a body).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsletter.config import Settings
from newsletter.errors import ContentError
from newsletter.generators import Generator, SiteLayout, Source, site_layout
from newsletter.posts.feature_image import PostImage, feature_image, image_alt
from newsletter.posts.fields import FieldReader, tag_list
from newsletter.posts.front_matter import FrontMatter, split_front_matter
from newsletter.posts.post import CONTROLS, Post, plain_line

# Far beyond any email: Gmail clips past about 102 KB (docs/email.md#gmail-clipping).
MAX_POST_BYTES = 2**20
_NAMED_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Front matter keys generators make a post's id or address of.
_ID_KEYS = ("slug", "permalink", "url", "path", "id", "uri")
# Tables whose keys themes read like the page's own (Hugo's params, Zola's extra).
_CUSTOM_TABLES = ("params", "extra")
# The post's description (the inbox preview), first found: Hugo's and Pelican's summary,
# Jekyll's excerpt, Beautiful Jekyll's share-description, else the subtitle it describes the
# page with.
_DESCRIPTION_KEYS = ("description", "summary", "excerpt", "share-description", "subtitle")
# A "# Title" line opening a post's body, after blank lines and MDX import/export lines
_OPENING_HEADING = re.compile(r"\A(?:[ \t]*\n|(?:import|export)\b[^\n]*\n)*"
                              r"(?P<line>#[ \t]+(?P<title>[^\n]*?)(?:[ \t]+#+)?[ \t]*)(?=\n|\Z)")
# A post whose page sends its reader elsewhere (jekyll-redirect-from's ``redirect_to``, the
# ``externalUrl`` of Hugo and Astro themes that list links to other sites, Hugo Coder's
# ``externalLink``, Anatole's ``redirectUrl``, al-folio's ``redirect``): no post to mail.
_ELSEWHERE_KEYS = ("redirect_to", "externalurl", "external_url", "externallink", "external_link",
                   "redirecturl", "redirect")


def load_posts(settings: Settings) -> tuple[list[Post], list[ContentError]]:
    """Read every post file of the site, and its pages outside the post folders; return the
    good ones (pages and drafts included) and every problem (never a page's)."""
    layout = site_layout(settings)
    posts: list[Post] = []
    errors: list[ContentError] = []
    seen: dict[str, Post] = {}
    published: dict[str, Post] = {}  # by address: the posts the blog publishes
    pages = layout.page_files()
    outside = f"outside the post folders ({', '.join(layout.dirs)})"
    for path in [*layout.files(), *pages]:
        try:
            post = read_post(settings, layout, path, page=outside if path in pages else None)
        except ContentError as error:
            if path in pages:
                continue  # a page that does not load is no post: nothing to report
            errors.append(error)
            layout.add_unloaded(path, f"{error.where}: {error.message}" if error.where
                                else error.message)
            continue
        other = seen.get(post.id)
        if other is not None:
            if other.page is None and post.page is None:
                errors.append(ContentError(
                    f"slug {post.id} is already used by {site_relative(settings, other.path)}",
                    where=site_relative(settings, path), hint="give each post its own slug",
                ))
            continue
        twin = published.setdefault(post.url, post) if post.page is None and not post.draft \
            else post
        if twin is not post:  # Hugo's epi.md and epi.fr.md in French: one page, mailed twice
            errors.append(ContentError(
                f"{post.url} is also the address of {site_relative(settings, twin.path)}: the "
                "blog publishes one page there", where=site_relative(settings, path),
                hint="remove one of the two files, or give one its own slug"))
            continue
        seen[post.id] = post
        posts.append(post)
        layout.add(path, post.url)
    layout.address_of = lambda path: _address_of(settings, layout, path)
    return posts, errors


def read_post(settings: Settings, layout: SiteLayout, path: Path, *,
              page: str | None = None) -> Post:
    """Read and check one post file (a page of the site, and why, when ``page`` is given)."""
    where = site_relative(settings, path)
    _refuse_control_characters(where)
    _refuse_linked_outside(settings, layout, path, where)
    text = _read_text(path, where)
    generator = layout.generator
    try:
        split = split_front_matter(text, where, key_value=generator.key_value_front_matter,
                                   open_ended=generator.open_front_matter,
                                   comment=generator.comment_front_matter,
                                   document_end=generator.yaml_document_end,
                                   restructured=generator.reads_restructured(path))
    except ContentError:
        # A page by where it is (an _index.md, a file outside the post folders) is a page
        # however broken its front matter: never an error the cron run reports.
        split = FrontMatter({}, text, 1)
        if _page_reason(settings, layout, path, split) is None:
            raise
    meta = {**generator.inherited(path, functools.partial(
        _front_matter_of, comment=generator.comment_front_matter)), **split.meta}
    fields = FieldReader(meta, text, where, settings.site.zone, split.spelling)
    body = split.body  # MDX's import and export lines are left out as it renders
    heading = None
    if generator.title_from_heading:
        heading, body = heading_title(body)
    entry = generator.entry(Source(path, layout.relative(path), fields, fields.midnight,
                                   heading))
    _refuse_control_slug(entry.id + (entry.path or ""), meta, fields)
    if page and entry.page is None:
        entry = replace(entry, page=page)
    elsewhere = next((key for key in _ELSEWHERE_KEYS if meta.get(key)  # an address, not a flag
                      and (key != "redirect" or isinstance(meta[key], str))), None)
    if elsewhere and entry.page is None:
        entry = replace(entry, page=f"{split.spelling.get(elsewhere, elsewhere)}: its page "
                                     "sends readers to another address")
    unsendable = entry.page is not None or entry.draft

    title = plain_line(fields.string("title") or heading or "") or entry.title or ""
    if not title and unsendable:
        title = _title_from_name(path)
    if not title:
        raise ContentError(
            "no title" if "title" not in meta else "the title is empty",
            where=fields.where("title"), hint="add title: ... to the front matter",
        )
    opening, rest = (None, body) if heading else heading_title(body)
    if opening is not None and plain_line(opening).casefold() == title.casefold():
        body = rest  # Bear Blog's posts repeat their title as a heading: the email shows it once
    if not unsendable:
        if entry.date is None:
            raise ContentError("no date", where=where, hint=_date_hint(text, generator))
        if not body.strip():
            raise ContentError("the post has no body", where=where,
                               hint="write the post below the front matter")
    described = next((meta[key] for key in _DESCRIPTION_KEYS if meta.get(key)), None)
    values = _with_custom_tables(meta)
    return Post(
        id=entry.id,
        path=path,
        title=title,
        date=entry.date,
        draft=entry.draft,
        template=fields.string("template") or "post",
        description=plain_line(str(described or "")) or None,
        tags=tag_list(meta.get("tags"), fields),
        newsletter_tags=tag_list(meta.get("newsletter_tags"), fields, "newsletter_tags"),
        subject=plain_line(fields.string("subject") or "") or None,
        preheader=plain_line(fields.string("preheader") or "") or None,
        newsletter=fields.boolean("newsletter", default=True),
        cta_text=plain_line(fields.string("cta_text") or "") or None,
        cta_url=(fields.string("cta_url") or "").strip() or None,
        url=layout.url(entry.path or entry.id),
        body=body,
        language=fields.string("lang") or settings.site.language,
        image=feature_image(values, fields, generator.config)
        or (PostImage(entry.image, image_alt(values, fields), where) if entry.image else None),
        body_line=split.body_line,
        page=entry.page,
        expires=entry.expires,
        early=entry.early,
        media_subpath=(fields.string("media_subpath") or fields.string("img_path") or "").strip()
        or entry.media_subpath,
        template_tags=fields.boolean("render_with_liquid", default=True),
        front_matter=values,
        site=layout,
    )


def heading_title(body: str) -> tuple[str | None, str]:
    """The ``# heading`` opening ``body`` (after blank lines and MDX imports), and the body
    without it (its line left empty: line numbers stay right); (None, body) if none opens it."""
    found = _OPENING_HEADING.match(body)
    if not found:
        return None, body
    return found.group("title"), body[:found.start("line")] + body[found.end("line"):]


def site_relative(settings: Settings, path: Path) -> str:
    """``path`` relative to the site folder, as error messages show it."""
    try:
        return str(path.relative_to(settings.root))
    except ValueError:
        return str(path)


def printable(text: str) -> str:
    """``text`` with each control character written as an escape (``\\n``, ``\\x1b``)."""
    return CONTROLS.sub(lambda m: _NAMED_CONTROLS.get(m.group(), f"\\x{ord(m.group()):02x}")
                        if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def _refuse_control_characters(where: str) -> None:
    """A file name with a newline or another control character is refused: it would reach the
    post's id and address, and split every line that names it."""
    if CONTROLS.search(where):
        raise ContentError(
            "the file name holds a control character", where=printable(where),
            hint="rename the file without line breaks, tabs or other control characters")


def _refuse_control_slug(made: str, meta: dict, fields: FieldReader) -> None:
    """A slug (or permalink, url) written with a control character is refused, as a file name
    with one is: it would become the post's id and address as written."""
    if not CONTROLS.search(made):
        return
    written = [key for key, value in meta.items()
               if isinstance(value, str) and CONTROLS.search(value)]
    # The keys generators make ids of first: a folded description ends in a line break too.
    key = next((key for key in written if key in _ID_KEYS), written[0] if written else None)
    shown = printable(meta[key] if key else made)
    raise ContentError(
        f"the {fields.name(key) if key else 'slug'} {shown} holds a control character",
        where=fields.where(key) if key else fields.file,
        hint="write it without line breaks, tabs or other control characters")


def _refuse_linked_outside(settings: Settings, layout: SiteLayout, path: Path,
                           where: str) -> None:
    """A post file that is a link to a file outside the site is refused, as an image is
    (docs/images.md#finding-the-file): a pull request's link to ``~/.ssh/id_rsa`` must never be
    mailed. The site's own folders linked from elsewhere (the content folder, a post folder)
    are the site."""
    folders = [settings.root, layout.generator.content_root, *layout.post_folders()]
    real = path.resolve()
    if not any(real.is_relative_to(folder.resolve()) for folder in folders):
        raise ContentError("the post is a link to a file outside the site folder", where=where,
                           hint="copy the file into the site instead of linking to it")


def _read_text(path: Path, where: str) -> str:
    if (size := path.stat().st_size) > MAX_POST_BYTES:  # refused unread: no time, no memory
        raise ContentError(f"the post is {size / 2**20:.1f} MB; posts over 1 MB are refused",
                           where=where, hint="Gmail clips an email past about 102 KB anyway: "
                                             "split it into several posts")
    data = path.read_bytes()
    try:  # Windows editors' CRLF line ends read as "\n", as Python's text files read them
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x})", where=f"{where}:{line}",
            hint="save the file as UTF-8",
        ) from None


def _date_hint(text: str, generator: Generator) -> str:
    """How to add a date in the front matter's own syntax: TOML's ``date = ...`` between
    ``+++`` lines (Zola, Hugo), Pelican's ``Date:`` line, Nikola's ``.. date:``."""
    if text.startswith("+++") and not text.startswith("+++yaml"):
        return "add date = 2024-05-01T09:00:00Z to the front matter (TOML: no quotes)"
    if generator.key_value_front_matter and not text.startswith(("---", "{")):
        return "add a line Date: 2024-05-01 09:00 to the metadata"
    if generator.comment_front_matter and not text.startswith(("---", "{")):
        return "add a line .. date: 2024-05-01 09:00:00 UTC to the metadata"
    return 'add date: "2024-05-01T09:00:00Z"'


def _title_from_name(path: Path) -> str:
    name = path.parent.name if path.stem in ("index", "_index") else path.stem
    words = " ".join(re.sub(r"^\d{4}-\d\d?-\d\d?[-_]*", "", name).replace("-", " ").split())
    return (words[:1].upper() + words[1:]) or name


def _with_custom_tables(meta: dict[str, Any]) -> dict[str, Any]:
    """The front matter with Hugo's ``params`` and Zola's ``extra`` keys where it has none."""
    merged = dict(meta)
    for table in _CUSTOM_TABLES:
        if isinstance(meta.get(table), dict):
            for key, value in meta[table].items():
                merged.setdefault(str(key).lower(), value)
    return merged


def _front_matter_of(path: Path, *, comment: bool = False) -> dict[str, Any]:
    """Another file's front matter (a Hugo section's _index.md, a Nikola post's .meta file),
    empty if it does not load (one over a post's size limit is not read: it is read again for
    each post below it)."""
    try:
        return split_front_matter(_read_text(path, str(path)), str(path), comment=comment).meta
    except (ContentError, OSError):
        return {}


def _page_reason(settings: Settings, layout: SiteLayout, path: Path,
                 split: FrontMatter) -> str | None:
    """Why the file at ``path`` is a page by its place alone, if it is one."""
    fields = FieldReader({}, split.body, str(path), settings.site.zone)
    try:
        return layout.generator.entry(Source(path, layout.relative(path), fields,
                                             fields.midnight)).page
    except (ContentError, OSError):
        return None


def _address_of(settings: Settings, layout: SiteLayout, path: Path) -> str | None:
    """The address of a file the loader did not read as a post (a page a template tag links)."""
    try:
        return read_post(settings, layout, path).url
    except (ContentError, OSError):
        return None
