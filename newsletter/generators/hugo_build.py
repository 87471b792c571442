"""What a Hugo site's deploy sets over its settings files (gohugo.io/configuration/introduction/
#configure-with-environment-variables): ``hugo -b https://...`` (``--baseURL``), ``-e staging``
(``--environment``), ``-D``, ``-F``, ``-E`` (``--buildDrafts``, ``--buildFuture``,
``--buildExpired``) in its build command, and the ``HUGO_BASEURL``, ``HUGO_TITLE``,
``HUGO_BUILDDRAFTS`` (``HUGO_BUILDFUTURE``, ``HUGO_BUILDEXPIRED``), ``HUGO_PARAMS_<KEY>`` and
``HUGO_ENVIRONMENT`` (or ``HUGO_ENV``) variables its build sets:
netlify.toml's production build (``[build]`` and ``[context.production]``), else a GitHub
Actions workflow (or .gitlab-ci.yml, package.json's scripts, a Makefile, vercel.json); never
``hugo server``'s, the writer's own computer. A value that is a variable of the deploy
(``$DEPLOY_PRIME_URL``, ``${{ steps.pages.outputs.base_url }}``) is passed over.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from newsletter.generators.settings_files import read_data, read_text

# A hugo command (not `hugo server`, which serves the writer's own computer)
_HUGO = re.compile(r"\bhugo\b(?![ \t]+server)", re.IGNORECASE)
_FLAGS = {"--baseurl": "-b", "-b": "-b", "--environment": "-e", "-e": "-e"}
# Switches that publish what Hugo leaves out by default, as their settings' keys
_SWITCHES = {"-D": "builddrafts", "--buildDrafts": "builddrafts", "-F": "buildfuture",
             "--buildFuture": "buildfuture", "-E": "buildexpired", "--buildExpired": "buildexpired"}
_COMMAND_ENDS = ("&&", "||", ";", "|")
# The other files a build is written in, after netlify.toml
_BUILD_FILES = (".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml",
                "package.json", "Makefile", "vercel.json")
_VARIABLE = re.compile(r"""^[ \t]*(?:-[ \t]*)?["']?(HUGO_[A-Z_]{1,100})["']?[ \t]*[:=][ \t]*"""
                       r"""(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#]+))""", re.MULTILINE)


def build_settings(root: Path) -> tuple[dict[str, Any], str | None]:
    """{``baseurl``, ``title``, ``environment``, ``params``: what the deploy sets}, and the
    file setting them (None when none does)."""
    netlify = read_data(root / "netlify.toml")
    if netlify:
        found = _from_netlify(netlify)
        if found:
            return found, "netlify.toml"
    for path in (path for pattern in _BUILD_FILES for path in sorted(root.glob(pattern))):
        text = read_text(path) or ""
        variables = {name: "".join(values) for name, *values in _VARIABLE.findall(text)}
        found = _settings(variables, _flags(text))
        if found and re.search(r"\bhugo\b", text):
            return found, path.relative_to(root).as_posix()
    return {}, None


def _from_netlify(netlify: dict[str, Any]) -> dict[str, Any]:
    build = netlify.get("build") if isinstance(netlify.get("build"), dict) else {}
    context = netlify.get("context") if isinstance(netlify.get("context"), dict) else {}
    production = context.get("production") if isinstance(context.get("production"), dict) \
        else {}
    variables: dict[str, str] = {}
    for table in (build, production):
        environment = table.get("environment")
        if isinstance(environment, dict):
            variables.update({str(key).upper(): str(value) for key, value in environment.items()})
    command = production.get("command") or build.get("command")
    return _settings(variables, _flags(command if isinstance(command, str) else ""))


def _flags(command: str) -> dict[str, str]:
    """{``-b`` or ``-e``: its value} of the hugo commands in ``command`` (a line ending in
    ``\\`` goes on on the next), read word by word."""
    found = {}
    joined, end = re.sub(r"\\\r?\n", " ", command), 0
    while (start := _HUGO.search(joined, end)) is not None:  # one command a line
        end = joined.find("\n", start.end())
        end = len(joined) if end < 0 else end
        words = joined[start.end():end].split()
        for word, value in zip(words, [*words[1:], ""]):
            if word.strip("\"'") in _COMMAND_ENDS:
                break
            flag, equals, written = word.partition("=")
            if flag in _SWITCHES:  # -D, -F, -E: before -e's lower case
                found[_SWITCHES[flag]] = "true" if not equals else _unquoted(written).lower()
            elif _FLAGS.get(flag.lower()):
                found[_FLAGS[flag.lower()]] = _unquoted(written if equals else value)
    return found


def _unquoted(word: str) -> str:
    """``x`` of ``"x"``, and of ``x"}}`` (a command in package.json ends its string)."""
    return re.split(r"[\"']", word.lstrip("\"'"))[0]


def _settings(variables: dict[str, str], flags: dict[str, str]) -> dict[str, Any]:
    """The settings the variables and flags make; a flag over a variable, as for Hugo."""
    known = {key: value for key, value in variables.items() if "$" not in value}
    found: dict[str, Any] = {}
    url = flags.get("-b", known.get("HUGO_BASEURL"))
    if url and "$" not in url and url.lower().startswith(("https://", "http://")):
        found["baseurl"] = url
    environment = flags.get("-e", known.get("HUGO_ENVIRONMENT", known.get("HUGO_ENV")))
    if environment and re.fullmatch(r"[\w-]+", environment):
        found["environment"] = environment
    found |= {key: True for key in _SWITCHES.values()  # -F, or HUGO_BUILDFUTURE=true
              if flags.get(key, known.get(f"HUGO_{key.upper()}", "")).lower() == "true"}
    if "HUGO_TITLE" in known:
        found["title"] = known["HUGO_TITLE"]
    for key, value in known.items():  # HUGO_PARAMS_SOCIAL_X is params.social.x, as for Hugo
        if key.startswith("HUGO_PARAMS_") and key.strip("_") != "HUGO_PARAMS":
            *tables, last = key.lower().removeprefix("hugo_").strip("_").split("_")
            table: Any = found
            for name in tables:
                table = table.setdefault(name, {})
                if not isinstance(table, dict):
                    break  # HUGO_PARAMS_A_B where HUGO_PARAMS_A is a value
            else:
                table[last] = value
    return found
