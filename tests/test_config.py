"""newsletter.toml: typed settings, and one clear line for every mistake in it."""

from __future__ import annotations

import datetime as dt

import pytest

from newsletter.config import load_settings
from newsletter.errors import ConfigError

MINIMAL = """
[site]
title = "Blog"
url = "https://blog.example.com"

[email]
from = "Jane <jane@example.com>"
postal_address = "1 Street"
unsubscribe_url = "https://blog.example.com/u?email={email}&token={token}"
"""


def write(tmp_path, text):
    (tmp_path / "newsletter.toml").write_text(text, encoding="utf-8")
    return tmp_path


def error_for(tmp_path, text) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), {})
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_example_site_settings_load(site):
    settings = load_settings(site, {})
    assert settings.site.title == "Example Notes"
    assert settings.email.from_address == "jane@example.com"
    assert settings.email.from_name == "Jane Writer"
    assert settings.email.sender_domain == "example.com"
    assert settings.provider.name == "outbox"
    assert settings.schedule.since == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def test_defaults_fill_what_is_left_out(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL), {})
    assert settings.site.timezone == "UTC"
    assert settings.email.subject == "{title}"
    assert settings.email.cta_text == "Get in touch"
    assert settings.provider.name == "outbox"
    assert settings.provider.batch_size is None
    assert settings.schedule.since is None
    assert settings.schedule.max_posts_per_run == 2


def test_typo_in_a_key_names_the_key_and_the_choices(tmp_path):
    message = error_for(tmp_path, MINIMAL + '\n[provider]\nnmae = "postmark"\n')
    assert message.startswith("newsletter.toml:12: unknown setting provider.nmae; did you mean name? "
                              "[provider] takes name, ")


def test_unknown_section_is_named(tmp_path):
    assert error_for(tmp_path, MINIMAL + "\n[sending]\n") == (
        "newsletter.toml:11: unknown section [sending]; check the spelling; "
        "use one of [site], [email], [provider], [schedule], [images], [signup], [posts], "
        "[tracking], [welcome], [store]"
    )


@pytest.mark.parametrize("table, message", [
    ('every = "soon"', "welcome.every: 'soon' is not a duration"),
    ('every = "0d"', "welcome.every must be longer than 0"),
    ('first_after = "1 fortnight"', "welcome.first_after: '1 fortnight' is not a duration"),
    ("enabled = true", "welcome.enabled is true but welcome.posts names no post"),
    ('posts = ["a", "a"]', "welcome.posts names a post twice"),
    ('intro = "Hi {name}"', "welcome.intro cannot be filled in"),
    ('intro = "two\\nlines"', "welcome.intro must be one line"),
])
def test_a_bad_welcome_setting_is_named(tmp_path, table, message):
    assert message in error_for(tmp_path, MINIMAL + f"\n[welcome]\n{table}\n")


@pytest.mark.parametrize("table, message", [
    ("daily_limit = 0", "provider.daily_limit must be from 1 to 100,000,000 messages, not 0"),
    ("reserve_for_signups = 1.5", "provider.reserve_for_signups must be from 0 to 0.9"),
])
def test_a_bad_limit_is_named(tmp_path, table, message):
    assert message in error_for(tmp_path, MINIMAL + f"\n[provider]\n{table}\n")


def test_a_tracking_setting_that_moved_says_where_it_is_now(tmp_path):
    assert error_for(tmp_path, MINIMAL + "\n[provider]\ntrack_opens = true\n") == (
        "newsletter.toml:12: provider.track_opens has moved; write it as opens under [tracking]")


def test_wrong_type_names_the_key_and_the_value(tmp_path):
    message = error_for(tmp_path, MINIMAL + '\n[provider]\nbatch_size = "100"\n')
    assert message == "newsletter.toml:12: provider.batch_size must be an integer, not '100'"


def test_boolean_is_not_an_integer(tmp_path):
    message = error_for(tmp_path, MINIMAL + "\n[provider]\nconcurrency = true\n")
    assert "provider.concurrency must be an integer" in message


