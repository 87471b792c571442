"""A post file whose name holds a newline or another control character is refused in one line:
never sent with it in its id or address, never splitting a message (issue 23, item 10)."""

from __future__ import annotations

import json

import pytest

from conftest import invoke

POST = '---\ntitle: "A Fine Post"\ndate: 2026-11-25T08:00:00Z\n---\n\nBody.\n'


@pytest.mark.parametrize("name, shown", [
    ("evil\nname.md", "evil\\nname.md"),
    ("tab\there.md", "tab\\there.md"),
    ("bell\x07.md", "bell\\x07.md"),
    ("escape\x1b[31m.md", "escape\\x1b[31m.md"),
    ("line\u2028sep.md", "line\\u2028sep.md"),
])
def test_a_control_character_in_a_post_file_name_is_refused_in_one_line(site, name, shown):
    (site / "content" / "posts" / name).write_text(POST, encoding="utf-8")
    result = invoke(site, "posts")
    assert result.exit_code == 2
    assert result.stderr == (f"error: content/posts/{shown}: the file name holds a control "
                             "character; rename the file without line breaks, tabs or other "
                             "control characters\n")
    listed = json.loads(invoke(site, "posts", "--json").stdout)
    broken, = [item for item in listed if item["status"] == "broken"]
    assert broken["file"] == f"content/posts/{shown}" and broken["id"] is None
    assert all(name[:4] not in (item["url"] or "") for item in listed)

    due = invoke(site, "send", "--due")
    assert due.exit_code == 1
    refused = [line for line in due.stderr.splitlines() if "control character" in line]
    assert len(refused) == 1 and shown in refused[0]
    assert not any(name.split(".")[0] in str(path) for path in (site / "outbox").rglob("*"))


def test_a_folder_name_with_a_newline_is_refused_too(site):
    folder = site / "content" / "posts" / "bundle\nname"
    folder.mkdir()
    (folder / "index.md").write_text(POST, encoding="utf-8")
    result = invoke(site, "posts")
    assert result.stderr.splitlines() == [
        "error: content/posts/bundle\\nname/index.md: the file name holds a control character; "
        "rename the file without line breaks, tabs or other control characters"]


@pytest.mark.parametrize("opening, value, closing", [
    ("---js\nconst a = ", "[" * 50_000 + "]" * 50_000, ";\n---\n"),
    ("{\n\"a\": ", "[" * 50_000 + "]" * 50_000, "\n}\n"),
    ("---\na: ", "[" * 50_000 + "]" * 50_000, "\n---\n"),
    ("+++\na = ", "[" * 50_000 + "]" * 50_000, "\n+++\n"),
], ids=["javascript", "json", "yaml", "toml"])
def test_front_matter_nested_beyond_reason_is_one_line(site, opening, value, closing):
    (site / "content" / "posts" / "deep.md").write_text(opening + value + closing + "\nBody.\n")
    result = invoke(site, "posts")
    assert result.exit_code == 2
    line, = result.stderr.splitlines()
    assert line.startswith("error: content/posts/deep.md")


@pytest.mark.parametrize("slug, folder", [("..", "%2E%2E"), (".", "%2E")])
def test_a_slug_of_dots_keeps_its_preview_in_its_own_folder(site, slug, folder):
    post = POST.replace("---\n\n", f'slug: "{slug}"\n---\n\n')
    (site / "content" / "posts" / "dots.md").write_text(post, encoding="utf-8")
    before = {path.name for path in site.iterdir()}
    result = invoke(site, "preview", "dots")
    assert result.exit_code == 0
    # nothing written beside the site's files but the preview folder and the state
    assert {path.name for path in site.iterdir()} - before == {"preview", ".newsletter"}
    preview = site / "preview"
    assert sorted(path.name for path in (preview / folder).iterdir()) == [
        "email.html", "email.txt", "index.html", "message.eml"]
    index = (preview / "index.html").read_text(encoding="utf-8")
    assert "<!DOCTYPE" in index.upper()[:100] and "A Fine Post" in index  # not the post's page
    assert f'href="{folder.replace("%", "%25")}/index.html"' in index


@pytest.mark.parametrize("slug, folder", [("/posts/..", "%2E%2E"), ("/posts/.", "%2E")])
def test_a_slug_of_dots_keeps_its_sent_messages_in_their_own_outbox_folder(site, slug, folder):
    # The outbox wrote outbox/../<reader>.eml: every reader's message in the site's root.
    post = POST.replace("---\n\n", f'description: "Dots."\nslug: "{slug}"\n---\n\n')
    (site / "content" / "posts" / "dots.md").write_text(post, encoding="utf-8")
    before = {path.name for path in site.iterdir()}
    result = invoke(site, "send", slug, "--yes")
    assert result.exit_code == 0, result.output
    assert {path.name for path in site.iterdir()} - before == {"outbox", ".newsletter"}
    assert [path.name for path in (site / "outbox").iterdir()] == [folder]
    sent = sorted(path.name for path in (site / "outbox" / folder).glob("*.eml"))
    assert sent and "ada@example.com.eml" in sent
    assert invoke(site, "status", slug).exit_code == 0


@pytest.mark.parametrize("slug, shown", [
    ('"/posts/a\\r\\nBcc: x@evil.example"', "/posts/a\\r\\nBcc: x@evil.example"),
    ('"/posts/\\e]0;pwned\\a"', "/posts/\\x1b]0;pwned\\x07"),
    ('"/posts/tab\\there"', "/posts/tab\\there"),
])
def test_a_slug_with_a_control_character_is_refused_in_one_line_at_its_line(site, slug, shown):
    # The file name was checked, but a front matter slug became the post's id as written: a
    # line break split `posts`, an escape reached the terminal, and the send carried them.
    post = POST.replace("---\n\n", f"slug: {slug}\n---\n\n")
    (site / "content" / "posts" / "sly.md").write_text(post, encoding="utf-8")
    result = invoke(site, "posts")
    assert result.exit_code == 2
    assert result.stderr == (f"error: content/posts/sly.md:4: the slug {shown} holds a control "
                             "character; write it without line breaks, tabs or other control "
                             "characters\n")
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    assert invoke(site, "send", "--due").exit_code == 1
    assert not any("evil" in str(path) or "pwned" in str(path)
                   for path in (site / "outbox").rglob("*"))


def test_the_slug_is_named_even_after_a_folded_description(site):
    post = POST.replace("---\n\n", 'description: >\n  Two\n  lines.\nslug: "/posts/a\\nb"\n---\n\n')
    (site / "content" / "posts" / "sly.md").write_text(post, encoding="utf-8")
    assert invoke(site, "posts").stderr.startswith(
        "error: content/posts/sly.md:7: the slug /posts/a\\nb holds a control character")


def test_terminal_escapes_in_a_title_never_reach_the_terminal_or_the_subject(site):
    # A title is printed by posts, send and status: an escape in it set the terminal's title.
    post = POST.replace('"A Fine Post"', '"A \\e]0;pwned\\a Fine \\x9b31m Post\\x7f"')
    (site / "content" / "posts" / "esc.md").write_text(post, encoding="utf-8")
    result = invoke(site, "posts")
    assert result.exit_code == 0
    line, = [line for line in result.stdout.splitlines() if "/posts/esc" in line]
    assert line.endswith("A ]0;pwned Fine 31m Post")
    listed = json.loads(invoke(site, "posts", "--json").stdout)
    assert [item["title"] for item in listed if item["id"] == "/posts/esc"] == [
        "A ]0;pwned Fine 31m Post"]
