"""The README and the help text stay honest: every command has help and is in the README, the
README stays a front door whose links all lead somewhere, the docs build as a site with
nothing broken and nothing left out, and what a page shows to copy (a command, a TOML or YAML
snippet) works as written."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import textwrap
import tomllib

import click
import pytest
import yaml

from conftest import REPO, invoke
from newsletter.cli import main
from newsletter.config import load_settings

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    context = click.Context(group)  # the root group imports a command's module when asked
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(path, tmp_path):
    result = invoke(tmp_path, *path, "--help")
    assert result.exit_code == 0
    command = dict(COMMANDS)[path]
    assert command.help and command.help.strip()
    assert f"newsletter {' '.join(path)}" in README


def test_readme_opens_with_the_two_set_up_commands():
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block == [
        "pip install -e . && newsletter send what-matters --yes",
        "pip install -e '.[test]' && npm ci --prefix tests && python -m pytest -n auto",
    ]


def test_the_readme_is_a_front_door_whose_links_all_lead_somewhere():
    assert len(README.splitlines()) < 300
    links = re.findall(r"\]\(([^)\s]+)\)", README)
    local = [link for link in links if "://" not in link and not link.startswith("#")]
    assert local, "the README links the docs"
    assert [link for link in local if not (REPO / link.partition("#")[0]).exists()] == []


def test_no_page_says_to_copy_the_templates_folder():
    # templates/ is a link into the package: `newsletter init` writes a site's templates.
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    assert [page.name for page in pages
            if re.search(r"copy[^.]{0,60}templates/", page.read_text(encoding="utf-8"))] == []


def test_no_page_installs_newsletter_from_pypi():
    # PyPI's "newsletter" is another project: newsletter installs from a clone, a wheel or a URL.
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    assert [page.name for page in pages
            if re.search(r"pip install newsletter\b", page.read_text(encoding="utf-8"))] == []


def test_the_docs_build_as_a_site_with_no_broken_link_and_no_page_left_out(tmp_path):
    # mkdocs.yml makes a link to a missing page or anchor, and a page not in nav, a warning;
    # --strict turns each warning into a failure.
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                            str(REPO / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "ci" / "index.html").exists()


def _blocks(kind: str):
    """Each ``kind`` code block of the README and the docs, dedented, with its page and line."""
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for found in re.finditer(rf"^( *)```{kind}\n(.*?)^\1```", text, re.DOTALL | re.MULTILINE):
            where = f"{page.name}:{text[:found.start()].count(chr(10)) + 1}"
            yield where, textwrap.dedent(found.group(2))


def _toml(table: dict, path: str = "") -> str:
    """A table as TOML (the kinds of value the settings hold), for the test's own site."""
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(item) for item in v) + "]"
        return v.isoformat() if hasattr(v, "isoformat") else json.dumps(v)
    plain = [f"{json.dumps(key)} = {value(v)}" for key, v in table.items() if not isinstance(v, dict)]
    nested = [_toml(v, f"{path}.{key}" if path else key)
              for key, v in table.items() if isinstance(v, dict)]
    return "\n".join(([f"[{path}]"] if path else []) + plain + nested) + "\n"


def _merged(into: dict, snippet: dict) -> dict:
    for key, value in snippet.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merged(into[key], value)
        else:
            into[key] = value
    return into


@pytest.mark.parametrize("block", [pytest.param(b, id=w) for w, b in _blocks("toml")])
def test_every_toml_snippet_of_the_docs_is_a_setting_the_loader_takes(block, tmp_path):
    snippet = tomllib.loads(block)  # a TOML error here names the snippet's page and line
    site = _merged(tomllib.loads((REPO / "newsletter.toml").read_text(encoding="utf-8")), snippet)
    (tmp_path / "newsletter.toml").write_text(_toml(site), encoding="utf-8")
    load_settings(tmp_path, {"NEWSLETTER_SECRET": "s" * 40, "PGPASSWORD": "p"})


@pytest.mark.parametrize("block", [pytest.param(b, id=w) for w, b in _blocks("yaml")])
def test_every_yaml_snippet_of_the_docs_parses(block):
    # a post's front matter is a YAML document between --- lines
    assert [document for document in yaml.safe_load_all(block) if document]


