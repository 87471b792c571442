"""Settings files nested thousands deep (``x = [[[[...]]]]``): tomllib and json recurse once per
level and raise RecursionError, which is neither a syntax error nor a ValueError. In
newsletter.toml it crashed every command (and `init`) with a traceback; in a Jekyll blog's
_config.toml or any blog's package.json it crashed `init` and `check`. Each is now one line
naming the file, as the YAML settings files and front matter already were.
"""

from __future__ import annotations

import pytest
from generator_sites import write_files

from conftest import invoke

DEPTH = 5000
NESTED = "[" * DEPTH + "]" * DEPTH
POST = "---\ntitle: One\n---\n\nBody.\n"


@pytest.mark.parametrize("command", ["check", "posts", "init"])
def test_a_settings_file_nested_too_deep_is_one_line_naming_it(site, command):
    path = site / "newsletter.toml"
    path.write_text(path.read_text(encoding="utf-8") + f"\n[extra]\nx = {NESTED}\n",
                    encoding="utf-8")

    result = invoke(site, command)

    assert "Traceback" not in result.output
    if command == "init":  # it keeps the file, as it keeps any other
        assert result.exit_code == 0
        return
    assert result.exit_code == 2
    assert result.output == ("error: newsletter.toml: is nested too deeply to read (brackets "
                             "inside brackets thousands deep); write its values flat, as "
                             "key = value lines\n")


def test_a_jekyll_toml_config_nested_too_deep_is_unreadable_not_a_traceback(tmp_path):
    site = write_files(tmp_path / "site", {"_config.toml": f'title = "Kites"\nx = {NESTED}\n',
                                           "_posts/2024-01-01-one.md": POST})

    result = invoke(site, "init")

    assert result.exit_code == 0
    assert "Error: _config.toml: site-settings-unreadable: _config.toml nests too deep to read" \
        in result.output


def test_a_package_json_nested_too_deep_names_no_generator_and_crashes_nothing(tmp_path):
    site = write_files(tmp_path / "site", {"package.json": f'{{"x": {NESTED}}}\n',
                                           "content/posts/one.md": POST})

    result = invoke(site, "init")

    assert result.exit_code == 0
    assert (site / "newsletter.toml").is_file()
