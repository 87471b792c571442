"""How a refusal of newsletter.toml names what it refuses: the line, and the name meant.

tomllib gives values without positions. The settings file is short and written by hand, so the
line of ``key =`` inside ``[section]`` is found by reading the text again; a key written another
way (a dotted key, an inline table) is not found, and the refusal names the file alone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
import tomllib
from pathlib import Path

from newsletter.config.sections import SECTIONS
from newsletter.errors import ConfigError, NewsletterError

_TABLE = re.compile(r"""^[ \t]*\[\[?[ \t]*["']?(?P<name>[^\]\n"']*?)["']?[ \t]*\]""",
                    re.MULTILINE)
# "site.url", "email.from", "provider.batch-size" in a refusal's message: the setting it is about
_SETTING = re.compile(r"(?<![\w.\[{])(?P<section>[a-z]+)\.(?P<key>[\w-]+)")


def setting_line(text: str, section: str | None, key: str | None = None) -> int | None:
    """The line of ``key =`` in the table ``[section]`` (of the table's own line when ``key`` is
    None; of a key above every table when ``section`` is None), or None."""
    tables = list(_TABLE.finditer(text))
    if section is None:
        start, end = 0, tables[0].start() if tables else len(text)
    else:
        index = next((i for i, table in enumerate(tables) if table["name"] == section), None)
        if index is None:
            return None
        if key is None:
            return _line_of(text, tables[index].start())
        start = tables[index].end()
        end = tables[index + 1].start() if index + 1 < len(tables) else len(text)
    found = re.compile(rf"""^[ \t]*["']?{re.escape(key or "")}["']?[ \t]*=""",
                       re.MULTILINE).search(text, start, end)
    return _line_of(text, found.start()) if found else None


def located(error: NewsletterError, text: str, sections) -> NewsletterError:
    """``error`` with the line of the setting its message names added to its file, when the
    file's text shows where that setting is (else the error as it was)."""
    named = next((found for found in _SETTING.finditer(error.message)
                  if found["section"] in sections), None)
    if named is None or error.where is None or ":" in error.where:
        return error
    line = (setting_line(text, named["section"], named["key"].rstrip("_"))
            or setting_line(text, named["section"]))
    if line is not None:
        error.where = f"{error.where}:{line}"
    return error


def with_setting_line(error: BaseException, path: Path) -> BaseException:
    """``error`` with the line of the setting it names, when it is a refusal naming the
    settings file ``path`` without one (raised after the settings loaded: by a provider, a
    send); else ``error`` as it was."""
    if not isinstance(error, NewsletterError) or error.where != path.name:
        return error
    try:
        if not path.is_file() or path.stat().st_size > 2**20:
            return error
        text = path.read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return error
    return located(error, text, SECTIONS)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def did_you_mean(name: str, choices, form: str) -> str:
    """The start of a hint: the known name closest to a misspelt ``name`` (``form`` shows it,
    e.g. "[{}]"), or a plain "check the spelling"."""
    close = difflib.get_close_matches(name.lower().replace("-", "_"), list(choices), n=1)
    return f"did you mean {form.format(close[0])}? " if close else "check the spelling; "


def parse_toml(text: str, name: str) -> dict:
    """``text``, the settings file ``name``, read as TOML; ConfigError naming the line (where
    tomllib or :func:`long_number` tells it) when it does not read."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(exc))
        problem, line = (str(exc)[:found.start()], int(found.group(1))) if found else (exc, 0)
        message, hint = toml_problem(str(problem), text, line)
        raise ConfigError(message, where=f"{name}:{line}" if line else name, hint=hint) from None
    except RecursionError:  # tomllib recurses once per level: [[[[... thousands deep
        raise ConfigError("is nested too deeply to read (brackets inside brackets thousands "
                          "deep)", where=name, hint="write its values flat, as key = value "
                          "lines") from None
    except ValueError:  # no TOML syntax error: a number too long for Python to read
        if (found := long_number(text)) is None:
            raise
        raise ConfigError(found[1], where=f"{name}:{found[0]}", hint=found[2]) from None


def toml_problem(problem: str, text: str, line: int) -> tuple[str, str | None]:
    """The message and hint for tomllib's ``problem`` at ``line`` of ``text``: a key or a table
    written twice is named, as tomllib does not."""
    written = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    key = re.match(r"""[ \t]*["']?([\w-]+)["']?[ \t]*=""", written)
    table = _TABLE.match(written)
    if problem.startswith("Cannot overwrite a value") and key:
        return (f"{key[1]} is set a second time (not valid TOML)",
                "keep one of the two lines")
    if problem.startswith(("Cannot declare", "Cannot overwrite")) and table:
        return (f"[{table['name']}] is written a second time (not valid TOML)",
                "put its settings under the first one and remove this one")
    if key and (day := _DATE_VALUE.match(written, key.end())) and not _real_date(day):
        return (f"{key[1]} = {'-'.join(day.groups())} is no date on the calendar (not valid "
                "TOML)",
                "write it as YYYY-MM-DD, a month 01-12 and a day that month has")
    hint = next((hint for start, hint in _TOML_HINTS if problem.startswith(start)), None)
    return f"not valid TOML ({problem})", hint


# A TOML date (maybe with a time) after `key =`: one that is no day (2026-13-01, 2026-02-30)
# made tomllib say only "Expected newline or end of document after a statement".
_DATE_VALUE = re.compile(r"[ \t]*(\d{4})-(\d{2})-(\d{2})")


def _real_date(found: re.Match) -> bool:
    try:
        dt.date(*map(int, found.groups()))
    except ValueError:
        return False
    return True


# What a writer most often got wrong, by the start of tomllib's message.
_TOML_HINTS = (
    ("Invalid value", 'put text in quotes (name = "postmark"); true and false are in lower case'),
    ("Illegal character '\\n'", "close the quote before the end of the line"),
    ("Invalid hex value", "a backslash starts an escape between double quotes: write \\\\, "
                          "or put the text in single quotes"),
    ("Unescaped '\\' in a string", "write \\\\, or put the text in single quotes"),
)


_DIGIT_RUN = re.compile(r"\d[\d_]*")  # TOML may write 1_000 for 1000


def long_number(text: str) -> tuple[int, str, str] | None:
    """(line, problem, hint) of the first whole number in ``text`` longer than Python turns
    into an int (``sys.get_int_max_str_digits()``, 4,300 digits, against quadratic-time
    reading), else None. tomllib, json and PyYAML then raise a bare ValueError, none of their
    syntax errors, so each reader of such text asks this to say where."""
    limit = sys.get_int_max_str_digits()
    for found in _DIGIT_RUN.finditer(text) if limit else ():
        digits = len(found.group()) - found.group().count("_")
        if digits > limit:
            return (_line_of(text, found.start()),
                    f"a number of {digits:,} digits (at most {limit:,} are read)",
                    "put it in quotes if it is text, else shorten it")
    return None
