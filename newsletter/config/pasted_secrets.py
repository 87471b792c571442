"""A secret pasted into newsletter.toml, refused before anything else reads the file.

newsletter.toml is committed and shared; secrets come from the environment only. A setting
under a secret's name (``api_key``, ``token``, ``password``, ``SENDGRID_API_KEY``...), or a value
shaped like a provider's key, is refused with the variable it belongs in; so is a key's shape
anywhere in the text (a commented-out line is committed too). The refusal never quotes the
value, whole or in part; the file's other refusals quote values, so this one comes first.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from newsletter.config.catalogue import PROVIDER_SECRETS, SECRET_VARIABLES
from newsletter.config.lines import setting_line
from newsletter.errors import ConfigError

# The shapes providers give their keys, and the variable each belongs in.
_SHAPES = (
    (re.compile(r"SG\.[\w-]{16,}\.[\w-]{16,}"), "SENDGRID_API_KEY"),
    (re.compile(r"re_(?=[A-Za-z_]*\d)[A-Za-z0-9_]{16,}"), "RESEND_API_KEY"),
    (re.compile(r"whsec_[A-Za-z0-9+/=]{16,}"), "RESEND_WEBHOOK_SECRET"),
    (re.compile(r"key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}"), "MAILGUN_API_KEY"),
)
# A Postmark server token is a UUID: only taken for one under [provider], where no setting is.
_POSTMARK = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Words of a setting's name that say it holds a secret (no setting of newsletter's has them).
_SECRET_WORDS = frozenset({"key", "apikey", "token", "secret", "password", "passwd", "pass",
                           "credentials"})
_VARIABLES = {name.lower(): name for name in SECRET_VARIABLES}


def refuse_pasted_secrets(raw: dict[str, Any], text: str, sections: dict[str, type],
                          where: str) -> None:
    """ConfigError, naming the setting, its line and the variable to use, for the first
    setting of ``raw`` that holds a secret."""
    provider = raw.get("provider", {}).get("name") if isinstance(raw.get("provider"), dict) \
        else None
    candidates = PROVIDER_SECRETS.get(provider, ()) if isinstance(provider, str) else ()
    for path, value in _settings(raw):
        variable = _variable_of(path, value, sections, candidates)
        if variable is None:
            continue
        section, key = (path[0], path[-1]) if len(path) > 1 else (None, path[0])
        raise _refusal(f"{'.'.join(path)} holds a secret", setting_line(text, section, key),
                       variable, where)
    for number, written in enumerate(text.splitlines(), 1):  # in a comment, it is in the file
        variable = next((name for shape, name in _SHAPES if shape.search(written)), None)
        if variable:
            raise _refusal("this line holds what looks like a provider's key", number,
                           variable, where)


def _refusal(what: str, line: int | None, variable: str, where: str) -> ConfigError:
    """The refusal of a secret at ``line``, saying where it goes instead: ``variable``."""
    instead = (f"set {variable} in the environment instead" if variable else
               "set it in its environment variable instead (" +
               ", ".join(names[-1] if "SMTP" in names[-1] else names[0]
                         for names in PROVIDER_SECRETS.values() if names) + ": docs/mail.md)")
    return ConfigError(f"{what}, and newsletter.toml is no place for one",
                       where=f"{where}:{line}" if line else where,
                       hint=f"remove it from the file and {instead}; if the file was "
                            "committed or shared, revoke that key and make a new one")


def _settings(table: dict[str, Any], path: tuple[str, ...] = ()
              ) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path of names, value) of every setting, in tables and inline tables at any depth."""
    for name, value in table.items():
        if isinstance(value, dict):
            yield from _settings(value, (*path, name))
        else:
            yield (*path, name), value


def _variable_of(path: tuple[str, ...], value: Any, sections: dict[str, type],
                 candidates: tuple[str, ...]) -> str | None:
    """The variable the secret at ``path`` belongs in ("" when it cannot be told which), or
    None when ``value`` is no secret. ``candidates``: the variables of the provider named;
    the one sharing most words with the setting's name is meant."""
    strings = [value] if isinstance(value, str) else [
        item for item in value if isinstance(item, str)] if isinstance(value, list) else []
    for text in (text.strip() for text in strings):
        shaped = next((name for shape, name in _SHAPES if shape.fullmatch(text)), None)
        if shaped is None and path[0] == "provider" and _POSTMARK.fullmatch(text):
            shaped = "POSTMARK_SERVER_TOKEN"
        if shaped:
            return shaped
    name = path[-1].lower().replace("-", "_")
    section = sections.get(path[0]) if len(path) == 2 else None
    if section is not None and name in {field.rstrip("_") for field in
                                        section.__dataclass_fields__}:
        return None  # a setting of newsletter's own
    if name in _VARIABLES:
        return _VARIABLES[name]
    words = set(name.split("_"))
    if not _SECRET_WORDS & words:
        return None
    if not candidates:
        return ""  # the outbox: which provider's key it is cannot be told
    return max(candidates, key=lambda variable: len(words & set(variable.lower().split("_"))))
