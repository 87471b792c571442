"""Pelican blogs as writers keep them for years (settings split between pelicanconf.py and
publishconf.py, articles in a folder of PATH beside pages and static files), read from `init` on.
The text is this project's own."""

from __future__ import annotations

import json

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

PELICANCONF = """\
AUTHOR = 'Marta'
SITENAME = 'Marta Writes'
SITEURL = '/blog'
PATH = 'content'
STATIC_PATHS = ['static', 'blog']
ARTICLE_PATHS = ['blog']
ARTICLE_URL = 'a/{date:%Y}/{date:%m}/{date:%d}/{slug}'
PAGE_URL = '{slug}'
"""
PUBLISHCONF = """\
import os
import sys
sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = 'https://marta.example.com/blog'
RELATIVE_URLS = False
ARTICLE_URL = 'posts/{date:%Y}/{date:%b}/{slug}/'
ARTICLE_SAVE_AS = 'posts/{date:%Y}/{date:%b}/{slug}/index.html'
"""


def test_publishconfs_article_url_is_the_address_the_email_links(tmp_path):
    """`make publish` builds with publishconf.py, whose ARTICLE_URL replaces pelicanconf.py's:
    only its SITEURL was read, so every email's links led to /a/2024/03/09/..., an address the
    published blog does not have."""
    root = write_files(tmp_path / "marta", {
        "pelicanconf.py": PELICANCONF,
        "publishconf.py": PUBLISHCONF,
        "content/blog/seed-swaps.md": (
            "Title: Seed swaps\nDate: 2024-03-09 10:20\nSummary: What we traded.\n\n"
            "Beans for [chard]({filename}chard.md).\n\n![Seeds]({static}/static/seeds.jpg)\n"),
        "content/blog/chard.md": "Title: Chard all winter\nDate: 2023-12-01\nSlug: chard\n\nRed.\n",
        "content/pages/about.md": "Title: About\n\nWho I am.\n",
        "content/static/seeds.jpg": picture((10, 120, 40)),
    })
    assert invoke(root, "init").exit_code == 0
    assert 'url = "https://marta.example.com/blog"' in (root / "newsletter.toml").read_text()
    fill_in_settings(root)
    listed = {item["file"]: item["url"]
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {
        "content/blog/seed-swaps.md": "https://marta.example.com/blog/posts/2024/Mar/seed-swaps/",
        "content/blog/chard.md": "https://marta.example.com/blog/posts/2023/Dec/chard/",
        "content/pages/about.md": "https://marta.example.com/blog/about"}
    result = invoke(root, "preview", "/blog/seed-swaps")
    assert result.exit_code == 0, result.output
    text = (root / "preview/seed-swaps/email.txt").read_text()
    assert "chard <https://marta.example.com/blog/posts/2023/Dec/chard/>" in text
    assert "Read online: https://marta.example.com/blog/posts/2024/Mar/seed-swaps/" in text


def test_an_empty_siteurl_in_publishconf_keeps_pelicanconfs(tmp_path):
    """Some publishconf.py files leave SITEURL = '' (relative addresses on the host): the
    blog's address is then pelicanconf.py's, not nothing."""
    root = write_files(tmp_path / "owls", {
        "pelicanconf.py": "SITENAME = 'Owls'\nSITEURL = 'https://owls.example.net'\n",
        "publishconf.py": "from pelicanconf import *\nSITEURL = ''\nRELATIVE_URLS = False\n",
        "content/barn-owl.md": "Title: Barn Owl\nDate: 2024-02-10\n\nBones.\n",
    })
    assert invoke(root, "init").exit_code == 0
    assert 'url = "https://owls.example.net"' in (root / "newsletter.toml").read_text()
