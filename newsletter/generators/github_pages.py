"""Where GitHub Pages publishes a Jekyll site whose ``_config.yml`` names no ``url``.

Sites GitHub Pages builds leave ``url`` out: jekyll-github-metadata fills in ``site.url`` (and
``site.baseurl``, where the settings leave it empty) from the repository. So the address is
``https://`` and the custom domain a ``CNAME`` file names; else, for a repository cloned from
github.com (its ``origin`` remote), ``https://<owner>.github.io``, under ``/<repository>``
unless the repository is ``<owner>.github.io`` itself. Only the git settings file is read;
no git command is run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsletter.generators.base import url_path
from newsletter.generators.settings_files import read_text

# A host name, as GitHub Pages' CNAME file holds one (blog.example.org)
_HOST = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+")
# The "origin" remote's section of a git config file, and the url in it
_ORIGIN = re.compile(r'^[ \t]*\[remote "origin"\][ \t]*$(.*?)(?=^[ \t]*\[|\Z)', re.M | re.S)
_URL = re.compile(r"^[ \t]*url[ \t]*=[ \t]*(\S+)[ \t]*$", re.M)
# A repository on github.com, as git clones it: https://github.com/o/r(.git), git@github.com:o/r
_GITHUB = re.compile(r"(?:https?://(?:[^@/\s]+@)?|ssh://git@|git@)github\.com[:/]"
                     r"([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([\w.-]{1,100}?)(?:\.git)?/?",
                     re.IGNORECASE)
_ADDRESS = re.compile(r"https?://[^/\s]+(?:/\S*)?", re.IGNORECASE)
_GIT_FOLDER_LEVELS = 6  # the site may be a folder (docs/) of the repository


def published_url(root: Path, config: dict[str, Any], source: str | None
                  ) -> tuple[str | None, str | None]:
    """The site's address with its ``baseurl``, and the files it is read from. A ``baseurl``
    that is a whole address (``https://host/blog``, as older sites wrote it for themes linking
    ``{{ site.baseurl }}{{ post.url }}``) is the address."""
    url, baseurl = config.get("url"), config.get("baseurl")
    if isinstance(baseurl, str) and _ADDRESS.fullmatch(baseurl.strip()):
        return baseurl.strip().rstrip("/"), source
    baseurl = baseurl.strip("/") if isinstance(baseurl, str) else ""
    if not (isinstance(url, str) and url.strip()):
        if url := _cname_domain(root):
            source = "_config.yml and CNAME"
        elif found := _repository(root):
            owner, repository = found
            url, source = f"https://{owner}.github.io", "_config.yml and its GitHub repository"
            if repository != f"{owner}.github.io":
                baseurl = baseurl or repository
    # Beautiful Jekyll's old settings wrote the path in both (url: https://o.github.io/kites,
    # baseurl: /kites); its pages link relative_url, the path once
    if isinstance(url, str) and url.strip() and baseurl and \
            not url.strip().rstrip("/").endswith("/" + baseurl):
        url = url.rstrip("/") + "/" + baseurl
    return url, source


def base_path(config: dict[str, Any]) -> str:
    """The path the site is served under: ``baseurl`` (``/blog``, ``blog``), or the path of a
    ``baseurl`` that is a whole address; "" for none."""
    baseurl = config.get("baseurl")
    if isinstance(baseurl, str) and _ADDRESS.fullmatch(baseurl.strip()):
        baseurl = urlsplit(baseurl.strip()).path
    return url_path(baseurl)


def _cname_domain(folder: Path) -> str | None:
    text = read_text(folder / "CNAME") or ""
    host = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f"https://{host.lower()}" if _HOST.fullmatch(host) else None


def _repository(folder: Path) -> tuple[str, str] | None:
    """(owner, repository), lower case, of the github.com repository ``folder`` is in."""
    for place in [folder, *folder.parents][:_GIT_FOLDER_LEVELS]:
        git = place / ".git"
        if not git.exists():
            continue
        if git.is_file():  # a worktree's or submodule's: "gitdir: <its folder>"
            pointer = (read_text(git) or "").strip().removeprefix("gitdir:").strip()
            git = (place / pointer) if pointer else git
            git = git.parent.parent if git.parent.name == "worktrees" else git
        text = (read_text(git / "config") if git.is_dir() else None) or ""
        origin = _ORIGIN.search(text)
        address = _URL.search(origin[1]) if origin else None
        found = _GITHUB.fullmatch(address[1]) if address else None
        return (found[1].lower(), found[2].lower()) if found else None
    return None
