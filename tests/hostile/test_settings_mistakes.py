"""A new user's mistakes in newsletter.toml: each one line naming the line and the setting, and
saying what to write, exit 2, no traceback; a secret pasted into the file never shown."""

from __future__ import annotations

import pytest
from conftest import invoke


def rewrite(site, old: str, new: str) -> int:
    """Replace the line ``old`` of the site's settings by ``new``; the line's number."""
    path = site / "newsletter.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith(old))
    lines[number:number + 1] = new.splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def refusal(site, *command: str) -> str:
    result = invoke(site, *(command or ("check",)))
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.output
    return result.stderr


SENDGRID_KEY = "SG.Zq7kT2mWb9xLp4Rv8sNd1A.Hc3Fj6Ku0Ye5Gt2Wq9Pl7Mn4Bv1Cx8Zs6Dr3Ta5Ke0"
POSTMARK_TOKEN = "4f0c2a1e-9b7d-4c3e-8a6f-2d1b0e9c7a55"


@pytest.mark.parametrize("provider, line, variable", [
    ("sendgrid", f'api_key = "{SENDGRID_KEY}"', "SENDGRID_API_KEY"),
    ("postmark", f'server_token = "{POSTMARK_TOKEN}"', "POSTMARK_SERVER_TOKEN"),
    ("smtp", 'password = "correct-horse-battery"', "SMTP_PASSWORD"),
    ("postmark", f'POSTMARK_SERVER_TOKEN = "{POSTMARK_TOKEN}"', "POSTMARK_SERVER_TOKEN"),
    # a key pasted into a setting of newsletter's own, which would otherwise be quoted back
    ("sendgrid", f'message_stream = "{SENDGRID_KEY}"', "SENDGRID_API_KEY"),
], ids=["sendgrid-api-key", "postmark-token", "smtp-password", "variable-name", "known-setting"])
def test_a_secret_pasted_into_the_settings_is_refused_naming_its_variable_never_shown(
        site, provider, line, variable):
    number = rewrite(site, "name = ", f'name = "{provider}"\n{line}') + 1
    secret = line.split('"')[1]

    result = invoke(site, "check")

    assert result.exit_code == 2 and result.stdout == ""
    key = line.split(" =")[0]
    assert result.stderr.startswith(f"error: newsletter.toml:{number}: provider.{key} holds a "
                                    "secret, and newsletter.toml is no place for one; remove it "
                                    f"from the file and set {variable} in the environment")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    parts = {secret[at:at + 6] for at in range(len(secret) - 5)}
    assert not [part for part in parts if part in result.stderr]


@pytest.mark.parametrize("value, problem", [
    ("Jane Writer jane@example.com", "is not a valid address"),  # the <> forgotten
    ("Jane <jane@exam ple.com>", "is not a valid address"),  # read as jane@example.com
    ("Writer, Jane <jane@example.com>", "is not a valid address; write it as \"Your Name "
     "<you@example.com>\"; a name holding a comma goes in quotes"),  # read as two addresses
    ("@example.com", "is not a valid address"),
    ("Jane <jane@example.com> (the blog)x", "is not a valid address"),
    ("jane@example.com, joe@example.com", "holds 2 addresses, not one"),
])
def test_a_from_line_mail_would_read_otherwise_is_refused(site, value, problem):
    number = rewrite(site, "from = ", f"from = '{value}'")
    assert refusal(site).startswith(
        f"error: newsletter.toml:{number}: email.from {value!r} {problem}")


def test_a_from_line_with_a_quoted_name_holding_a_comma_loads(site):
    rewrite(site, "from = ", """from = '"Writer, Jane" <jane@example.com>'""")
    assert invoke(site, "posts").exit_code == 0


@pytest.mark.parametrize("old, line, key", [
    ("url = ", 'url = "https://"', "site.url"),
    ("url = ", 'url = "https:// blog.example.com"', "site.url"),
    ("unsubscribe_url = ", 'unsubscribe_url = "https:///unsubscribe/{token}"',
     "email.unsubscribe_url"),
])
def test_a_url_setting_without_a_host_is_refused(site, old, line, key):
    number = rewrite(site, old, line)
    assert refusal(site).startswith(f"error: newsletter.toml:{number}: {key} ") and \
        "names no host; write the whole address" in refusal(site)


def test_a_site_url_without_its_scheme_says_how_to_write_it(site):
    number = rewrite(site, "url = ", 'url = "blog.example.com/notes"')
    assert refusal(site) == (f"error: newsletter.toml:{number}: site.url must start with "
                             'https://; write it as "https://blog.example.com/notes"\n')


def test_an_unsubscribe_url_whose_token_is_escaped_is_refused(site):
    """{{token}} is a literal {token}: every reader would get the same link."""
    number = rewrite(site, "unsubscribe_url = ",
                     'unsubscribe_url = "https://blog.example.com/unsubscribe/{{token}}"')
    assert refusal(site, "send", "what-matters", "--dry-run").startswith(
        f"error: newsletter.toml:{number}: email.unsubscribe_url must hold {{token}} once")


