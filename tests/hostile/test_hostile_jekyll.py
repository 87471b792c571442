"""A Jekyll blog's own settings and kramdown math, written to reach past the blog or broken."""

from __future__ import annotations

import pytest
from generator_sites import fill_in_settings, write_files
from test_config import MINIMAL

from newsletter.config import load_settings
from newsletter.posts import load_posts
from newsletter.render.dialects import DIALECTS
from newsletter.render.markdown import fragment_html, markdown_to_fragment

from conftest import invoke


def test_a_collection_named_as_a_path_never_reads_posts_from_outside_the_site(tmp_path):
    outside = tmp_path / "elsewhere"
    write_files(outside, {"2024-01-01-private.md": "---\ntitle: Private\n---\n\nNot yours.\n"})
    site = tmp_path / "site"
    write_files(site, {
        "newsletter.toml": MINIMAL,
        "_config.yml": 'collections:\n  "x/../../elsewhere":\n    output: true\n'
                       "  essays:\n    output: true\n",
        "_x/keep.txt": "a folder the name starts in\n",
        "_essays/2024-02-01-mine.md": "---\ntitle: Mine\n---\n\nBody.\n",
    })

    posts, errors = load_posts(load_settings(site, {}))

    assert errors == [] and [post.title for post in posts] == ["Mine"]


