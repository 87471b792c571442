"""The example post's message through SpamAssassin with its local rules only (`spamassassin -t -L`,
Debian's package; `.ci/run` installs it): it scores at most 0, with no rule adding points.

The message as this tool built it before (the preheader coloured transparent, the address in
the unsubscribe URL) scored +1.7; it is checked too, so the test shows it can tell them apart.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import invoke

RULE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s", re.MULTILINE)


def spamassassin(message: bytes, home) -> tuple[float, dict[str, float]]:
    """(score, {rule: points}) of ``message``, network tests off."""
    result = subprocess.run(["spamassassin", "-t", "-L"], input=message, capture_output=True,
                            timeout=120, env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    report = result.stdout.decode("utf-8", "replace")
    score = re.search(r"Content analysis details:\s+\((-?[\d.]+) points", report)
    assert score, report[-2000:]
    details = report[score.end():]
    return float(score.group(1)), {rule: float(points) for points, rule in RULE.findall(details)}


def example_message(site) -> bytes:
    assert invoke(site, "preview", "what-matters").exit_code == 0
    return (site / "preview" / "what-matters" / "message.eml").read_bytes()


def test_the_example_post_scores_at_most_zero_with_no_positive_rule(site, tmp_path):
    score, rules = spamassassin(example_message(site), tmp_path)
    assert score <= 0, rules
    assert {rule: points for rule, points in rules.items() if points > 0} == {}


@pytest.mark.parametrize("rule, old, new, where", [
    ("HTML_FONT_LOW_CONTRAST", "line-height:1px; mso-hide:all;",
     "line-height:1px; color:transparent; mso-hide:all;", "templates/email.html"),
    ("GB_CUSTOM_HTM_URI", "unsubscribe/{token}", "unsubscribe?email={email}&token={token}",
     "newsletter.toml"),
])
def test_what_the_check_warns_about_is_what_spamassassin_scores(site, tmp_path, rule, old, new,
                                                                where):
    path = site / where
    path.write_text(path.read_text().replace(old, new))
    score, rules = spamassassin(example_message(site), tmp_path)
    assert rules.get(rule, 0) > 0 and score > 0
    checked = invoke(site, "check", "what-matters")
    assert checked.exit_code == 1 and checked.stdout.startswith(f"warning: {where}")