def test_an_unsubscribe_url_with_a_misspelt_placeholder_names_it(site):
    rewrite(site, "unsubscribe_url = ",
            'unsubscribe_url = "https://blog.example.com/unsubscribe/{ token }"')
    assert "email.unsubscribe_url has { token }, which is no placeholder; write {token}, in " \
           "lower case and without spaces" in refusal(site)


@pytest.mark.parametrize("old, key, wanted", [
    ("title = ", "site.title", "your blog's name"),
    ("postal_address = ", "email.postal_address", "the postal address the law requires"),
    ("subject = ", "email.subject", "the pattern of every subject"),
])
def test_an_empty_setting_a_reader_would_miss_is_refused(site, old, key, wanted):
    """An empty postal address was sent as it was; an empty title or subject was blamed on
    the template or on the post."""
    number = rewrite(site, old, f'{old}"  "')
    assert refusal(site, "send", "what-matters", "--dry-run").startswith(
        f"error: newsletter.toml:{number}: {key} is empty; write {wanted}")


@pytest.mark.parametrize("old, new, meant", [
    ("timezone = ", 'time_zone = "UTC"', "did you mean timezone?"),
    ("name = ", 'nmae = "outbox"', "did you mean name?"),
    ("[provider]", "[providers]", "did you mean [provider]?"),
    ("[site]", "[Site]", "did you mean [site]?"),
])
def test_a_misspelt_setting_or_section_names_the_one_meant_and_its_line(site, old, new, meant):
    number = rewrite(site, old, new)
    message = refusal(site, "posts")
    assert message.startswith(f"error: newsletter.toml:{number}: unknown ")
    assert f"; {meant} " in message


def test_a_setting_written_twice_is_named_at_its_second_line(site):
    rewrite(site, "[provider]", '[provider]\nname = "smtp"')
    lines = (site / "newsletter.toml").read_text().splitlines()
    second = [number for number, line in enumerate(lines, 1) if line.startswith("name = ")][1]
    assert refusal(site) == (f"error: newsletter.toml:{second}: name is set a second time (not "
                             "valid TOML); keep one of the two lines\n")


def test_text_without_quotes_is_named_with_its_line_and_the_fix(site):
    number = rewrite(site, "name = ", "name = postmark")
    assert refusal(site) == (f"error: newsletter.toml:{number}: not valid TOML (Invalid value); "
                             'put text in quotes (name = "postmark"); true and false are in '
                             "lower case\n")


@pytest.mark.parametrize("written, shown", [("2026-13-01", "2026-13-01"),
                                             ("2026-02-30T09:00:00Z", "2026-02-30")])
def test_a_date_that_is_no_day_names_the_date(site, written, shown):
    # Before: "not valid TOML (Expected newline or end of document after a statement)", which
    # sent the writer looking for a missing line break.
    number = rewrite(site, "since = ", f"since = {written}")
    assert refusal(site) == (f"error: newsletter.toml:{number}: since = {shown} is no date on "
                             "the calendar (not valid TOML); write it as YYYY-MM-DD, a month "
                             "01-12 and a day that month has\n")


OUTSIDE = "must be a folder inside the site, other than the site's own folder"


@pytest.mark.parametrize("directory, problem", [
    ("/tmp/mail", OUTSIDE),  # was "unexpected error ... this is a bug in newsletter", exit 1
    ("../mail", OUTSIDE),
    ("", OUTSIDE),  # the site's own folder: a folder per post beside newsletter.toml
    (".", OUTSIDE),
    ("subscribers", "is inside subscribers/, newsletter's own folder"),
])
def test_an_outbox_folder_outside_the_site_or_in_its_own_folders_is_refused_before_sending(
        site, directory, problem):
    number = rewrite(site, "name = ", f'name = "outbox"\ndirectory = "{directory}"') + 1
    assert refusal(site, "send", "what-matters", "--yes") == (
        f"error: newsletter.toml:{number}: provider.directory {directory!r} {problem}; write a "
        'folder under the site, e.g. directory = "outbox"\n')
    assert not list(site.rglob("*.eml"))


@pytest.mark.parametrize("line, message", [
    ('api_url = "api.eu.sendgrid.com"', "provider.api_url must start with https://"),  # traceback
    ('message_stream = ""', "provider.message_stream is empty"),
])
def test_a_provider_setting_the_send_would_trip_on_is_refused_at_load(site, line, message):
    number = rewrite(site, "name = ", f'name = "postmark"\n{line}') + 1
    result = invoke(site, "send", "what-matters", "--yes",
                    env={"POSTMARK_SERVER_TOKEN": "pm-token-1", "NEWSLETTER_SECRET": "s" * 32})
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: newsletter.toml:{number}: {message}; ")


