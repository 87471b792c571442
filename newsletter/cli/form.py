"""`newsletter form`: the sign-up form to paste into the blog."""

from __future__ import annotations

import click

from newsletter.cli import pass_site


@click.command()
@click.option("--json-example", is_flag=True,
              help="The version that posts JSON with fetch() and shows the answer on the page.")
@click.option("--action", metavar="URL",
              help="Where the form posts (default: signup.path on the server of the "
                   "confirmation links, e.g. https://blog.example.com/subscribe).")
@pass_site
def form(site, json_example: bool, action: str | None) -> None:
    """Print the sign-up form's HTML, for a blog template.

    The form posts to `newsletter serve`, which emails each new reader a link to confirm
    (double opt-in). It has a label on every field, a hidden field that catches bots, and no
    external script. Allow the blog's origin in [signup] allowed_origins if it is not site.url.
    """
    from newsletter.errors import ConfigError
    from newsletter.render import CONFIRM, has_notice
    from newsletter.web import signup_form

    settings = site.settings
    if not settings.signup.enabled:
        raise ConfigError("sign-ups are off", where="newsletter.toml",
                          hint="remove enabled = false under [signup]")
    if action is not None and not action.startswith(("https://", "http://")):
        raise click.BadParameter("give a full URL, such as https://blog.example.com/subscribe",
                                 param_hint="--action")
    click.echo(signup_form(settings, action, fetch=json_example), nl=False)
    if not has_notice(settings, CONFIRM):
        click.echo("warning: `serve` takes no sign-ups until templates/confirm.html and "
                   "confirm.txt exist; run `newsletter init` to write them again (it keeps "
                   "every file that exists)", err=True)


COMMANDS = [form]
