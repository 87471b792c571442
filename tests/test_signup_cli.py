"""The sign-up commands and settings: `newsletter form`, `subscribers prune`, the unconfirmed
status in `list` and `count`, and [signup] mistakes in newsletter.toml."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from conftest import invoke
from signup_support import configure_signup
from test_config import MINIMAL as SMALLEST
from web_server import statuses

from newsletter.config import load_settings
from newsletter.errors import ConfigError


class _Snippet(HTMLParser):
    """The inputs, labels and scripts of a form snippet."""

    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.scripts: list[dict] = []
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.append(attrs)
        elif tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        elif tag == "script":
            self.scripts.append(attrs)
        elif tag == "form":
            self.forms.append(attrs)


def parse(html: str) -> _Snippet:
    snippet = _Snippet()
    snippet.feed(html)
    return snippet


def test_form_prints_an_accessible_snippet_with_a_honeypot_and_no_script(site):
    configure_signup(site, tags=["weekly", "Book notes"])

    result = invoke(site, "form")

    assert result.exit_code == 0
    snippet = parse(result.output)
    [form] = snippet.forms
    assert form["action"] == "https://blog.example.com/subscribe"
    assert form["method"] == "post"
    assert snippet.scripts == []  # nothing loaded from anywhere
    visible = [i for i in snippet.inputs if i.get("type") not in ("hidden", "checkbox")]
    assert {i["name"] for i in visible} == {"email", "name", "website"}
    assert all(i["id"] in snippet.labels for i in visible)  # every field has its label
    [email] = [i for i in visible if i["name"] == "email"]
    assert email["type"] == "email" and "required" in email
    [trap] = [i for i in visible if i["name"] == "website"]
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert {i["value"] for i in snippet.inputs if i.get("type") == "checkbox"} == {
        "weekly", "Book notes"}
    assert "performance.now()" in form["onsubmit"]


def test_form_json_example_posts_json_with_fetch_from_an_inline_script(site):
    result = invoke(site, "form", "--json-example", "--action",
                    "https://news.example.com/subscribe")

    assert result.exit_code == 0
    snippet = parse(result.output)
    assert snippet.forms[0]["action"] == "https://news.example.com/subscribe"
    assert snippet.scripts == [{}]  # one inline script, no src
    assert '"Content-Type": "application/json"' in result.output
    assert "fetch(form.action" in result.output
    assert 'role="status"' in result.output


def test_form_refuses_when_sign_ups_are_off(site):
    configure_signup(site, enabled=False)

    result = invoke(site, "form")

    assert result.exit_code == 2
    assert "sign-ups are off" in result.output


def test_form_warns_when_the_confirmation_templates_are_missing(site):
    (site / "templates" / "confirm.html").unlink()

    result = invoke(site, "form")

    assert result.exit_code == 0
    assert "templates/confirm.html" in result.output
    # the hint is one a user of an installed newsletter can follow (no "example site" to copy)
    assert "run `newsletter init`" in result.output
    assert invoke(site, "init").exit_code == 0
    assert "warning" not in invoke(site, "form").output


def write_list(site, rows: list[str]) -> None:
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags,subscribed_at\n" + "\n".join(rows) + "\n")


def days_ago(days: int) -> str:
    moment = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    return moment.replace(microsecond=0).isoformat()


def test_prune_removes_only_stale_unconfirmed_rows(site):
    write_list(site, [
        f"old@example.com,,unconfirmed,,{days_ago(8)}",
        f"fresh@example.com,,unconfirmed,,{days_ago(2)}",
        "undated@example.com,,unconfirmed,,",
        f"reader@example.com,,active,,{days_ago(400)}",
        f"gone@example.com,,unsubscribed,,{days_ago(400)}",
    ])
    before = (site / "subscribers" / "subscribers.csv").read_text()

    dry = invoke(site, "subscribers", "prune", "--unconfirmed-older-than", "7d", "--dry-run")
    assert dry.exit_code == 0
    assert "would remove old@example.com" in dry.output
    assert (site / "subscribers" / "subscribers.csv").read_text() == before

    result = invoke(site, "subscribers", "prune", "--unconfirmed-older-than", "7d")

    assert result.exit_code == 0
    assert "removed old@example.com (unconfirmed for more than 7d)" in result.output
    assert "1 unconfirmed row(s) have no readable subscribed_at" in result.output
    assert statuses(site) == {"fresh@example.com": "unconfirmed",
                              "undated@example.com": "unconfirmed",
                              "reader@example.com": "active", "gone@example.com": "unsubscribed"}
    again = invoke(site, "subscribers", "prune", "--unconfirmed-older-than", "7d")
    assert "removed" not in again.output  # nothing left to do: nothing said


def test_prune_keeps_every_other_byte_of_the_file(site):
    # A spreadsheet export: semicolons, CRLF, a column of the writer's own.
    (site / "subscribers" / "subscribers.csv").write_text(
        "email;name;status;company;subscribed_at\r\n"
        "keep@example.com;Kim;active;ACME;\r\n"
        f"stale@example.com;;unconfirmed;;{days_ago(30)}\r\n"
        "last@example.com;Lu;;\"Q, Inc\";\r\n", newline="")

    result = invoke(site, "subscribers", "prune", "--unconfirmed-older-than", "48h")

    assert result.exit_code == 0
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == (
        b"email;name;status;company;subscribed_at\r\n"
        b"keep@example.com;Kim;active;ACME;\r\n"
        b"last@example.com;Lu;;\"Q, Inc\";\r\n")


def test_prune_needs_a_duration_it_understands(site):
    result = invoke(site, "subscribers", "prune", "--unconfirmed-older-than", "a week")

    assert result.exit_code == 2
    assert "such as 48h or 7d" in result.output


def test_list_and_count_show_unconfirmed_readers(site):
    write_list(site, [f"new@example.com,Nia,unconfirmed,,{days_ago(1)}",
                      "ada@example.com,Ada,active,,"])

    listed = invoke(site, "subscribers", "list", "--status", "unconfirmed")
    counted = invoke(site, "subscribers", "count")

    assert listed.output.splitlines() == ["new@example.com\tNia\tunconfirmed\t"]
    assert "unconfirmed         1" in counted.output
    assert "active              1" in counted.output


# The smallest settings, with `serve` on a host of its own (news.) beside the blog's.
MINIMAL = SMALLEST.replace("https://blog.example.com/u?", "https://news.example.com/u?")


def test_signup_defaults_come_from_the_site(tmp_path):
    (tmp_path / "newsletter.toml").write_text(MINIMAL)

    signup = load_settings(tmp_path, {}).signup

    assert signup.enabled and signup.path == "/subscribe"
    assert signup.allowed_origins == ("https://blog.example.com",)
    assert signup.confirm_url == "https://news.example.com/confirm/{token}"
    assert signup.confirm_lifetime == dt.timedelta(hours=48)


@pytest.mark.parametrize("table, message", [
    ('allowed_origins = ["https://blog.example.com/posts/"]',
     "signup.allowed_origins: 'https://blog.example.com/posts/' is not an origin"),
    ('allowed_origins = "https://blog.example.com"', "signup.allowed_origins must be a list"),
    ('confirm_within = "two days"', "signup.confirm_within: 'two days' is not a duration"),
    ('confirm_within = "90d"', "signup.confirm_within must be between 1s and 30d"),
    ('confirm_url = "https://blog.example.com/confirm"', "must be an https:// URL with {token}"),
    ('confirm_url = "http://blog.example.com/c/{token}"', "must be an https:// URL with {token}"),
    ('path = "subscribe"', "signup.path 'subscribe' must be a URL path"),
    ('path = "/u"', "must not share a path"),
    ('tags = ["a,b"]', "signup.tags: 'a,b' is not a tag"),
    ("max_per_address = 0", "signup.max_per_address must be from 1 to 100 emails, not 0"),
    ('trusted_proxies = ["localhost"]', "signup.trusted_proxies: 'localhost' is not an IP"),
], ids=["origin-with-path", "origins-not-a-list", "bad-duration", "too-long", "no-token",
        "plain-http", "relative-path", "path-taken", "tag-with-comma", "zero-limit",
        "proxy-name"])
def test_a_signup_mistake_is_one_line_naming_the_key(tmp_path, table, message):
    (tmp_path / "newsletter.toml").write_text(MINIMAL + "\n[signup]\n" + table + "\n")

    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, {})

    assert str(caught.value).startswith(f"newsletter.toml:{len(MINIMAL.splitlines()) + 3}: ")
    assert message in str(caught.value)


def test_serve_with_a_broken_confirmation_template_stops_at_once_naming_the_line(site):
    template = site / "templates" / "confirm.html"
    template.write_text(template.read_text() + "{% block extra %}{{ oops( }}{% endblock %}\n")

    result = invoke(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": "s"})

    assert result.exit_code == 2
    assert result.output.startswith("error: templates/confirm.html:")
