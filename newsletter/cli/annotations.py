"""`check --format github`: findings as GitHub Actions workflow commands, so a pull request
shows each one on the line of the post (or template, or setting) it is about.

``::error file=content/posts/x.md,line=9,title=newsletter link-javascript::the link ...``.
Paths are made relative to the current folder (the repository's root in a workflow) when the
site is a folder of it. The values are escaped as the Actions toolkit escapes them: ``%``, CR
and LF in the message; also ``:`` and ``,`` in the properties.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?$")


def github_annotation(finding, site_root: Path, cwd: Path) -> str:
    """One finding as an ``::error`` or ``::warning`` workflow command."""
    properties = []
    where = _LINE.match(finding.where)
    if where and (site_root / where["file"]).is_file():
        properties.append(f"file={_property(_from(cwd, site_root / where['file']))}")
        if where["line"]:
            properties.append(f"line={where['line']}")
        text = finding.message
    else:  # about the environment or the site as a whole: no file to point at
        text = f"{finding.where}: {finding.message}"
    properties.append(f"title={_property('newsletter ' + finding.code)}")
    if finding.hint:
        text += f"; {finding.hint}"
    return f"::{finding.severity} {','.join(properties)}::{_data(text)}"


def _from(cwd: Path, path: Path) -> str:
    path = path.resolve()
    try:
        return path.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return os.fspath(path)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
