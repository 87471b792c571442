"""The --tag option of `send` and `subscribers`: each value one tag, as a tags cell holds it."""

from __future__ import annotations

import click

NOT_UTF8 = "holds bytes that are not UTF-8 text (check the terminal's or script's encoding)"


def undecodable(value: str) -> bool:
    """Python keeps command-line bytes that are not UTF-8 as lone surrogates, which no store
    takes: the CSV file and PostgreSQL each stopped with a traceback (UnicodeEncodeError)."""
    return any("\ud800" <= char <= "\udfff" for char in value)


def one_tag_each(ctx: click.Context, param: click.Parameter,
                 values: tuple[str, ...]) -> tuple[str, ...]:
    """The tags given, stripped as a cell's are. An empty one is refused (`send --tag ''`
    counted readers it then sent nothing to), and so is one holding a separator: `subscribers
    add --tag 'a,b'` wrote the two tags a and b."""
    from newsletter.subscribers import TAG_SEPARATORS  # on use: --help stays light

    for value in values:
        if not value.strip():
            raise click.BadParameter("a tag cannot be empty", ctx, param)
        if undecodable(value):
            raise click.BadParameter(f"a tag {NOT_UTF8}", ctx, param)
        if separator := next((char for char in TAG_SEPARATORS if char in value), None):
            raise click.BadParameter(
                f"{value!r} holds {separator!r}, which separates tags in the subscriber files; "
                "give each tag its own --tag", ctx, param)
    return tuple(value.strip() for value in values)
