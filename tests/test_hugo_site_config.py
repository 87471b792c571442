"""How real Hugo sites lay out and configure themselves, read as `hugo` reads them at the first
command: module mounts of the site's own folders, environment settings, path settings."""

from __future__ import annotations

import json

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
    makes blog-posts/spores.md the page posts/spores.md; a folder mounted as static serves its
    files at the site's root. newsletter took the site's only other section (about/) for the
    blog and found no post at all."""
    root = write_files(tmp_path / "moss", {
        "hugo.toml": ('baseURL = "https://moss.example.org/"\ntitle = "Moss"\n'
                      '[[module.mounts]]\nsource = "content"\ntarget = "content"\n'
                      '[[module.mounts]]\nsource = "blog-posts"\ntarget = "content/posts"\n'
                      '[[module.mounts]]\nsource = "files"\ntarget = "static"\n'
                      '[[module.mounts]]\nsource = "../shared"\ntarget = "content/shared"\n'),
        "content/about/index.md": "---\ntitle: About\n---\n\nWho writes.\n",
        "blog-posts/spores.md": post(title="Spores") + "\n![Spores](/img/spores.png)\n",
        "blog-posts/cushions/index.md": post(title="Cushions", date="2024-06-01"),
        "blog-posts/cushions/notes.md": "---\ntitle: Notes\n---\n\nA resource.\n",
        "files/img/spores.png": picture((90, 120, 60), "PNG"),
    })
    site = "https://moss.example.org"
    assert listed(root) == {
        "/posts/spores": ("ready", f"{site}/posts/spores/"),
        "/posts/cushions": ("ready", f"{site}/posts/cushions/"),
        "/posts/cushions/notes": ("page", f"{site}/posts/cushions/notes/"),
        "/about": ("page", f"{site}/about/"),
    }
    assert 'dirs = ["blog-posts"]' in (root / "newsletter.toml").read_text()
    fill_in_settings(root)
    checked = invoke(root, "check", "/posts/spores")
    assert checked.exit_code == 0, checked.output


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
