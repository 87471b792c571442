"""YAML nested thousands deep in block style (``- - - - y``, two bytes a level): LibYAML,
which reads front matter and the blog's YAML settings, recurses in C once per level, and
50,000 levels crashed the whole process with a segmentation fault (exit 139, no word said):
a guest post stopped `posts`, `check` and every `send --due` of the site. Only flow style
(``[[[[``) was counted before reading. Each is now one line naming the file.
"""

from __future__ import annotations

from generator_sites import write_files

from conftest import run_cli

DEEP_LIST = "- " * 50_000 + "y\n"
DEEP_KEYS = "? " * 50_000 + "y\n"


def test_front_matter_nested_thousands_deep_in_block_style_is_one_line(site):
    for name, value in (("list", DEEP_LIST), ("keys", DEEP_KEYS)):
        (site / "content" / "posts" / f"deep-{name}.md").write_text(
            f"---\ntitle: Deep\ndate: 2026-02-01\ntags:\n{value}---\n\nBody.\n", encoding="utf-8")

    done = run_cli(site, "posts")

    assert done.returncode == 2
    assert sorted(done.stderr.splitlines()) == [
        f"error: content/posts/deep-{name}.md: the front matter is nested too deeply to be read; "
        "write it as plain key: value lines" for name in ("keys", "list")]
    assert "/posts/what-matters" in done.stdout  # the other posts are still listed


def test_a_blogs_yaml_settings_nested_thousands_deep_is_unreadable_not_a_crash(tmp_path):
    site = write_files(tmp_path / "site", {"_config.yml": f"title: Kites\nexclude:\n{DEEP_LIST}",
                                           "_posts/2024-01-01-one.md": "---\ntitle: One\n---\n"})

    done = run_cli(site, "init")

    assert done.returncode == 0
    assert "Error: _config.yml: site-settings-unreadable: _config.yml nests too deep to read" \
        in done.stdout + done.stderr


def test_yaml_deeply_indented_as_text_still_reads(site):
    code = "".join(" " * 150 + f"line {number}\n" for number in range(3))
    (site / "content" / "posts" / "indented.md").write_text(
        f"---\ntitle: Indented\ndate: 2026-02-01\ndescription: |\n{code}---\n\nBody.\n",
        encoding="utf-8")

    done = run_cli(site, "posts")

    assert done.returncode == 0, done.stderr
    assert "Indented" in done.stdout