def _shown_commands():
    """Each `newsletter ...` command a page shows, in a sh, crontab or yaml block, after a
    `$ ` prompt in any other block (a console session, a command and its output) or inline,
    as its arguments (up to a comment, a pipe or the next command)."""
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        lines = []
        for found in re.finditer(r"^( *)```(\w*)\n(.*?)^\1```", text, re.DOTALL | re.MULTILINE):
            kind, block = found.group(2), found.group(3).replace("\\\n", " ")
            lines += (block.splitlines() if kind in ("sh", "crontab", "yaml")
                      else re.findall(r"^ *\$ (.+)$", block, re.MULTILINE))
        inline = re.findall(r"(?<!`)`(newsletter [^`\n]+)`(?!`)", text)
        for line in [*lines, *inline]:
            code = re.sub(r"(?:^|\s)#.*", "", line)  # a comment may say "newsletter" too
            for command in re.findall(r"(?:^|[\s/(])newsletter ((?:--site \S+ )?[a-z][^&|;]*)", code):
                yield page.name, shlex.split(command.replace("${{", "").replace("}}", ""))


def test_every_command_the_docs_show_has_those_subcommands_and_options(tmp_path):
    # click refuses a command or an option it does not know before it looks at --help
    wrong = {(page, " ".join(args)) for page, args in _shown_commands()
             if invoke(tmp_path, *args, "--help").exit_code != 0}
    assert wrong == set()


def test_every_crontab_line_finds_newsletter_and_its_secrets_under_crons_bare_environment():
    # cron runs a job with PATH=/usr/bin:/bin and nothing else exported: a bare `newsletter`
    # is "not found", and `. /etc/newsletter.env` sets NAME=value lines for the shell only
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    blocks = [(page.name, kind, block) for page in pages
              for kind, block in re.findall(r"^ *```(\w*)\n(.*?)^ *```",
                                            page.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)]
    entries = [(page, line) for page, _, block in blocks for line in block.splitlines()
               if re.match(r"(?:[\d*/,-]+\s+){5}\S", line) and "newsletter " in line]
    assert len(entries) >= 4, "the docs' crontab lines are found"

    def unexported(line: str) -> bool:
        dot = re.search(r"(?:^|[\s;&|])\. \S", line)
        return dot is not None and "set -a" not in line[:dot.start()]

    assert [(page, line) for page, line in entries
            if re.search(r"(?:^|[\s;&|])newsletter ", line) or unexported(line)] == []
    # `crontab`, not `cron`: the kind of block whose commands the test above parses
    assert [page for page, kind, _ in blocks if kind == "cron"] == []


def test_the_next_line_init_prints_is_the_one_the_pages_show(tmp_path):
    # README.md and start.md quote init's last line for a blog whose title and address its
    # generator's settings give: what is left to fill in, in that order
    (tmp_path / "hugo.toml").write_text('baseURL = "https://ann.example.net/"\ntitle = "Notes"\n')
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "hello.md").write_text(
        "---\ntitle: Hello\ndate: 2026-11-20\n---\n\nHi.\n")
    printed = invoke(tmp_path, "init").output.splitlines()[-1].replace(f"{tmp_path}/", "")
    for page in (REPO / "README.md", REPO / "docs" / "start.md"):
        [shown] = re.findall(r"^Next: .*$", page.read_text(encoding="utf-8"), re.MULTILINE)
        assert shown.endswith("; ...") and printed.startswith(shown[:-len("...")]), page.name


def test_every_setting_the_loader_takes_is_on_the_settings_page():
    # docs/settings.md's TOML block names every key, set or commented out, under its section
    from dataclasses import fields

    from newsletter.config.sections import SECTIONS
    block = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    block = block.split("```toml\n", 1)[1].split("```", 1)[0]
    shown, section = set(), None
    for line in block.splitlines():
        if heading := re.match(r"\[(\w+)\]", line):
            section = heading.group(1)
        elif key := re.match(r"#? ?(\w+) *=", line):
            shown.add((section, key.group(1)))
    taken = {(name, spec.name.rstrip("_")) for name, cls in SECTIONS.items() for spec in fields(cls)}
    assert sorted(taken - shown) == []