def test_markup_inside_kramdown_math_is_text_never_html():
    source = ("$$<script>alert(1)</script>$$ and $$<img src=x onerror=alert(2)>$$\n\n"
              "$$\n<iframe src=\"https://evil.example\"></iframe>\n$$\n\n" + "$$ open\n" * 2000)
    root = markdown_to_fragment(source, "https://blog.example.com/posts/x", DIALECTS["kramdown"])

    assert not list(root.iter("script", "img", "iframe"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment_html(root)


@pytest.mark.parametrize("config, where, problem", [
    ("title: Broken\npermalink: pretty\ndefaults:\n\t- scope:\n\t\tpath: ''\n", "_config.yml:4",
     "indent with spaces: YAML does not allow tabs"),
    ("title: Broken: twice\n", "_config.yml:1", 'quote values that contain ": "'),
    ("- title\n- url\n", "_config.yml", "write it as key: value lines"),
    # PyYAML raises a bare ValueError for these two: init and check crashed with a traceback
    ("title: Dated\nlaunched: 2024-02-30\n", "_config.yml:2",
     "launched: 2024-02-30 is not a real date"),
    ("title: Paged\npaginate: " + "9" * 5000 + "\n", "_config.yml:2",
     "a number of 5,000 digits (at most 4,300 are read)"),
], ids=["tab", "colon", "not-a-mapping", "impossible-date", "long-number"])
def test_a_config_jekyll_cannot_read_is_an_error_naming_its_line_not_a_guess(tmp_path, config,
                                                                             where, problem):
    """Jekyll stops at a _config.yml that is not valid YAML. newsletter read the blog without
    it, silently: every permalink, baseurl and exclude guessed, so each Read online link could
    lead nowhere."""
    site = write_files(tmp_path / "site", {
        "_config.yml": config,
        "_posts/2024-01-01-one.md": "---\ntitle: One\n---\n\nBody.\n"})
    result = invoke(site, "init")
    assert result.exit_code == 0
    assert f"Error: {where}: site-settings-unreadable: " in result.output
    assert "site-publishes-readers" not in result.output  # what it excludes is unknown
    fill_in_settings(site)

    result = invoke(site, "check", "/2024-01-01-one")

    assert result.exit_code == 2  # bad input: the blog's settings
    [line] = [line for line in result.output.splitlines() if "site-settings-unreadable" in line]
    assert line.startswith(f"error: {where}: site-settings-unreadable: ") and problem in line
    assert "Traceback" not in result.output


def test_include_relative_never_puts_a_file_from_outside_the_site_into_the_email(tmp_path):
    write_files(tmp_path, {"secret.md": "The private key.\n"})
    site = write_files(tmp_path / "site", {
        "_config.yml": "title: Ink\nurl: https://ink.example.org\n",
        "_posts/2024-01-01-one.md": ("---\ntitle: One\n---\n\nInk.\n\n"
                                     "{% include_relative ../../secret.md %}\n")})
    assert invoke(site, "init").exit_code == 0
    fill_in_settings(site)

    result = invoke(site, "check", "/2024-01-01-one")

    assert result.exit_code != 0 and "private key" not in result.output
    assert "no file ../../secret.md in the post's folder" in result.output
    invoke(site, "preview", "/2024-01-01-one")
    assert all("private key" not in path.read_text() for path in site.glob("preview/**/*.*"))


def test_a_config_with_a_tab_after_a_colon_reads_as_jekyll_reads_it(tmp_path):
    """Ruby's YAML reader (LibYAML) takes a tab after a key's colon, as settings aligned with
    tabs write it; PyYAML's own scanner stops there, so the whole _config.yml was dropped
    (every address guessed) and is not an error."""
    site = write_files(tmp_path / "site", {
        "_config.yml": "title:\tTabbed\nurl:\thttps://tabs.example.org\npermalink:\tpretty\n",
        "_posts/2024-01-01-one.md": "---\ntitle: One\n---\n\nBody.\n"})

    result = invoke(site, "init")

    assert "site-settings-unreadable" not in result.output
    assert "Read the blog's title and address from _config.yml." in result.output
    posts, errors = load_posts(load_settings(site, {}))
    assert errors == [] and [post.url for post in posts] == [
        "https://tabs.example.org/2024/01/01/one/"]


def test_a_build_naming_settings_outside_the_site_reads_none_of_them(tmp_path):
    """`jekyll build --config` naming a file outside the site (by ../ or through a link) is
    not read: its address would name where every email links."""
    (tmp_path / "elsewhere.yml").write_text("url: https://attacker.example\n")
    root = write_files(tmp_path / "site", {
        "_config.yml": "title: Kites\nurl: https://kites.example.org\n",
        "Makefile": "build:\n\tjekyll build --config _config.yml,../elsewhere.yml,linked.yml\n",
        "_posts/2025-03-01-up.md": "---\ntitle: Up\n---\n\nUp.\n"})
    (root / "linked.yml").symlink_to(tmp_path / "elsewhere.yml")
    assert invoke(root, "init").exit_code == 0
    settings = (root / "newsletter.toml").read_text()
    assert 'url = "https://kites.example.org"  # from _config.yml\n' in settings
    assert "attacker" not in settings


def test_a_production_config_the_build_names_that_jekyll_cannot_read_is_an_error(tmp_path):
    """The build reads _config.production.yml over _config.yml; when it is not valid YAML the
    build stops, and its address would be silently missing from every link."""
    site = write_files(tmp_path / "site", {
        "_config.yml": "title: Kites\nurl: http://localhost:4000\n",
        "_config.production.yml": "url: https://kites.example.org\ntitle: Kites: live\n",
        "netlify.toml": '[build]\ncommand = "jekyll build --config _config.yml,'
                        '_config.production.yml"\n',
        "_posts/2024-01-01-one.md": "---\ntitle: One\n---\n\nBody.\n"})
    result = invoke(site, "init")
    assert "Error: _config.production.yml:" in result.output
    assert "site-settings-unreadable: _config.production.yml is not valid YAML" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("remote", [
    "https://tw:ghp_SECRETTOKEN123@github.com/tw/notes.git",  # a token pasted into the clone URL
    "https://github.com/tw/notes.git@evil.example.net/x",  # not a github.com repository
])
def test_a_git_remote_gives_only_the_pages_address_never_its_credentials(tmp_path, remote):
    """The GitHub Pages address comes from the origin remote's owner and name: a token in
    the remote's URL is never written into newsletter.toml nor printed, and a URL that only
    mentions github.com names no Pages address."""
    root = write_files(tmp_path / "notes", {
        "_config.yml": "title: Notes\n",
        "_posts/2025-02-04-walls.md": "---\ntitle: Walls\n---\n\nRebuilt.\n",
        ".git/HEAD": "ref: refs/heads/main\n",
        ".git/config": f'[core]\n\tbare = false\n[remote "origin"]\n\turl = {remote}\n'
                       '\tfetch = +refs/heads/*:refs/remotes/origin/*\n'})
    result = invoke(root, "init")
    settings = (root / "newsletter.toml").read_text()
    assert "SECRETTOKEN" not in result.output + settings
    expected = "https://tw.github.io/notes" if "SECRET" in remote else "https://your-blog.example"
    assert load_settings(root, {}).site.url == expected


@pytest.mark.parametrize("source", ["../outside", "/etc", "missing"])
def test_a_jekyll_source_outside_the_site_is_never_read(tmp_path, source):
    """_config.yml's `source` names the folder Jekyll builds; one outside the site (or not
    there) is never read: the site's own folder is. Before, ../outside/_posts was listed as
    the posts and written into newsletter.toml, which then refused it."""
    outside = tmp_path / "outside" / "_posts"
    outside.mkdir(parents=True)
    (outside / "2025-01-01-not-mine.md").write_text("---\ntitle: Not Mine\n---\n\nNo.\n")
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_config.yml").write_text(
        f"title: Kites\nurl: https://kites.example.org\nsource: {source}\n")
    (blog / "_posts" / "2025-03-01-lines.md").write_text("---\ntitle: Lines\n---\n\nUp.\n")

    assert invoke(blog, "init").exit_code == 0
    assert 'dirs = ["_posts"]' in (blog / "newsletter.toml").read_text()
    result = invoke(blog, "posts")
    assert result.exit_code == 0, result.output
    assert "/2025-03-01-lines" in result.output and "Not Mine" not in result.output


def test_post_folders_beside_a_jekyll_source_folder_are_read_without_a_traceback(tmp_path):
    """[posts] dirs may name folders beside the one _config.yml's `source` builds; a file
    there stopped `posts` with a ValueError traceback (not in the subpath of src)."""
    blog = tmp_path / "blog"
    for folder in ("src/_posts", "notes", "other/_posts"):
        (blog / folder).mkdir(parents=True)
    (blog / "_config.yml").write_text("title: Kites\nurl: https://kites.example.org\n"
                                      "source: src\n")
    (blog / "src/_posts/2025-03-01-lines.md").write_text("---\ntitle: Lines\n---\n\nUp.\n")
    (blog / "notes/note.md").write_text("---\ntitle: Note\ndate: 2025-04-02\n---\n\nA note.\n")
    (blog / "other/_posts/2025-04-01-kept.md").write_text("---\ntitle: Kept\n---\n\nKept.\n")
    assert invoke(blog, "init").exit_code == 0
    settings = blog / "newsletter.toml"
    settings.write_text(settings.read_text().replace(
        'dirs = ["src/_posts"]', 'dirs = ["src/_posts", "notes", "other/_posts"]'))

    result = invoke(blog, "posts")

    assert result.exit_code == 0, result.output
    assert [line.split()[:3] for line in result.output.splitlines()[1:4]] == [
        ["ready", "2025-04-01", "/other/2025-04-01-kept"],
        ["ready", "2025-03-01", "/2025-03-01-lines"], ["page", "(not", "emailed)"]]


@pytest.mark.parametrize("filler", ["{{ include.a ", "<img ", "<figcaption "])
def test_an_include_file_of_unclosed_openings_is_read_in_one_pass(tmp_path, filler):
    """The blog's own include is read for its picture's parameters: 250 KB of ``{{ include.``,
    ``<img`` or ``<figcaption`` never closed took a search from each one to the end of the file
    (minutes); the subprocess's timeout is far above the few seconds `check` takes."""
    from conftest import run_cli

    site = write_files(tmp_path / "site", {
        "_config.yml": "title: Fen\nurl: https://fen.example.org\n"
                       "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n",
        "_includes/image.html": '<img src="{{ include.url }}" alt="{{ include.alt }}">\n'
                                + filler * (250_000 // len(filler)),
        "_posts/2024-05-01-fen.md": '---\ntitle: Fen\n---\n\nWet.\n\n'
                                    '{% include image.html url="https://pics.example.org/f.jpg" '
                                    'alt="The fen" %}\n',
    })
    assert invoke(site, "init").exit_code == 0
    fill_in_settings(site)
    done = run_cli(site, "check", "fen", timeout=60)
    assert (done.returncode, done.stdout + done.stderr) == (0, "Checked 1 post: nothing found.\n")
