"""A link tag to a post whose own front matter is broken (Hexo's ``{% post_link %}``, Jekyll's
``{% post_url %}``, Hugo's ``ref``): the post is there, so "no post x on this site" sent the
writer looking for a missing file. The problem names the real reason: the linked post's file,
its line and what is wrong there."""

from __future__ import annotations

import pytest

from conftest import invoke
from generator_sites import fill_in_settings, write_files

BROKEN = "---\ntitle: Tides: a primer\ndate: 2024-03-01\n---\n\nWater.\n"  # ": " unquoted

SITES = {
    "hexo": ({"_config.yml": "title: Shore\nurl: https://shore.example.org\n",
              "package.json": '{"hexo": {"version": "7.3.0"}, "dependencies": {"hexo": "^7.3.0"}}',
              "source/_posts/moon.md": "---\ntitle: Moon\ndate: 2024-03-05\n---\n\n"
                                       "See {% post_link tides %}.\n",
              "source/_posts/tides.md": BROKEN}, "moon", "source/_posts/tides.md:2"),
    "jekyll": ({"_config.yml": "title: Shore\nurl: https://shore.example.org\n",
                "_posts/2024-03-05-moon.md": "---\ntitle: Moon\n---\n\n"
                                             "See [tides]({% post_url 2024-03-01-tides %}).\n",
                "_posts/2024-03-01-tides.md": BROKEN}, "moon", "_posts/2024-03-01-tides.md:2"),
    "hugo": ({"hugo.toml": 'baseURL = "https://shore.example.org/"\ntitle = "Shore"\n',
              "content/posts/moon.md": "---\ntitle: Moon\ndate: 2024-03-05\n---\n\n"
                                       'See [tides]({{< ref "posts/tides.md" >}}).\n',
              "content/posts/tides.md": BROKEN}, "moon", "content/posts/tides.md:2"),
}


@pytest.mark.parametrize("generator", sorted(SITES))
def test_a_link_to_a_post_that_does_not_load_names_that_posts_line(tmp_path, generator):
    files, post, where = SITES[generator]
    root = write_files(tmp_path / generator, files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", post)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if "does not load" in line]
    assert len(lines) == 1, result.output
    assert f"the post it links does not load ({where}:" in lines[0]
    assert "no post" not in result.output and "Traceback" not in result.output


def test_a_link_to_a_post_that_is_not_there_still_says_so(tmp_path):
    files = dict(SITES["hexo"][0])
    del files["source/_posts/tides.md"]
    root = write_files(tmp_path / "hexo", files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "check", "moon")
    assert "no post tides on this site" in result.output
    assert "does not load" not in result.output
