"""Jekyll blogs as their own build publishes them: the settings files `jekyll build --config`
names, and what Jekyll makes of the Liquid and kramdown settings a post and _config.yml use."""

from __future__ import annotations

import json

import pytest
from generator_sites import write_files

from conftest import invoke

CONFIG = "title: Kite Notes\nurl: http://localhost:4000\nbaseurl: ''\n"
PRODUCTION = "url: https://kites.example.org\nbaseurl: /journal\n"
POST = "---\ntitle: First Flight\n---\n\nUp it went.\n"


@pytest.mark.parametrize("build_file, text", [
    (".github/workflows/pages.yml",
     "jobs:\n  build:\n    steps:\n      - run: bundle exec jekyll build --config "
     "\"_config.yml,_config.production.yml\"\n        env:\n          JEKYLL_ENV: production\n"),
    ("netlify.toml", '[build]\ncommand = "jekyll build --config _config.yml,./_config.production'
                     '.yml"\npublish = "_site"\n'),
    ("Makefile", "serve:\n\tjekyll serve\n\nbuild:\n\tJEKYLL_ENV=production bundle exec jekyll "
                 "build --config=_config.yml,_config.production.yml\n"),
])
def test_the_address_is_the_one_the_production_build_reads(tmp_path, build_file, text):
    """_config.yml keeps localhost for `jekyll serve`; the build the site names reads
    _config.production.yml over it. init wrote the placeholder address (localhost is no
    blog's), and posts were linked under the wrong base path."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": CONFIG, "_config.production.yml": PRODUCTION, build_file: text,
        "_posts/2025-03-01-first-flight.md": POST})
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    settings = (root / "newsletter.toml").read_text()
    assert 'url = "https://kites.example.org/journal"  # from _config.yml, ' \
        f"_config.production.yml (as {build_file} builds the site)" in settings
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [item["url"] for item in listed] == [
        "https://kites.example.org/journal/2025/03/01/first-flight.html"]


def test_a_production_settings_file_no_build_names_is_not_read(tmp_path):
    """Jekyll reads _config.production.yml only when told to: without a build naming it, the
    address is _config.yml's (here the placeholder, as localhost is no blog's)."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": CONFIG, "_config.production.yml": PRODUCTION,
        "Makefile": "serve:\n\tjekyll serve --config _config.yml,_config.production.yml\n",
        "_posts/2025-03-01-first-flight.md": POST})
    assert invoke(root, "init").exit_code == 0
    assert "kites.example.org" not in (root / "newsletter.toml").read_text()


