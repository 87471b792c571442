"""An imported row's cells as the reader wrote them: our export's spreadsheet guard and
Excel's text formulas taken off, an address written with its name (``Ann <ann@example.com>``)
taken apart."""

from __future__ import annotations

import re

from newsletter.addresses import bare_address
from newsletter.subscribers.export import FORMULA_STARTS

# Excel's text formula: ="00123" keeps a cell as text (tools that write CSV for Excel use it).
_TEXT_FORMULA = re.compile(r'=\s*"([^"]*)"\s*')


def has_spreadsheet_mark(cells: list[str]) -> bool:
    """True if a cell may hold a spreadsheet's mark: a ``'`` (our export's guard before what a
    spreadsheet would run, a text prefix) or a leading ``=`` (a text formula). Rows without
    either (nearly all) are told so by one search of their joined cells."""
    joined = "".join(cells)
    return ("'" in joined or "=" in joined) and any(
        cell.lstrip()[:1] in ("'", "=") for cell in cells)


def unguard(values: dict[str, str]) -> None:
    """Cells as they were before `subscribers export` guarded them from spreadsheets
    (``'=Ann``, ``'-dash@example.com``): an export imported elsewhere is the same list. A text
    formula (``="Ann"``) is its text."""
    for column, value in values.items():
        if value[:1] == "'" and value[1:2] and value[1:2] in FORMULA_STARTS:
            values[column] = value[1:]
        elif value[:1] == "=" and (text := _TEXT_FORMULA.fullmatch(value)):
            values[column] = text[1]


def unwrap_address(values: dict[str, str]) -> None:
    """``Ann <ann@example.com>`` or ``mailto:ann@example.com`` in the email cell: the address,
    and the name written with it when the row has none."""
    email, shown = bare_address(values.get("email", ""))
    if email != values.get("email", ""):
        values["email"] = email
        if shown and not values.get("name"):
            values["name"] = shown