@pytest.mark.parametrize("line, message", [
    ('static_dirs = ["../../pictures"]', "images.static_dirs '../../pictures' must be a folder inside "
                                       'the site; write a folder under the site, e.g. '
                                       'static_dirs = ["static"]'),
    ('publish_dir = "/var/www/letters"', "images.publish_dir '/var/www/letters' must be a folder "
                                         "inside the site, other than the site's own folder; "
                                         "write a folder under the site, e.g. publish_dir = "
                                         '"static/newsletter"'),
])
def test_an_image_folder_outside_the_site_is_refused(site, line, message):
    """Before, images were looked for, and prepared images written, wherever these named."""
    number = rewrite(site, "[images]", f"[images]\n{line}") + 1
    assert refusal(site, "posts") == f"error: newsletter.toml:{number}: {message}\n"


def test_a_key_in_a_commented_out_line_is_refused_too(site):
    """A comment is committed and shared with the rest of the file."""
    number = rewrite(site, "name = ", f'name = "outbox"\n# api_key = "{SENDGRID_KEY}"') + 1
    message = refusal(site, "posts")
    assert message.startswith(f"error: newsletter.toml:{number}: this line holds what looks "
                              "like a provider's key, and newsletter.toml is no place for one; "
                              "remove it from the file and set SENDGRID_API_KEY in the "
                              "environment instead")
    assert not [SENDGRID_KEY[at:at + 6] for at in range(len(SENDGRID_KEY) - 5)
                if SENDGRID_KEY[at:at + 6] in message]


def test_a_setting_refused_after_loading_names_its_line_too(site):
    """A provider or a send refuses some settings only once it runs; it named the file alone."""
    number = rewrite(site, "name = ", 'name = "mailgun"') - 1  # no domain line: [provider]
    result = invoke(site, "send", "what-matters", "--yes",
                    env={"MAILGUN_API_KEY": "mg-key-1", "NEWSLETTER_SECRET": "s" * 32})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: newsletter.toml:{number}: provider.domain is not "
                                    "set; ")


@pytest.mark.parametrize("host", ["smtp..example.com", "smtp." + "x" * 64 + ".example.com"])
def test_an_smtp_host_no_connection_can_name_is_refused_before_anyone_is_claimed(site, host):
    """Before, `check` passed it, and each batch of `send` was an "unexpected error ... a bug
    in newsletter" that left its readers in doubt, though nothing could have been sent."""
    from sending_support import ledger_states, site_settings

    number = rewrite(site, "name = ", f'name = "smtp"\nhost = "{host}"') + 1
    problem = (f"provider.host {host!r} is not a host name; a part between dots is empty, or "
               "longer than 63 characters: check it for typos")
    environ = {"NEWSLETTER_SECRET": "s" * 32}
    checked = invoke(site, "check", env=environ)
    assert checked.exit_code == 2
    assert f"error: newsletter.toml: provider-setup: {problem}\n" in checked.output
    sent = invoke(site, "send", "what-matters", "--yes", env=environ)
    assert sent.exit_code == 2 and sent.stderr == f"error: newsletter.toml:{number}: {problem}\n"
    assert ledger_states(site_settings(site)) == {}


def test_a_welcome_series_naming_no_post_is_found_by_check_not_first_by_cron(site):
    """`check` passed a typo in [welcome] posts (exit 0, "nothing to check"); the first to
    say so was `send --due`, from cron, which then sent no welcome email."""
    with open(site / "newsletter.toml", "a", encoding="utf-8") as settings:
        settings.write('\n[welcome]\nenabled = true\nposts = ["what-matters", "what-maters"]\n')
    number = len((site / "newsletter.toml").read_text(encoding="utf-8").splitlines())
    checked = invoke(site, "check", env={"NEWSLETTER_SECRET": "s" * 32})
    assert checked.exit_code == 2, checked.output
    assert (f"error: newsletter.toml:{number}: welcome-posts: welcome.posts: no post named "
            "'what-maters'") in checked.output
    assert invoke(site, "check", "what-matters").exit_code == 2  # a post named: the settings too


def test_a_draft_in_the_welcome_series_is_found_by_check(site):
    """The series stops at a post it cannot send (a draft); `check` said nothing of it."""
    with open(site / "newsletter.toml", "a", encoding="utf-8") as settings:
        settings.write('\n[welcome]\nenabled = true\nposts = ["what-matters", "notes-on-editing"]\n')
    number = len((site / "newsletter.toml").read_text(encoding="utf-8").splitlines())
    checked = invoke(site, "check", env={"NEWSLETTER_SECRET": "s" * 32})
    assert checked.exit_code == 2, checked.output
    assert (f"error: newsletter.toml:{number}: welcome-posts: welcome series: "
            "/posts/notes-on-editing is a draft: not sent; set draft: false to publish it, or "
            "test it with --to EMAIL; readers wait at that post until it can be sent\n"
            ) in checked.output  # the file named once, "not sent" said once
