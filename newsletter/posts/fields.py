"""Front-matter values read into typed post fields, with errors naming the key's line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from newsletter.config import Settings
from newsletter.errors import ContentError

_BOOLEANS = {"true": True, "yes": True, "false": False, "no": False}


class FieldReader:
    """Typed access to front matter values, with errors naming the key's line."""

    def __init__(self, meta: dict[str, Any], text: str, where: str):
        self.meta, self.text, self.file = meta, text, where

    def where(self, key: str) -> str:
        match = re.search(rf"^{re.escape(key)}\s*:", self.text, re.MULTILINE)
        if not match:
            return self.file
        line = self.text.count("\n", 0, match.start()) + 1
        return f"{self.file}:{line}"

    def string(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise ContentError(f"{key} must be text, not a {type(value).__name__}", where=self.where(key))
        return str(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.meta.get(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[value.strip().lower()]
        raise ContentError(f"{key} must be true or false, not {value!r}", where=self.where(key))


def parse_date(value: Any, settings: Settings, fields: FieldReader) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ContentError(
                f"date {value!r} is not a date", where=fields.where("date"),
                hint='write it as "2024-05-01T09:00:00Z" or 2024-05-01',
            ) from None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    elif not isinstance(value, dt.datetime):
        raise ContentError(f"date {value!r} is not a date", where=fields.where("date"))
    return value if value.tzinfo else value.replace(tzinfo=settings.site.zone)


def slug_of(value: str | None, settings: Settings, path: Path) -> str:
    if value and value.strip().strip("/"):
        return "/" + value.strip().strip("/")
    relative = path.relative_to(settings.content_dir).with_suffix("")
    if relative.name == "index" and len(relative.parts) > 1:
        relative = relative.parent
    return "/" + relative.as_posix()


def tag_list(value: Any, fields: FieldReader, key: str = "tags") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(tag.strip() for tag in value.split(",") if tag.strip())
    if isinstance(value, list):
        return tuple(str(tag).strip() for tag in value if tag is not None and str(tag).strip())
    raise ContentError(f"{key} must be a list or a comma-separated string",
                       where=fields.where(key))
