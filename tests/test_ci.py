"""Where the blog already lives: the pre-commit hook (run as pre-commit runs it), `check --format
github` annotations, and `send --due` refusing a first run under CI without `--first-run`."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, _cli_environ, copy_example_site, invoke
from newsletter.check import Severity, finding
from newsletter.cli.annotations import github_annotation

FIXTURES = Path(__file__).parent / "fixtures" / "check"
DUE = "2026-11-21T00:00Z"  # after the example post's date


# ---------------------------------------------------------------- the pre-commit hook

def hook() -> dict:
    [only] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return only


def run_hook(repo: Path, *files: str, args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """The hook's entry + args + the changed files, from the repository's root, as pre-commit
    runs it (the installed console script `newsletter` is this interpreter's module)."""
    command, *options = shlex.split(hook()["entry"])
    assert command == "newsletter"
    return subprocess.run([sys.executable, "-m", "newsletter", *options, *args, *files],
                          cwd=repo, env=_cli_environ(None), capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def repo(tmp_path):
    """A repository whose blog (the example site) lives in blog/, with a README beside it."""
    root = tmp_path / "repo"
    copy_example_site(root / "blog")
    (root / "README.md").write_text("# My blog\n\n[a link](javascript:void(0))\n")
    shutil.copy(FIXTURES / "link_javascript.md", root / "blog" / "content" / "posts")
    return root


def test_the_hook_is_declared_for_markdown_files_with_a_python_entry():
    declared = hook()
    assert declared["id"] == "newsletter-check" and declared["language"] == "python"
    assert "markdown" in declared["types_or"] and declared.get("pass_filenames", True)


def test_the_hook_fails_on_a_changed_post_with_an_error_and_names_its_line(repo):
    result = run_hook(repo, "README.md", "blog/content/posts/link_javascript.md")
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "error: content/posts/link_javascript.md:9: link-javascript: the link \"here\" runs a "
        "script (javascript:alert(1)); email clients strip it and spam filters distrust it; "
        "link to a web page"]
    assert "README" not in result.stdout + result.stderr  # not a post: skipped


def test_the_hook_passes_a_clean_post_and_ignores_files_that_are_not_posts(repo):
    clean = run_hook(repo, "README.md", "blog/content/posts/what-matters.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Checked 1 post: nothing found." in clean.stderr
    readme_only = run_hook(repo, "README.md")
    assert readme_only.returncode == 0 and readme_only.stdout == ""


def test_a_warning_is_printed_but_stops_no_commit_unless_strict(repo):
    # editing an old post (dated before [schedule] since) is a warning: pre-commit stops a
    # commit on any exit status but 0, and the docs promise that only an error stops it
    shutil.copy(FIXTURES / "date_before_since.md", repo / "blog" / "content" / "posts")
    result = run_hook(repo, "blog/content/posts/date_before_since.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(
        "warning: content/posts/date_before_since.md:3: date-before-since: ")
    strict = run_hook(repo, "blog/content/posts/date_before_since.md", args=("--strict",))
    assert strict.returncode == 2 and strict.stdout == result.stdout


def test_the_hook_takes_the_site_folder_as_an_argument_too(repo):
    result = run_hook(repo, "blog/content/posts/link_javascript.md", args=())
    named = subprocess.run(
        [sys.executable, "-m", "newsletter", "--site", "blog", *shlex.split(hook()["entry"])[1:],
         "blog/content/posts/link_javascript.md"],
        cwd=repo, env=_cli_environ(None), capture_output=True, text=True, timeout=120)
    assert named.returncode == result.returncode == 2 and named.stdout == result.stdout


def test_the_hook_needs_no_secret_from_the_environment(repo):
    toml = repo / "blog" / "newsletter.toml"
    toml.write_text(toml.read_text().replace('name = "outbox"', 'name = "postmark"'))
    result = run_hook(repo, "blog/content/posts/what-matters.md")  # no POSTMARK_SERVER_TOKEN
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- annotations

def test_check_format_github_annotates_each_finding_on_its_line(site, monkeypatch):
    shutil.copy(FIXTURES / "link_javascript.md", site / "content" / "posts")
    shutil.copy(FIXTURES / "image_no_alt.md", site / "content" / "posts")
    monkeypatch.chdir(site)
    result = invoke(site, "check", "link_javascript", "image_no_alt", "--format", "github")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=content/posts/link_javascript.md,line=9,title=newsletter link-javascript"
        "::the link \"here\" runs a script (javascript:alert(1)); email clients strip it and "
        "spam filters distrust it; link to a web page")
    assert lines[1].startswith("::warning file=content/posts/image_no_alt.md,line=9,"
                               "title=newsletter image-no-alt::the image ")
    assert len(lines) == 2


def test_a_finding_about_the_environment_has_no_file_and_a_site_in_a_folder_keeps_its_path(
        tmp_path, monkeypatch):
    site = copy_example_site(tmp_path / "repo" / "blog")
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('name = "outbox"', 'name = "resend"'))
    shutil.copy(FIXTURES / "link_javascript.md", site / "content" / "posts")
    monkeypatch.chdir(tmp_path / "repo")
    result = invoke(site, "check", "link_javascript", "--format", "github",
                    env={"NEWSLETTER_SECRET": "s"})
    assert "::error title=newsletter provider-setup::environment: RESEND_API_KEY is not set; " \
           "export RESEND_API_KEY=... to send with provider.name = 'resend'" in result.stdout
    assert "::error file=blog/content/posts/link_javascript.md,line=9," in result.stdout


