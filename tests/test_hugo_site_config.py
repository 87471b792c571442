"""How real Hugo sites lay out and configure themselves, read as `hugo` reads them at the first
command: module mounts of the site's own folders, environment settings, path settings."""

from __future__ import annotations

import email
import email.policy
import json

import lxml.html
from generator_sites import fill_in_settings, picture, write_files
from test_generator_urls import post

from conftest import invoke


def listed(root) -> dict[str, tuple[str, str]]:
    """{post id: (status, url)} once `init` has read the site."""
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: (item["status"], item["url"]) for item in json.loads(result.stdout)}


def test_content_mounted_below_content_is_that_sections_posts(tmp_path):
    """gohugo.io/configuration/module/#mounts: source = "blog-posts", target = "content/posts"
    makes blog-posts/spores.md the page posts/spores.md, beside content/posts/ (mounted as
    content), and its _index.md's cascade targets the pages by that path; a folder mounted as
    static serves its files at the site's root. newsletter took the site's only other section
    (about/) for the blog and found no post at all."""
    root = write_files(tmp_path / "moss", {
        "hugo.toml": ('baseURL = "https://moss.example.org/"\ntitle = "Moss"\n'
                      '[[module.mounts]]\nsource = "content"\ntarget = "content"\n'
                      '[[module.mounts]]\nsource = "blog-posts"\ntarget = "content/posts"\n'
                      '[[module.mounts]]\nsource = "files"\ntarget = "static"\n'
                      '[[module.mounts]]\nsource = "../common"\ntarget = "content/common"\n'),
        "content/about/index.md": "---\ntitle: About\n---\n\nWho writes.\n",
        "content/posts/lichen.md": post(title="Lichen", date="2023-04-01"),
        "blog-posts/spores.md": post(title="Spores") + "\n![Spores](/img/spores.png)\n",
        "blog-posts/cushions/index.md": post(title="Cushions", date="2024-06-01"),
        "blog-posts/cushions/notes.md": "---\ntitle: Notes\n---\n\nA resource.\n",
        "blog-posts/_index.md": ("---\ntitle: Posts\ncascade:\n  - draft: true\n"
                                 "    target:\n      path: /posts/ideas/**\n---\n"),
        "blog-posts/ideas/peat.md": post(title="Peat"),
        "files/img/spores.png": picture((90, 120, 60), "PNG"),
    })
    site = "https://moss.example.org"
    assert listed(root) == {
        "/posts/spores": ("ready", f"{site}/posts/spores/"),
        "/posts/cushions": ("ready", f"{site}/posts/cushions/"),
        "/posts/cushions/notes": ("page", f"{site}/posts/cushions/notes/"),
        "/posts/lichen": ("ready", f"{site}/posts/lichen/"),
        "/posts/ideas/peat": ("draft", f"{site}/posts/ideas/peat/"),
        "/posts": ("page", f"{site}/posts/"),
        "/about": ("page", f"{site}/about/"),
    }
    assert 'dirs = ["content/posts", "blog-posts"]' in (root / "newsletter.toml").read_text()
    fill_in_settings(root)
    checked = invoke(root, "check", "/posts/spores")
    assert checked.exit_code == 0, checked.output


def test_mounts_below_content_without_content_itself_leave_content_unread(tmp_path):
    """gohugo.io/configuration/module/#mounts: "when you add a mount, the default mount for
    the concerned target root is ignored". With only blog-posts mounted as content/posts,
    Hugo builds nothing of content/: its old posts are not the blog's any more."""
    root = write_files(tmp_path / "moss", {
        "hugo.toml": ('baseURL = "https://moss.example.org/"\n'
                      '[[module.mounts]]\nsource = "blog-posts"\ntarget = "content/posts"\n'),
        "content/posts/a.md": post(title="A"), "content/posts/b.md": post(title="B"),
        "blog-posts/spores.md": post(title="Spores"),
    })
    assert listed(root) == {
        "/posts/spores": ("ready", "https://moss.example.org/posts/spores/")}


