"""A Hugo site's settings as ``hugo`` builds the site (gohugo.io/configuration/introduction).

The root file (``hugo.*``, else ``config.*``), then the configuration directory: ``config/_default/``
and the environment's ``config/production/`` over it (``hugo`` builds for production, unless the
deploy names another: hugo_build.py), then what the deploy sets (``HUGO_BASEURL``, ``-b``).
There a file's name is its root key (``params.toml`` is ``[params]``) and a language code before
the extension puts it under that language (``menus.en.toml`` is ``[languages.en.menus]``,
``languages.en.toml`` is ``[languages.en]``), as Blowfish and Congo lay their settings out. The
default language's own settings (its ``title``, ``params``, ``languageCode``) are the site's, as
they are for the pages Hugo builds in that language. Content mounted with ``[[module.mounts]]``
(``source = "content/en"``, ``target = "content"``, ``lang = "en"``) is that language's
``contentDir``. Keys are in lower case.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.generators.settings_files import first_file, lower_keys, read_data

FORMATS = ("toml", "yaml", "yml", "json")
ROOT_NAMES = tuple(f"{name}.{ext}" for name in ("hugo", "config") for ext in FORMATS)


def read_config(root: Path, build: dict[str, Any] | None = None, *,
                themes: bool = True) -> dict[str, Any]:
    """The site's settings under ``root``, merged as Hugo merges them; ``build``: what the
    deploy sets over them (its ``environment``, production by default, ``baseurl``, ...);
    ``themes``: with the ``params`` of its themes under its own."""
    config: dict[str, Any] = {}
    build = build or {}
    found = first_file(root, *ROOT_NAMES)
    if found:
        _merge(config, _read(found))
    for environment in ("_default", build.get("environment") or "production"):
        folder = root / "config" / environment
        files = [path for path in folder.glob("*.*") if path.suffix[1:] in FORMATS]
        for path in sorted(files, key=lambda path: (path.stem.lower() not in ("hugo", "config"),
                                                    path.name)):
            _merge(config, _keyed(path.stem.lower(), _read(path)))
    _mounted_content(config)
    default = str(config.get("defaultcontentlanguage") or "en").lower()
    languages = config.get("languages")
    own = languages.get(default) if isinstance(languages, dict) else None
    if isinstance(own, dict):
        _merge(config, own)
    _merge(config, {key: value for key, value in build.items() if key != "environment"})
    if themes:
        _theme_params(root, config, build)
    return config


def settings_source(root: Path, evidence: str | None, build: dict[str, Any],
                    build_file: str | None) -> str | None:
    """What ``init`` names the settings after: the file Hugo was found by, the build's
    environment folder (``config/production``) where it holds settings, the deploy's file."""
    folder = f"config/{build.get('environment') or 'production'}"
    held = any(path.suffix[1:] in FORMATS for path in (root / folder).glob("*.*"))
    named = [name for name in (evidence, folder if held else None, build_file) if name]
    if len(named) < 3:
        return " and ".join(named) or None
    return f"{', '.join(named[:-1])} and {named[-1]}"


def _theme_params(root: Path, config: dict[str, Any], build: dict[str, Any]) -> None:
    """The ``params`` of the site's themes (``theme``, in ``themesDir``; a module it imports,
    vendored in ``_vendor/`` by ``hugo mod vendor``) under the site's own, the first theme's
    over the next, as Hugo merges them: Stack's ``mainSections = ["post"]`` in its
    config/_default/params.toml is the site's where the site sets none. A theme folder outside
    the site, or missing (a module not vendored), is not read; nor is ``theme.toml``, which
    Hugo reads only for the theme's description."""
    params: dict[str, Any] = {}
    for theme in reversed(_theme_folders(root, config)):
        if theme.is_dir() and theme.resolve().is_relative_to(root.resolve()):
            found = read_config(theme, {"environment": build.get("environment")},
                                themes=False).get("params")
            _merge(params, found if isinstance(found, dict) else {})
    if params:
        own = config.get("params")
        _merge(params, own if isinstance(own, dict) else {})
        config["params"] = params


