"""How services write one reader's cells, read in our terms: a name in parts, tags as lists
or quoted names, truth values as Excel re-saves them, a status by a format's table (our own
words for who is not mailed meaning that in any of them).
"""

from __future__ import annotations

import ast
import csv
import json
import re
from typing import Iterable, Mapping

from newsletter.records import record
from newsletter.subscribers.rows import TAG_SEPARATORS, Status, split_tags

Values = Mapping[str, str]  # one row's cells by header name, lower-cased and trimmed
ACTIVE, UNSUBSCRIBED, BOUNCED, COMPLAINED, UNCONFIRMED = (
    Status.ACTIVE, Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED, Status.UNCONFIRMED)
# With the words Excel saves a cell it took for a truth value in, in German, French, Spanish,
# Italian and Dutch (a Ghost export re-saved there says WAHR and FALSCH).
TRUE = frozenset({"true", "yes", "1", "wahr", "vrai", "verdadero", "vero", "waar"})
FALSE = frozenset({"false", "no", "0", "falsch", "faux", "falso", "onwaar"})


class UnknownStatus(ValueError):
    """A status value the format does not define."""


@record(frozen=True)
class Reading:
    """One row of an export, in our terms."""

    email: str
    status: Status
    name: str = ""
    tags: tuple[str, ...] = ()
    subscribed_at: str = ""


def first(values: Values, *names: str) -> str:
    """The first non-empty cell among ``names``."""
    return next((values[name] for name in names if values.get(name)), "")


def full_name(values: Values, first_name: str, last_name: str) -> str:
    return " ".join(part for part in (values.get(first_name, ""), values.get(last_name, ""))
                    if part)


# A name in parts, as spreadsheets and mailing tools write it (in English, German, French,
# Spanish, Italian and Dutch): the first cell of each found.
NAME_PARTS = (("first name", "first_name", "firstname", "given name", "given_name", "vorname",
               "prénom", "prenom", "nombre", "nome", "voornaam"),
              ("last name", "last_name", "lastname", "surname", "family name", "family_name",
               "nachname", "familienname", "nom", "nom de famille", "apellidos", "apellido",
               "cognome", "achternaam"))


def name_in_parts(values: Values) -> str:
    """The name of a row that has no name column but a first and a last name."""
    return " ".join(part for part in (first(values, *names) for names in NAME_PARTS) if part)


def parse_tags(text: str) -> tuple[str, ...]:
    """A cell of tags as services write them: a JSON or Python list (``["a", "b"]``,
    ``['a']``), quoted names (Mailchimp's ``"a","b"``), or names separated by , ; or |."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        for parse in (json.loads, ast.literal_eval):
            try:
                items = parse(text)
            except (ValueError, SyntaxError, RecursionError, MemoryError):
                continue
            if isinstance(items, list):
                return whole_tags(str(item) for item in items)
        text = text[1:-1]
    if text.startswith('"'):
        return whole_tags(next(csv.reader([text], skipinitialspace=True), []))
    return split_tags(text)


_IN_A_NAME = re.compile(rf"[\s{re.escape(TAG_SEPARATORS)}]+")  # spaces and tag separators


def whole_tags(names: Iterable[str]) -> tuple[str, ...]:
    """Tags named one by one, each kept one tag: a , ; or | inside a name ("Paid, annual")
    would make two of it in our tags cell (and a send to "annual" reach them), so it is a
    space ("Paid annual")."""
    tags = (" ".join(_IN_A_NAME.split(name)).strip() for name in names)
    return tuple(tag for tag in tags if tag)


def boolean(values: Values, column: str) -> bool:
    text = values.get(column, "").lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise UnknownStatus(f"{column} {values.get(column, '')!r}")


# Our words for who is not mailed mean that in any export: a row saying "unsubscribed" where
# the format's table has another word for it (a file read as Kit's, whose leavers are
# "cancelled") was reported and dropped, and its reader, active here, stayed so.
NOT_MAILED = {status.value: status for status in (UNSUBSCRIBED, BOUNCED, COMPLAINED, UNCONFIRMED)}


def mapped(table: Mapping[str, Status], values: Values, column: str) -> Status:
    text = values.get(column, "").lower()
    status = table.get(text, NOT_MAILED.get(text))
    if status is None:
        raise UnknownStatus(f"{column} {values.get(column, '')!r}")
    return status
