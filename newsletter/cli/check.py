"""`newsletter check`: the preflight findings of the posts `send --due` could send, or of POSTs."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import textwrap
from pathlib import Path

import click

from newsletter.cli import Site, pass_site
from newsletter.cli.echo import counted
from newsletter.cli.seconds import a_number

# Findings about the site rather than a post: settings, provider, DNS (JSON: "post": null).
SITE_GROUP = "settings and sender"
MAX_TIMEOUT = 3600.0  # seconds: past this a link's timer cannot be set (inf overflows it)


@click.command()
@click.argument("posts", nargs=-1, metavar="[POST]...")
@click.option("--online", is_flag=True,
              help="Also fetch every link and image, ask the provider whether it takes the key "
                   "(one read-only call), and look up the sender's SPF, DKIM and DMARC records.")
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True,
              help="text: one line each (a table on a terminal); json: for scripts; github: "
                   "GitHub Actions annotations on the lines they are about.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (--format json).")
@click.option("--files", is_flag=True,
              help="POSTs are file paths, as a pre-commit hook passes them: check those that are "
                   "posts, skip any other file (README.md, pages).")
@click.option("--strict", is_flag=True, help="Exit 2 on warnings too (for CI).")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=MAX_TIMEOUT), default=10.0,
              show_default=True, metavar="SECONDS", callback=a_number,
              help="With --online: seconds each link may take (DNS, connection, redirects and "
                   "all), and each DNS answer.")
@click.option("--nameserver", metavar="IP[:PORT]",
              help="With --online: ask this DNS server (default: the system's).")
@click.option("--allow-private", is_flag=True,
              help="With --online: also fetch links to this computer and its network "
                   "(loopback, private, link-local addresses), for a blog served there. "
                   "Without it a post's links never reach them.")
@pass_site
@click.pass_context
def check(ctx: click.Context, site: Site, posts: tuple[str, ...], online: bool, output: str,
          as_json: bool, files: bool, strict: bool, timeout: float,
          nameserver: str | None, allow_private: bool) -> None:
    """Check the settings and posts as send would, before it does.

    Check the settings and posts before they are sent: links, images, footer, size, spam
    traps, dates; settings left at init's example values, the provider's key and settings.

    Without POST, checks every post `send --due` could send (ready or scheduled, dated from
    [schedule] since, not sent yet) and every post file that does not load; name a POST to
    check it whatever its status, drafts included (--files: name post files, as the
    pre-commit hook does). `send` runs the same checks (without
    --online) and refuses a post with an error.

    Each finding has a severity (error: sending is refused; warning: worth a look), a code,
    where it is (file:line) and what to do. Exit status: 0 nothing found, 1 warnings only
    (0 with --files, the pre-commit hook's: only an error stops a commit; 2 with --strict),
    2 errors.
    """
    from newsletter.check import OnlineOptions, exit_status
    from newsletter.sending import check_site

    if files:
        site = _site_of_files(site, posts)
        if site is None:  # none of the files is in a site: nothing to check
            ctx.exit(0)
    settings = _settings_of(site, "json" if as_json else output)
    options = (OnlineOptions(timeout=timeout, nameserver=nameserver, allow_private=allow_private)
               if online else None)
    if online and sys.stderr.isatty():
        click.echo(f"Checking links, the {settings.provider.name} key and the DNS records of "
                   f"{settings.email.sender_domain} "
                   f"(up to {timeout:g} s each)...", err=True)
    if files and not posts:  # pre-commit found no changed file of the kind it watches
        ctx.exit(0)
    report = check_site(settings, posts, dt.datetime.now(dt.timezone.utc), options, files=files)
    groups = [(post.label, post.findings) for post in report.posts]
    if report.site:
        groups.append((SITE_GROUP, report.site))
    output = "json" if as_json else output
    if output == "json":
        click.echo(json.dumps(_as_json(report, groups), indent=2))
    elif output == "github":
        from newsletter.cli.annotations import github_annotation

        for _, findings in groups:
            for finding in findings:
                click.echo(github_annotation(finding, settings.root, Path.cwd()))
    elif sys.stdout.isatty():
        _print_table(groups)
    else:
        for _, findings in groups:
            for finding in findings:
                click.echo(f"{finding.severity}: {finding.line()}")
    if output != "json":
        click.echo(_summary(report, groups), err=True)
    status = exit_status(report.findings, strict=strict)
    # --files is the pre-commit hook's (and a pull request's) check: an error stops the commit,
    # a warning (an edited post dated before since, say) is printed and lets it through
    ctx.exit(0 if files and status == 1 else status)


def _site_of_files(site: Site, paths: tuple[str, ...]) -> Site | None:
    """--files from a repository whose site is a folder of it (pre-commit runs at the root):
    the site is the folder above the files that holds newsletter.toml."""
    from newsletter.config import SETTINGS_FILE
    from newsletter.errors import InputError

    if (site.root / SETTINGS_FILE).is_file():
        return site
    roots = {next((folder for folder in Path(path).resolve().parents
                   if (folder / SETTINGS_FILE).is_file()), None) for path in paths}
    roots.discard(None)
    if len(roots) > 1:
        raise InputError(f"these files belong to {len(roots)} sites", hint="run newsletter "
                         "--site DIR check --files once per site")
    return Site(roots.pop()) if roots else None


def _as_json(report, groups) -> dict:
    findings = [{"post": None if label == SITE_GROUP else label, **finding.as_dict()}
                for label, found in groups for finding in found]
    return {
        "checked": [post.label for post in report.posts],
        "errors": sum(f["severity"] == "error" for f in findings),
        "warnings": sum(f["severity"] == "warning" for f in findings),
        "findings": findings,
    }


def _settings_of(site, output: str):
    """The site's settings; refused under --format github, the refusal is an annotation on
    newsletter.toml's line too (the root group still prints it and exits 2)."""
    from newsletter.errors import ConfigError

    try:
        return site.settings
    except ConfigError as refusal:
        if output == "github":
            from newsletter.check import Severity, finding
            from newsletter.cli.annotations import github_annotation
            from newsletter.config import read_secrets

            text = read_secrets(os.environ).redact(refusal.message)
            click.echo(github_annotation(finding(Severity.ERROR, "settings", refusal.where or "",
                                                 text, refusal.hint), site.root, Path.cwd()))
        raise


def _summary(report, groups) -> str:
    counts = _as_json(report, groups)
    if not report.posts:
        found = (f" (the settings: {counted(counts['errors'], 'error')}, "
                 f"{counted(counts['warnings'], 'warning')})" if report.site else "")
        # Not "no post is ready": `posts` calls a post before since ready, and the note says why.
        nothing = "Nothing to check: send --due would send no post"
        name_one = "newsletter check POST (a slug `newsletter posts` lists)"
        if report.note:  # why, in the words `posts` uses (sending.schedule_note)
            return f"{nothing}. {report.note} Name one to check it: {name_one}{found}"
        return f"{nothing}; name one: {name_one}{found}"
    checked = f"Checked {len(report.posts)} post{'' if len(report.posts) == 1 else 's'}"
    if not report.findings:
        return f"{checked}: nothing found."
    return (f"{checked}: {counted(counts['errors'], 'error')}, "
            f"{counted(counts['warnings'], 'warning')}.")


def _print_table(groups) -> None:
    """One block per post: severity, code and place in columns, then what and how to fix."""
    width = shutil.get_terminal_size((100, 24)).columns
    for label, findings in groups:
        click.secho(label, bold=True)
        if not findings:
            click.echo("  nothing found")
            continue
        code_width = max(len(finding.code) for finding in findings)
        for finding in findings:
            colour = "red" if finding.severity == "error" else "yellow"
            click.echo("  " + click.style(f"{finding.severity:<7}", fg=colour)
                       + f"  {finding.code:<{code_width}}  {finding.where}")
            indent = " " * 11
            for text in (finding.message, *([f"fix: {finding.hint}"] if finding.hint else [])):
                click.echo(textwrap.fill(text, width=max(width - 1, 40), initial_indent=indent,
                                         subsequent_indent=indent))


COMMANDS = [check]
