"""A writer's commands on Hugo blogs laid out as themes not covered elsewhere lay them out
(DoIt's config/_default/ and multilingual posts, ...), written here with this project's own text:
the post a writer names, and what its email shows."""

from __future__ import annotations

from generator_sites import fill_in_settings, write_files

from conftest import invoke

DOIT_CONFIG = {
    "config/_default/config.toml": ('baseURL = "https://kiln.example.net/"\ntitle = "Kiln"\n'
                                    'defaultContentLanguage = "en"\n'),
    "config/_default/languages.toml": ('[en]\n  weight = 1\n  languageName = "English"\n'
                                       '[pt]\n  weight = 2\n  languageName = "Portugues"\n'),
}


def test_a_post_written_as_name_en_md_is_found_by_its_name(tmp_path):
    """DoIt's and LoveIt's multilingual posts: posts/glaze.en.md beside glaze.pt.md. `preview
    glaze` found no post and proposed the Portuguese translation, a page that is never sent."""
    root = write_files(tmp_path / "kiln", {
        **DOIT_CONFIG,
        "content/posts/glaze.en.md": "+++\ntitle = \"Glaze\"\ndate = 2025-02-10\n+++\n\nTiles.\n",
        "content/posts/glaze.pt.md": "+++\ntitle = \"Vidrado\"\ndate = 2025-02-10\n+++\n\nAz.\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "glaze")
    assert result.exit_code == 0, result.output
    assert "Tiles." in (root / "preview" / "glaze.en" / "email.txt").read_text()
    wrong = invoke(root, "preview", "glace")
    assert wrong.exit_code == 2
    assert "did you mean glaze?" in wrong.output