def test_missing_required_value_says_what_to_add(tmp_path):
    text = MINIMAL.replace('postal_address = "1 Street"\n', "")
    assert error_for(tmp_path, text) == (
        "newsletter.toml:6: missing required setting email.postal_address; "
        "add postal_address = ... under [email]"
    )


def test_unknown_provider_lists_the_known_ones(tmp_path):
    message = error_for(tmp_path, MINIMAL + '\n[provider]\nname = "mailchimp"\n')
    assert "provider.name 'mailchimp' is not a known provider" in message
    assert "postmark" in message and "outbox" in message


def test_unknown_timezone(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace('[email]', 'timezone = "Mars/Olympus"\n[email]'))
    assert "site.timezone 'Mars/Olympus' is not a known time zone" in message


def test_plain_http_unsubscribe_url_is_refused(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("https://blog.example.com/u", "http://x/u"))
    assert "email.unsubscribe_url must be an https:// URL" in message


EXAMPLE_URL = "for example https://blog.example.com/unsubscribe/{token}"


@pytest.mark.parametrize("url, complaint", [
    ("https://blog.example.com/unsubscribe", "must hold {token} once: without it every reader "
                                             "would get the same link"),
    ("https://blog.example.com/u?email={email}", "must hold {token} once"),
    ("https://blog.example.com/{token}/{token}", "must hold {token} once"),
    ("https://blog.example.com/u/{reader}", "has {reader}, which is no placeholder"),
    ("https://blog.example.com/u/{token", "cannot be filled in"),
    ("https://{token}.example.com/u", "must put {token} in the path or as a whole query value"),
    ("https://blog.example.com/u?t=x{token}", "must put {token} in the path"),
    ("https://blog.example.com/u#{token}", "must put {token} in the path"),
])
def test_an_unsubscribe_url_that_cannot_name_each_reader_stops_every_command(tmp_path, url,
                                                                             complaint):
    message = error_for(tmp_path, MINIMAL.replace(
        "https://blog.example.com/u?email={email}&token={token}", url))
    assert message.startswith("newsletter.toml:9: email.unsubscribe_url ")
    assert complaint in message
    assert message.endswith(EXAMPLE_URL)


@pytest.mark.parametrize("url", ["https://blog.example.com/unsubscribe/{token}",
                                 "https://blog.example.com/u?t={token}",
                                 "https://blog.example.com/u?email={email}&token={token}",
                                 "https://news.example.com/letters/{token}/stop?who={email}"])
def test_an_unsubscribe_url_with_its_token_where_serve_reads_it_loads(tmp_path, url):
    settings = load_settings(write(tmp_path, MINIMAL.replace(
        "https://blog.example.com/u?email={email}&token={token}", url)), {})
    assert settings.email.unsubscribe_url == url


def test_an_unsubscribe_url_without_its_token_is_refused_by_the_cli_too(site):
    from conftest import invoke

    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("/unsubscribe/{token}", "/unsubscribe"))
    for command in (["posts"], ["check"], ["send", "what-matters", "--dry-run"]):
        result = invoke(site, *command)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: newsletter.toml:18: email.unsubscribe_url must hold "
                                        "{token} once"), result.stderr


def test_broken_toml_names_the_file_and_line(tmp_path):
    assert error_for(tmp_path, "[site\n") == (
        "newsletter.toml:1: not valid TOML (Expected ']' at the end of a table declaration)")
    assert error_for(tmp_path, MINIMAL + 'from = "Twice <t@example.com>"\n') == (
        "newsletter.toml:10: from is set a second time (not valid TOML); keep one of the two "
        "lines")


def test_a_setting_above_every_section_is_named_as_such(tmp_path):
    assert error_for(tmp_path, 'title = "Blog"\n' + MINIMAL.replace('title = "Blog"\n', "")) == (
        "newsletter.toml:1: title is outside any section; move it under the section it belongs "
        "to ([site], [email], ...)")


