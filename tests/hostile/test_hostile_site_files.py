"""The writer's files the tool reads on their behalf, made hostile: a post or a template that is
a link out of the site (a pull request's link to a private file), a stylesheet that is a FIFO, a link to
/dev/zero or a file of gigabytes, a Hugo section's _index.md of gigabytes, a .gitignore in
Latin-1 or that is a FIFO, a newsletter.toml that is one of those. Nothing from outside the site is mailed, nothing hangs or fills the
memory, and each refusal is one line naming the file."""

from __future__ import annotations

import os
import resource

import pytest
from conftest import invoke, run_cli

SECRET = "the writer's bank PIN is 4711"
POST = f'---\ntitle: Notes\ndate: "2026-11-02T09:00:00Z"\ndescription: d\n---\n\n{SECRET}\n'


def capped_memory() -> None:
    """In the child: 2 GB of address space, so a read of /dev/zero fails instead of swapping."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def test_a_post_that_links_to_a_file_outside_the_site_is_refused_never_mailed(site, tmp_path):
    (tmp_path / "private.md").write_text(POST)
    (site / "content" / "posts" / "leak.md").symlink_to(tmp_path / "private.md")
    for command in (("send", "leak", "--yes"), ("preview", "leak")):
        result = invoke(site, *command)
        assert result.exit_code == 2, result.output
        assert ("error: content/posts/leak.md: the post is a link to a file outside the site "
                "folder; copy the file into the site instead of linking to it") in result.output
    listed = invoke(site, "posts")
    assert "/posts/leak" not in listed.stdout and "outside the site folder" in listed.output
    assert not (site / "outbox").exists()
    assert not any(SECRET in path.read_text(errors="replace")
                   for path in site.rglob("*") if path.is_file() and not path.is_symlink())


def test_a_content_folder_linked_into_the_site_is_the_site(site, tmp_path):
    (site / "content").rename(tmp_path / "content")
    (site / "content").symlink_to(tmp_path / "content")
    (tmp_path / "content" / "posts" / "leak.md").write_text(POST)
    result = invoke(site, "send", "leak", "--yes")
    assert result.exit_code == 0, result.output
    assert len(list((site / "outbox" / "leak").glob("*.eml"))) == 4


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_stylesheet_that_is_no_file_is_one_line_and_nothing_hangs(site, kind):
    stylesheet = site / "templates" / "email.css"
    stylesheet.unlink()
    os.mkfifo(stylesheet) if kind == "fifo" else stylesheet.symlink_to("/dev/zero")
    # A FIFO's read waits for a writer forever; /dev/zero's fills the memory.
    result = run_cli(site, "check", timeout=60, preexec_fn=capped_memory)
    assert result.returncode == 2
    assert ("error: templates/email.css: render-failed: template file not found; run "
            "`newsletter init` to restore it") in result.stdout
    assert "Traceback" not in result.stdout


def test_a_stylesheet_of_gigabytes_is_refused_unread(site):
    with open(site / "templates" / "email.css", "wb") as huge:  # sparse: costs no disk
        huge.truncate(3 << 30)
    result = run_cli(site, "send", "what-matters", "--yes", timeout=60,
                     preexec_fn=capped_memory)
    assert result.returncode == 2
    assert ("error: templates/email.css: the stylesheet is 3072.0 MB; over 1 MB is refused; "
            "every email carries its rules: keep the ones it uses") in result.stderr
    assert "Traceback" not in result.stderr and not (site / "outbox").exists()


def hugo_blog(tmp_path):
    """A Hugo blog of one post, before `newsletter init`."""
    site = tmp_path / "hugo"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Notes"\n')
    (site / "content" / "posts" / "hello.md").write_text(POST)
    return site


def test_a_hugo_section_index_of_gigabytes_is_not_read_for_its_cascade(tmp_path):
    # Its front matter passes values down to each post below it: it was read whole, for each.
    site = hugo_blog(tmp_path)
    assert invoke(site, "init").exit_code == 0
    with open(site / "content" / "posts" / "_index.md", "wb") as index:
        index.write(b"---\ncascade:\n  draft: true\n---\n")
        index.truncate(3 << 30)  # sparse: costs no disk
    result = run_cli(site, "posts", timeout=60, preexec_fn=capped_memory)
    assert result.returncode == 2, result.stderr
    assert [line.split()[:3] for line in result.stdout.splitlines() if "/posts/hello" in line] \
        == [["ready", "2026-11-02", "/posts/hello"]]  # the cascade of a file not read is none
    assert ("error: content/posts/_index.md: the post is 3072.0 MB; posts over 1 MB are refused"
            in result.stderr)
    assert "Traceback" not in result.stderr


def test_init_keeps_a_gitignore_line_in_latin_1_as_git_does(tmp_path):
    site = hugo_blog(tmp_path)
    (site / ".gitignore").write_bytes(b"caf\xe9/\n")  # a folder named in Latin-1
    result = invoke(site, "init")
    assert result.exit_code == 0, result.output
    assert (site / ".gitignore").read_bytes() == (
        b"caf\xe9/\n# newsletter\n.newsletter/\noutbox/\npreview/\n")


def test_init_leaves_a_gitignore_that_is_no_file_and_nothing_hangs(tmp_path):
    site = hugo_blog(tmp_path)
    os.mkfifo(site / ".gitignore")
    result = run_cli(site, "init", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "  kept    .gitignore (exists; not changed)" in result.stdout


@pytest.mark.parametrize("kind, expected", [
    ("fifo", "is not a regular file (a FIFO, a device or a folder); put the site's settings "
             "file there"),
    ("dev-zero", "is not a regular file (a FIFO, a device or a folder); put the site's "
                 "settings file there"),
    ("huge", "is 3072.0 MB; a settings file over 1 MB is refused"),
])
def test_a_settings_file_that_is_no_file_or_gigabytes_is_one_line(site, kind, expected):
    settings = site / "newsletter.toml"
    settings.unlink()
    if kind == "fifo":
        os.mkfifo(settings)
    elif kind == "dev-zero":
        settings.symlink_to("/dev/zero")
    else:
        with open(settings, "wb") as huge:  # sparse: costs no disk
            huge.truncate(3 << 30)
    result = run_cli(site, "posts", timeout=60, preexec_fn=capped_memory)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {settings}: {expected}"]


def test_a_template_that_links_to_a_file_outside_the_site_is_never_mailed(site, tmp_path):
    # A pull request's email.html that includes a "note" which is a link to a private file.
    (tmp_path / "id_rsa").write_text(SECRET)
    templates = site / "templates"
    (templates / "note.txt").symlink_to(tmp_path / "id_rsa")
    page = templates / "email.html"
    page.write_text(page.read_text().replace("</body>", '{% include "note.txt" %}</body>'))
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 2, result.output
    assert ("error: templates/note.txt: the template is a link to a file outside the site "
            "folder; copy the file into templates/ instead of linking to it") in result.output
    assert not (site / "outbox").exists()


def test_a_templates_folder_linked_into_the_site_is_the_site(site, tmp_path):
    (site / "templates").rename(tmp_path / "templates")
    (site / "templates").symlink_to(tmp_path / "templates")
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0, result.output


def test_init_never_writes_through_a_gitignore_that_links_out_of_the_site(tmp_path):
    site = hugo_blog(tmp_path)
    (tmp_path / "bashrc").write_text("export EDITOR=vi\n")
    (site / ".gitignore").symlink_to(tmp_path / "bashrc")  # a cloned starter's link
    result = invoke(site, "init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bashrc").read_text() == "export EDITOR=vi\n"
    assert "  kept    .gitignore (exists; not changed)" in result.output


@pytest.mark.parametrize("folder", ["../../../private", "linked"])
def test_a_gallery_of_a_folder_outside_the_site_shows_nothing_from_there(site, tmp_path, folder):
    """{{< gallery dir= >}} shows a folder's pictures: a folder up and out of the site, or one
    linked to from inside it, is no gallery (left out with its warning)."""
    from generator_sites import picture
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "passport.png").write_bytes(picture((250, 10, 10), "PNG"))
    (site / "content" / "posts" / "linked").symlink_to(tmp_path / "private")
    (site / "content" / "posts" / "trip.md").write_text(
        '---\ntitle: Trip\ndate: "2026-11-02T09:00:00Z"\ndescription: d\n---\n\n'
        f'Photos: {{{{< gallery dir="{folder}" >}}}}\n')
    result = invoke(site, "preview", "trip")
    assert result.exit_code == 0, result.output
    assert "<img" not in next((site / "preview").glob("*trip/email.html")).read_text()
    assert "the shortcode gallery is the site's and is left out" in invoke(
        site, "check", "trip").output
