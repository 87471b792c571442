"""Hexo blogs as writers keep them for years (hexo-abbrlink's short addresses, a post's asset
folder, NexT's and Butterfly's tags, links to other posts), read from `init` on. The text is
this project's own."""

from __future__ import annotations

import json

from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

CONFIG = """\
title: 菜园子
language: zh-CN
timezone: Asia/Shanghai
url: https://garden.example.cn
permalink: post/:abbrlink.html
abbrlink:
  alg: crc32
  rep: hex
new_post_name: :year-:month-:day-:title.md
post_asset_folder: true
theme: butterfly
"""
POST = """\
---
title: 搭建博客
tags:
  - 建站
abbrlink: 268d8d1e
date: 2023-10-26 05:36:00
update: 2025-6-4 18:00:00
---

先安装 [Node.js](http://nodejs.org/) 和 [Git](http://git-scm.com/)。

{% asset_img shell.png 命令行 %}

<!-- more -->

{% note info %}
主题放在 themes 里
{% endnote %}

下一篇：{% post_link 2023-11-02-mail '发邮件' %}。
"""


def test_an_abbrlink_blogs_post_reaches_the_email_as_the_blog_shows_it(tmp_path):
    """The address is hexo-abbrlink's, the asset folder's picture and the other post's link are
    the blog's, and a link on the words Node.js (a library's name: no address ends in .js) is
    no phishing warning, which every tech blog's check showed."""
    root = write_files(tmp_path / "garden", {
        "_config.yml": CONFIG,
        "package.json": '{"hexo": {"version": "7.3.0"}, "dependencies": {"hexo-abbrlink": "^2.2.1"}}',
        "source/_posts/2023-10-26-build.md": POST,
        "source/_posts/2023-10-26-build/shell.png": picture((30, 30, 30), "PNG"),
        "source/_posts/2023-11-02-mail.md": ("---\ntitle: 发邮件\nabbrlink: 5d1f0a22\n"
                                             "date: 2023-11-02 09:00:00\n---\n\n用 SMTP。\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    listed = {item["file"]: item["url"]
              for item in json.loads(invoke(root, "posts", "--json").stdout)}
    assert listed == {"source/_posts/2023-10-26-build.md": "https://garden.example.cn/post/268d8d1e.html",
                      "source/_posts/2023-11-02-mail.md": "https://garden.example.cn/post/5d1f0a22.html"}
    result = invoke(root, "check", "build")
    assert "link-phishing" not in result.output
    assert invoke(root, "preview", "build").exit_code == 0
    text = (root / "preview/2023-10-26-build/email.txt").read_text()
    assert "[Image: 命令行]" in text
    assert "发邮件 <https://garden.example.cn/post/5d1f0a22.html>" in text
    assert "{%" not in text
