"""`newsletter init`: a working site from nothing, from an installed wheel, never overwriting."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import shutil
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, invoke
from newsletter.config import load_settings
from newsletter.scaffold.placeholders import PLACEHOLDER_URL

LUMEN_POST = """---
title: "Hello, Subscribers"
date: "2026-11-30T08:00:00.000Z"
template: "post"
draft: false
slug: "/posts/hello-subscribers"
category: "News"
tags:
  - "Newsletter"
description: "The first letter of the blog."
socialImage: "./image.jpg"
---

**Welcome.** The blog now comes by email, too.

![The desk where it is written](/image.jpg)
"""


def lumen_blog(root: Path) -> Path:
    """A folder shaped like a Gatsby Lumen blog: content/config.json and dated post folders."""
    post = root / "content" / "posts" / "2026-11-30---hello-subscribers"
    post.mkdir(parents=True)
    (post / "index.md").write_text(LUMEN_POST, encoding="utf-8")
    Image.new("RGB", (1600, 900), (180, 120, 60)).save(post / "image.jpg", quality=80)
    (root / "content" / "config.json").write_text(
        '{"title": "Blog by John Doe", "url": "https://lumen.example.com/", "pathPrefix": "/"}',
        encoding="utf-8")
    return root


def fill_in_placeholders(blog: Path) -> None:
    """The writer's own values where init wrote its examples."""
    path = blog / "newsletter.toml"
    text = path.read_text(encoding="utf-8")
    for example, own in (("Your Name <you@example.com>", "John Doe <john@lumen.example.com>"),
                         ("you@example.com", "john@lumen.example.com"),
                         ("Your postal address", "1 Lumen Lane, Springfield")):
        text = text.replace(example, own)
    path.write_text(text, encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_writes_a_site_that_loads_with_the_blogs_title_and_address(tmp_path):
    blog = lumen_blog(tmp_path / "blog")
    result = invoke(blog, "init")
    assert result.exit_code == 0, result.output
    assert "Read the blog's title and address from content/config.json." in result.output
    settings = load_settings(blog, {})
    assert settings.site.title == "Blog by John Doe"
    assert settings.site.url == "https://lumen.example.com"
    assert settings.email.unsubscribe_url == "https://lumen.example.com/unsubscribe/{token}"
    assert settings.provider.name == "outbox"
    assert (blog / "subscribers" / "subscribers.csv").read_text() == "email,name,status,tags,subscribed_at\n"
    shipped = sorted(p.name for p in (REPO / "newsletter" / "scaffold" / "templates").iterdir())
    assert sorted(p.name for p in (blog / "templates").iterdir()) == shipped
    assert (blog / ".gitignore").read_text().splitlines()[-3:] == [".newsletter/", "outbox/", "preview/"]


def test_a_second_init_changes_nothing_and_says_what_it_kept(tmp_path):
    blog = lumen_blog(tmp_path / "blog")
    invoke(blog, "init")
    before = snapshot(blog)
    result = invoke(blog, "init")
    assert result.exit_code == 0
    assert snapshot(blog) == before
    assert "wrote" not in result.output
    assert "  kept    newsletter.toml (exists; not changed)" in result.output


def test_init_never_overwrites_and_keeps_the_blogs_own_gitignore(tmp_path):
    blog = lumen_blog(tmp_path / "blog")
    (blog / "templates").mkdir()
    (blog / "templates" / "email.css").write_text("/* mine */\n")
    (blog / ".gitignore").write_text("node_modules\npublic\noutbox")  # no newline at the end
    invoke(blog, "init", str(blog))
    assert (blog / "templates" / "email.css").read_text() == "/* mine */\n"
    assert (blog / ".gitignore").read_text() == (
        "node_modules\npublic\noutbox\n# newsletter\n.newsletter/\npreview/\n")
    assert (blog / "content" / "posts" / "2026-11-30---hello-subscribers" / "index.md").read_text() == LUMEN_POST


def test_init_takes_root_anchored_gitignore_lines_as_the_same_folders(tmp_path):
    blog = lumen_blog(tmp_path / "blog")
    (blog / ".gitignore").write_text("/.newsletter/\n/outbox/\n./preview\n")
    result = invoke(blog, "init")
    assert (blog / ".gitignore").read_text() == "/.newsletter/\n/outbox/\n./preview\n"
    assert "  kept    .gitignore" in result.output


@pytest.mark.parametrize("name, text, title, url, zone", [
    ("hugo.toml", 'baseURL = "https://hugo.example.org/"\ntitle = "Hugo Notes"\ntimeZone = "Europe/Paris"\n',
     "Hugo Notes", "https://hugo.example.org", "Europe/Paris"),
    ("config.yaml", "baseURL: http://yaml.example.org\ntitle: YAML Hugo\n",
     "YAML Hugo", "https://yaml.example.org", "UTC"),
    ("_config.yml", "title: Jekyll Log\nurl: https://jekyll.example.net\nbaseurl: /blog\ntimezone: Nowhere/Atlantis\n",
     "Jekyll Log", "https://jekyll.example.net/blog", "UTC"),
    ("_config.yml", "name: Jekyll Now Log\nurl: https://now.example.net\n",  # Jekyll Now's
     "Jekyll Now Log", "https://now.example.net", "UTC"),
    ("gatsby-config.js", "module.exports = {\n  siteMetadata: {\n    title: `Gatsby Days`,\n"
     "    siteUrl: 'https://gatsby.example.com',\n  },\n  plugins: [],\n}\n",
     "Gatsby Days", "https://gatsby.example.com", "UTC"),
])
def test_init_reads_other_generators_settings(tmp_path, name, text, title, url, zone):
    (tmp_path / name).write_text(text)
    invoke(tmp_path, "init")
    settings = load_settings(tmp_path, {})
    assert (settings.site.title, settings.site.url, settings.site.timezone) == (title, url, zone)


def test_without_generator_settings_init_writes_placeholders_that_load(tmp_path):
    (tmp_path / "hugo.toml").write_text("this is = not [toml")
    result = invoke(tmp_path, "init")
    assert "Read the blog" not in result.output
    raw = tomllib.loads((tmp_path / "newsletter.toml").read_text())
    assert raw["site"]["url"] == PLACEHOLDER_URL
    load_settings(tmp_path, {})


def test_init_at_a_repository_whose_blog_is_in_docs_says_to_run_it_there(tmp_path):
    """GitHub Pages publishes a project's docs/ folder: init at the repository's top finds no
    generator there, names the Jekyll site one folder down instead of the README, and writes
    nothing: a site written there held docs/, and init in docs/ then refused it."""
    (tmp_path / "docs" / "_posts").mkdir(parents=True)
    (tmp_path / "docs" / "_config.yml").write_text("title: Tool\nbaseurl: /tool\n")
    (tmp_path / "docs" / "_posts" / "2026-03-01-release.md").write_text(
        "---\ntitle: Release\n---\n\nOut now.\n")
    (tmp_path / "README.md").write_text("# tool\n")
    result = invoke(tmp_path, "init")
    assert result.exit_code == 2
    assert result.output == (
        f"error: {tmp_path.resolve()}: no blog here, but docs/ holds a Jekyll site "
        "(docs/_config.yml); run newsletter init in docs/ (nothing was written here)\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["README.md", "docs"]
    there = invoke(tmp_path / "docs", "init")
    assert there.exit_code == 0, there.output
    assert there.output.startswith("Jekyll site: posts in _posts")


def test_init_rerun_at_a_top_folder_made_a_site_before_still_names_the_blog_below(tmp_path):
    # a site init wrote there before the blog below was made is run again (it only adds
    # what is missing)
    assert invoke(tmp_path, "init").exit_code == 0
    (tmp_path / "docs" / "_posts").mkdir(parents=True)
    (tmp_path / "docs" / "_config.yml").write_text("title: Tool\n")
    result = invoke(tmp_path, "init")
    assert result.output.splitlines()[0] == (
        "No static site generator found: posts in content (the default), 0 posts, 0 pages; "
        "docs/ holds a Jekyll site (docs/_config.yml): run `newsletter init` in docs/.")


def test_init_and_posts_in_an_empty_folder_say_how_to_write_a_first_post(tmp_path):
    # A new blog started in an empty folder heard only "set [posts] dirs if your posts are
    # elsewhere": it has none yet, and nothing said what one looks like.
    today = dt.date.today().isoformat()
    first = (f"to start one, write content/hello.md: a line ---, then title: Hello and date: "
             f"{today} on lines of their own, a line ---, then the text")
    assert invoke(tmp_path, "init").output.splitlines()[0].endswith(f"; {first}.")
    assert invoke(tmp_path, "posts").output.endswith(f"; {first}\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "hello.md").write_text(f"---\ntitle: Hello\ndate: {today}\n---\n\nHi.\n")
    assert "/hello  Hello" in invoke(tmp_path, "posts").output


def test_init_that_finds_no_posts_says_where_to_name_them(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "first.md").write_text("---\ntitle: First\ndate: 2026-03-01\n---\n")
    (tmp_path / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / "node_modules" / "pkg" / "README.md").write_text("# a package\n")
    result = invoke(tmp_path, "init")
    assert result.output.splitlines()[0] == (
        "No static site generator found: posts in content (the default), 0 posts, 0 pages; "
        "Markdown files are in posts (1): if they are your posts, set [posts] dirs in "
        'newsletter.toml (e.g. dirs = ["posts"]).')


def test_init_that_finds_only_pages_names_the_other_markdown_folders(tmp_path):
    (tmp_path / "hugo.toml").write_text('title = "Notes"\n')
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "about.md").write_text("---\ntitle: About\n---\n\nMe.\n")
    (tmp_path / "writing").mkdir()
    (tmp_path / "writing" / "one.md").write_text("---\ntitle: One\ndate: 2026-03-01\n---\n\nHi.\n")
    first = invoke(tmp_path, "init").output.splitlines()[0]
    assert first.endswith("0 posts, 1 page; Markdown files are in writing (1): if they are your "
                          'posts, set [posts] dirs in newsletter.toml (e.g. dirs = ["writing"]).')


def test_init_in_a_folder_of_a_site_refuses_and_names_the_site(tmp_path):
    blog = lumen_blog(tmp_path / "blog")
    invoke(blog, "init")
    posts = blog / "content" / "posts"
    before = snapshot(blog)
    result = invoke(posts, "init")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {posts.resolve()}: this folder is inside the site {blog.resolve()}; run "
        f"newsletter init in {blog.resolve()} (it only adds what is missing), or pass a folder "
        "outside it")
    assert snapshot(blog) == before


def test_init_names_markdown_files_at_the_top_as_a_glob(tmp_path):
    for name in ("first", "second"):
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: 2026-03-01\n---\n\nHi.\n")
    assert 'in the top folder (2): if they are your posts, set [posts] dirs in newsletter.toml ' \
        '(e.g. dirs = ["*.md"]).' in invoke(tmp_path, "init").output


def test_init_where_no_folder_can_be_made_is_one_line(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "blog"
    result = invoke(tmp_path, "init", str(target))
    assert result.exit_code == 2
    assert result.output == (f"error: {target}: cannot write the site's files there (Not a "
                             "directory); run init in a folder you may write to\n")


@pytest.mark.parametrize("name, made, problem", [
    ("templates", "file", "is a file, where init makes a folder"),
    ("newsletter.toml", "folder", "is a folder, where init writes a file"),
])
def test_init_with_a_file_or_folder_in_the_way_names_it(tmp_path, name, made, problem):
    """Before: "templates: cannot write the site's files there (File exists); run init in a
    folder you may write to", and a folder named newsletter.toml was "kept", exit 0."""
    (tmp_path / name).mkdir() if made == "folder" else (tmp_path / name).write_text("")
    result = invoke(tmp_path, "init")
    assert result.exit_code == 2
    assert result.output == (f"error: {tmp_path / name}: {problem}; rename or move it, then run "
                             "newsletter init again\n")


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory):
    """The repository built as a wheel and installed in a fresh virtual environment, offline.

    The environment starts empty (no ``--system-site-packages``: from inside a virtual
    environment that would reach the base interpreter's packages, not the ones installed here).
    A ``.pth`` file lends it this interpreter's site-packages for the dependencies; it lists
    their folders only, so the ``.pth`` files in them (an editable install of the repository)
    are not run, and ``newsletter`` itself comes from the wheel.
    """
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / part, source / part)
    shutil.copytree(REPO / "newsletter", source / "newsletter",
                    ignore=shutil.ignore_patterns("__pycache__"))
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    # The test extras' setuptools builds it here: no build environment to download.
    _run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", work / "dist", source)
    wheel, = (work / "dist").glob("newsletter-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    # --ignore-installed: pip, run from here, sees this interpreter's packages as installed there.
    _run(*pip, "--python", python, "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
         wheel)
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip()
    (Path(purelib) / "dependencies-of-the-test-run.pth").write_text(
        "".join(f"{folder}\n" for folder in _site_folders()), encoding="utf-8")
    return venv


def _run(*command) -> str:
    """Run ``command``; its output, or a failure that shows what it said."""
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return done.stdout


def _site_folders() -> list[str]:
    """Where this interpreter's installed packages live, virtual environment or not."""
    folders = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return [folder for folder in folders if Path(folder).is_dir()]


def test_a_site_made_by_init_from_an_installed_wheel_previews_and_sends(installed_wheel, tmp_path):
    blog = lumen_blog(tmp_path / "blog")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEWSLETTER_SECRET")}

    def newsletter(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(installed_wheel / "bin" / "newsletter"), *args], cwd=blog,
                              env=environ, capture_output=True, text=True, timeout=120)

    where = subprocess.run([str(installed_wheel / "bin" / "python"), "-c",
                            "import newsletter; print(newsletter.__file__)"],
                           cwd=blog, env=environ, capture_output=True, text=True, check=True)
    assert str(installed_wheel) in where.stdout  # the wheel's copy, not the repository's
    made = newsletter("init")
    assert made.returncode == 0
    # The Lumen blog's config.json gave the title and address; init says what it could not know.
    assert ("Next: fill in email.from, email.reply_to, email.cta_url, email.postal_address in"
            in made.stdout)
    fill_in_placeholders(blog)
    for reader in ("ada@example.com", "grace@example.org"):
        assert newsletter("subscribers", "add", reader).returncode == 0
    posts = newsletter("posts")
    assert posts.returncode == 0 and "/posts/hello-subscribers" in posts.stdout
    assert newsletter("preview").returncode == 0
    assert (blog / "preview" / "hello-subscribers" / "email.html").exists()
    sent = newsletter("send", "hello-subscribers", "--yes")
    assert sent.returncode == 0, sent.stderr
    messages = sorted((blog / "outbox").rglob("*.eml"))
    assert len(messages) == 2
    message = email.message_from_bytes(messages[0].read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Hello, Subscribers"
    html = message.get_body(("html",)).get_content()
    assert "The blog now comes by email, too." in html and "Get in touch" in html
    picture, = [part for part in message.walk() if part.get_content_type() == "image/jpeg"]
    assert f'src="cid:{picture["Content-ID"].strip("<>")}"' in html  # the image travels inline
    before = snapshot(blog / "templates")
    assert newsletter("init").returncode == 0
    assert snapshot(blog / "templates") == before


def test_an_unsupported_platform_is_one_line_not_a_traceback(site, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    result = invoke(site, "posts")
    assert result.exit_code == 2
    assert result.output == "error: newsletter runs on Linux and macOS, not on win32; on Windows, use WSL\n"


@pytest.mark.parametrize("files, found, dirs", [
    ({"_quarto.yml": "project:\n  type: website\n",
      "posts/kites/index.qmd": "---\ntitle: Kites\ndate: 2026-03-01\n---\n\nUp.\n",
      "posts/reels/index.md": "---\ntitle: Reels\ndate: 2026-03-02\n---\n\nLine.\n"},
     "Quarto site (found _quarto.yml), which newsletter does not know: posts in posts "
     "([posts] dirs), 1 post, 0 pages, 1 file not read (.qmd: newsletter reads Markdown); ",
     ["posts"]),
    ({"nuxt.config.ts": "export default defineNuxtConfig({ modules: ['@nuxt/content'] })\n",
      "content/about.md": "# About\n\nUs.\n",
      "content/blog/first.md": "---\ntitle: First\ndate: 2026-03-01\n---\n\nHi.\n"},
     "Nuxt Content site (found nuxt.config.ts), which newsletter does not know: posts in "
     "content/blog ([posts] dirs), 1 post, 0 pages; ", ["content/blog"]),
    ({"docs/.vuepress/config.js": "module.exports = { title: 'Notes' }\n",
      "docs/blog/one.md": "---\ntitle: One\ndate: 2026-03-01\n---\n\nHi.\n"},
     "VuePress site (found docs/.vuepress/config.js), which newsletter does not know: "
     "posts in docs/blog ([posts] dirs), 1 post, 0 pages; ", ["docs/blog"]),
])
def test_init_names_a_generator_it_does_not_know_and_reads_its_posts_folder(
        tmp_path, files, found, dirs):
    """A blog built by a generator newsletter does not know is named, its usual posts folder
    written into [posts] dirs and read the generic way, never content/ without a word."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    first = invoke(tmp_path, "init").output.splitlines()[0]
    assert first.startswith(found), first
    raw = tomllib.loads((tmp_path / "newsletter.toml").read_text())
    assert raw["posts"] == {"generator": "none", "dirs": dirs}


def test_init_of_a_quarto_blog_of_qmd_posts_says_why_none_is_read(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n")
    (tmp_path / "posts" / "kites").mkdir(parents=True)
    (tmp_path / "posts" / "kites" / "index.qmd").write_text("---\ntitle: Kites\n---\n\nUp.\n")
    first = invoke(tmp_path, "init").output.splitlines()[0]
    assert first == (
        "Quarto site (found _quarto.yml), which newsletter does not know: posts in posts "
        "([posts] dirs), 0 posts, 0 pages, 1 file not read (.qmd: newsletter reads Markdown); "
        "Quarto's .qmd and .ipynb posts run code only Quarto can run: newsletter lists them as "
        "not read and reads the .md ones.")


def test_init_of_a_quarto_blog_takes_its_title_address_and_language_from_quarto_yml(tmp_path):
    """quarto.org, website options: website: title and site-url are the blog's name and
    address, lang its language. Before, init wrote placeholders for all three."""
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nlang: pt\nwebsite:\n  title: \"Kite Notes\"\n"
        "  site-url: https://kites.example.pt/\n  navbar:\n    right:\n      - about.qmd\n")
    (tmp_path / "posts" / "box-kite").mkdir(parents=True)
    (tmp_path / "posts" / "box-kite" / "index.md").write_text(
        "---\ntitle: Box Kite\ndate: 2024-03-06\n---\n\nUp.\n")
    result = invoke(tmp_path, "init")
    assert "Read the blog's title and address from _quarto.yml." in result.output
    assert "site.title" not in result.output and "site.url" not in result.output
    raw = tomllib.loads((tmp_path / "newsletter.toml").read_text())
    assert (raw["site"]["title"], raw["site"]["url"], raw["site"]["language"]) == (
        "Kite Notes", "https://kites.example.pt", "pt")
    listed = json.loads(invoke(tmp_path, "posts", "--json").stdout)
    assert [item["url"] for item in listed] == ["https://kites.example.pt/posts/box-kite/"]


@pytest.mark.parametrize("name, text", [
    ("astro.config.mjs", "export default defineConfig({\n  site: 'https://example.com',\n});\n"),
    ("src/config.ts", 'export const SITE = {\n  website: "https://astro-paper.pages.dev/",\n'
                      '  title: "Lamp Notes",\n} as const;\n'),
    ("_config.yml", "title: Lamp Notes\nurl: http://example.com\npermalink: :year/:title/\n"),
    ("data/siteMetadata.js", "const siteMetadata = {\n  title: 'Lamp Notes',\n"
                             "  siteUrl: 'https://tailwind-nextjs-starter-blog.vercel.app',\n}\n"
                             "module.exports = siteMetadata\n"),
])
def test_init_leaves_a_starters_example_address_for_the_writer_to_fill_in(tmp_path, name, text):
    """Astro's blog template ships site: 'https://example.com', AstroPaper and the Tailwind
    Next.js starter their demo sites, Hexo http://example.com: taken as the blog's address,
    every link of every email would lead there. init writes its placeholder, which check and
    send refuse until the writer gives the blog's own."""
    extra = {"astro.config.ts": "export default defineConfig({ site: SITE.website });\n"} \
        if name == "src/config.ts" else {}
    extra |= {"contentlayer.config.ts": "export default makeSource({})\n"} \
        if name.startswith("data/") else {}
    for path, content in {name: text, **extra}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content)
    result = invoke(tmp_path, "init")
    raw = tomllib.loads((tmp_path / "newsletter.toml").read_text())
    assert raw["site"]["url"] == PLACEHOLDER_URL
    assert "site.url," in result.output.partition("Next: fill in")[2]
    assert "address from" not in result.output


@pytest.mark.parametrize("base_url, said", [
    ("http://0.0.0.0:1313/quill/", "http://0.0.0.0:1313/quill/: an address on your own computer"),
    ("http://localhost:1313/", "http://localhost:1313/: an address on your own computer"),
    ("http://192.168.1.20:1313/", "http://192.168.1.20:1313/: an address on your own computer"),
    ("/", "/: a path without the blog's host"),
])
def test_init_leaves_a_hugo_base_url_that_is_no_public_address_for_the_writer(tmp_path, base_url,
                                                                               said):
    """Hugo Book's example site ships baseURL http://0.0.0.0:1313/hugo-book/ (what `hugo
    server` serves on), other sites "/": init took the first for the blog's address
    (https://0.0.0.0:1313/quill, every link of every email leading nowhere, check merely warning
    of private links) and wrote "# from hugo.toml" beside its placeholder for the second."""
    (tmp_path / "content.en" / "posts").mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text(
        f"baseURL = '{base_url}'\ntitle = 'Quill Book'\ntheme = 'hugo-book'\n"
        "[languages.en]\ncontentDir = 'content.en'\n")
    (tmp_path / "content.en" / "posts" / "nib.md").write_text(
        "---\ntitle: Nib\ndate: 2025-01-15\n---\n\nCut.\n")
    result = invoke(tmp_path, "init")
    text = (tmp_path / "newsletter.toml").read_text()
    assert tomllib.loads(text)["site"]["url"] in (PLACEHOLDER_URL, PLACEHOLDER_URL + "/quill")
    url_line = next(line for line in text.splitlines() if line.startswith("url = "))
    assert f"(hugo.toml has {said}" in url_line and "from hugo.toml" not in url_line
    assert "site.url," in result.output.partition("Next: fill in")[2]
    assert "Read the blog's title from hugo.toml." in result.output


def test_a_blog_whose_posts_are_above_its_folder_is_told_so_and_every_command_still_runs(tmp_path):
    # Hugo's contentDir = "../content" (a theme repository's exampleSite, a shared content
    # folder): init wrote dirs = ["../content/posts"], which every command then refused,
    # `subscribers add` too, with no word of why the posts were not read.
    blog = tmp_path / "blog"
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "a.md").write_text(
        "---\ntitle: A\ndate: 2026-01-01\n---\nHello.\n")
    blog.mkdir()
    (blog / "hugo.toml").write_text('baseURL = "https://blog.example.org/"\ntitle = "B"\n'
                                    'contentDir = "../content"\n')

    made = invoke(blog, "init")
    posts = invoke(blog, "posts")
    added = invoke(blog, "subscribers", "add", "reader@example.org")

    assert made.exit_code == 0, made.output
    first = made.output.splitlines()[0]
    assert "../content/posts is outside this folder" in first
    settings = (blog / "newsletter.toml").read_text()
    assert '# dirs = ["../content/posts"]' in settings
    assert tomllib.loads(settings)["posts"].get("dirs") is None
    assert "../content/posts is outside this folder" in posts.output
    assert added.exit_code == 0, added.output