def test_a_link_to_a_file_jekyll_does_not_publish_is_an_error_not_a_dead_link(tmp_path):
    """Jekyll copies no file named with _ or . (unless `include` names it), nor one `exclude`
    names: `{% link _config.yml %}` stops its build. The email linked /_config.yml, a page
    that is not there, and check said nothing."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": ("title: Kite Notes\nurl: https://kites.example.org\n"
                        "include: [.well-known]\nexclude: [drafts-notes]\n"),
        "_includes/note.html": "<p>{{ include.text }}</p>\n",
        ".well-known/security.txt": "Contact: mailto:kites@example.org\n",
        "drafts-notes/list.txt": "to do\n",
        "assets/plan.pdf": "%PDF-1.4\n",
        "_posts/2025-03-01-links.md": (
            "---\ntitle: Links\n---\n\n[A]({% link _config.yml %}) [B]({% link "
            "_includes/note.html %})\n[C]({% link drafts-notes/list.txt %})\n\n"
            "[D]({% link .well-known/security.txt %}) [E]({% link assets/plan.pdf %})\n")})
    invoke(root, "init")
    result = invoke(root, "check", "2025-03-01-links")
    problems = [line for line in result.output.splitlines() if "template-syntax" in line]
    assert [line.partition(": template-syntax: ")[::2] for line in problems] == [
        ("error: _posts/2025-03-01-links.md:5", f"{{% link {name} %}}: no post {name} on this "
         "site; give the file's path from the site's folder")
        for name in ("_config.yml", "_includes/note.html")] + [
        ("error: _posts/2025-03-01-links.md:6", "{% link drafts-notes/list.txt %}: no post "
         "drafts-notes/list.txt on this site; give the file's path from the site's folder")]
    invoke(root, "preview", "2025-03-01-links")
    text = (root / "preview/2025-03-01-links/email.txt").read_text()
    assert "https://kites.example.org/.well-known/security.txt" in text
    assert "https://kites.example.org/assets/plan.pdf" in text


@pytest.mark.parametrize("setting, shown", [
    ('"apos,apos,quot,quot"', "Kai's kite was \"up\" and 'steady'."),  # straight, as typed
    ("[sbquo, lsquo, bdquo, ldquo]", "Kai‘s kite was „up“ and ‚steady‘."),  # German
    ("[171, 187, 8249, 8250]", "Kai»s kite was ‹up› and «steady»."),  # code points
    (None, "Kai’s kite was “up” and ‘steady’."),  # kramdown's default
])
def test_kramdowns_smart_quotes_setting_gives_the_quotes_the_email_shows(tmp_path, setting,
                                                                         shown):
    """_config.yml's `kramdown: smart_quotes` names the four quotes Jekyll's pages print (an
    apostrophe is the closing single one); the email curled them as English does whatever it
    said."""
    config = "title: Kites\nurl: https://kites.example.org\n"
    if setting:
        config += f"kramdown:\n  smart_quotes: {setting}\n"
    root = write_files(tmp_path / "kites", {
        "_config.yml": config,
        "_posts/2025-03-01-quotes.md": "---\ntitle: Quotes\n---\n\n"
                                       "Kai's kite was \"up\" and 'steady'.\n"})
    invoke(root, "init")
    assert invoke(root, "preview", "2025-03-01-quotes").exit_code == 0
    assert shown in (root / "preview/2025-03-01-quotes/email.txt").read_text()


@pytest.mark.parametrize("kramdown, lines", [
    ("kramdown:\n  hard_wrap: true\n", ["Low tide at six,", "high at noon."]),
    ("kramdown:\n  hard_wrap: true\n  input: kramdown\n", ["Low tide at six, high at noon."]),
    ("", ["Low tide at six, high at noon."]),  # Jekyll's default: hard_wrap false
])
def test_kramdowns_hard_wrap_setting_breaks_the_lines_as_the_blog_does(tmp_path, kramdown,
                                                                         lines):
    """With `kramdown: hard_wrap: true` (GFM input, Jekyll's), each line of a paragraph is a
    line on the blog; the email ran them together into one."""
    root = write_files(tmp_path / "tides", {
        "_config.yml": f"title: Tides\nurl: https://tides.example.org\n{kramdown}",
        "_posts/2025-04-01-times.md": "---\ntitle: Times\n---\n\nLow tide at six,\n"
                                      "high at noon.\n"})
    invoke(root, "init")
    assert invoke(root, "preview", "2025-04-01-times").exit_code == 0
    text = (root / "preview/2025-04-01-times/email.txt").read_text()
    body = text.partition("2025\n\n")[2].partition("\n\n")[0]
    assert body.splitlines() == lines


def test_a_post_without_front_matter_is_mailed_as_jekyll_publishes_it(tmp_path):
    """Jekyll 3 (GitHub Pages) and 4 both publish a dated file in _posts without front matter
    (its PostReader makes a post of every dated file; the change to skip them was never
    merged), titled from its slug: it is a post to mail, its first line no title."""
    root = write_files(tmp_path / "kites", {
        "_config.yml": "title: Kite Notes\nurl: https://kites.example.org\n",
        "_posts/2025-03-05-calm-day.md": "No wind at all today.\n"})
    invoke(root, "init")
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["status"], item["title"], item["url"]) for item in listed] == [
        ("ready", "Calm Day", "https://kites.example.org/2025/03/05/calm-day.html")]
    assert invoke(root, "preview", "2025-03-05-calm-day").exit_code == 0
    text = (root / "preview/2025-03-05-calm-day/email.txt").read_text()
    assert text.startswith("Calm Day\n========\nMarch 5, 2025\n\nNo wind at all today.\n")
