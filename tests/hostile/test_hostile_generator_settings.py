"""Generator settings written to attack the reader: mkdocs.yml's Python tags (which PyYAML's
unsafe loaders would run) and aliases that multiply; Eleventy folders outside the site."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("config", [
    'export const config = { dir: { data: "../outside" } };\n',
    "export default function (c) { c.setDataDirectory('../outside'); }\n",
])
def test_an_eleventy_data_folder_outside_the_site_is_never_read(tmp_path, config):
    """Before, dir.data = "../outside" read ../outside/metadata.json for the blog's title and
    address, then stopped init on a ValueError naming the file outside the site."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "metadata.json").write_text(
        '{"title": "Not Mine", "url": "https://elsewhere.example.org"}')
    blog = tmp_path / "blog"
    (blog / "posts").mkdir(parents=True)
    (blog / "eleventy.config.js").write_text(config)

    result = invoke(blog, "init")

    assert result.exit_code == 0, result.output
    assert "Not Mine" not in (blog / "newsletter.toml").read_text()
    assert "elsewhere" not in (blog / "newsletter.toml").read_text()


def test_an_eleventy_input_naming_a_file_reads_the_site_folder(tmp_path):
    """dir.input may name one file; before, its name taken for a folder stopped every command
    on a ValueError from an id of nothing."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(
        "---\ntitle: A\ndate: 2024-01-02\ntags: posts\n---\n\nA.\n")
    (tmp_path / "eleventy.config.js").write_text(
        'export const config = { dir: { input: "posts/a.md" } };\n')

    assert invoke(tmp_path, "init").exit_code == 0
    result = invoke(tmp_path, "posts")

    assert result.exit_code == 0, result.output
    assert "/posts/a" in result.output


def test_a_bridgetown_source_outside_the_site_is_never_read(tmp_path):
    """bridgetown.config.yml's `source: ../outside` read ../outside/_data/site_metadata.yml
    for the blog's title and listed ../outside/_posts as the posts; src/ is read instead."""
    outside = tmp_path / "outside"
    (outside / "_data").mkdir(parents=True)
    (outside / "_data" / "site_metadata.yml").write_text("title: Not Mine\n")
    blog = tmp_path / "blog"
    (blog / "src" / "_posts").mkdir(parents=True)
    (blog / "bridgetown.config.yml").write_text(
        "url: https://kites.example.org\nsource: ../outside\n")
    (blog / "src" / "_posts" / "2025-03-01-lines.md").write_text(
        "---\ntitle: Lines\n---\n\nUp.\n")

    result = invoke(blog, "init")

    assert result.exit_code == 0, result.output
    settings = (blog / "newsletter.toml").read_text()
    assert "Not Mine" not in settings and 'dirs = ["src/_posts"]' in settings
    assert "/2025-03-01-lines" in invoke(blog, "posts").output


def test_a_hugo_deploys_address_that_is_no_web_address_or_an_environment_outside_is_not_taken(
        tmp_path):
    """A deploy setting HUGO_BASEURL = "file:///etc/passwd", or an environment named
    ../../elsewhere (a config/ folder outside the site), leaves the settings files' values."""
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "a.md").write_text("---\ntitle: A\ndate: 2024-01-02\n---\n")
    (tmp_path / "hugo.toml").write_text('baseURL = "https://own.example.org/"\n')
    (tmp_path / "netlify.toml").write_text(
        '[context.production.environment]\nHUGO_BASEURL = "file:///etc/passwd"\n'
        'HUGO_ENVIRONMENT = "../../elsewhere"\n')
    (tmp_path.parent / "elsewhere").mkdir(exist_ok=True)
    (tmp_path.parent / "elsewhere" / "hugo.toml").write_text('baseURL = "https://evil.example/"\n')

    assert invoke(tmp_path, "init").exit_code == 0
    assert 'url = "https://own.example.org"' in (tmp_path / "newsletter.toml").read_text()


def test_hugo_build_files_of_repeated_commands_and_blank_lines_are_read_in_one_pass(tmp_path):
    """A build file just under the 1 MB read: one line of 'hugo -' again and again, and a
    workflow of blank lines (each hugo word or line start once re-read the rest of the text:
    hours). init reads them and keeps the settings' address."""
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "a.md").write_text("---\ntitle: A\ndate: 2024-01-02\n---\n")
    (tmp_path / "hugo.toml").write_text('baseURL = "https://own.example.org/"\n')
    (tmp_path / "Makefile").write_text("build:\n\t" + "hugo -" * 170_000 + "\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "hugo.yml").write_text(
        "run: hugo\n" + "\n" * 1_000_000 + "  " * 1000 + "HUGO_" + "A" * 5000 + ": x\n")

    assert invoke(tmp_path, "init").exit_code == 0
    assert 'url = "https://own.example.org"' in (tmp_path / "newsletter.toml").read_text()