def test_a_refused_setting_is_an_annotation_on_its_line_too(tmp_path, monkeypatch):
    """Before, a pull request breaking newsletter.toml showed nothing on the file: the refusal
    was only a line in the log."""
    site = copy_example_site(tmp_path / "repo" / "blog")
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("timezone =", "time_zone ="))
    number = [line.startswith("time_zone =") for line in toml.read_text().splitlines()].index(
        True) + 1
    monkeypatch.chdir(tmp_path / "repo")
    result = invoke(site, "check", "--format", "github")
    assert result.exit_code == 2
    assert result.stdout.startswith(
        f"::error file=blog/newsletter.toml,line={number},title=newsletter settings::unknown "
        "setting site.time_zone; did you mean timezone? [site] takes ")
    assert result.stderr.startswith(f"error: newsletter.toml:{number}: unknown setting ")


def test_annotation_values_are_escaped_as_the_actions_toolkit_does(tmp_path):
    (tmp_path / "a,b:c.md").write_text("x")
    found = finding(Severity.WARNING, "subject-long", "a,b:c.md:3", "100% sure\r\nnext line",
                    "cut it")
    line = github_annotation(found, tmp_path, tmp_path)
    # finding() makes texts printable (CR and LF become U+FFFD); % is escaped in the message,
    # and : and , in the properties.
    assert line == ("::warning file=a%2Cb%3Ac.md,line=3,title=newsletter subject-long"
                    "::100%25 sure\ufffd\ufffdnext line; cut it")


# ---------------------------------------------------------------- the CI refusal

@pytest.mark.parametrize("dry_run", [False, True], ids=["send", "dry-run"])
def test_under_ci_without_a_ledger_send_due_refuses_in_one_line(site, dry_run):
    result = invoke(site, "send", "--due", "--now", DUE, *(["--dry-run"] if dry_run else []),
                    env={"CI": "true"})
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "error: CI is set and this site has no ledger (.newsletter/ledger.db): a runner that "
        "starts empty would take every post as unsent; keep the ledger where it cannot be lost "
        "(see the \"Sending from CI\" page of newsletter's docs, docs/ci.md), or add "
        "--first-run if this is the first run"]
    assert not (site / ".newsletter" / "ledger.db").exists() and not (site / "outbox").exists()


def test_first_run_says_this_is_the_first_and_later_runs_need_nothing(site):
    first = invoke(site, "send", "--due", "--now", DUE, "--first-run", env={"CI": "true"})
    assert first.exit_code == 0, first.output
    assert "Sent /posts/what-matters" in first.output
    again = invoke(site, "send", "--due", env={"CI": "true"})  # the ledger is there now
    assert again.exit_code == 0 and again.output == ""


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_ci_unset_or_false_changes_nothing(site, value):
    result = invoke(site, "send", "--due", "--now", DUE, env={"CI": value})
    assert result.exit_code == 0 and "Sent /posts/what-matters" in result.output


def test_first_run_belongs_to_send_due(site):
    result = invoke(site, "send", "what-matters", "--first-run")
    assert result.exit_code == 2 and "--first-run need --due" in result.output
