"""Theme cards and embeds written to lead a reader elsewhere: a repository path that climbs
out of the host, a server or post whose address is a script, a project number that is not one. Each is a
template-syntax error at its line, never a link in the email."""

from __future__ import annotations

import lxml.html
from conftest import invoke
from test_blowfish_cards import blog


def syntax_errors_at(output: str) -> list[str]:
    """Where check's error lines are, each a template-syntax error."""
    found = [line.split(": ", 3)[1:3] for line in output.splitlines()
             if line.startswith("error")]
    assert {kind for _, kind in found} == {"template-syntax"}
    return [where for where, _ in found]


def test_a_card_of_no_repository_or_of_a_server_no_email_may_link_is_an_error(tmp_path):
    root = blog(tmp_path, '{{< github repo="../../etc" >}}\n\n'
                          '{{< gitea server="javascript:alert(1)" repo="ria/nests" >}}\n\n'
                          '{{< gitlab projectID="12ab" >}}\n')

    checked = invoke(root, "check", "tools")

    assert checked.exit_code == 2
    assert syntax_errors_at(checked.output) == ["content/posts/tools.md:6",
                                                "content/posts/tools.md:8",
                                                "content/posts/tools.md:10"]
    assert 'needs repo="owner/name"' in checked.output
    assert "needs the address of its server" in checked.output
    assert "needs the project's number" in checked.output


def test_a_mastodon_post_or_pdf_that_is_no_web_address_is_an_error(tmp_path):
    root = blog(tmp_path, '{{< mastodon status="javascript:alert(1)" >}}\n\n'
                          '{{< mastodon server="evil.example/x?" user="a" id="1" >}}\n\n'
                          '{{< embed-pdf src="javascript:alert(1)" >}}\n')

    checked = invoke(root, "check", "tools")

    assert checked.exit_code == 2
    assert syntax_errors_at(checked.output) == ["content/posts/tools.md:6",
                                                "content/posts/tools.md:8",
                                                "content/posts/tools.md:10"]
    assert invoke(root, "preview", "tools").exit_code == 0  # shown as text, never a link
    document = lxml.html.parse(root / "preview" / "tools" / "email.html")
    assert not [href for href in document.xpath("//a/@href") if "javascript" in href
                or "evil" in href]
    assert "javascript:alert(1)" in document.getroot().text_content()
