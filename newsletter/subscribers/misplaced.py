"""Rows whose status may not be in the status column: never guessed, never sent to.

A hand edit that adds a cell (``ann@x,Ann Lee,,unsubscribed``) or a separator in an unquoted
cell (``Lee, Ann``) moves the cells after it from under their names: the reader's
"unsubscribed" lands in the tags column, or past the header, and the empty cell under
``status`` reads as active. Such a row suppresses its address and is reported until it is
fixed, on every path that reads the list.
"""

from __future__ import annotations

from newsletter.subscribers.csv_format import Layout

# Statuses that keep a reader from being mailed, as a cell other than the status may say them.
NOT_MAILED = frozenset({"unsubscribed", "bounced", "complained", "unconfirmed"})


def might_say_left(cells: list[str]) -> bool:
    """False when no cell of ``cells`` can say one of NOT_MAILED (each ends in "ed"): most
    rows, told in three C calls; reading.record_cells asks it inline of every row whose status
    cell is empty (as a call, it made reading such a list a third dearer)."""
    return "ed" in "\0".join(cells).lower()


def out_of_place(layout: Layout, cells: list[str]) -> str:
    """Why the status of ``cells`` (a record of a file laid out as ``layout``) is a guess, or
    "": cells past the header's that hold something, or an empty status cell while another
    cell says the reader is not to be mailed."""
    if spilled := past_header(layout, cells):
        return spilled
    if not might_say_left(cells):
        return ""
    at = layout.position("status")
    if at is not None and at < len(cells) and cells[at].strip():
        return ""
    for index, cell in enumerate(cells):
        if cell.strip().lower() in NOT_MAILED:
            return (f"the status cell is empty but column {layout.column_name(index)!r} says "
                    f"{cell.strip()!r}")
    return ""


def past_header(layout: Layout, cells: list[str]) -> str:
    """Why ``cells`` do not fit under the header's names (some past it hold something), or ""."""
    width = len(layout.columns)
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        names = "the header names" if layout.header else "a list without a header has"
        return f"{len(cells)} cells where {names} {width}"
    return ""
