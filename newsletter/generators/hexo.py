"""Hexo: settings in _config.yml, posts in ``source/_posts``, drafts in ``source/_drafts``.

As hexo.io/docs/writing, /front-matter and /permalinks describe (and Hexo's post processor
does): the slug is the file's path under ``_posts`` read through ``new_post_name``
(``:year-:month-:day-:title.md`` takes the date and the slug from the name), the date is
``date`` else the file name's; ``published: false`` is a draft; the other Markdown files of the
source folder are pages. The address is the post's ``permalink``, else _config.yml's
(``:year/:month/:day/:title/``) with Hexo's placeholders, and front matter keys (hexo-abbrlink's
``:abbrlink``) as placeholders too. With ``post_asset_folder``, a post's images are in the folder
named like it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.errors import ContentError
from newsletter.generators.base import (
    Entry,
    Generator,
    Source,
    as_list,
    folder_setting,
    join_url,
    path_id,
    url_path,
)
from newsletter.generators.settings_files import SiteInfo, depends_on, read_data, site_info

DEFAULT_PERMALINK = ":year/:month/:day/:title/"
# _config.yml keys only Hexo writes (Jekyll's has none of them)
_HEXO_KEYS = ("new_post_name", "source_dir", "public_dir", "post_asset_folder", "default_layout")
_PLACEHOLDER = re.compile(r":(\w+)")
_NAME_PARTS = {"year": r"(?P<year>\d{4})", "month": r"(?P<month>\d{2})",
               "day": r"(?P<day>\d{2})", "i_month": r"(?P<i_month>\d{1,2})",
               "i_day": r"(?P<i_day>\d{1,2})", "hash": r"(?P<hash>[0-9a-f]{12})"}
_SPECIAL = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'<>,.?/]+""")
_CONTROL = re.compile(r"[\x00-\x1f]")


