"""Findings about newsletter.toml itself, before any post: settings still at the example values
`newsletter init` wrote, and an SMTP provider with no server named. Each is an error whatever
the provider: a test send to oneself through the outbox is where the writer should find out.
A blog whose generator would publish newsletter's own files (Jekyll copies every folder it is
not told to exclude, the reader list too) is a warning; a settings file of the blog's that does
not read (Jekyll's _config.yml) is an error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, error, warning
from newsletter.check.sources import settings_source
from newsletter.generators import Generator, site_layout
from newsletter.scaffold import PRIVATE, placeholders_in

if TYPE_CHECKING:
    from newsletter.config import Settings


def settings_findings(settings: Settings) -> list[Finding]:
    """Every placeholder left in the settings, and an SMTP server that was never named."""
    source = settings_source(settings)

    def value_of(section: str, key: str):
        return getattr(getattr(settings, section), "from_" if key == "from" else key, None)

    found = [error("setting-placeholder", source.setting_where(p.section, p.key),
                   f"{p.name} is still the example value newsletter init wrote ({value!r})",
                   f"write {p.wanted} there")
             for p, value in placeholders_in(value_of)]
    where_host = source.setting_where("provider", "host")
    if settings.provider.name == "smtp" and where_host == source.name:  # no host = line
        found.append(error("provider-setup", where_host,
                           "provider.host is not set: smtp would send through localhost",
                           'name the SMTP server, e.g. host = "smtp.example.com" '
                           '(or host = "localhost" for a server on this machine)'))
    generator = site_layout(settings).generator
    unreadable = unreadable_settings_finding(generator)  # then what it publishes is unknown
    found += [unreadable] if unreadable else filter(None, [published_finding(generator)])
    return found + generator_setting_findings(generator) + dirs_findings(settings)


def generator_setting_findings(generator: Generator) -> list[Finding]:
    """A warning for each setting the blog is built with otherwise than its writer meant (a
    Jekyll ``timezone`` naming no zone)."""
    return [warning("site-setting-ignored", where, what, hint)
            for where, what, hint in generator.settings_warnings()]


def unreadable_settings_finding(generator: Generator) -> Finding | None:
    """An error when the blog's settings file does not read (a tab in Jekyll's
    _config.yml): the generator would not build the blog, and the posts' addresses come
    from that file."""
    problem = generator.settings_problem()
    if problem is None:
        return None
    where, what, hint = problem
    return error("site-settings-unreadable", where,
                 f"{what}: {generator.label} cannot build the blog, and newsletter reads the "
                 "posts' addresses from it", hint or f"fix {where.partition(':')[0]}")


def dirs_findings(settings: Settings) -> list[Finding]:
    """A warning for each of ``[posts] dirs`` that names nothing in the site: a misspelt folder
    reads no post, and the blog's posts may be listed as its pages."""
    where = settings_source(settings).setting_where("posts", "dirs")
    return [warning("posts-dirs", where, f"posts.dirs {pattern!r} names nothing in the site, so "
                    "no post is read from it", "check the folder's name, or remove it")
            for pattern in settings.posts.dirs or ()
            if not _names_something(settings.root, pattern)]


def _names_something(root: Path, pattern: str) -> bool:
    """Whether a ``[posts] dirs`` entry names a file or folder: a glob matches one, or a
    path (``.``, the site itself, which ``Path.glob`` cannot take) is there."""
    if any(char in pattern for char in "*?["):
        return any(root.glob(pattern.strip("/")))
    return (root / pattern.strip("/")).exists()


def published_finding(generator: Generator) -> Finding | None:
    """A warning when the blog's generator copies newsletter's files into the built site."""
    published = generator.publishes(PRIVATE)
    if not published:
        return None
    file = generator.settings_file
    listed = (f"exclude = [{', '.join(map(json.dumps, published))}]" if file.endswith(".toml")
              else f"exclude: [{', '.join(published)}]")
    return warning("site-publishes-readers", file,
                   f"{generator.label} copies {', '.join(published)} into the built site as "
                   "they are: the reader list, the settings and the mail would be on the web",
                   f"list them under exclude in {file} ({listed})")
