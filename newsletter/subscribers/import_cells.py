"""An imported row's cells as the reader wrote them: our export's spreadsheet guard taken off,
an address written with its name (``Ann <ann@example.com>``) taken apart."""

from __future__ import annotations

from newsletter.addresses import bare_address
from newsletter.subscribers.export import FORMULA_STARTS


def has_guard(cells: list[str]) -> bool:
    """True if a cell holds our export's guard: a ``'`` before what a spreadsheet would run.
    Rows without a ``'`` (nearly all) are told so by one search of their joined cells."""
    return "'" in "".join(cells) and any(
        cell.lstrip()[:1] == "'" and cell.lstrip()[1:2] in FORMULA_STARTS for cell in cells)


def unguard(values: dict[str, str]) -> None:
    """Cells as they were before `subscribers export` guarded them from spreadsheets
    (``'=Ann``, ``'-dash@example.com``): an export imported elsewhere is the same list."""
    for column, value in values.items():
        if value[:1] == "'" and value[1:2] and value[1:2] in FORMULA_STARTS:
            values[column] = value[1:]


def unwrap_address(values: dict[str, str]) -> None:
    """``Ann <ann@example.com>`` or ``mailto:ann@example.com`` in the email cell: the address,
    and the name written with it when the row has none."""
    email, shown = bare_address(values.get("email", ""))
    if email != values.get("email", ""):
        values["email"] = email
        if shown and not values.get("name"):
            values["name"] = shown