class Hexo(Generator):
    name = "hexo"
    label = "Hexo"
    markdown = "commonmark"  # hexo-renderer-marked: GFM, smartypants and autolinks on
    extensions = (".md", ".markdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext")
    # hexo-front-matter also reads YAML closed by --- without an opening line
    open_front_matter = True
    excerpt_marker = "<!-- more -->"  # its themes' (and feeds') summary ends there

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config = read_data(root / "_config.yml") or read_data(root / "_config.yaml") or {}

    @classmethod
    def found(cls, root: Path) -> str | None:
        if depends_on(root, "hexo"):
            return "package.json"
        for name in ("_config.yml", "_config.yaml"):
            config = read_data(root / name)
            if config and any(key in config for key in _HEXO_KEYS):
                return name
        return None

    def info(self) -> SiteInfo:
        config = self.config
        url = config.get("url")  # the starter's http://example.com: init leaves it out
        language = config.get("language")
        language = as_list(language)[0] if as_list(language) else None
        return site_info("_config.yml", config.get("title"), url, config.get("timezone"),
                         language)

    @property
    def _source(self) -> str:
        folder = self.config.get("source_dir")
        return folder_setting(folder, "source")

    @property
    def content_root(self) -> Path:
        return self.root / self._source

    @property
    def base_path(self) -> str:
        return url_path(self.config.get("root"))

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        """``_posts``, and ``_drafts`` where there is one (``hexo init`` makes none: a folder
        that is not there would be a warning on every check)."""
        drafts = f"{self._source}/_drafts"
        if (self.root / drafts).is_dir():
            return (f"{self._source}/_posts", drafts), "Hexo's _posts, and _drafts as drafts"
        return (f"{self._source}/_posts",), "Hexo's _posts"

    def page_dirs(self) -> tuple[str, ...]:
        return (self._source,)

    def is_page_file(self, path: Path) -> bool:
        """A Markdown file of the source folder outside its ``_`` folders: a Hexo page."""
        relative = path.relative_to(self.content_root).parts
        return not any(part.startswith("_") for part in relative[:-1])

    def static_dirs(self) -> tuple[str, ...]:
        return (self._source,)  # Hexo copies the source folder's other files as they are

    def entry(self, source: Source) -> Entry:
        parts = source.relative.parts
        folder = parts[0] if parts and parts[0] in ("_posts", "_drafts") else None
        if folder is None:
            return Entry(id=path_id(source.relative), path=_page_address(source),
                         page="outside _posts: a Hexo page")
        inside = PurePosixPath(*parts[1:]).with_suffix("").as_posix()
        named = self._parse_name(inside)
        fields = source.fields
        date = fields.date("date")
        if date is None and named.get("year") and (named.get("month") or named.get("i_month")) \
                and (named.get("day") or named.get("i_day")):
            try:
                date = source.midnight(dt.date(int(named["year"]),
                                               int(named.get("month") or named["i_month"]),
                                               int(named.get("day") or named["i_day"])))
            except ValueError:
                date = None
        draft = folder == "_drafts" or not fields.boolean("published", default=True)
        when = date or dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.timezone.utc)
        try:
            address = self._address(source, named["title"], when)
        except ContentError:
            if not draft:
                raise
            address = None  # a draft is never mailed: no address needed yet
        return Entry(id="/" + inside, path=address, date=date or when, draft=draft,
                     media_subpath=self._asset_folder(source))

    def _parse_name(self, inside: str) -> dict[str, str]:
        """The parts ``new_post_name`` names in a post's path under ``_posts`` (its ``title``
        is the slug), as Hexo's parseFilename reads them."""
        pattern = self.config.get("new_post_name")
        pattern = pattern if isinstance(pattern, str) and pattern.strip() else ":title.md"
        pattern = re.sub(r"\.[^./:]*$", "", pattern.strip())
        regex, seen, at = "", set(), 0
        for match in _PLACEHOLDER.finditer(pattern):
            key = match.group(1)
            regex += re.escape(pattern[at:match.start()])
            regex += _NAME_PARTS.get(key, rf"(?P<{key}>.+?)") if key not in seen else ".+?"
            seen.add(key)
            at = match.end()
        regex += re.escape(pattern[at:])
        try:
            found = re.fullmatch(regex, inside)
        except re.error:
            found = None
        named = {key: value for key, value in (found.groupdict() if found else {}).items()
                 if value is not None}
        named.setdefault("title", hexo_slug(inside))
        return named

    def _address(self, source: Source, slug: str, date: dt.datetime) -> str:
        written = source.meta.get("permalink")
        if isinstance(written, str) and written.strip():
            return join_url(written.strip())
        template = self.config.get("permalink")
        template = template if isinstance(template, str) and template.strip() \
            else DEFAULT_PERMALINK
        values = {"title": slug, "name": PurePosixPath(slug).name,
                  "post_title": hexo_slug(source.fields.string("title") or "").lower(),
                  "year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}",
                  "hour": f"{date:%H}", "minute": f"{date:%M}", "second": f"{date:%S}",
                  "i_month": str(date.month), "i_day": str(date.day),
                  "hash": hashlib.sha1(f"{slug}{int(date.timestamp())}".encode())
                  .hexdigest()[:12],
                  "category": self._category(source.meta)}
        defaults = self.config.get("permalink_defaults")
        defaults = defaults if isinstance(defaults, dict) else {}

        def replace(match: re.Match) -> str:
            key = match.group(1)
            for table in (values, source.meta, defaults):  # Hexo's own values first
                value = table.get(key)
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    return str(int(value)) if isinstance(value, float) and value.is_integer() \
                        else str(value)
            raise ContentError(  # Hexo would write "undefined" there
                f"permalink {template.strip()} uses :{key}, which this post has no value for",
                where=source.fields.where(key),
                hint=f"add {key}: to the post's front matter (hexo-abbrlink writes abbrlink "
                     "when the site is built), or give the post its own permalink:")

        address = join_url(_PLACEHOLDER.sub(replace, template.strip()))
        pretty = self.config.get("pretty_urls")
        pretty = pretty if isinstance(pretty, dict) else {}
        if pretty.get("trailing_index") is False:
            address = re.sub(r"(?<=/)index\.html$", "", address)
        if pretty.get("trailing_html") is False:
            address = re.sub(r"\.html$", "", address)
        return address

    def _category(self, meta: dict[str, Any]) -> str:
        """The slug of the post's last category, as ``:category`` is; else default_category."""
        categories = meta.get("categories", meta.get("category"))
        while isinstance(categories, list) and categories:
            categories = categories[-1]  # a list within the list is a hierarchy
        default = self.config.get("default_category")
        if not isinstance(categories, (str, int)) or not str(categories).strip():
            return str(default) if default else "uncategorized"
        mapped = self.config.get("category_map")
        mapped = mapped.get(str(categories)) if isinstance(mapped, dict) else None
        return str(mapped) if mapped else hexo_slug(str(categories))

    def _asset_folder(self, source: Source) -> str | None:
        """``post_asset_folder: true``: a post's images are in the folder named like it."""
        if self.config.get("post_asset_folder") is not True:
            return None
        folder = source.path.with_suffix("")
        return "/" + folder.relative_to(self.content_root).as_posix()


def hexo_slug(text: str) -> str:
    """hexo-util's ``slugize``: accents dropped, runs of spaces and punctuation one hyphen."""
    plain = "".join(char for char in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(char))
    return _SPECIAL.sub("-", _CONTROL.sub("", plain)).strip("-")


def _page_address(source: Source) -> str:
    """A Hexo page's address: its ``permalink``, else its path, ``index`` standing for its
    folder, ``.html`` for the others."""
    written = source.meta.get("permalink")
    if isinstance(written, str) and written.strip():
        return join_url(written.strip())
    stem = source.relative.with_suffix("")
    if stem.name == "index":
        return join_url(stem.parent.as_posix().strip("."), "/")
    return join_url(stem.as_posix() + ".html")