def test_remove_path_accents_drops_the_accents_of_a_posts_address(tmp_path):
    """gohugo.io/configuration/all/#removepathaccents: with removePathAccents = true, a French
    blog's crème-brûlée.md and its :slug made of the title are /posts/creme-brulee/; the
    emails linked /posts/crème-brûlée/, a page the site does not have. Spaces around a hyphen
    written in the title are that one hyphen, as Hugo's paths.Sanitize makes it (it was
    ca-va---noel-)."""
    root = write_files(tmp_path / "creme", {
        "hugo.toml": ('baseURL = "https://creme.example.org/"\nremovePathAccents = true\n'
                      '[permalinks]\nnotes = "/:year/:slug/"\n'),
        "content/posts/crème-brûlée.md": post(title="Crème brûlée"),
        "content/notes/ça-va.md": post(title="Ça va - Noël ?", date="2024-12-24"),
    })
    (root / "hugo.toml").write_text((root / "hugo.toml").read_text().replace(
        "[permalinks]", '[params]\nmainSections = ["posts", "notes"]\n[permalinks]'))
    site = "https://creme.example.org"
    assert listed(root) == {
        "/posts/crème-brûlée": ("ready", f"{site}/posts/creme-brulee/"),
        "/notes/ça-va": ("ready", f"{site}/2024/ca-va-noel/"),
    }


NETLIFY = """[build]
publish = "public"
command = "hugo --gc --minify"

[build.environment]
HUGO_VERSION = "0.139.0"
HUGO_PARAMS_MAINSECTIONS = "journal"

[context.production.environment]
HUGO_BASEURL = "https://fern.example.net/"

[context.deploy-preview]
command = "hugo --gc --minify --buildFuture -b $DEPLOY_PRIME_URL"
"""

WORKFLOW = """name: Deploy Hugo site to Pages
on:
  push:
    branches: ["main"]
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      HUGO_VERSION: 0.139.0
      HUGO_ENVIRONMENT: staging
    steps:
      - name: Build with Hugo
        run: |
          hugo \\
            --gc \\
            --minify \\
            --baseURL "${{ steps.pages.outputs.base_url }}/"
"""


def test_the_address_and_environment_the_deploy_sets_are_the_sites(tmp_path):
    """gohugo.io/configuration/introduction: HUGO_BASEURL in netlify.toml's production build
    is the address Hugo builds the blog with (hugo.toml keeps baseURL = "/" for `hugo
    server`): init wrote its placeholder, so check and send refused the blog; its
    HUGO_PARAMS_MAINSECTIONS is params.mainSections, the blog's section. A GitHub Actions
    workflow setting HUGO_ENVIRONMENT = staging builds with config/staging/ over
    config/_default/: its address and mainSections, and a cascade targets staging, not
    production; a --baseURL made of the workflow's own variables is passed over."""
    fern = write_files(tmp_path / "fern", {
        "hugo.toml": 'baseURL = "/"\ntitle = "Fern"\n', "netlify.toml": NETLIFY,
        "content/journal/fronds.md": post(title="Fronds"),
        "content/posts/spores.md": post(title="Spores"),
        "content/posts/moss.md": post(title="Moss"),
    })
    assert listed(fern) == {
        "/journal/fronds": ("ready", "https://fern.example.net/journal/fronds/"),
        "/posts/spores": ("page", "https://fern.example.net/posts/spores/"),
        "/posts/moss": ("page", "https://fern.example.net/posts/moss/")}
    assert 'url = "https://fern.example.net"  # from hugo.toml and netlify.toml' in (
        fern / "newsletter.toml").read_text()

    slate = write_files(tmp_path / "slate", {
        "config/_default/hugo.toml": 'baseURL = "http://localhost:1313/"\ntitle = "Slate"\n',
        "config/production/hugo.toml": 'baseURL = "https://slate.example.net/"\n',
        "config/staging/hugo.toml": ('baseURL = "https://staging.slate.example.net/"\n'
                                     '[params]\nmainSections = ["notes"]\n'),
        ".github/workflows/hugo.yml": WORKFLOW,
        "content/notes/_index.md": ("---\ncascade:\n  - draft: true\n    target:\n"
                                    "      environment: staging\n      path: /notes/rough/**\n"
                                    "  - draft: true\n    target:\n"
                                    "      environment: production\n---\n"),
        "content/notes/rough/sketch.md": post(title="Sketch"),
        "content/notes/tide.md": post(title="Tide"),
        "content/posts/one.md": post(title="One"), "content/posts/two.md": post(title="Two"),
    })
    site = "https://staging.slate.example.net"
    assert listed(slate) == {"/notes/tide": ("ready", f"{site}/notes/tide/"),
                             "/notes/rough/sketch": ("draft", f"{site}/notes/rough/sketch/"),
                             "/notes": ("page", f"{site}/notes/"),
                             "/posts/one": ("page", f"{site}/posts/one/"),
                             "/posts/two": ("page", f"{site}/posts/two/")}


