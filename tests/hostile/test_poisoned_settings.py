"""Poisoned numbers in newsletter.toml: nan, inf and absurd values are refused at load time."""

from __future__ import annotations

import math
import typing
from dataclasses import fields

import pytest
from conftest import invoke

from newsletter.config.sections import SECTIONS


def set_value(site, section: str, line: str) -> int:
    """Write ``line`` first under ``[section]``; its line number."""
    path = site / "newsletter.toml"
    text = path.read_text()
    if f"[{section}]" not in text:
        text += f"\n[{section}]\n"
    path.write_text(text.replace(f"[{section}]", f"[{section}]\n{line}", 1))
    return path.read_text().splitlines().index(line) + 1


@pytest.mark.parametrize("line", [
    "timeout = nan", "timeout = inf", "timeout = -inf", "rate_limit = nan", "rate_limit = inf",
    "concurrency = 0", "concurrency = 100000", "batch_size = -5", "timeout = 0",
    "timeout = 1e400", "port = 70000",
    "timeout = 1" + "0" * 400,  # an integer too large for a float
])
def test_a_poisoned_number_is_refused_at_load_in_one_line_naming_the_key(site, line):
    number = set_value(site, "provider", line)
    result = invoke(site, "posts")
    key = "provider." + line.split(" = ")[0]
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"error: newsletter.toml:{number}: {key} must be from ")
    assert "Traceback" not in result.output


def test_schedule_numbers_are_held_to_their_range_too(site):
    number = set_value(site, "schedule", "max_posts_per_run = 100000")
    result = invoke(site, "posts")
    assert result.exit_code == 2
    assert result.output == (f"error: newsletter.toml:{number}: schedule.max_posts_per_run must be "
                             "from 1 to 100 posts, not 100000\n")


def test_every_numeric_setting_declares_its_range():
    # The loader refuses nan and inf everywhere, but only a declared range keeps a value sane.
    for name, section in SECTIONS.items():
        hints = typing.get_type_hints(section)
        for spec in fields(section):
            kinds = set(typing.get_args(hints[spec.name])) or {hints[spec.name]}
            if kinds & {int, float} and bool not in kinds:
                allowed = spec.metadata.get("range")
                assert allowed is not None, f"{name}.{spec.name} declares no range"
                assert math.isfinite(allowed.low) and math.isfinite(allowed.high)


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_a_since_outside_the_years_1_to_9999_in_utc_is_refused_at_its_line(site, since):
    """TOML reads both, but neither is a moment in UTC: `send --due --dry-run` stopped with an
    OverflowError traceback as it showed the plan."""
    path = site / "newsletter.toml"
    lines = [f"since = {since}" if line.startswith("since =") else line
             for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    number = lines.index(f"since = {since}") + 1
    result = invoke(site, "send", "--due", "--dry-run")
    assert result.exit_code == 2
    assert result.output == (
        f"error: newsletter.toml:{number}: schedule.since {since.replace('T', ' ')} is before the "
        "year 1 or after 9999 in UTC or the site's time zone; check the year\n")