def test_every_setting_the_guide_names_is_one_the_loader_takes():
    # `provider.daily_limit`, `[schedule] since`, `email.from = ...` in the user's pages: a key
    # renamed or dropped in the code leaves no page sending readers to set it (the design
    # pages name modules the same way: `posts.load_posts`)
    from dataclasses import fields

    from newsletter.config.sections import MOVED, SECTIONS
    taken = {(name, spec.name.rstrip("_")) for name, cls in SECTIONS.items() for spec in fields(cls)}
    sections = "|".join(SECTIONS)
    resend_events = set(re.findall(r'"email\.(\w+)"', (REPO / "newsletter" / "web" / "webhooks"
                                                      / "resend.py").read_text(encoding="utf-8")))
    not_keys = {"html", "txt", "css", "db", "json", "md", "py"}  # file names: `email.html`
    guide = [entry for part in yaml.safe_load((REPO / "mkdocs.yml").read_text())["nav"]
             if isinstance(part, dict) and "Guide" in part for entry in part["Guide"]]
    named = set()
    for page in [REPO / "README.md", *[REPO / "docs" / page for e in guide for page in e.values()]]:
        for span in re.findall(r"`([^`\n]+)`", page.read_text(encoding="utf-8")):
            found = (re.fullmatch(rf"\[({sections})\] (\w+)(?: = .*)?", span)
                     or re.fullmatch(rf"({sections})\.(\w+)(?: = .*)?", span))
            if found and found.group(2) not in not_keys and not (
                    found.group(1) == "email" and found.group(2) in resend_events):
                named.add((page.name, *found.groups()))
    assert len(named) > 40, "the pages name settings"
    # Jekyll's Liquid variables on the template tags page are the blog's, not newsletter's
    liquid = {("site", "baseurl"), ("site", "x")}
    assert sorted(entry for entry in named
                  if entry[1:] not in taken | set(MOVED) | liquid) == []


def _finding_codes() -> set[str]:
    """The codes newsletter's findings are made with: the string literals (not the f-string
    ones, such as f"{noun}-broken") given to error(), warning(), finding() and _as_finding()."""
    import ast
    makers = {"error", "warning", "finding", "_as_finding"}
    codes = set()
    for path in (REPO / "newsletter").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            if isinstance(node, ast.Call) and getattr(name, "id", getattr(name, "attr", "")) in makers:
                for arg in node.args[:2] + [k.value for k in node.keywords if k.arg == "code"]:
                    codes |= {c.value for c in ast.walk(arg) if isinstance(c, ast.Constant)
                              and isinstance(c.value, str)
                              and re.fullmatch(r"[a-z]+(-[a-z]+)+", c.value)}
    return codes


def test_every_finding_code_is_in_the_checking_pages_table():
    table = (REPO / "docs" / "checking.md").read_text(encoding="utf-8")
    listed = {code for row in re.findall(r"^\| (.*?) \|", table, re.MULTILINE)
              for code in re.findall(r"`([a-z]+(?:-[a-z]+)+)`", row)}
    codes = _finding_codes()
    assert {"setting-placeholder", "provider-setup", "image-missing"} <= codes  # the scan finds them
    assert sorted(codes - listed) == []


def test_every_option_of_every_command_is_on_its_page():
    # the page is the one the README's table of commands links for it; newsletter's own
    # options (--site, --version) are in the README
    pages = {name: page for row, page in re.findall(
                 r"^\| (.*?) \| .*? \| \[[^\]]*\]\(docs/([\w-]+\.md)\) \|$", README, re.MULTILINE)
             for name in re.findall(r"`newsletter ([a-z]+(?: [a-z]+)?)[` ]", row)}
    missing = []
    for path, command in [((), main), *COMMANDS]:
        options = [option for param in command.params if isinstance(param, click.Option)
                   for option in param.opts if option.startswith("--") and option != "--help"]
        if not options:
            continue
        text = (REPO / "docs" / pages[" ".join(path)]).read_text(encoding="utf-8") if path else README
        missing += [f"{' '.join(path)} {option}" for option in options
                    if not re.search(rf"{re.escape(option)}(?![\w-])", text)]
    assert missing == []


def test_every_code_fence_stands_alone_on_its_line():
    # "``` Some text" closes nothing: the page after it would show as one long code block
    wrong = [f"{page.name}:{number}" for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
             for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
             if re.match(r" *```(?![a-z]*\s*$)", line)]
    assert wrong == []


def test_every_benchmark_is_listed_for_developers():
    listed = (REPO / "docs" / "development.md").read_text(encoding="utf-8")
    assert [path.name for path in sorted((REPO / "bench").glob("bench_*.py"))
            if f"bench/{path.name}" not in listed] == []


def test_every_doc_section_the_code_names_exists():
    # an error, a hint or a comment saying "docs/x.md#part" sends the reader to that section
    from markdown.extensions.toc import slugify

    def sections(page):
        text = (REPO / "docs" / page).read_text(encoding="utf-8")
        return ({slugify(re.sub(r"[`*]", "", heading), "-")
                 for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
                | set(re.findall(r'<a id="([^"]+)"', text)))

    named = {(page, part) for path in (REPO / "newsletter").rglob("*")
             if path.suffix in (".py", ".html", ".txt", ".toml")
             for page, part in re.findall(r"docs/([\w-]+\.md)(?:#([\w-]+))?",
                                          path.read_text(encoding="utf-8"))}
    assert named, "the code names doc pages"
    assert sorted(f"{page}#{part}" for page, part in named
                  if not (REPO / "docs" / page).exists()
                  or part and part not in sections(page)) == []
