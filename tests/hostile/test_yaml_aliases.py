"""YAML aliases that multiply ("billion laughs") or hold themselves, in a post's front matter
and in a generator's settings file.

Before, a post whose tags were nine lists of nine aliases ran `posts` out of memory (a
MemoryError traceback after a minute), and a Hugo settings file with an alias holding itself
made `init` end in a RecursionError traceback.
"""

from __future__ import annotations

import subprocess
import sys

import yaml

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


# Merge keys copy what they merge: nine merges of nine merges of... made a 733-byte front
# matter run `posts` past a minute and 750 MB (each level about eight times the last), before
# any count of values could run. The loader now stops merging past what the text could write.
MERGES = "m0: &m0 {k: v}\n" + "".join(
    f"m{level}: &m{level} {{<<: [{', '.join([f'*m{level - 1}'] * 9)}]}}\n"
    for level in range(1, 12))


def test_front_matter_merge_keys_that_multiply_are_refused_by_name_or_cost_nothing(site):
    posts = site / "content" / "posts"
    (posts / "merges.md").write_text(f"---\ntitle: Merges\ndate: 2026-03-01\n{MERGES}---\nBody\n")
    (posts / "merged.md").write_text(  # a merge as people use them still reads
        "---\ntitle: Merged\ndate: 2026-03-01\nbase: &base {name: Ann, role: editor}\n"
        "author: {<<: *base, role: writer}\n---\nBody\n")

    result = run_cli(site, "posts", timeout=30)

    assert "/posts/merged" in result.stdout
    if merges_each_key_once():  # nothing multiplies: the post reads, at once
        assert (result.returncode, result.stderr) == (0, "")
        assert "/posts/merges" in result.stdout
        return
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: content/posts/merges.md:2: the front matter's aliases (*name) repeat its values "
        "too often, or hold themselves; write the values out instead of repeating &anchors"]


def merges_each_key_once() -> bool:
    """Whether the installed PyYAML copies a key merged many times once (6.0.4 and later:
    the same mapping merged twice is one copy), so MERGES costs nothing to read."""
    twice = yaml.compose("a: &a {k: v}\nb: {<<: [*a, *a]}\n").value[1][1]
    yaml.SafeLoader("").flatten_mapping(twice)
    return len(twice.value) == 1
