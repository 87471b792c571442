"""The README and the help text stay honest: every command has help and is in the README, the
README stays a front door whose links all lead somewhere, and the docs build as a site with
nothing broken and nothing left out."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest

from conftest import REPO, invoke
from newsletter.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
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


def test_the_docs_build_as_a_site_with_no_broken_link_and_no_page_left_out(tmp_path):
    # mkdocs.yml makes a link to a missing page or anchor, and a page not in nav, a warning;
    # --strict turns each warning into a failure.
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                            str(REPO / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "ci" / "index.html").exists()