def _theme_folders(root: Path, config: dict[str, Any]) -> list[Path]:
    """The folders of the site's themes and imported modules, the first over the next."""
    names = config.get("theme")
    names = [names] if isinstance(names, str) else names if isinstance(names, list) else []
    folder = root / str(config.get("themesdir") or "themes").strip()
    module = config.get("module") if isinstance(config.get("module"), dict) else {}
    imports = module.get("imports") if isinstance(module.get("imports"), list) else []
    paths = [entry.get("path") if isinstance(entry, dict) else entry for entry in imports]
    return [folder / str(name).strip() for name in names if str(name).strip()] + [
        root / "_vendor" / str(path).strip().strip("/") for path in paths
        if isinstance(path, str) and path.strip().strip("/") and ".." not in path]


def base_name(stem: str, config: dict[str, Any]) -> str:
    """``post`` of ``post.en``: a language code ends a file's name only when it is one of
    the site's languages (``v2.0``, ``notes.fr`` on a site in English, keep theirs)."""
    name, _, code = stem.rpartition(".")
    languages = config.get("languages")
    known = {str(config.get("defaultcontentlanguage") or "en").lower(),
             *(str(code).lower() for code in (languages if isinstance(languages, dict) else ()))}
    return name if name and code.lower() in known else stem


def _mounted_content(config: dict[str, Any]) -> None:
    """``[[module.mounts]]`` whose target is ``content`` as the ``contentDir`` they stand for
    (a language's, with ``lang``): Hugo reads the pages there instead of ``content/``. A
    source outside the site folder, or mounted below ``content/``, is not followed."""
    module = config.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    for mount in mounts if isinstance(mounts, list) else ():
        if not isinstance(mount, dict) or str(mount.get("target", "")).strip("/") != "content":
            continue
        source = str(mount.get("source") or "").strip().strip("/")
        if not source or source.startswith("..") or Path(source).is_absolute():
            continue
        language = str(mount.get("lang") or "").lower()
        table = config.setdefault("languages", {}).setdefault(language, {}) if language \
            else config
        if isinstance(table, dict):
            table.setdefault("contentdir", source)


def _read(path: Path) -> dict[str, Any]:
    return lower_keys(read_data(path, yaml_1_2=True) or {})


def _keyed(stem: str, data: dict[str, Any]) -> dict[str, Any]:
    """A configuration directory file's settings as root keys: ``params``, ``menus.en``, ..."""
    key, _, language = stem.partition(".")
    if key in ("hugo", "config"):
        return data
    if not language:
        return {key: data}
    return {"languages": {language: data if key == "languages" else {key: data}}}


def _merge(into: dict[str, Any], update: dict[str, Any]) -> None:
    """``update`` over ``into``, tables merged key by key (``[params]`` from two files)."""
    for key, value in update.items():
        if isinstance(value, dict):
            if not isinstance(into.get(key), dict):
                into[key] = {}
            _merge(into[key], value)
        else:
            into[key] = value


def translation_language(relative: PurePosixPath, config: dict[str, Any]) -> str | None:
    """The language of ``x.fr.md`` when it is not the site's default language."""
    stem = relative.stem
    if "." not in stem:
        return None
    code = stem.rpartition(".")[2].lower()
    languages = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    default = str(config.get("defaultcontentlanguage") or "en").lower()
    return None if code == default or code not in languages else code


def ignored_patterns(config: dict[str, Any]) -> tuple[re.Pattern, ...]:
    """``ignoreFiles``: regular expressions of the files' absolute paths Hugo leaves out (one
    Python cannot read is passed over)."""
    written = config.get("ignorefiles")
    compiled = []
    for pattern in written if isinstance(written, list) else [written] if written else []:
        try:
            compiled.append(re.compile(str(pattern)))
        except re.error:
            continue
    return tuple(compiled)


def main_sections(config: dict[str, Any]) -> list[str]:
    """``mainSections``: in ``[params]`` (as themes read it), or at the top."""
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    main = params.get("mainsections") or config.get("mainsections")
    if isinstance(main, str):
        main = [main]
    return [str(section).strip("/") for section in main or [] if str(section).strip("/")]
