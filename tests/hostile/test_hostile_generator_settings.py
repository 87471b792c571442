"""mkdocs.yml written to attack the reader: Python tags (which PyYAML's unsafe loaders would
run) and aliases that multiply."""

from __future__ import annotations

from conftest import invoke


def test_mkdocs_python_tags_are_read_as_nothing_and_never_run(tmp_path):
    blog = tmp_path / "blog"
    (blog / "docs" / "blog" / "posts").mkdir(parents=True)
    (blog / "docs" / "blog" / "posts" / "hi.md").write_text(
        "---\ndate: 2026-03-01\n---\n\n# Hi There\n\nHello.\n")
    (blog / "mkdocs.yml").write_text(
        "site_name: Tagged\nsite_url: https://tagged.example.org/\n"
        f"hook: !!python/object/apply:os.system ['touch {blog / 'ran'}']\n"
        "module: !!python/name:os.remove\nsecret: !ENV [HOME]\nplugins:\n  - blog\n")

    result = invoke(blog, "init")

    assert result.exit_code == 0, result.output
    assert not (blog / "ran").exists()
    assert result.output.startswith("MkDocs site: posts in docs/blog/posts (the blog plugin's "
                                    "post_dir), 1 post, 0 pages.")
    assert 'title = "Tagged"' in (blog / "newsletter.toml").read_text()


def test_mkdocs_settings_whose_aliases_multiply_read_as_none(tmp_path):
    laughs = "".join(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
                     for previous, name in zip("abcdefgh", "bcdefghi"))
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: Laughing\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n{laughs}"
        "plugins: *i\n")

    result = invoke(tmp_path, "init")

    assert result.exit_code == 0, result.output
    assert "MkDocs" not in result.output  # read as nothing: no blog plugin listed
    assert 'title = "Laughing"' not in (tmp_path / "newsletter.toml").read_text()
