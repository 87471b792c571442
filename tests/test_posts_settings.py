"""[posts] in newsletter.toml: the generator, the folders posts are read from and the ones left
out; `posts --json` as scripts read it; `posts`, `check` and the preview index saying the same
thing about posts `send --due` will not send (issue 23, item 14)."""

from __future__ import annotations

import json
import re

import pytest
from fake_providers import write_settings
from generator_sites import write_files
from test_config import MINIMAL, error_for, write

from conftest import REFERENCE_POST, invoke, run_in_process
from newsletter.config import load_settings
from newsletter.posts import load_posts

POST = "---\ntitle: {title}\ndate: 2024-05-01\n---\n\nBody.\n"


def test_dirs_and_exclude_choose_the_files_read(tmp_path):
    site = write(tmp_path, MINIMAL + '[posts]\ndirs = ["notes", "essays/*.md"]\n'
                                     'exclude = ["notes/archive", "**/*.draft.md"]\n')
    write_files(site, {name: POST.format(title=name) for name in (
        "notes/a.md", "notes/deep/b.md", "notes/archive/old.md", "notes/c.draft.md",
        "essays/d.md", "essays/deeper/e.md", "content/not-read.md", "notes/.hidden.md")})
    posts, errors = load_posts(load_settings(site, {}))
    assert errors == []
    assert sorted(post.title for post in posts) == ["essays/d.md", "notes/a.md",
                                                    "notes/deep/b.md"]


def test_a_glob_of_markdown_files_lists_them_as_posts_not_as_files_not_read(tmp_path):
    site = write(tmp_path, MINIMAL + '[posts]\ndirs = ["essays/*.md", "*.md"]\n')
    write_files(site, {name: POST.format(title=name) for name in ("essays/d.md", "top.md")})
    result = invoke(site, "posts", "--json")
    assert result.exit_code == 0
    listed = json.loads(result.output)
    assert sorted(entry["title"] for entry in listed if entry.get("title")) == ["essays/d.md", "top.md"]
    assert [entry for entry in listed if entry["status"] == "not-read"] == []


@pytest.mark.parametrize("table, message", [
    ('generator = "wordpress"',
     "newsletter.toml:11: posts.generator 'wordpress' is not known; use one of hugo, jekyll, "
     "eleventy, astro, zola, pelican, gatsby, hexo, docusaurus, mkdocs, contentlayer, "
     "bridgetown, nikola, vitepress, nextjs, nextjs-mdx, none"),
    ('dirs = ["../elsewhere"]', "newsletter.toml:11: posts.dirs '../elsewhere' must be a folder or "
                                'glob inside the site; write it relative to the site, e.g. '
                                '"content/posts"'),
    ('exclude = ["/etc"]', "newsletter.toml:11: posts.exclude '/etc' must be a folder or glob "
                           'inside the site; write it relative to the site, e.g. "content/posts"'),
    ('dirs = "content"', "newsletter.toml:11: posts.dirs must be a list of strings, not 'content'"),
])
def test_each_posts_setting_mistake_is_one_line(tmp_path, table, message):
    assert error_for(tmp_path, MINIMAL + "[posts]\n" + table + "\n") == message


def test_a_named_generator_is_not_guessed_again(tmp_path):
    site = write(tmp_path, MINIMAL + '[posts]\ngenerator = "none"\n')
    write_files(site, {"_config.yml": "title: Looks like Jekyll\n",
                       "content/a.md": POST.format(title="Generic")})
    posts, _ = load_posts(load_settings(site, {}))
    assert [post.title for post in posts] == ["Generic"]


