"""Eleventy's ``date: git Last Modified`` and ``git Created`` (11ty.dev/docs/dates) are the
dates of the post's commits, not the file's time, which is the time the blog was checked out.
A real git repository, committed at chosen dates; the blog is this project's own."""

from __future__ import annotations

import json
import os
import subprocess

from generator_sites import write_files

from conftest import invoke


def commit(root, message: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Writer", "GIT_AUTHOR_EMAIL": "writer@example.net",
           "GIT_COMMITTER_NAME": "Writer", "GIT_COMMITTER_EMAIL": "writer@example.net"}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


def test_git_dates_are_the_posts_commits_not_the_checkouts_time(tmp_path):
    """A fresh clone gives every file the time of the clone: both posts were dated today, and
    send --due would take years-old posts for new ones."""
    root = write_files(tmp_path / "moths", {
        "eleventy.config.js": "export default function (eleventyConfig) {}\n",
        "_data/metadata.json": '{"title": "Moth Notes", "url": "https://moths.example.net/"}',
        "blog/blog.json": '{"tags": ["posts"]}',
        "blog/hawk-moth.md": "---\ntitle: Hawk-moth\ndate: git Last Modified\n---\n\nPink.\n",
        "blog/tiger.md": "---\ntitle: Tiger\ndate: git Created\n---\n\nOrange.\n",
    })
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    commit(root, "First posts", "2024-03-01T09:00:00+00:00")
    (root / "blog" / "hawk-moth.md").write_text(
        "---\ntitle: Hawk-moth\ndate: git Last Modified\n---\n\nPink and olive.\n")
    (root / "blog" / "tiger.md").write_text(
        "---\ntitle: Tiger\ndate: git Created\n---\n\nOrange underwings.\n")
    commit(root, "Edits", "2024-09-15T18:30:00+00:00")
    assert invoke(root, "init").exit_code == 0
    dates = {post["file"]: post["date"]
             for post in json.loads(invoke(root, "posts", "--json").output)}
    assert dates == {"blog/hawk-moth.md": "2024-09-15T18:30:00+00:00",
                     "blog/tiger.md": "2024-03-01T09:00:00+00:00"}
