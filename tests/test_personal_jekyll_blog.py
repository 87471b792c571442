"""A writer's own Jekyll blog after years of drift, laid out as personal GitHub Pages blogs are
(a project site under /blog, _config.yml for `jekyll serve` and _config_prod.yml for the build,
posts in year folders and in .markdown, .textile and .html (WordPress's, imported),
categories in the permalink, a collection with output, jekyll-paginate, Liquid tags and
kramdown's attribute lists in the posts), written here with this project's own text: every
command from init to status."""

from __future__ import annotations

import json

from conftest import invoke
from generator_sites import blog_after_init, picture

FIRST_KITE = """---
layout: post
title: First kite
categories: [Kites, Builds]
---

A diamond kite.
{: .lead}

* TOC
{:toc}

## Frame

Spars of ash.[^ash]

[^ash]: Or bamboo.

{% highlight python linenos %}
print('lift')
{% endhighlight %}

{% raw %}
Liquid like {{ this }} stays.
{% endraw %}

See [the knots]({% link _notes/knots.md %}) and [the box kite]({% post_url 2020/2020-05-05-box %}).

![A red kite]({{ site.baseurl }}/assets/kite.jpg)
"""

# What Jekyll must not publish of newsletter's files (check warns otherwise)
EXCLUDED = "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n"
KITES = {
    "_config.yml": ("title: Kite Diary\nurl: http://localhost:4000\nbaseurl: /blog\n"
                    "permalink: /:categories/:year/:month/:title.html\n"
                    "plugins:\n  - jekyll-paginate\n  - jekyll-feed\npaginate: 5\n"
                    "collections:\n  notes:\n    output: true\n    permalink: /notes/:path/\n"
                    + EXCLUDED),
    "_config_prod.yml": "url: https://kites.example.io\n",
    "Makefile": "build:\n\tbundle exec jekyll build --config _config.yml,_config_prod.yml\n",
    "index.html": "---\nlayout: default\n---\n{% for post in paginator.posts %}{% endfor %}\n",
    "about.md": "---\nlayout: page\ntitle: About\n---\n\nMe.\n",
    "_posts/2019/2019-03-04-first-kite.markdown": FIRST_KITE,
    "_posts/2020/2020-05-05-box.md": ('---\nlayout: post\ntitle: "A *box* kite"\n'
                                      "date: 2020-05-05 10:00:00 +0100\ncategory: kites\n---\n"
                                      "\nFour cells.\n"),
    "_posts/2020/2020-06-06-textile.textile": "---\ntitle: Textile one\n---\n\nh2. Hello\n",
    # as jekyll-import writes a post from WordPress: HTML, with Liquid
    "_posts/2010/2010-07-07-imported.html": ("---\nlayout: post\ntitle: An imported kite\n"
                                             "categories: [kites]\n---\n<p>From the old blog, "
                                             "by {{ site.title }}.</p>\n<ul>\n<li>Paper</li>\n"
                                             "</ul>\n"),
    "_drafts/third-kite.md": "---\nlayout: post\ntitle: Third\n---\n\nSoon.\n",
    "_notes/knots.md": "---\ntitle: Knots\n---\n\nBowline.\n",
    "assets/kite.jpg": picture((200, 30, 30)),
}
SITE = "https://kites.example.io/blog"


