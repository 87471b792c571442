"""`newsletter check`: one planted defect per finding code, reported at its line, and nothing on
a clean post. Fixture posts are in tests/fixtures/check/, named for their defect; each writes it
on line 9 unless its front matter is the defect."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REFERENCE_POST, invoke

FIXTURES = Path(__file__).parent / "fixtures" / "check"


def add(site: Path, fixture: str) -> str:
    """Copy a fixture post into the site; returns its name."""
    shutil.copy(FIXTURES / f"{fixture}.md", site / "content" / "posts" / f"{fixture}.md")
    return fixture


def check(site: Path, *args: str):
    """(exit code, [(severity, code, where)], the JSON report) of `check ... --json`."""
    result = invoke(site, "check", *args, "--json")
    report = json.loads(result.stdout)
    return result.exit_code, [(f["severity"], f["code"], f["where"]) for f in report["findings"]], report


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


PLANTED = [
    ("link_empty", "error", "link-empty", 9),
    ("link_hash_only", "error", "link-fragment", 9),
    ("link_fragment", "warning", "link-fragment", 9),
    ("link_javascript", "error", "link-javascript", 9),
    ("link_data", "error", "link-data", 9),
    ("link_local_file", "error", "link-local-file", 9),
    ("link_windows_path", "error", "link-local-file", 9),
    ("link_bare_domain", "error", "link-relative", 9),
    ("link_document_relative", "warning", "link-relative", 9),
    ("link_scheme", "warning", "link-scheme", 9),
    ("link_private", "warning", "link-private", 9),
    ("link_phishing", "warning", "link-phishing", 9),
    ("link_no_text", "warning", "link-no-text", 9),
    ("image_no_alt", "warning", "image-no-alt", 9),
    ("image_no_alt_local", "warning", "image-no-alt", 9),  # once: not again as the template's
    ("image_alt_filename", "warning", "image-alt-filename", 9),
    ("image_empty", "error", "image-empty", 9),
    ("image_without_src", "error", "image-empty", 9),  # found by its alt text
    ("image_data", "error", "image-data", 9),
    ("image_local_file", "error", "image-local-file", 9),
    ("image_scheme", "error", "image-scheme", 9),
    ("image_missing", "error", "image-missing", 9),
    ("image_private", "warning", "image-private", 9),
    ("image_svg", "error", "image-format", 9),
    ("image_webp", "warning", "image-format", 9),
    ("hidden_text", "warning", "spam-hidden-text", 9),
    ("hidden_text_on_the_card", "warning", "spam-hidden-text", 9),  # left as written: check names it
    ("template_syntax", "error", "template-syntax", 9),
    ("template_degraded", "warning", "template-degraded", 9),
    ("html_embed", "error", "html-embed", 9),
    ("html_media", "warning", "html-media", 9),
    ("html_svg", "error", "html-svg", 9),
    ("html_style", "warning", "html-style", 9),
    ("date_before_since", "warning", "date-before-since", 3),
    ("date_far_future", "warning", "date-far-future", 3),
    ("subject_long", "warning", "subject-long", 2),
    ("subject_capitals", "warning", "subject-capitals", 3),
    ("button_long", "warning", "button-long", 4),
    ("image_no_alt_linked", "warning", "image-no-alt", 9),
    # at the line of its link, not the next line showing the same picture
    ("image_no_alt_linked_again", "warning", "image-no-alt", 9),
    ("link_text_vague", "warning", "link-text-vague", 9),
    ("heading_skip", "warning", "heading-skip", 9),
    ("no_description", "warning", "no-description", 1),
]


@pytest.mark.parametrize("fixture, severity, code, line", PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_defect_is_reported_as_exactly_its_code_at_its_line(site, fixture, severity,
                                                                      code, line):
    status, findings, report = check(site, add(site, fixture))
    assert findings == [(severity, code, f"content/posts/{fixture}.md:{line}")]
    assert status == (2 if severity == "error" else 1)
    assert report["checked"] == [f"/posts/{fixture}"]
    [finding] = report["findings"]
    assert finding["message"] and finding["hint"] and finding["post"] == f"/posts/{fixture}"


@pytest.mark.parametrize("fixture", ["clean", "what-matters"])
def test_a_clean_post_reports_nothing_and_exits_0(site, fixture):
    if fixture == "clean":
        add(site, fixture)
    result = invoke(site, "check", fixture)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Checked 1 post: nothing found.\n"


def test_findings_name_what_is_wrong_and_how_to_fix_it_on_one_line(site):
    add(site, "link_javascript")
    add(site, "link_fragment")
    result = invoke(site, "check", "link_javascript", "link_fragment")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "error: content/posts/link_javascript.md:9: link-javascript: the link \"here\" runs a "
        "script (javascript:alert(1)); email clients strip it and spam filters distrust it; link "
        "to a web page",
        "warning: content/posts/link_fragment.md:9: link-fragment: the link \"the notes\" jumps to "
        "#notes, which no heading or anchor of the post has; it goes to "
        "https://blog.example.com/posts/link_fragment#notes; link to a heading by its id "
        "(## My Notes is #my-notes), or write the full URL",
    ]
    assert result.stderr == "Checked 2 posts: 1 error, 1 warning.\n"


def test_warnings_exit_1_and_2_with_strict(site):
    add(site, "link_fragment")
    assert invoke(site, "check", "link_fragment").exit_code == 1
    assert invoke(site, "check", "link_fragment", "--strict").exit_code == 2
    assert invoke(site, "check", "what-matters", "--strict").exit_code == 0


def test_a_file_name_on_a_link_to_that_file_or_a_code_host_is_no_phishing(site):
    """README.md and train.py end as Moldova's and Paraguay's addresses do: on a link to that
    file, or to a gist or a repository, they name the file; a host name is still one."""
    post = site / "content" / "posts" / "files.md"
    post.write_text("---\ntitle: Files\ndate: 2026-11-02T09:00:00Z\ndescription: Code.\n---\n\n"
                    "See [README.md](https://git.example.org/ana/tool/blob/main/README.md), "
                    "the gist [train.py](https://gist.github.com/ana/4f2a9c) and "
                    "[notes.md](https://pages.example.net/notes/).\n", encoding="utf-8")
    status, findings, report = check(site, "files")
    assert findings == [("warning", "link-phishing", "content/posts/files.md:7")]
    assert "shows notes.md" in report["findings"][0]["message"]


def test_the_same_defect_twice_is_reported_at_each_line(site):
    post = site / "content" / "posts" / add(site, "link_hash_only")
    with (post.with_suffix(".md")).open("a") as handle:
        handle.write("\nAnd again: [more](#).\n")
    _, findings, _ = check(site, "link_hash_only")
    assert findings == [("error", "link-fragment", "content/posts/link_hash_only.md:9"),
                        ("error", "link-fragment", "content/posts/link_hash_only.md:11")]


def test_a_url_shown_as_code_or_met_again_after_a_reference_is_reported_at_its_link(site):
    post = site / "content" / "posts" / "code_first.md"
    post.write_text('---\ntitle: "Code first"\ndate: 2026-11-25T08:00:00Z\ndescription: d\n---\n'
                    "\nAs code: `[x](javascript:go())`, and fenced:\n\n```\n[x](javascript:go())\n"
                    "```\n\nThe [first](javascript:go()) one, then [a reference][r].\n\n"
                    "The [second](javascript:go()) one.\n\n[r]: javascript:other()\n",
                    encoding="utf-8")
    _, findings, _ = check(site, "code_first")
    assert sorted(where for _, code, where in findings if code == "link-javascript") == [
        f"content/posts/code_first.md:{line}" for line in (13, 15, 17)]


def test_only_a_script_that_leaves_a_gap_stops_a_post(site):
    # A recipe's structured data shows nothing anywhere; an embedded post's script follows the
    # quote readers without it see; a gist's script is a link to the gist. A card's script is
    # the card: without it, nothing.
    post = site / "content" / "posts" / "embeds.md"
    post.write_text(
        '---\ntitle: "Apple Pie"\ndate: 2026-11-25T08:00:00Z\ndescription: d\n---\n\n'
        '<script type="application/ld+json">{"@type": "Recipe", "name": "Apple pie"}</script>\n\n'
        '<blockquote class="twitter-tweet"><p>Slow is smooth.</p>&mdash; A Baker '
        '<a href="https://x.com/baker/status/1">March 1, 2026</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js"></script>\n\n'
        'The recipe as a gist:\n\n<script src="https://gist.github.com/baker/1.js"></script>\n\n'
        'As a card:\n\n<script src="https://cards.example.net/pie.js"></script>\n')
    _, findings, _ = check(site, "embeds")
    assert findings == [("error", "html-embed", "content/posts/embeds.md:18")]


def test_footnotes_are_not_fragment_links(site):
    add(site, "clean")
    _, findings, _ = check(site, "clean")
    assert findings == []


def test_links_to_the_posts_own_headings_notes_and_anchors_are_not_findings(site):
    add(site, "link_fragment_to_heading")
    _, findings, _ = check(site, "link_fragment_to_heading")
    assert findings == []


def test_a_link_to_an_address_in_chinese_is_in_both_parts(site):
    """The HTML part escapes a link's non-ASCII characters (as Goldmark and markdown-it do);
    the text part shows the address as written: the same link, no text-missing-link."""
    (site / "content" / "posts" / "cjk.md").write_text(
        '---\ntitle: "Punctuation"\ndate: 2026-11-25T08:00:00Z\ndescription: d\n---\n\n'
        "See [the article](https://zh.wikipedia.org/zh-cn/标点符号) and "
        "[the post](https://example.org/posts/%E6%88%8F/).\n", encoding="utf-8")
    _, findings, _ = check(site, "cjk")
    assert findings == []


def test_a_link_whose_address_ends_in_a_full_stop_is_in_both_parts(site):
    """The text part writes a link's address whole in <...>, so a full stop that ends the
    address (a real post's link to ".../setup.html.") is the address's, not prose after it:
    check warned that the text part lacked the link, and said to edit the template."""
    (site / "content" / "posts" / "stop.md").write_text(
        '---\ntitle: "Full Stop"\ndate: 2026-11-25T08:00:00Z\ndescription: d\n---\n\n'
        "Thanks to [the guide](https://example.org/setup.html.) and "
        "[the notes](https://example.org/notes/).\n", encoding="utf-8")
    _, findings, _ = check(site, "stop")
    assert findings == []


@pytest.mark.parametrize("cta_url", [
    "https://example.org/join?from='news'",
    'https://example.org/join?note=\\"hi\\"',
    "https://example.org/join us/today",
])
def test_a_cta_url_with_quotes_or_spaces_is_the_same_link_in_both_parts(site, cta_url):
    """A front-matter cta_url with quotes or spaces reaches both parts escaped but whole; check
    cut the text part's copy at the quote (or took the quote for prose) and warned
    text-missing-link, telling the writer to edit a template that was right."""
    (site / "content" / "posts" / "cta.md").write_text(
        f'---\ntitle: "Join"\ndate: 2026-11-25T08:00:00Z\ndescription: d\n'
        f'cta_url: "{cta_url}"\n---\n\nCome along.\n', encoding="utf-8")
    _, findings, _ = check(site, "cta")
    assert findings == []


@pytest.mark.parametrize("where, old, new, expected", [
    ("templates/email.html", '<a href="{{ unsubscribe_url }}">Unsubscribe</a>', "",
     [("error", "footer-no-unsubscribe", "templates/email.html")]),
    ("templates/email.txt", "Unsubscribe: {{ unsubscribe_url }}", "",
     [("error", "footer-no-unsubscribe", "templates/email.txt")]),
    ("templates/email.html", "<p>{{ postal_address }}</p>", "",
     [("error", "footer-no-address", "templates/email.html")]),
    ("templates/email.txt", "{{ postal_address }}", "",
     [("error", "footer-no-address", "templates/email.txt")]),
    ("templates/email.html", "&middot; <a href=\"{{ unsubscribe_url }}\">",
     "&middot; <a href=\"https://example.org/follow\">Follow</a> &middot; "
     "<a href=\"{{ unsubscribe_url }}\">",
     [("warning", "text-missing-link", "templates/email.txt")]),
    ("templates/email.html", "line-height:1px; mso-hide:all;",
     "line-height:1px; color:transparent; mso-hide:all;",
     [("warning", "spam-hidden-text", "templates/email.html:22")]),
    ("templates/email.html", '<a href="{{ post_url }}">Read online</a>',
     '<a href="{{ post_url }}">Read online</a> &middot; <a href="/about">About</a>',
     [("error", "link-relative", "templates/email.html:51")]),
    ("templates/email.html", '<a href="{{ post_url }}">Read online</a>',
     '<a href="{{ post_url }}">Read online</a> &middot; <a href="#">Top</a>',
     [("error", "link-fragment", "templates/email.html:51")]),
    ("newsletter.toml", 'cta_url = "mailto:jane@example.com"', 'cta_url = "javascript:void(0)"',
     [("error", "link-javascript", "newsletter.toml:16")]),
    ("newsletter.toml", "unsubscribe/{token}", "unsubscribe?email={email}&token={token}",
     [("warning", "spam-address-in-url", "newsletter.toml:18")]),
])
def test_a_planted_defect_in_a_template_or_the_settings(site, where, old, new, expected):
    edit(site / where, old, new)
    _, findings, _ = check(site, "what-matters")
    assert findings == expected


def test_a_cta_url_in_the_front_matter_points_at_its_line(site):
    post = site / "content" / "posts" / add(site, "clean")
    edit(post.with_suffix(".md"), 'description: "Links', 'cta_url: "#"\ndescription: "Links')
    _, findings, _ = check(site, "clean")
    assert findings == [("error", "link-fragment", "content/posts/clean.md:4")]


@pytest.mark.parametrize("paragraphs, severity", [(50, "warning"), (60, "error")])
def test_a_post_gmail_would_clip(site, paragraphs, severity):
    paragraph = "A sentence with *some* emphasis and [a link](https://example.org/x). " * 12
    body = "\n\n".join([paragraph] * paragraphs)
    (site / "content" / "posts" / "huge.md").write_text(
        f'---\ntitle: Huge\ndate: 2026-11-02\ndescription: "d"\n---\n\n{body}\n')
    _, findings, report = check(site, "huge")
    assert findings == [(severity, "size-clipped", "content/posts/huge.md")]
    assert "KB encoded" in report["findings"][0]["message"]


def test_without_post_it_checks_what_send_due_could_send_and_every_broken_file(site):
    for fixture in ("date_before_since", "date_far_future", "link_fragment"):
        add(site, fixture)
    (site / "content" / "posts" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n")
    status, findings, report = check(site)
    # Not the draft, not the page, not the post dated before [schedule] since.
    assert report["checked"] == ["content/posts/broken.md", "/posts/date_far_future",
                                 "/posts/link_fragment", REFERENCE_POST]
    assert findings == [
        ("error", "post-unreadable", "content/posts/broken.md:3"),
        ("warning", "date-far-future", "content/posts/date_far_future.md:3"),
        ("warning", "link-fragment", "content/posts/link_fragment.md:9"),
    ]
    assert status == 2


def test_a_sent_post_is_not_checked_again(site):
    assert invoke(site, "send", "--due").exit_code == 0
    result = invoke(site, "check")
    assert result.exit_code == 0
    assert result.stderr == ("Nothing to check: send --due would send no post; name one: "
                             "newsletter check POST (a slug `newsletter posts` lists)\n")


def test_a_draft_is_checked_when_named(site):
    _, findings, report = check(site, "notes-on-editing")
    assert report["checked"] == ["/posts/notes-on-editing"] and findings == []


def test_a_missing_stylesheet_is_an_error_for_every_post(site):
    (site / "templates" / "email.css").unlink()
    status, findings, _ = check(site)
    assert status == 2
    assert findings == [("error", "render-failed", "templates/email.css")]


def test_an_unknown_post_is_bad_usage(site):
    result = invoke(site, "check", "nope")
    assert result.exit_code == 2
    assert result.stderr == "error: no post named 'nope'; run `newsletter posts` to list them\n"


def test_a_table_on_a_terminal(site, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    add(site, "link_javascript")
    primary, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    process = subprocess.run([sys.executable, "-m", "newsletter", "--site", str(site), "check",
                              "link_javascript"], stdout=secondary, stderr=subprocess.PIPE,
                             env=env, timeout=60)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(primary)
    text = output.decode()
    assert process.returncode == 2
    assert "/posts/link_javascript" in text
    row = next(line for line in text.splitlines() if "link-javascript" in line)
    assert "error" in row and "content/posts/link_javascript.md:9" in row
    assert "fix: email clients strip it" in text


def test_every_finding_code_is_explained_in_the_docs():
    from conftest import REPO

    page = (REPO / "docs" / "checking.md").read_text(encoding="utf-8")
    others = {"footer-no-unsubscribe", "footer-no-address", "text-missing-link",
              "spam-address-in-url", "size-clipped", "post-unreadable", "render-failed",
              "link-broken", "image-broken", "dns-spf", "dns-dkim", "dns-dmarc", "dns-lookup",
              "setting-placeholder", "provider-setup", "provider-key"}
    codes = {code for _, _, code, _ in PLANTED} | others
    assert {code for code in codes if f"`{code}`" not in page} == set()


def test_a_pasted_map_is_named_by_its_address_and_a_youtube_player_is_no_finding(site):
    # The email shows a YouTube player as its linked thumbnail (tests/test_render_posts.py).
    _, _, report = check(site, add(site, "html_embed"))
    [finding] = report["findings"]
    assert "https://maps.example.org/embed?pb=harbour" in finding["message"]
    post = site / "content" / "posts" / "html_embed.md"
    post.write_text(post.read_text().replace("https://maps.example.org/embed?pb=harbour",
                                             "https://www.youtube.com/embed/Kx2b5Vq0T1w"))
    assert check(site, "html_embed")[1] == []


def test_a_linked_image_without_alt_text_is_told_its_link_has_no_name(site):
    # The image is all its link shows: with alt="" a screen reader names the link by its address.
    _, _, report = check(site, add(site, "image_no_alt_linked"))
    finding, = report["findings"]
    assert "all its link shows" in finding["message"]
    assert "https://shop.example.com/spring-sale" in finding["message"]
    _, _, report = check(site, add(site, "image_no_alt"))
    assert "link" not in report["findings"][0]["message"]
