"""Findings: what the preflight check reports about a post, a template or the site's settings.

Each finding has a severity (an ``error`` blocks sending, a ``warning`` informs), a stable
``code`` that scripts and the docs refer to (``link-javascript``), where it is (``file:line`` of
the post, a template or newsletter.toml), what is wrong, and how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from enum import StrEnum
from typing import Iterable

from newsletter.records import record

MAX_TEXT = 500  # characters of a message or hint
# Control characters (C0, DEL, C1) and line or paragraph separators: a finding is one line.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The user and password of a URL (https://user:password@host/, a token as the user): a
# finding quotes the URL, and its output goes to CI logs; up to the host's last @.
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/?#\s]*@")


class Severity(StrEnum):
    """How much a finding matters."""

    ERROR = "error"  # sending this post would mail something broken: `send` refuses
    WARNING = "warning"  # worth a look; `send` prints it and goes on


@record(frozen=True)
class Finding:
    """One thing the check found."""

    severity: Severity
    code: str
    where: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        """``severity: where: code: message; hint`` on one line."""
        return f"{self.severity}: {self.line()}"

    def line(self) -> str:
        """``where: code: message; hint`` on one line."""
        text = f"{self.where}: {self.code}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, str | None]:
        """The finding as plain JSON values."""
        return {**asdict(self), "severity": self.severity.value}


def error(code: str, where: str, message: str, hint: str | None = None) -> Finding:
    """A finding that blocks sending."""
    return finding(Severity.ERROR, code, where, message, hint)


def warning(code: str, where: str, message: str, hint: str | None = None) -> Finding:
    """A finding that informs."""
    return finding(Severity.WARNING, code, where, message, hint)


def finding(severity: Severity, code: str, where: str, message: str,
            hint: str | None = None) -> Finding:
    """A finding whose texts are safe to print: they quote posts, which may hold anything (a
    terminal escape sequence in a link's text, a URL of a megabyte, a URL's password)."""
    return Finding(severity, code, _printable(where), _printable(message),
                   _printable(hint) if hint else None)


def without_credentials(text: str) -> str:
    """``text`` with the user and password of each URL in it shown as ``***``."""
    return _URL_CREDENTIALS.sub("***@", text)


def _printable(text: str) -> str:
    text = without_credentials(_UNPRINTABLE.sub("\ufffd", text))
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "\u2026"


def errors_in(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block sending."""
    return [finding for finding in findings if finding.severity is Severity.ERROR]


def exit_status(findings: Iterable[Finding], *, strict: bool = False) -> int:
    """0 when clean, 1 for warnings only (2 if ``strict``), 2 for errors."""
    severities = {finding.severity for finding in findings}
    if Severity.ERROR in severities:
        return 2
    if Severity.WARNING in severities:
        return 2 if strict else 1
    return 0


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then by file and line, without repeats."""
    return sorted(dict.fromkeys(findings), key=_order)


def _order(finding: Finding) -> tuple:
    file, _, line = finding.where.partition(":")
    number = int(line) if re.fullmatch(r"\d+", line) else 0
    return finding.severity is not Severity.ERROR, file, number, finding.code, finding.message