def test_a_drifted_jekyll_blog_from_init_to_status(tmp_path):
    """The published address from the production settings the Makefile names, under baseurl;
    posts in year folders at their categories' addresses; the .textile post listed as not
    read, the HTML one imported from WordPress a post (it was listed as not read); Liquid
    tags, kramdown's attribute lists and table of contents in the email as the blog shows
    them, nothing raw; each command's lines name a title in words."""
    root = tmp_path / "kites"
    init = blog_after_init(root, KITES)
    assert "1 file not read (.textile: newsletter reads Markdown)" in init.output
    assert f'url = "{SITE}"  # from _config.yml, _config_prod.yml (as Makefile builds the site)' \
        in (root / "newsletter.toml").read_text()
    listed = {item["id"]: (item["status"], item["url"])
              for item in json.loads(invoke(root, "posts", "--json").stdout) if item["id"]}
    assert {key: value for key, value in listed.items() if value[0] != "draft"} == {
        "/2019-03-04-first-kite": ("ready", f"{SITE}/kites/builds/2019/03/first-kite.html"),
        "/2020-05-05-box": ("ready", f"{SITE}/kites/2020/05/box.html"),
        "/2010-07-07-imported": ("ready", f"{SITE}/kites/2010/07/imported.html"),
        "/about": ("page", f"{SITE}/about")}  # Jekyll ends a page as the permalink: no .html
    assert listed["/third-kite"][0] == "draft"
    assert "/2020-05-05-box         A box kite\n" in invoke(root, "posts").output

    checked = invoke(root, "check", "2019-03-04-first-kite")
    assert checked.exit_code == 0, checked.output
    assert invoke(root, "preview", "2019-03-04-first-kite").exit_code == 0
    text = (root / "preview/2019-03-04-first-kite/email.txt").read_text()
    assert ("A diamond kite.\n\n- Frame\n  <" + SITE + "/kites/builds/2019/03/first-kite.html"
            "#frame>\n\nFrame\n-----\n\nSpars of ash.[1]\n\n    print('lift')\n\n"
            "Liquid like {{ this }} stays.\n\nSee the knots <" + SITE + "/notes/knots/> and the "
            "box\nkite <" + SITE + "/kites/2020/05/box.html>.\n\n[Image: A red kite]\n") in text
    assert "{:" not in text and "{%" not in text and "1. Or bamboo." in text
    html = (root / "preview/2019-03-04-first-kite/email.html").read_text()
    assert html.count("<img") == 1 and "{:" not in html

    planned = invoke(root, "send", "--due", "--dry-run").output
    assert '  would send /2020-05-05-box "A box kite" (2020-05-05T09:00+00:00) to 1 reader' \
        in planned
    sent = invoke(root, "send", "--due")
    assert sent.exit_code == 0, sent.output
    assert sent.output.splitlines() == [
        'Sent /2010-07-07-imported "An imported kite" to 1 reader.',
        'Sent /2019-03-04-first-kite "First kite" to 1 reader.',
        'Sent /2020-05-05-box "A box kite" to 1 reader.']
    imported = (root / "preview/2010-07-07-imported/email.txt")
    assert invoke(root, "preview", "2010-07-07-imported").exit_code == 0
    assert "From the old blog, by Kite Diary.\n\n- Paper\n" in imported.read_text()
    assert invoke(root, "send", "--due").output == ""  # nothing sent twice
    status = invoke(root, "status").output
    assert "/2020-05-05-box: sent 1, failed 0" in status


def test_an_image_include_described_has_its_description_as_alt(tmp_path):
    """Personal Jekyll blogs' own {% include image.html url="..." description="..." %}: the
    description is what the picture shows, the alt text where the include's <img> prints none.
    It was read as no alt at all (image-no-alt), its quoted words split into stray arguments."""
    root = tmp_path / "pond"
    blog_after_init(root, {
        "_config.yml": "title: Pond\nurl: https://pond.example.com\n" + EXCLUDED,
        "_includes/image.html": '<figure><img src="{{ include.url }}"></figure>\n',
        "_posts/2019-03-04-newts.md": (
            "---\ntitle: Newts\ndescription: Newts.\n---\n\nIn the pond.\n\n"
            '{% include image.html url="/assets/newt.jpg" description="A newt on a stone" %}\n'),
        "assets/newt.jpg": picture((10, 200, 10))})
    checked = invoke(root, "check", "2019-03-04-newts")
    assert "image-no-alt" not in checked.output and checked.exit_code == 0  # read whole
    assert invoke(root, "preview", "2019-03-04-newts").exit_code == 0
    html = (root / "preview/2019-03-04-newts/email.html").read_text()
    assert 'alt="A newt on a stone"' in html
