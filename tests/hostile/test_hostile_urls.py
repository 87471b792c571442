"""URLs and moments no parser takes are one line, never a traceback (issue 23, item 9).

``urllib.parse.urlsplit`` raises for a host with an unbalanced ``[`` (``http://[``) and its
``port`` for one past 65535; ``datetime`` overflows at the calendar's ends. A post, a setting or
``--now`` holding one gets a finding or a refusal naming it.
"""

from __future__ import annotations

import pytest

from conftest import invoke

POST = '---\ntitle: "A Fine Post"\ndate: 2026-11-25T08:00:00Z\n---\n\nRead {body} today.\n'


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                 "0001-01-01T00:00:00"])
def test_a_now_at_the_ends_of_the_calendar_is_one_line(site, now):
    result = invoke(site, "send", "--due", "--now", now, "--dry-run")
    assert result.exit_code == 2
    assert result.stderr == (f"error: --now {now!r} is outside the years 1900 to 9998; give a "
                             "date-time within them, such as 2026-12-01T09:00\n")


@pytest.mark.parametrize("body, code, shown", [
    ("<http://[>", "link-malformed", "http://["),
    ("[x](http://[)", "link-malformed", "http://["),
    ("[x](//[::1/x)", "link-malformed", "//[::1/x"),
    ('<a href="https://]x/">x</a>', "link-malformed", "https://]x/"),
    ("[x](https://example.com:99999/)", "link-malformed", "https://example.com:99999/"),
    ("![a cat](http://[/cat.png)", "image-malformed", "http://[/cat.png"),
])
def test_a_link_no_browser_can_open_is_an_error_finding_in_every_command(site, body, code,
                                                                         shown):
    (site / "content" / "posts" / "evil.md").write_text(POST.format(body=body))
    checked = invoke(site, "check", "evil")
    assert checked.exit_code == 2
    assert f"error: content/posts/evil.md:6: {code}: " in checked.stdout
    assert f"is no valid address ({shown})" in checked.stdout

    dry = invoke(site, "send", "evil", "--dry-run")
    assert dry.exit_code != 0 and code in dry.stdout + dry.stderr

    preview = invoke(site, "preview", "evil")  # the preview shows the post as it is written
    assert preview.exit_code == 0, preview.stderr
    assert (site / "preview" / "evil" / "index.html").exists()


def test_an_escaped_host_in_an_image_path_is_no_file_name(site):
    (site / "content" / "posts" / "evil.md").write_text(POST.format(body="![a](%2F%2F[x.png)"))
    checked = invoke(site, "check", "evil")
    assert checked.exit_code == 2
    assert "error: content/posts/evil.md:6: image-unusable: image '//[x.png' names no file" \
        in checked.stdout


@pytest.mark.parametrize("key, line", [
    ("site.url", 'url = "https://[blog.example.com"'),
    ("email.cta_url", 'cta_url = "https://[x/"'),
    ("email.cta_url", 'cta_url = "https://blog.example.com:99999/"'),
    ("email.unsubscribe_url", 'unsubscribe_url = "https://[x/unsubscribe/{token}"'),
])
def test_a_url_setting_no_parser_takes_is_refused_naming_the_key(site, key, line):
    settings = site / "newsletter.toml"
    name = line.split(" =")[0]
    settings.write_text("\n".join(line if text.startswith(f"{name} =") else text
                                  for text in settings.read_text().splitlines()) + "\n")
    result = invoke(site, "check")
    assert result.exit_code == 2
    number = settings.read_text().splitlines().index(line) + 1
    assert result.stderr.startswith(f"error: newsletter.toml:{number}: {key} ")
    assert "is not a valid URL; [ and ] belong only around an IPv6 address, a port is a number " \
        "up to 65535" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_signup_origin_no_parser_takes_is_refused_naming_the_key(site):
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text() + '\n[signup]\nallowed_origins = ["https://["]\n')
    result = invoke(site, "check")
    assert result.exit_code == 2
    number = len(settings.read_text().splitlines())
    assert result.stderr == (f"error: newsletter.toml:{number}: signup.allowed_origins "
                             "'https://[' is not a valid URL; [ and ] belong only around an IPv6 address, a port is "
                             "a number up to 65535\n")


def test_a_hugo_base_url_no_parser_takes_leaves_the_posts_checkable(tmp_path):
    from generator_sites import hugo_site

    root = tmp_path / "hugo"
    hugo_site(root)
    assert invoke(root, "init").exit_code == 0
    config = root / "hugo.toml"
    config.write_text(config.read_text().replace('baseURL = "https://notes.example.org/"',
                                                 'baseURL = "http://[/notes/"'))
    result = invoke(root, "check", "first-light")  # a post with an image of the site's own
    assert "Checked 1 post" in result.output
