"""YAML aliases that multiply ("billion laughs") or hold themselves, in a post's front matter
and in a generator's settings file.

Before, a post whose tags were nine lists of nine aliases ran `posts` out of memory (a
MemoryError traceback after a minute), and a Hugo settings file with an alias holding itself
made `init` end in a RecursionError traceback.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import run_cli

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi")
)
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + LAUGHS


def test_front_matter_aliases_that_multiply_or_loop_are_refused_by_name(site):
    posts = site / "content" / "posts"
    (posts / "laughs.md").write_text(
        f"---\ntitle: Laughs\ndate: 2026-03-01\n{BOMB}tags: *i\n---\nBody\n")
    (posts / "loop.md").write_text("---\ntitle: Loop\ndate: 2026-03-01\ntags: &t [x, *t]\n---\n")
    (posts / "shared.md").write_text(  # an anchor used as people use them still reads
        "---\ntitle: Shared\ndate: 2026-03-01\nauthor: &me {name: Ann}\nextra: *me\n---\nBody\n")

    result = run_cli(site, "posts", timeout=30)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "/posts/shared" in result.stdout
    for name in ("laughs", "loop"):
        assert (f"error: content/posts/{name}.md:2: the front matter's aliases (*name) repeat "
                "its values too often, or hold themselves; write the values out instead of "
                "repeating &anchors") in result.stderr.splitlines()


def test_init_reads_past_a_settings_file_whose_aliases_multiply_or_loop(tmp_path):
    blog = tmp_path / "blog"
    (blog / "content" / "posts").mkdir(parents=True)
    (blog / "content" / "posts" / "hi.md").write_text("---\ntitle: Hi\ndate: 2026-03-01\n---\n")
    (blog / "hugo.yaml").write_text(
        f"title: Laughing\nbaseURL: https://laughs.example.org/\n{BOMB}params: *i\n"
        "loop: &l [1, *l]\n")

    result = subprocess.run([sys.executable, "-m", "newsletter", "--site", str(blog), "init"],
                            capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (blog / "newsletter.toml").is_file()
