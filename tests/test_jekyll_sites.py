"""Jekyll sites as their _config.yml lays them out: the folder Jekyll builds (`source`) and
the language the site names, read at the first `init`."""

from __future__ import annotations

import json

from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke


def test_a_site_built_from_its_source_folder_has_its_addresses_and_files(tmp_path):
    """`source: src` in _config.yml: Jekyll builds src/ (posts in src/_posts, pages, assets and
    _data there), publishing nothing beside it. newsletter took "src" for a category, linking
    /src/2025/03/01/lines.html, and warned that newsletter.toml would be published."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": "title: Kite Lines\nurl: https://kites.example.org\nsource: src\n",
        "src/_posts/2025-03-01-lines.md": (
            "---\ntitle: Lines\n---\n\nFlown by {{ site.data.crew.pilot }}.\n\n"
            "![The kite](/assets/kite.jpg)\n"),
        "src/_data/crew.yml": "pilot: Ada Wren\n",
        "src/assets/kite.jpg": picture((200, 40, 40)),
        "src/about.md": "---\ntitle: About\n---\n\nWho flies.\n"})
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert "site-publishes-readers" not in result.output
    assert 'dirs = ["src/_posts"]' in (root / "newsletter.toml").read_text()
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {
        "/2025-03-01-lines": ("ready", "https://kites.example.org/2025/03/01/lines.html"),
        "/about": ("page", "https://kites.example.org/about.html")}
    fill_in_settings(root)
    assert invoke(root, "preview", "2025-03-01-lines").exit_code == 0
    preview = root / "preview/2025-03-01-lines"
    assert "Flown by Ada Wren." in (preview / "email.txt").read_text()
    assert '<img src="images/' in (preview / "email.html").read_text()  # src/assets/kite.jpg
    assert len(list((preview / "images").iterdir())) == 1