def previewed_links(root, post_id: str, name: str) -> list[str]:
    """The addresses the previewed email of ``post_id`` links, from preview/``name``."""
    result = invoke(root, "preview", post_id)
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes((root / "preview" / name / "message.eml").read_bytes(),
                                       policy=email.policy.default)
    html = lxml.html.fromstring(message.get_body(("html",)).get_content())
    return [link.get("href") for link in html.iter("a")]


def test_canonify_urls_puts_a_link_from_the_root_under_the_sites_path(tmp_path):
    """gohugo.io/content-management/urls/#canonical-urls: with canonifyURLs = true a blog
    served under https://lichen.example.org/notes/ links [b](/posts/b/) as
    https://lichen.example.org/notes/posts/b/ (relativeURLs = true as ../b/, the same page);
    the email linked https://lichen.example.org/posts/b/, a page that is not there. Without
    either, Hugo leaves the link as written, and so does the email."""
    files = {"content/posts/a.md": post(title="A") + "\nSee [the other](/posts/b/).\n",
             "content/posts/b.md": post(title="B", date="2024-05-02")}
    for setting, expected in (("canonifyURLs = true", "/notes/posts/b/"),
                              ("relativeURLs = true", "/notes/posts/b/"), ("", "/posts/b/")):
        root = write_files(tmp_path / (setting.partition(" ")[0] or "plain"), {
            "hugo.toml": f'baseURL = "https://lichen.example.org/notes/"\n{setting}\n',
            **files})
        assert invoke(root, "init").exit_code == 0
        fill_in_settings(root)
        assert f"https://lichen.example.org{expected}" in previewed_links(root, "/posts/a", "a")


def test_the_address_a_build_script_passes_hugo_and_never_hugo_servers(tmp_path):
    """A blog built by `npm run build` (package.json: "hugo --minify -b https://...") is
    published at that address; a Makefile's `hugo server -b http://localhost:1313` serves
    the writer's own computer and is never the blog's address."""
    root = write_files(tmp_path / "sedge", {
        "hugo.toml": 'baseURL = "/"\ntitle = "Sedge"\n',
        "Makefile": "serve:\n\thugo server -D -b http://localhost:1313/\n",
        "package.json": ('{"scripts": {"dev": "hugo server -b http://localhost:1313",\n'
                         '  "build": "hugo --gc --minify -b https://sedge.example.net/"}}\n'),
        "content/posts/rush.md": post(title="Rush"),
    })
    assert listed(root) == {"/posts/rush": ("ready", "https://sedge.example.net/posts/rush/")}
    assert "# from hugo.toml and package.json" in (root / "newsletter.toml").read_text()


def test_a_mount_below_content_for_the_default_language_fills_its_section(tmp_path):
    """A bilingual blog mounting posts/en and posts/fr as content/posts, each with its lang:
    the English ones are the blog's posts (nothing was read: content/ was left out and the
    mounts, having a lang, were passed over); the French ones are translations, not read."""
    root = write_files(tmp_path / "bilingual", {
        "hugo.toml": ('baseURL = "https://two.example.org/"\ndefaultContentLanguage = "en"\n'
                      '[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n'
                      '[[module.mounts]]\nsource = "posts/en"\ntarget = "content/posts"\n'
                      'lang = "en"\n'
                      '[[module.mounts]]\nsource = "posts/fr"\ntarget = "content/posts"\n'
                      'lang = "fr"\n'),
        "posts/en/tide.md": post(title="Tide"), "posts/fr/maree.md": post(title="Marée"),
    })
    assert listed(root) == {"/posts/tide": ("ready", "https://two.example.org/posts/tide/")}
