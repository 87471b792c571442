"""Posts written to slip past the preflight check, or to break it, or the terminal it prints to."""

from __future__ import annotations

import json

from conftest import invoke, run_cli


def write(site, name: str, body: str) -> str:
    (site / "content" / "posts" / f"{name}.md").write_text(
        f'---\ntitle: "{name}"\ndate: "2026-11-02T09:00:00Z"\ndescription: d\n---\n\n{body}\n')
    return name


def findings(site, name: str) -> list[dict]:
    result = invoke(site, "check", name, "--json")
    return json.loads(result.stdout)["findings"]


def test_scripts_hidden_as_browsers_would_still_run_them_are_found(site):
    write(site, "sneaky", '<a href="java&#x09;script:alert(1)">one</a>\n\n'
                          '<a href="&#x01;JaVaScRiPt:alert(2)">two</a>\n\n'
                          '<a href=" vbscript:msgbox(3)">three</a>\n\n'
                          '<a href="jav&#10;ascript:alert(4)">four</a>')
    assert [(f["code"], f["where"]) for f in findings(site, "sneaky")] == [
        ("link-javascript", f"content/posts/sneaky.md:{line}") for line in (7, 9, 11, 13)]


def test_a_post_nested_deep_enough_to_lose_the_footer_is_never_sent(site):
    # The HTML parser stops nesting at 256 levels and drops the rest: the post's text, and the
    # footer with it when the post has text outside the nesting.
    write(site, "deep", "<div>" * 3000 + "deep" + "</div>" * 3000)
    result = run_cli(site, "send", "deep", "--yes")
    assert result.returncode == 2
    assert result.stderr.startswith("error: content/posts/deep.md: the post shows nothing: ")
    assert "HTML nested over 255 deep" in result.stderr
    write(site, "deep", "Above the nest.\n\n" + "<div>" * 3000 + "deep" + "</div>" * 3000)
    result = run_cli(site, "send", "deep", "--yes")
    assert result.returncode == 2
    assert "error: templates/email.html: footer-no-unsubscribe:" in result.stderr
    assert "error: /posts/deep not sent:" in result.stderr
    assert not (site / "outbox").exists()


def test_terminal_escapes_in_a_post_do_not_reach_the_terminal(site):
    write(site, "escapes", "[\x1b[2J\x1b]0;pwned\x07click](#)")
    result = invoke(site, "check", "escapes")
    assert result.exit_code == 2
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout
    [line] = result.stdout.splitlines()
    assert line.startswith("error: content/posts/escapes.md:7: link-fragment: the link \"")


def test_a_url_of_a_megabyte_makes_one_short_line(site):
    write(site, "long", f"[x](javascript:{'a' * 1_000_000})")
    found = {f["code"]: f for f in findings(site, "long")}
    assert set(found) == {"link-javascript", "size-clipped"}  # and Gmail would clip it
    assert len(found["link-javascript"]["message"]) < 600


def test_thousands_of_links_are_each_found_at_their_own_line(site):
    write(site, "many", "\n\n".join(f"[link {n}](#)" for n in range(2000)))
    found = [f for f in findings(site, "many") if f["code"] == "link-fragment"]
    assert len(found) == 2000
    assert {f["where"] for f in found} == {f"content/posts/many.md:{7 + 2 * n}" for n in range(2000)}


def test_event_handlers_and_page_level_tags_never_reach_the_email(site):
    # Raw HTML a guest post may carry: scripts in attributes, and tags that act on the whole
    # page the email is shown in (a base for every link, a redirect, a stylesheet).
    write(site, "handlers", '<img src="https://blog.example.com/a.png" alt="a" '
                            'onerror="alert(1)">\n\n'
                            '<a href="https://example.org/" OnClick="steal()">a link</a>\n\n'
                            '<base href="https://evil.example/">\n\n'
                            '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n\n'
                            '<link rel="stylesheet" href="https://evil.example/x.css">\n\n'
                            'The words stay.')
    found = [(f["code"], f["where"]) for f in findings(site, "handlers")]
    assert ("html-script-attribute", "content/posts/handlers.md:7") in found
    assert ("html-script-attribute", "content/posts/handlers.md:9") in found
    assert [(code, where) for code, where in found if code == "html-page-tag"] == [
        ("html-page-tag", f"content/posts/handlers.md:{line}") for line in (11, 13, 15)]
    assert invoke(site, "preview", "handlers").exit_code == 0
    sent = (site / "preview" / "handlers" / "email.html").read_text(encoding="utf-8")
    assert "The words stay." in sent and "a link" in sent and "a.png" in sent
    for gone in ("onerror", "alert(", "onclick", "steal()", "<base", "refresh", "evil.example"):
        assert gone not in sent.lower()


def test_script_urls_in_attributes_other_than_a_links_href_are_errors(site):
    # Only <a href> and <img src> were read: a script in any other URL attribute went out.
    write(site, "elsewhere", '<svg><a xlink:href="javascript:alert(1)"><text>svg</text></a></svg>\n\n'
                             '<map name="m"><area href=" JavaScript:alert(2)"></map>\n\n'
                             '<img src="https://blog.example.com/a.png" alt="a" '
                             'srcset="https://blog.example.com/b.png 2x, javascript:alert(3) 1x">\n\n'
                             '<table background="vbscript:msgbox(4)"><tr><td>t</td></tr></table>\n\n'
                             '<div style="background: URL( \'javascript:alert(5)\' )">bg</div>\n\n'
                             '<a href="https://example.org/" title="javascript: a talk">fine</a>')
    found = [(f["code"], f["where"]) for f in findings(site, "elsewhere")]
    # The drawing is reported too: Gmail and Outlook drop an inline <svg>.
    found.remove(("html-svg", "content/posts/elsewhere.md:7"))
    assert found == [("html-script-attribute", f"content/posts/elsewhere.md:{line}")
                     for line in (7, 9, 11, 13, 15)]
    result = run_cli(site, "send", "elsewhere", "--yes")
    assert result.returncode == 2 and not (site / "outbox").exists()
