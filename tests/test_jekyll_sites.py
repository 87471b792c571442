"""Jekyll sites as their _config.yml lays them out: the folder Jekyll builds (`source`) and
the language the site names, read at the first `init`."""

from __future__ import annotations

import json

import pytest
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


@pytest.mark.parametrize("setting, language, tag", [
    ('locale: "fr-FR"', "fr-FR", "fr-FR"),  # Minimal Mistakes
    ("locale: en_GB", "en_GB", "en-GB"),  # as jekyll-seo-tag's og:locale writes it
    ("lang: de\nlocale: fr-FR", "de", "de"),
])
def test_the_language_is_the_one_the_sites_pages_declare(tmp_path, setting, language, tag):
    """Minimal Mistakes names the language with `locale`; newsletter read only `lang` and
    wrote "en": every email said it was in English."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": f"title: Kite Lines\nurl: https://kites.example.org\n{setting}\n",
        "_posts/2025-03-01-lines.md": "---\ntitle: Lines\n---\n\nUp.\n"})
    assert invoke(root, "init").exit_code == 0
    assert f'language = "{language}"' in (root / "newsletter.toml").read_text()
    fill_in_settings(root)
    assert invoke(root, "preview", "2025-03-01-lines").exit_code == 0
    assert f'lang="{tag}"' in (root / "preview/2025-03-01-lines/email.html").read_text()


def test_multiple_languages_plugin_mails_the_first_language_once(tmp_path):
    """jekyll-multiple-languages-plugin keeps each language's posts in _i18n/<lang>/_posts and
    builds the first of `languages` at the site's root, the others under /<lang>/. newsletter
    mailed the German post as a second one, and linked both under /_i18n/<lang>/."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": ("title: Kite Lines\nurl: https://kites.example.org\n"
                        "languages: [de, en]\nplugins: [jekyll-multiple-languages-plugin]\n"),
        "_i18n/de.yml": "greeting: Hallo\n",
        "_i18n/de/_posts/2025-03-01-lines.md": "---\ntitle: Leinen\n---\n\nHoch.\n",
        "_i18n/en/_posts/2025-03-01-lines.md": "---\ntitle: Lines\n---\n\nUp.\n",
        "_i18n/de/_posts/2025-03-02-spools.md": (
            "---\ntitle: Spulen\ncategory: gear\n---\n\nRund.\n")})
    assert invoke(root, "init").exit_code == 0
    assert 'language = "de"' in (root / "newsletter.toml").read_text()
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {
        "/_i18n/de/2025-03-01-lines": ("ready", "https://kites.example.org/2025/03/01/lines.html"),
        "/_i18n/de/2025-03-02-spools": (
            "ready", "https://kites.example.org/gear/2025/03/02/spools.html"),
        "/_i18n/en/2025-03-01-lines": (
            "page", "https://kites.example.org/en/2025/03/01/lines.html")}


def test_a_polyglot_post_and_its_translation_of_one_name_are_both_listed(tmp_path):
    """jekyll-polyglot sites keep each language's copy under one file name in a folder per
    language. The German copy took the English post's slug first: the post vanished from
    `posts`, and `send --due` had nothing to mail."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": ("title: Kite Lines\nurl: https://kites.example.org\n"
                        'languages: ["en", "de"]\ndefault_lang: "en"\n'),
        "_posts/de/2025-03-01-lines.md": "---\ntitle: Leinen\nlang: de\n---\n\nHoch.\n",
        "_posts/en/2025-03-01-lines.md": "---\ntitle: Lines\nlang: en\n---\n\nUp.\n"})
    assert invoke(root, "init").exit_code == 0
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {
        "/2025-03-01-lines": ("ready", "https://kites.example.org/2025/03/01/lines.html"),
        "/de/2025-03-01-lines": ("page", "https://kites.example.org/de/2025/03/01/lines.html")}


def test_a_baseurl_written_as_a_whole_address_is_the_blogs_address(tmp_path):
    """Older sites write the whole address in `baseurl` for themes that link
    `{{ site.baseurl }}{{ post.url }}`. init wrote https://kites.example.org/https://kites
    .example.org/blog, and every post was linked there."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": ("title: Kite Lines\nurl: https://kites.example.org\n"
                        "baseurl: https://kites.example.org/blog/\n"),
        "_posts/2025-03-01-lines.md": (
            "---\ntitle: Lines\n---\n\nUp.\n\n![The kite]({{ site.baseurl }}/assets/kite.jpg)\n"),
        "assets/kite.jpg": picture((40, 40, 200))})
    assert invoke(root, "init").exit_code == 0
    assert 'url = "https://kites.example.org/blog"' in (root / "newsletter.toml").read_text()
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {
        "/2025-03-01-lines": ("ready", "https://kites.example.org/blog/2025/03/01/lines.html")}
    fill_in_settings(root)
    assert invoke(root, "preview", "2025-03-01-lines").exit_code == 0
    assert '<img src="images/' in (root / "preview/2025-03-01-lines/email.html").read_text()


def test_a_url_that_already_ends_in_the_baseurl_is_not_doubled(tmp_path):
    """Beautiful Jekyll's earlier settings wrote the project's path in both `url` and
    `baseurl`; its pages link `relative_url`, the path once. Posts were linked at
    /kites/kites/..., a page that is not there."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": ('title: Kite Lines\nurl: "https://kiter.github.io/kites"\n'
                        'baseurl: "/kites"\n'),
        "_posts/2025-03-01-lines.md": "---\ntitle: Lines\n---\n\nUp.\n"})
    assert invoke(root, "init").exit_code == 0
    assert 'url = "https://kiter.github.io/kites"' in (root / "newsletter.toml").read_text()
    listed = [item["url"] for item in json.loads(invoke(root, "posts", "--json").stdout)]
    assert listed == ["https://kiter.github.io/kites/2025/03/01/lines.html"]


def test_settings_in_config_toml_are_read_as_jekyll_reads_them(tmp_path):
    """Jekyll reads _config.toml when there is no _config.yml or _config.yaml. init wrote the
    placeholder title and address, and posts had the date style, not the site's pretty."""
    root = write_files(tmp_path / "kites", {
        "_config.toml": ('title = "Kite Lines"\nurl = "https://kites.example.org"\n'
                         'baseurl = "/journal"\npermalink = "pretty"\n'),
        "_posts/2025-03-01-lines.md": "---\ntitle: Lines\n---\n\nUp.\n"})
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    settings = (root / "newsletter.toml").read_text()
    assert 'title = "Kite Lines"  # from _config.toml' in settings
    assert 'url = "https://kites.example.org/journal"  # from _config.toml' in settings
    listed = [item["url"] for item in json.loads(invoke(root, "posts", "--json").stdout)]
    assert listed == ["https://kites.example.org/journal/2025/03/01/lines/"]


def test_a_config_toml_that_is_not_toml_is_named_at_its_line(tmp_path):
    """Jekyll stops on a _config.toml it cannot read; newsletter read it as no settings and
    went on with the placeholder title and address, saying nothing."""
    root = write_files(tmp_path / "kites", {
        "_config.toml": 'title = "Kite Lines"\nurl = https://kites.example.org\n',
        "_posts/2025-03-01-lines.md": "---\ntitle: Lines\n---\n\nUp.\n"})
    result = invoke(root, "init")
    assert ("Error: _config.toml:2: site-settings-unreadable: _config.toml: not valid TOML "
            "(Invalid value): ") in result.output
    assert 'put text in quotes (name = "postmark")' in result.output
