"""Options that take a number of seconds."""

from __future__ import annotations

import math

import click


def a_number(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """NaN passes every range (no comparison with it holds): a timer set to it never ends,
    a duration made of it fails."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a number of seconds", ctx, param)
    return value