def test_posts_json_is_one_array_with_an_object_per_file(site):
    (site / "content" / "posts" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nB.\n")
    result = invoke(site, "posts", "--json")
    assert result.exit_code == 2
    listed = json.loads(result.stdout)
    assert [set(item) for item in listed] == [
        {"status", "id", "title", "date", "url", "file", "errors"}] * len(listed)
    by_file = {item["file"]: item for item in listed}
    assert by_file["content/posts/what-matters.md"] == {
        "status": "ready", "id": REFERENCE_POST,
        "title": "What Matters When You Write Every Week", "date": "2026-11-20T08:30:00+00:00",
        "url": "https://blog.example.com/posts/what-matters",
        "file": "content/posts/what-matters.md", "errors": []}
    assert by_file["content/pages/about.md"]["status"] == "page"
    assert by_file["content/posts/notes-on-editing.md"]["status"] == "draft"
    broken = by_file["content/posts/broken.md"]
    assert broken["status"] == "broken" and broken["id"] is None
    assert broken["errors"] == ["content/posts/broken.md:3: front matter is not valid YAML "
                                "(did not find expected ',' or ']'); quote values that "
                                'contain ": " or start with a special character']


def test_posts_json_says_sent_and_partly_sent(site):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    listed = {item["id"]: item for item in json.loads(invoke(site, "posts", "--json").stdout)}
    assert listed[REFERENCE_POST]["status"] == "sent"


def test_posts_check_and_the_preview_index_say_the_same_of_posts_before_since(site):
    write_settings(site, "schedule", since="2027-01-01T00:00:00Z")
    words = "1 post is before since (not sent by --due): [schedule] since is 2027-01-01 00:00 UTC"
    posts = invoke(site, "posts")
    assert "before since (not sent by --due)" in posts.stdout
    assert words in posts.stdout
    check = invoke(site, "check")
    assert check.stderr.startswith("Nothing to check: send --due would send no post. "
                                   f"{words}")
    assert invoke(site, "preview").exit_code == 0
    index = (site / "preview" / "index.html").read_text()
    assert words in index and "before since (not sent by --due)" in index


def test_before_any_send_due_the_posts_it_will_not_send_are_named(site):
    text = (site / "newsletter.toml").read_text()
    (site / "newsletter.toml").write_text(text.replace("since = 2026-01-01T00:00:00Z", ""))
    note = "No send --due has run yet: the first one records its time as [schedule] since, so"
    posts = invoke(site, "posts").stdout
    assert note in posts
    assert note in invoke(site, "check").stderr
    # "set [schedule] since earlier" left a new user to guess the key's form: the line to add,
    # from the newest post waiting, so that it alone goes out.
    newest = re.search(r"^ready +(\S+)", posts, re.M)[1]
    assert f"put since = {newest}T" in posts and "under [schedule] in newsletter.toml" in posts


def test_a_page_with_broken_front_matter_is_still_a_page_not_an_error(tmp_path):
    site = write(tmp_path, MINIMAL)
    write_files(site, {"hugo.toml": 'baseURL = "https://blog.example.com/"\n',
                       "content/posts/_index.md": '+++\ntitle = "Posts\n+++\n',
                       "content/posts/broken.md": '+++\ntitle = "Oops\n+++\n\nBody.\n',
                       "content/posts/fine.md": POST.format(title="Fine")})
    posts, errors = load_posts(load_settings(site, {}))
    assert {post.id: post.page is not None for post in posts} == {"/posts": True,
                                                                  "/posts/fine": False}
    assert [error.where for error in errors] == ["content/posts/broken.md:2"]


def test_a_posts_folder_misspelt_in_dirs_is_named_by_posts_and_check(tmp_path):
    """Before, dirs = ["content/post"] read no post and said nothing: `check` found nothing to
    check, and a Hugo blog's posts were listed as pages."""
    site = write(tmp_path, MINIMAL + '[posts]\ndirs = ["content/post"]\n')
    write_files(site, {"content/posts/a.md": POST.format(title="A")})
    warning = ("warning: newsletter.toml:11: posts-dirs: posts.dirs 'content/post' names nothing "
               "in the site, so no post is read from it; check the folder's name, or remove it")
    listed = invoke(site, "posts")
    checked = invoke(site, "check")
    assert listed.exit_code == 0 and warning in listed.stderr.splitlines()
    assert checked.exit_code == 1 and warning in checked.output.splitlines()


@pytest.mark.parametrize("dirs", ['"."', '"./"', '"content/*.md", "."'])
def test_dirs_naming_the_site_folder_itself_reads_it_without_a_traceback(tmp_path, dirs):
    """init writes dirs = ["."] for an Eleventy blog whose input folder is the site's and whose
    posts are tagged in their own front matter. Before, every command stopped on an
    IndexError from Path.glob("."), which cannot take the folder itself."""
    site = write(tmp_path, MINIMAL + f"[posts]\ndirs = [{dirs}]\n")
    write_files(site, {"content/a.md": POST.format(title="A")})
    for command in ("posts", "check"):  # in-process: an exception would fail the test
        result = run_in_process(site, command)
        assert "Traceback" not in result.stderr and "posts-dirs" not in result.stderr, command
        assert result.returncode in (0, 1), result.stderr

