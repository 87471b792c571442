"""`newsletter check`: the preflight findings of the posts `send --due` could send, or of POSTs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import textwrap

import click

from newsletter.cli import Site, pass_site

SITE_GROUP = "sender DNS"  # findings about the site rather than a post (JSON: "post": null)


@click.command()
@click.argument("posts", nargs=-1, metavar="[POST]...")
@click.option("--online", is_flag=True,
              help="Also fetch every link and image, and look up the sender's SPF, DKIM and "
                   "DMARC records.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--strict", is_flag=True, help="Exit 2 on warnings too (for CI).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              metavar="SECONDS",
              help="With --online: seconds to wait for each link and each DNS answer.")
@click.option("--nameserver", metavar="IP[:PORT]",
              help="With --online: ask this DNS server (default: the system's).")
@pass_site
@click.pass_context
def check(ctx: click.Context, site: Site, posts: tuple[str, ...], online: bool, as_json: bool,
          strict: bool, timeout: float, nameserver: str | None) -> None:
    """Check posts before they are sent: links, images, footer, size, spam traps, dates.

    Without POST, checks every post `send --due` could send (ready or scheduled, dated from
    [schedule] since, not sent yet) and every post file that does not load; name a POST to
    check it whatever its status, drafts included. `send` runs the same checks (without
    --online) and refuses a post with an error.

    Each finding has a severity (error: sending is refused; warning: worth a look), a code,
    where it is (file:line) and what to do. Exit status: 0 nothing found, 1 warnings only
    (2 with --strict), 2 errors.
    """
    from newsletter.check import OnlineOptions, exit_status
    from newsletter.sending import check_site

    settings = site.settings
    options = OnlineOptions(timeout=timeout, nameserver=nameserver) if online else None
    if online and sys.stderr.isatty():
        click.echo(f"Checking links and the DNS records of {settings.email.sender_domain} "
                   f"(up to {timeout:g} s each)...", err=True)
    report = check_site(settings, posts, dt.datetime.now(dt.timezone.utc), options)
    groups = [(post.label, post.findings) for post in report.posts]
    if report.site:
        groups.append((SITE_GROUP, report.site))
    if as_json:
        click.echo(json.dumps(_as_json(report, groups), indent=2))
    elif sys.stdout.isatty():
        _print_table(groups)
    else:
        for _, findings in groups:
            for finding in findings:
                click.echo(f"{finding.severity}: {finding.line()}")
    if not as_json:
        click.echo(_summary(report, groups), err=True)
    ctx.exit(exit_status(report.findings, strict=strict))


def _as_json(report, groups) -> dict:
    findings = [{"post": None if label == SITE_GROUP else label, **finding.as_dict()}
                for label, found in groups for finding in found]
    return {
        "checked": [post.label for post in report.posts],
        "errors": sum(f["severity"] == "error" for f in findings),
        "warnings": sum(f["severity"] == "warning" for f in findings),
        "findings": findings,
    }


def _summary(report, groups) -> str:
    if not report.posts:
        nothing = "Nothing to check: no post is ready or scheduled for send --due"
        if report.note:
            return f"{nothing}. {report.note} Name one to check it: newsletter check POST"
        return f"{nothing}; name one: newsletter check POST"
    counts = _as_json(report, groups)
    checked = f"Checked {len(report.posts)} post{'' if len(report.posts) == 1 else 's'}"
    if not report.findings:
        return f"{checked}: nothing found."
    return (f"{checked}: {counts['errors']} error{'' if counts['errors'] == 1 else 's'}, "
            f"{counts['warnings']} warning{'' if counts['warnings'] == 1 else 's'}.")


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
