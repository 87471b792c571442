"""AstroWind (github.com/onwidget/astrowind), an Astro theme that keeps its settings in
``src/config.yaml`` rather than ``astro.config.*``: the site's ``name``, address (``site``,
``base``) and ``trailingSlash``, and its posts' ``apps.blog.post.permalink`` (``/%slug%`` by
default, also ``%year%``, ``%month%``, ``%day%``, ``%hour%``, ``%minute%``, ``%second%`` and
``%category%``), which its own route fills in: ``src/data/post/hello.md`` is ``/hello``, not
under a folder named for the collection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from newsletter.generators.base import join_url, url_path
from newsletter.generators.settings_files import read_data
from newsletter.generators.slugs import ascii_slug
from newsletter.records import record

SETTINGS = "src/config.yaml"


@record(frozen=True)
class AstroWind:
    """What ``src/config.yaml`` says of the site and its posts' addresses."""

    permalink: str
    trailing_slash: bool = False
    name: str | None = None
    site: str | None = None
    base: str = ""

    def address(self, slug: str, date: dt.datetime | None, category: str | None) -> str:
        """A post's address, its date read in UTC (the build server's zone)."""
        when = (date or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)).astimezone(
            dt.timezone.utc)
        values = {"slug": "/".join(ascii_slug(part) for part in slug.split("/")),
                  "category": ascii_slug(category or ""), "year": f"{when.year:04d}",
                  "month": f"{when.month:02d}", "day": f"{when.day:02d}",
                  "hour": f"{when.hour:02d}", "minute": f"{when.minute:02d}",
                  "second": f"{when.second:02d}"}
        path = self.permalink
        for name, value in values.items():
            path = path.replace(f"%{name}%", value)
        path = join_url(*filter(None, path.split("/")))
        return path + "/" if self.trailing_slash and path != "/" else path


def astrowind(root: Path) -> AstroWind | None:
    """The theme's settings, where ``src/config.yaml`` holds its posts' permalink."""
    data = read_data(root / SETTINGS, yaml_1_2=True) or {}
    post = _table(_table(_table(data, "apps"), "blog"), "post")
    if not isinstance(post.get("permalink"), str) or not post["permalink"].strip():
        return None
    site = _table(data, "site")
    return AstroWind(post["permalink"].strip(), site.get("trailingSlash") is True,
                     site.get("name") if isinstance(site.get("name"), str) else None,
                     site.get("site") if isinstance(site.get("site"), str) else None,
                     url_path(site.get("base")))


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}
