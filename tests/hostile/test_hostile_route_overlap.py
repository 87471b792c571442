"""An unsubscribe URL at the root of its host (``https://news.example.com/{token}``) takes
every one-segment path: before, the sign-up form's POST /subscribe was read as a one-click
without its body and answered 400, so nobody could sign up. The sign-up paths the settings
name now come first; one-click links still work."""

from __future__ import annotations

import pytest
import requests
from conftest import invoke
from signup_support import configure_signup, settle, sign_up, signup_endpoint, wait_for_email
from web_server import SECRET, statuses, subscriber_csv

from newsletter.message import UnsubscribeTokens


def test_sign_ups_and_one_clicks_both_work_beside_a_root_unsubscribe_url(site):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("https://blog.example.com/unsubscribe/{token}",
                                             "https://news.example.com/{token}"))
    subscriber_csv(site, "old@example.com")
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        answer = sign_up(base, "new@example.com")
        assert answer.status_code == 200 and "Check your inbox" in answer.text
        settle(app)
        assert wait_for_email(site, "new@example.com") is not None
        token = UnsubscribeTokens(SECRET).make("old@example.com")
        one_click = requests.post(f"{base}/{token}", data={"List-Unsubscribe": "One-Click"},
                                  timeout=30)
        assert one_click.status_code == 200
    assert statuses(site)["old@example.com"] == "unsubscribed"


def test_a_confirm_url_that_takes_the_unsubscribe_links_is_refused_at_its_line(site):
    """The sign-up routes are served first, so a confirmation path that takes the
    unsubscribe links' paths (the same /unsubscribe/{token}) answered every one-click
    unsubscribe 403, "This link does not work", as a forged confirmation; `serve` started
    without a word."""
    configure_signup(site, confirm_url="https://blog.example.com/unsubscribe/{token}")
    line = (site / "newsletter.toml").read_text().splitlines().index("[signup]") + 1
    for command in ("check", "serve"):
        result = invoke(site, command, env={"NEWSLETTER_SECRET": SECRET})
        assert result.exit_code == 2
        assert result.output.startswith(
            f"error: newsletter.toml:{line}: signup.path and signup.confirm_url must not share "
            "a path with the unsubscribe URL")


@pytest.mark.parametrize("setting", [
    {"path": "/health"}, {"path": "/health/"},
    {"confirm_url": "https://blog.example.com/health/{token}"},
])
def test_a_sign_up_path_on_the_health_check_is_refused_at_its_line(site, setting):
    """Before: `signup.path = "/health"` was taken (the sign-up routes come first), so the
    load balancer's GET /health got the sign-up route's answer, not 200 ok, and took the
    endpoint out of service; `check` said nothing."""
    configure_signup(site, **setting)
    lines = (site / "newsletter.toml").read_text().splitlines()
    key = next(iter(setting))  # its line, or the table's when the setting has none of its own
    line = next((n for n, text in enumerate(lines, 1) if text.startswith(f"{key} = ")
                 and key == "path"), lines.index("[signup]") + 1)
    for command in ("check", "serve"):
        result = invoke(site, command, env={"NEWSLETTER_SECRET": SECRET})
        assert result.exit_code == 2
        assert result.output.startswith(
            f"error: newsletter.toml:{line}: signup.path and signup.confirm_url must not share "
            "a path with the unsubscribe URL, each other, /health or /webhooks/")


def test_an_unsubscribe_url_under_the_health_check_is_refused(site):
    """Before: with email.unsubscribe_url = https://.../health?t={token}, every one-click
    POST to it got the health check's 405, so no reader could leave."""
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("https://blog.example.com/unsubscribe/{token}",
                                             "https://blog.example.com/health?t={token}"))
    for command in ("check", "serve"):
        result = invoke(site, command, env={"NEWSLETTER_SECRET": SECRET})
        assert result.exit_code == 2
        assert "email.unsubscribe_url must not be under /health" in result.output
        assert "Traceback" not in result.output