@pytest.mark.parametrize("key", ["reply_to", "unsubscribe_mailto"])
def test_an_address_setting_without_an_address_is_refused(tmp_path, key):
    text = MINIMAL.replace("[email]\n", f'[email]\n{key} = "jane.example.com"\n')
    assert error_for(tmp_path, text) == (
        f"newsletter.toml:7: email.{key} 'jane.example.com' has no address; "
        'write it as "you@example.com"')
    named = MINIMAL.replace("[email]\n", f'[email]\n{key} = "Jane <jane@example.com>"\n')
    assert load_settings(write(tmp_path, named), {})


def test_missing_file_outside_any_site_says_to_run_init(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, {})
    assert str(caught.value).endswith(
        f"not found; {tmp_path.resolve()} is not a site yet: make it one with `newsletter init`, "
        "or pass --site DIR to name the site folder")


def test_missing_file_in_a_folder_of_a_site_names_the_site(tmp_path):
    write(tmp_path, MINIMAL)
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    with pytest.raises(ConfigError) as caught:
        load_settings(posts, {})
    site = tmp_path.resolve()
    assert str(caught.value).endswith(f"the site is {site}: run newsletter there or pass --site {site}")


def test_since_accepts_a_string_and_a_date(tmp_path):
    text = MINIMAL + '\n[schedule]\nsince = "2026-03-01T10:00:00+02:00"\n'
    since = load_settings(write(tmp_path, text), {}).schedule.since
    assert since == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
    text = MINIMAL + "\n[schedule]\nsince = 2026-03-01\n"
    assert load_settings(write(tmp_path, text), {}).schedule.since.day == 1


def test_since_without_a_zone_is_read_in_the_site_time_zone(tmp_path):
    text = MINIMAL.replace("[email]", 'timezone = "Europe/Berlin"\n[email]')
    since = load_settings(write(tmp_path, text + "\n[schedule]\nsince = 2026-03-01T09:00:00\n"), {})
    assert since.schedule.since.astimezone(dt.timezone.utc) == dt.datetime(
        2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)


def test_secrets_come_only_from_the_environment_and_never_show(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL), {"POSTMARK_SERVER_TOKEN": "pm-secret-123",
                                                       "HOME": "/root"})
    assert settings.secrets.get("POSTMARK_SERVER_TOKEN") == "pm-secret-123"
    assert settings.secrets.get("HOME") is None
    assert "pm-secret-123" not in repr(settings)


def test_a_config_error_reaches_the_user_as_one_line(tmp_path):
    from tests.conftest import invoke

    write(tmp_path, MINIMAL + '\n[provider]\nnmae = "postmark"\n')
    result = invoke(tmp_path, "posts")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith("error: newsletter.toml:12: unknown setting provider.nmae")


def test_every_provider_name_the_settings_accept_has_an_adapter():
    from newsletter.config import PROVIDER_NAMES
    from newsletter.providers import PROVIDERS

    assert set(PROVIDER_NAMES) == set(PROVIDERS)


def test_a_provider_module_declares_its_secrets_and_only_those_are_read(site):
    """Adding a provider is one module: its declaration alone makes the settings read its
    secret, and nothing undeclared is read from the environment."""
    from newsletter.providers import DECLARATIONS

    declared = {name for d in DECLARATIONS.values() for name in d.secrets}
    assert {"POSTMARK_SERVER_TOKEN", "MAILGUN_WEBHOOK_SIGNING_KEY", "SMTP_PASSWORD"} <= declared
    environ = {name: "value-of-" + name for name in declared} | {"HOME": "/home/writer"}
    assert set(load_settings(site, environ).secrets.values) == declared


def test_a_line_break_in_a_value_that_reaches_headers_is_refused(tmp_path):
    text = MINIMAL.replace('[email]\n', '[email]\nreply_to = """jane@example.com\nBcc: all@example.com"""\n')
    assert error_for(tmp_path, text) == "newsletter.toml:7: email.reply_to must be on one line"
