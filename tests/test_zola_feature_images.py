"""Zola themes name a post's feature image in ``[extra]`` under keys of their own: kita's
``cover_image`` (a path of the site), apollo's ``local_image`` (a file of the post's section)
or ``remote_image`` (an address), duckquill's ``banner`` (a file beside the post). The email
shows that picture above the post, as the theme shows it above the page; a ``banner = true``
switch (and a banner of words) is no picture."""

from __future__ import annotations

import pytest

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

from newsletter.config import load_settings
from newsletter.posts import load_posts

CONFIG = 'base_url = "https://dunes.example.net"\ntitle = "Dunes"\ntheme = "{theme}"\n'
SECTION = '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n'


def post(extra: str) -> str:
    return f'+++\ntitle = "Marram grass"\ndate = 2024-06-02\n\n[extra]\n{extra}+++\n\nRoots.\n'


THEMES = {
    "kita": ({"content/blog/marram.md": post('cover_image = "/img/marram.jpg"\n'),
              "static/img/marram.jpg": picture((200, 180, 120))}, "/img/marram.jpg"),
    "apollo": ({"content/blog/marram.md": post('local_image = "marram.jpg"\n'),
                "content/blog/marram.jpg": picture((190, 170, 110))}, "marram.jpg"),
    "duckquill": ({"content/blog/marram/index.md": post('banner = "wide.webp"\n'),
                   "content/blog/marram/wide.webp": picture((180, 160, 100), "WEBP")},
                  "wide.webp"),
}


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_themes_picture_is_above_the_post_in_the_email(tmp_path, theme):
    files, src = THEMES[theme]
    root = write_files(tmp_path / theme, {"config.toml": CONFIG.format(theme=theme),
                                          "content/blog/_index.md": SECTION, **files})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    posts, errors = load_posts(load_settings(root, {}))
    assert errors == []
    assert [(post.id, post.image and post.image.src) for post in posts if not post.page] == [
        ("/blog/marram", src)]
    result = invoke(root, "preview", "/blog/marram")
    assert result.exit_code == 0, result.output
    html = (root / "preview/marram/email.html").read_text()
    assert html.count("<img") == 1 and '<img class="feature"' in html


def test_apollos_remote_image_is_the_feature_image_by_its_address(tmp_path):
    root = write_files(tmp_path / "apollo", {
        "config.toml": CONFIG.format(theme="apollo"), "content/blog/_index.md": SECTION,
        "content/blog/marram.md": post('remote_image = "https://pics.example.net/m.jpg"\n')})
    assert invoke(root, "init").exit_code == 0
    posts, errors = load_posts(load_settings(root, {}))
    assert [post.image and post.image.src for post in posts if not post.page] == [
        "https://pics.example.net/m.jpg"]


@pytest.mark.parametrize("extra", ['banner = true\n', 'banner = "Now with a feed"\n'])
def test_a_banner_switch_or_a_banner_of_words_is_no_picture(tmp_path, extra):
    """Some themes write ``banner = true`` and name the picture elsewhere (``local_image``);
    without one, the post simply has no feature image: no error, nothing shown."""
    root = write_files(tmp_path / "site", {
        "config.toml": CONFIG.format(theme="plain"), "content/blog/_index.md": SECTION,
        "content/blog/marram.md": post(extra), "content/blog/shore.md": post(
            extra + 'local_image = "shore.png"\n').replace("Marram grass", "Shore"),
        "content/blog/shore.png": picture((10, 90, 160), "PNG")})
    assert invoke(root, "init").exit_code == 0
    posts, errors = load_posts(load_settings(root, {}))
    assert errors == []
    assert {post.title: post.image and post.image.src for post in posts if not post.page} == {
        "Marram grass": None, "Shore": "shore.png"}
