"""Each generator's address for a sample post, pinned to what that generator's documentation says,
and the lookup template tags use to link one post from another."""

from __future__ import annotations

import datetime as dt

import pytest
from generator_sites import write_files
from test_config import MINIMAL

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render.tags import expand_tags
from newsletter.render.tags.context import default_tag_context

SITE = "https://example.org"


def urls(root, files: dict[str, str], settings: str = "") -> dict[str, str]:
    """{post id: url} of the site ``files`` make, its settings MINIMAL with site.url = SITE."""
    toml = MINIMAL.replace("https://blog.example.com", SITE) + settings
    write_files(root, {"newsletter.toml": toml, **files})
    posts, errors = load_posts(load_settings(root, {}))
    assert errors == []
    return {post.id: post.url for post in posts}


POST = "---\ntitle: {title}\ndate: {date}\n{extra}---\n\nBody.\n"


def post(title="My First Post", date="2024-05-01", **extra) -> str:
    return POST.format(title=title, date=date,
                       extra="".join(f"{key}: {value}\n" for key, value in extra.items()))


def test_hugo_urls_as_gohugo_io_describes_them(tmp_path):
    """gohugo.io/content-management/urls: content/posts/post-1.md is /posts/post-1/; slug
    replaces the last segment; url replaces the path (a leading slash or not); a file
    extension in url is kept. gohugo.io/configuration/permalinks: articles =
    '/blog/:year/:month/:slug/'."""
    found = urls(tmp_path, {
        "hugo.toml": ('baseURL = "https://example.org/"\n[params]\nmainSections = ["posts", '
                      '"articles"]\n[permalinks.page]\narticles = "/blog/:year/:month/:slug/"\n'),
        "content/posts/post-1.md": post(),
        "content/posts/post-2.md": post(slug="my-first-post"),
        "content/posts/post-3.md": post(url="articles/my-first-article"),
        "content/posts/post-4.md": post(url="articles/my-first-article.html"),
        "content/posts/My Post 5.md": post(),
        "content/articles/first.md": post(title="My First Article", date="2023-02-09"),
    })
    assert found == {
        "/posts/post-1": f"{SITE}/posts/post-1/",
        "/posts/post-2": f"{SITE}/posts/my-first-post/",
        "/posts/post-3": f"{SITE}/articles/my-first-article/",
        "/posts/post-4": f"{SITE}/articles/my-first-article.html",
        "/posts/My Post 5": f"{SITE}/posts/my-post-5/",
        "/articles/first": f"{SITE}/blog/2023/02/my-first-article/",
    }


def test_a_hugo_permalinks_date_is_the_posts_date_not_when_it_is_published(tmp_path):
    """Hugo fills :year and :month with the page's .Date (date, else publishDate, lastmod):
    a post dated in December and published in January is at /2023/12/. Its publishDate was
    taken, and every email linked to /2024/01/, a page that does not exist."""
    found = urls(tmp_path, {
        "hugo.toml": ('baseURL = "https://example.org/"\n[permalinks]\n'
                      'posts = "/:year/:month/:slug/"\n'),
        "content/posts/eve.md": post(title="Eve", date="2023-12-31", publishDate="2024-01-02"),
        "content/posts/late.md": "---\ntitle: Late\npublishDate: 2024-02-02\n---\n\nBody.\n",
    })
    assert found == {"/posts/eve": f"{SITE}/2023/12/eve/", "/posts/late": f"{SITE}/2024/02/late/"}
    posts, _ = load_posts(load_settings(tmp_path, {}))
    assert find_post(posts, "eve").date.date() == dt.date(2024, 1, 2)  # it goes out then


def test_hugo_names_with_dots_and_url_under_ugly_urls_as_hugo_0_168_builds_them(tmp_path):
    """A dot in a file's name is part of it (about-3li3.com.md, v2.0.md) unless what follows
    is one of the site's languages: notes.fr.md on an English-only site is a post of its own.
    uglyURLs gives .html, but a url without an extension stays a folder."""
    found = urls(tmp_path, {
        "hugo.toml": 'baseURL = "https://example.org/"\nuglyURLs = true\n',
        "content/posts/about-3li3.com.md": post(),
        "content/posts/v2.0.md": post(),
        "content/posts/notes.fr.md": post(),
        "content/posts/notes.en.md": post(title="Notes"),
        "content/posts/links.md": post(url="/links/"),
        "content/posts/slugged.md": post(slug="my.slug"),
    })
    assert found == {"/posts/about-3li3.com": f"{SITE}/posts/about-3li3.com.html",
                     "/posts/v2.0": f"{SITE}/posts/v2.0.html",
                     "/posts/notes.fr": f"{SITE}/posts/notes.fr.html",
                     "/posts/notes.en": f"{SITE}/posts/notes.html",
                     "/posts/links": f"{SITE}/links/",
                     "/posts/slugged": f"{SITE}/posts/my.slug.html"}


def test_hugo_languages_with_their_own_content_folders(tmp_path):
    """gohugo.io/content-management/multilingual: each language's contentDir holds its pages;
    the default language is served at the root, the others under their code, as is a
    translation by file name (post.fr.md)."""
    write_files(tmp_path, {"hugo.toml": (
        'baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
        '[languages.en]\ncontentDir = "content/english"\n'
        '[languages.fr]\ncontentDir = "content/french"\n'),
        "content/french/posts/post-1.md": post(title="Mon premier billet")})
    found = urls(tmp_path, {"content/english/posts/post-1.md": post(),
                            "content/english/posts/post-2.md": post(),
                            "content/english/posts/post-2.fr.md": post()})
    assert found == {"/posts/post-1": f"{SITE}/posts/post-1/",
                     "/posts/post-2": f"{SITE}/posts/post-2/",
                     "/posts/post-2.fr": f"{SITE}/fr/posts/post-2/",
                     "/fr/posts/post-1": f"{SITE}/fr/posts/post-1/"}
    posts, _ = load_posts(load_settings(tmp_path, {}))
    assert {post.id for post in posts if post.page is None} == {"/posts/post-1", "/posts/post-2"}


def test_hugo_settings_split_per_language_and_environment_as_blowfish_lays_them(tmp_path):
    """Blowfish and Congo keep the title, languageCode and mainSections in
    config/_default/languages.en.toml; a translation's files carry a region (index.pt-br.md,
    _index.pt-br.md); `hugo` builds for production, so config/production/ overrides baseURL."""
    write_files(tmp_path, {
        "config/_default/hugo.toml": 'baseURL = "http://localhost:1313/"\ndefaultContentLanguage = "en"\n',
        "config/_default/languages.en.toml": ('title = "Tide Tables"\nlanguageCode = "en-GB"\n'
                                              '[params]\nmainSections = ["notes"]\n'),
        "config/_default/languages.pt-br.toml": 'title = "Tabelas"\n',
        "config/_default/menus.en.toml": '[[main]]\nname = "Notes"\npageRef = "notes"\n',
        "config/production/hugo.toml": 'baseURL = "https://example.org/"\n',
        "content/notes/_index.pt-br.md": "---\ntitle: Notas\n---\n",
        "content/notes/trip/index.pt-br.md": post(title="Viagem"),
        "content/notes/trip/index.md": post(title="Trip"),
        "content/drafts/a.md": post(), "content/drafts/b.md": post(),
    })
    from newsletter.generators.hugo import Hugo
    info = Hugo(tmp_path).info()
    assert (info.title, info.url, info.language) == ("Tide Tables", "https://example.org/", "en-GB")
    found = urls(tmp_path, {})
    assert found["/notes/trip"] == f"{SITE}/notes/trip/"
    assert found["/notes/trip/index.pt-br"] == f"{SITE}/pt-br/notes/trip/"
    posts, _ = load_posts(load_settings(tmp_path, {}))
    assert {post.id for post in posts if post.page is None} == {"/notes/trip"}


def test_hugo_content_mounted_from_another_folder(tmp_path):
    """gohugo.io/configuration/module/#mounts: a mount whose target is content replaces the
    content folder (with lang, before Hugo 0.153, a language's); its pages are addressed from
    there, not from the site folder (they were /articles/en/posts/hello/)."""
    found = urls(tmp_path, {
        "hugo.toml": ('baseURL = "https://example.org/"\n[languages.en]\nweight = 1\n'
                      '[languages.fr]\nweight = 2\n'
                      '[[module.mounts]]\nsource = "articles/en"\ntarget = "content"\nlang = "en"\n'
                      '[[module.mounts]]\nsource = "articles/fr"\ntarget = "content"\nlang = "fr"\n'
                      '[[module.mounts]]\nsource = "../elsewhere"\ntarget = "content"\n'),
        "articles/en/posts/hello.md": post(), "articles/fr/posts/hello.md": post(title="Salut"),
    })
    assert found == {"/posts/hello": f"{SITE}/posts/hello/",
                     "/fr/posts/hello": f"{SITE}/fr/posts/hello/"}


def test_hugo_yaml_settings_read_no_as_norwegian_not_false(tmp_path):
    """Docsy's example site: languages no: (Norwegian) with its own contentDir, in hugo.yaml,
    which Hugo reads as YAML 1.2 (no is a string there, not false)."""
    write_files(tmp_path, {"hugo.yaml": (
        "baseURL: https://example.org/\ncontentDir: content/en\nlanguages:\n  en:\n"
        "    weight: 1\n  no:\n    contentDir: content/no\n    weight: 2\n")})
    found = urls(tmp_path, {"content/en/posts/one.md": post(),
                            "content/no/posts/one.md": post(title="En")})
    assert found == {"/posts/one": f"{SITE}/posts/one/", "/no/posts/one": f"{SITE}/no/posts/one/"}


def test_hugo_sections_are_folders_down_to_the_last_index_file(tmp_path):
    """gohugo.io/content-management/sections: a folder below the top is a section only with an
    _index.md (or one below it); :sections lists the sections, not every folder. A pattern
    that leaves two slashes together gives one, as Hugo's addresses do."""
    found = urls(tmp_path, {
        "hugo.toml": 'baseURL = "https://example.org/"\n[permalinks]\nposts = "/:sections[1:]/:slug/"\n',
        "content/posts/2024/_index.md": "---\ntitle: 2024\n---\n",
        "content/posts/2024/walks/moor.md": post(title="Moor"),
        "content/posts/2024/walks/coast/index.md": post(title="Coast"),
        "content/posts/top.md": post(title="Top"),
    })
    assert found == {"/posts/2024/walks/moor": f"{SITE}/2024/moor/",
                     "/posts/2024/walks/coast": f"{SITE}/2024/coast/",
                     "/posts/top": f"{SITE}/top/", "/posts/2024": f"{SITE}/posts/2024/"}


@pytest.mark.parametrize("style, path", [
    ("date", "/2009/04/29/slap-chop.html"),
    ("pretty", "/2009/04/29/slap-chop/"),
    ("ordinal", "/2009/119/slap-chop.html"),
    ("none", "/slap-chop.html"),
    ("/:year/:title/", "/2009/slap-chop/"),
    ("/:categories/:short_year/:i_month/:i_day/:slug", "/09/4/29/slap-chop"),
    ("/:slugified_categories/:title/", "/slap-chop/"),
])
def test_jekyll_permalink_styles_as_jekyllrb_com_lists_them(tmp_path, style, path):
    """jekyllrb.com/docs/permalinks: the built-in styles date, pretty, ordinal and none, and
    placeholders; without categories, /:categories/ is left out."""
    found = urls(tmp_path, {
        "_config.yml": f"url: {SITE}\nbaseurl: /blog\npermalink: {style}\n",
        "_posts/2009-04-29-slap-chop.md": "---\nlayout: post\n---\n\nBody.\n",
    }, settings="")
    assert found == {"/2009-04-29-slap-chop": f"{SITE}{path}"}


@pytest.mark.parametrize("style, about, setup", [
    ("pretty", "/about/", "/docs/setup/"),
    ("date", "/about.html", "/docs/setup.html"),
    ("/:categories/:year-:month-:day-:title/", "/about/", "/docs/setup/"),  # Hydejack's
    ("/:year/:title", "/about", "/docs/setup"),
])
def test_a_jekyll_page_without_a_permalink_ends_as_the_sites_permalink_style(tmp_path, style,
                                                                             about, setup):
    """Jekyll ends a page's address as the site's permalink ends (add_permalink_suffix):
    about.md is /about/ on a pretty site. It was always /about.html, so {% link about.md %}
    in an email led to a page the blog does not have."""
    found = urls(tmp_path, {
        "_config.yml": f"url: {SITE}\npermalink: {style}\n",
        "about.md": "---\ntitle: About\n---\n\nMe.\n",
        "docs/setup.md": "---\ntitle: Setup\n---\n\nSteps.\n",
        "docs/index.md": "---\ntitle: Docs\n---\n\nAll.\n",
        "contact.md": "---\ntitle: Contact\npermalink: /write-to-me/\n---\n\nHello.\n",
        "_posts/2024-05-01-hello.md": "---\ntitle: Hello\n---\n\nSee {% link about.md %}.\n",
    })
    assert {key: found[key] for key in ("/about", "/docs/setup", "/docs/index", "/contact")} == {
        "/about": f"{SITE}{about}", "/docs/setup": f"{SITE}{setup}",
        "/docs/index": f"{SITE}/docs/", "/contact": f"{SITE}/write-to-me/"}
    settings = load_settings(tmp_path, {})
    [hello] = [post for post in load_posts(settings)[0] if post.id == "/2024-05-01-hello"]
    expansion = expand_tags(hello.body, default_tag_context(settings, hello))
    assert expansion.markdown.strip() == f"See {SITE}{about}."


def test_jekyll_categories_per_post_permalink_front_matter_date_and_drafts(tmp_path):
    """jekyllrb.com/docs/posts: a date in the front matter overrides the file name's; folders
    above _posts and the categories key make :categories; a post's own permalink wins."""
    found = urls(tmp_path, {
        "_config.yml": f"url: {SITE}\n",
        "news/_posts/2024-01-31-launch.md": "---\ncategories: Product Big\n---\n\nBody.\n",
        "_posts/2024-02-02-tools.md": "---\ncategories: [Tools & Tips, C++]\npermalink: "
                                      "/:slugified_categories/:title/\n---\n\nBody.\n",
        "_posts/2024-02-01-late.md": "---\ndate: 2024-02-03 10:00:00 +0000\n---\n\nBody.\n",
        "_posts/2024-02-05-own.md": "---\npermalink: /own/:title/\n---\n\nBody.\n",
    })
    assert found == {
        "/news/2024-01-31-launch": f"{SITE}/news/product/big/2024/01/31/launch.html",
        "/2024-02-01-late": f"{SITE}/2024/02/03/late.html",
        "/2024-02-05-own": f"{SITE}/own/own/",
        "/2024-02-02-tools": f"{SITE}/tools-tips/c/tools/",
    }


def test_jekyll_front_matter_defaults_scopes_as_jekyll_matches_them(tmp_path):
    """jekyllrb.com/docs/configuration/front-matter-defaults: a scope's path is a folder
    (whole names), written with collections_dir or without it, or a glob."""
    rule = "  - scope:\n      path: {}\n    values:\n      permalink: {}\n"
    found = urls(tmp_path, {
        "_config.yml": "collections_dir: stash\ndefaults:\n"
                       + rule.format("stash/_posts/notes", "/notes/:title/")
                       + rule.format("_posts/blog", "/blog/:title/")
                       + rule.format('"_posts/*/shorts"', "/shorts/:title/"),
        "stash/_posts/notes/2024-01-02-kiln.md": post(),
        "stash/_posts/blog-old/2024-01-03-glaze.md": post(),
        "stash/_posts/2024/shorts/2024-01-04-clay.md": post(),
    })
    assert found == {"/2024-01-02-kiln": f"{SITE}/notes/kiln/",
                     "/2024-01-03-glaze": f"{SITE}/2024/05/01/glaze.html",
                     "/2024-01-04-clay": f"{SITE}/shorts/clay/"}


@pytest.mark.parametrize("config, day", [("", "09"), ("timezone: America/Los_Angeles\n", "08")])
def test_jekyll_address_day_of_a_date_with_an_offset_is_the_build_zones(tmp_path, config, day):
    """jekyll new writes dates with the writer's offset; Jekyll converts them to its own zone,
    _config.yml's timezone, else UTC on GitHub Pages: 22:44 at -0700 is the next day there."""
    found = urls(tmp_path, {
        "_config.yml": f"url: {SITE}\n{config}",
        "_posts/2024-08-08-webinar.markdown": "---\ndate: 2024-08-08 22:44:26 -0700\n---\n\n"
                                              "Body.\n",
    })
    assert found == {"/2024-08-08-webinar": f"{SITE}/2024/08/{day}/webinar.html"}


def test_jekyll_address_day_of_a_date_without_offset_is_the_day_written(tmp_path):
    """A date without an offset is in Jekyll's zone as written, even when newsletter.toml reads
    post dates in another zone (Paris here, UTC for Jekyll)."""
    paris = MINIMAL.replace("https://blog.example.com", SITE).replace(
        'url = "', 'timezone = "Europe/Paris"\nurl = "', 1)
    found = urls(tmp_path, {
        "newsletter.toml": paris, "_config.yml": f"url: {SITE}\n",
        "_posts/2024-08-08-late.md": "---\ndate: 2024-08-08 00:30:00\n---\n\nBody.\n",
        "_posts/2024-08-09-plain.md": "---\ndate: 2024-08-09\n---\n\nBody.\n",
    })
    assert found == {"/2024-08-08-late": f"{SITE}/2024/08/08/late.html",
                     "/2024-08-09-plain": f"{SITE}/2024/08/09/plain.html"}


def test_jekyll_posts_that_config_excludes_are_never_posts(tmp_path):
    """Jekyll builds nothing _config.yml's exclude names, _posts included (a folder, a glob):
    such a file is a page here, never mailed with a link to a page that does not exist."""
    write_files(tmp_path, {
        "newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE),
        "_config.yml": 'exclude: [_posts/wip, "_posts/*-template.md", README.md]\n',
        "_posts/wip/2024-01-01-half.md": post("Half"),
        "_posts/2024-01-02-post-template.md": post("Template"),
        "_posts/2024-01-03-real.md": post("Real"),
    })
    posts, errors = load_posts(load_settings(tmp_path, {}))
    assert errors == []
    assert {post.title: post.page for post in posts} == {
        "Half": "excluded by _config.yml's exclude: Jekyll does not build it",
        "Template": "excluded by _config.yml's exclude: Jekyll does not build it",
        "Real": None}


def test_jekyll_posts_under_a_name_jekyll_skips_are_never_posts(tmp_path):
    """Jekyll's reader passes over a path in _posts (or a collection) starting with _ . # or ~,
    and a file named so: writers park old posts in _posts/_old/. They were mailed as ready,
    with a link to a page that does not exist."""
    write_files(tmp_path, {
        "newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE),
        "_posts/_old/2024-01-01-parked.md": post("Parked"),
        "_posts/tips/_2024-01-03-aside.md": post("Aside"),
        "_posts/tips/2024-01-04-kept.md": post("Kept"),
        "_drafts/_scraps/idea.md": post("Idea"),
    })
    posts, errors = load_posts(load_settings(tmp_path, {}))
    assert errors == []
    assert {post.title: post.page for post in posts} == {
        "Parked": "Jekyll skips a name in _posts starting with _ . # or ~",
        "Aside": "Jekyll skips a name in _posts starting with _ . # or ~",
        "Kept": None,
        "Idea": "Jekyll skips a name in _drafts starting with _ . # or ~"}


def test_jekyll_blog_in_a_collection_with_output(tmp_path):
    """jekyllrb.com/docs/collections: a blog kept in a collection with output: true (no _posts)
    is found; its documents are at the collection's permalink, else /:collection/:path ended as
    the site's style, dated by front matter or file name; a collection without output makes
    no pages: its documents are pages here, never mailed."""
    essays = {"_essays/2024-04-01-second.md": "---\ntitle: Second\n---\n\nBody.\n",
              "_essays/first-one.md": post("First one", "2024-03-01")}
    collections = "collections:\n  essays:\n    output: true\n"
    assert urls(tmp_path / "a", {**essays, "_config.yml": "permalink: pretty\n" + collections}
                ) == {"/essays/2024-04-01-second": f"{SITE}/essays/2024-04-01-second/",
                      "/essays/first-one": f"{SITE}/essays/first-one/"}
    config = collections + "    permalink: /:collection/:year/:title/\n  notes:\n    output: no\n"
    write_files(tmp_path / "b", {"_notes/kept.md": post("Kept")})
    found = urls(tmp_path / "b", {**essays, "_config.yml": config},
                 settings='\n[posts]\ndirs = ["_essays", "_notes"]\n')
    assert found == {"/essays/2024-04-01-second": f"{SITE}/essays/2024/second/",
                     "/essays/first-one": f"{SITE}/essays/2024/first-one/",
                     "/notes/kept": f"{SITE}/notes/kept"}
    posts, _ = load_posts(load_settings(tmp_path / "b", {}))
    assert [post.page for post in posts if post.id == "/notes/kept"] == [
        "collection notes is not output: true in _config.yml"]


def test_jekyll_link_to_a_collection_document_is_its_collection_address(tmp_path):
    """Chirpy's tabs (_tabs/about.md, output: true, permalink /:title/ from defaults) are
    pages beside _posts: {% link _tabs/about.md %} is /about/, not the file's path."""
    write_files(tmp_path, {
        "newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE),
        "_config.yml": "collections:\n  tabs:\n    output: true\ndefaults:\n  - scope:\n"
                       "      type: tabs\n    values:\n      permalink: /:title/\n",
        "_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\n\nBody.\n",
        "_tabs/about.md": "---\nicon: fas fa-info-circle\norder: 4\n---\n\nAbout.\n",
    })
    posts, errors = load_posts(load_settings(tmp_path, {}))
    assert errors == [] and [post.id for post in posts] == ["/2024-01-02-hello"]
    assert posts[0].site.link_url("_tabs/about.md") == f"{SITE}/about/"


def test_jekyll_link_to_a_static_file_is_where_the_site_serves_it(tmp_path):
    """{% link %} names any file of the site (jekyllrb.com/docs/liquid/tags): a PDF or a
    picture is at its own path. The PDF's link went to /assets/notes/ (read as a page with
    the pretty style), and a picture's was an error."""
    write_files(tmp_path, {
        "newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE),
        "_config.yml": "permalink: pretty\n",
        "_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\n\nBody.\n",
        "assets/notes.pdf": "%PDF-1.4\n",
        "images/map.png": "not looked at",
        "about.md": "---\ntitle: About\n---\n\nMe.\n",
    })
    posts, errors = load_posts(load_settings(tmp_path, {}))
    assert errors == []
    site = posts[0].site
    assert [site.link_url(name) for name in ("assets/notes.pdf", "/images/map.png", "about.md",
                                              "assets/none.pdf")] == [
        f"{SITE}/assets/notes.pdf", f"{SITE}/images/map.png", f"{SITE}/about/", None]


def test_eleventy_urls_as_11ty_dev_describes_them(tmp_path):
    """11ty.dev/docs/permalinks: subdir/template.md is /subdir/template/; a template in its
    own folder (subdir/template/template.md or .../index.md) is /subdir/template/; a
    permalink ending in index.html is its folder."""
    found = urls(tmp_path, {
        "eleventy.config.js": "export default function (config) {}\n",
        "posts/posts.json": '{"tags": ["posts"]}\n',
        "posts/template.md": post(),
        "posts/own/own.md": post(),
        "posts/folder/index.md": post(),
        "posts/moved.md": post(permalink='"this-is-a-new-path/subdirectory/testing/index.html"'),
    })
    assert found == {
        "/posts/template": f"{SITE}/posts/template/",
        "/posts/own": f"{SITE}/posts/own/",
        "/posts/folder": f"{SITE}/posts/folder/",
        "/posts/moved": f"{SITE}/this-is-a-new-path/subdirectory/testing/",
    }


def test_astro_urls_follow_the_blog_route(tmp_path):
    """docs.astro.build (content collections, the blog template): an entry's id is its path in
    the collection, slugged; src/pages/blog/[...slug].astro renders it at /blog/<id>/."""
    found = urls(tmp_path, {
        "astro.config.mjs": f"export default defineConfig({{ site: '{SITE}' }});\n",
        "src/content/blog/First Post.md": "---\ntitle: A\npubDate: 'Jul 08 2022'\n---\n\nB.\n",
        "src/content/blog/guides/setup.md": "---\ntitle: B\npubDate: 2022-07-09\n---\n\nB.\n",
        "src/pages/blog/[...slug].astro": "---\n---\n",
    })
    assert found == {"/blog/first-post": f"{SITE}/blog/first-post/",
                     "/blog/guides/setup": f"{SITE}/blog/guides/setup/"}


def test_zola_urls_as_getzola_org_describes_them(tmp_path):
    """getzola.org/documentation/content/page: about.md and about/index.md make the same
    page; slug replaces the file name but keeps the section's path; path replaces both; a
    date at the start of the file name is the page's date, not part of its slug."""
    found = urls(tmp_path, {
        "config.toml": f'base_url = "{SITE}"\n',
        "content/blog/_index.md": '+++\nsort_by = "date"\n+++\n',
        "content/blog/about.md": '+++\ntitle = "A"\ndate = 2024-01-01\n+++\n\nB.\n',
        "content/blog/folder/index.md": '+++\ntitle = "B"\ndate = 2024-01-02\n+++\n\nB.\n',
        "content/blog/renamed.md": ('+++\ntitle = "C"\ndate = 2024-01-03\nslug = "other"\n'
                                    "+++\n\nB.\n"),
        "content/blog/moved.md": ('+++\ntitle = "D"\ndate = 2024-01-04\npath = "elsewhere"\n'
                                  "+++\n\nB.\n"),
        "content/blog/2022-07-21_topic.md": '+++\ntitle = "E"\n+++\n\nB.\n',
    })
    assert found == {
        "/blog": f"{SITE}/blog/",
        "/blog/about": f"{SITE}/blog/about/",
        "/blog/folder": f"{SITE}/blog/folder/",
        "/blog/renamed": f"{SITE}/blog/other/",
        "/blog/moved": f"{SITE}/elsewhere/",
        "/blog/2022-07-21_topic": f"{SITE}/blog/topic/",
    }


def test_pelican_urls_as_its_settings_describe_them(tmp_path):
    """docs.getpelican.com/en/latest/settings.html: ARTICLE_URL defaults to '{slug}.html', the
    slug is the title slugged unless Slug says otherwise; FILENAME_METADATA finds a date."""
    found = urls(tmp_path, {
        "pelicanconf.py": 'PATH = "content"\n',
        "content/first.md": "Title: My First Post!\nDate: 2024-05-01\n\nBody.\n",
        "content/second.md": "Title: Second\nDate: 2024-05-02\nSlug: custom\n\nBody.\n",
        "content/2024-05-03-third.md": "Title: Third\n\nBody.\n",
    })
    assert found == {"/first": f"{SITE}/my-first-post.html", "/second": f"{SITE}/custom.html",
                     "/2024-05-03-third": f"{SITE}/third.html"}


def test_gatsby_urls_are_created_from_the_file_path(tmp_path):
    """gatsbyjs.com, gatsby-source-filesystem's createFilePath: the path in the source folder,
    index standing for its folder, with slashes around it; Lumen's slug wins, a folder as
    Gatsby 5's trailingSlash ("always" unless set) makes it."""
    found = urls(tmp_path, {
        "gatsby-config.js": "module.exports = { plugins: [{ resolve: `gatsby-source-filesystem`"
                            ", options: { path: `${__dirname}/content/blog` } }] }\n",
        "content/blog/hello-world/index.md": post(),
        "content/blog/notes.md": post(),
        "content/blog/lumen/index.md": post(slug="/posts/lumen-style"),
    })
    assert found == {"/hello-world": f"{SITE}/hello-world/", "/notes": f"{SITE}/notes/",
                     "/posts/lumen-style": f"{SITE}/posts/lumen-style/"}


def test_link_targets_resolve_to_addresses_for_template_tags(tmp_path):
    """What Hugo's ref/relref, Jekyll's post_url and link, and Zola's @/ links name."""
    write_files(tmp_path, {
        "newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE),
        "_config.yml": f"url: {SITE}\npermalink: pretty\n",
        "_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\n\nBody.\n",
        "about.md": "---\ntitle: About\npermalink: /about/\n---\n\nBody.\n",
    })
    posts, _ = load_posts(load_settings(tmp_path, {}))
    layout = posts[0].site
    hello = f"{SITE}/2024/01/02/hello/"
    assert layout.link_url("2024-01-02-hello") == hello  # {% post_url 2024-01-02-hello %}
    assert layout.link_url("_posts/2024-01-02-hello.md") == hello  # {% link ... %}
    assert layout.link_url("/_posts/2024-01-02-hello.md#part") == hello + "#part"
    assert layout.link_url("about.md") == f"{SITE}/about/"  # a page: read when asked for
    assert layout.link_url("missing.md") is None
    assert layout.values["permalink"] == "pretty" and layout.base_path == ""


def test_jekyll_post_url_names_a_post_in_a_subfolder_of_posts(tmp_path):
    """jekyllrb.com/docs/liquid/tags: posts in subfolders of _posts are named with the
    subfolder, {% post_url /2023/2023-12-30-name %}; the name alone still finds them."""
    write_files(tmp_path, {
        "newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE),
        "_config.yml": f"url: {SITE}\n",
        "_posts/2023/2023-12-30-rafters.md": "---\ntitle: Rafters\n---\n\nBody.\n",
        "_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\n\nBody.\n",
    })
    posts, _ = load_posts(load_settings(tmp_path, {}))
    [hello] = [post for post in posts if post.id == "/2024-01-02-hello"]
    links = default_tag_context(load_settings(tmp_path, {}), hello).link_url
    rafters = f"{SITE}/2023/12/30/rafters.html"
    for name in ("/2023/2023-12-30-rafters", "2023/2023-12-30-rafters", "2023-12-30-rafters"):
        assert links("post_url", name) == rafters
    assert links("post_url", "2023/2023-12-31-gone") is None


def test_jekyll_site_github_url_is_the_sites_address_as_on_github_pages(tmp_path):
    """GitHub Pages' jekyll-github-metadata sets site.github.url, which posts write before
    their images and links; a github: table of _config.yml keeps its other values."""
    write_files(tmp_path, {
        "newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE + "/log"),
        "_config.yml": "baseurl: /log\ngithub:\n  owner_name: pat\n",
        "_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\n\nBody.\n",
    })
    settings = load_settings(tmp_path, {})
    posts, _ = load_posts(settings)
    expansion = expand_tags("[About]({{ site.github.url }}/about/), {{ site.github.owner_name }}",
                            default_tag_context(settings, posts[0]))
    assert (expansion.markdown, expansion.problems) == (f"[About]({SITE}/log/about/), pat", ())


def hugo_posts(root, settings: str, files: dict[str, str]) -> list:
    """The posts and pages of a Hugo site of ``files`` at SITE, with ``settings`` added."""
    write_files(root, {"newsletter.toml": MINIMAL.replace("https://blog.example.com", SITE),
                       "hugo.toml": f'baseURL = "{SITE}/"\n{settings}', **files})
    return load_posts(load_settings(root, {}))[0]


def test_a_hugo_ref_is_looked_for_beside_the_page_first(tmp_path):
    posts = hugo_posts(tmp_path, "", {"content/posts/a.md": post(title="A"),
                                      "content/posts/b.md": post(title="B"),
                                      "content/notes/b.md": post(title="Other B")})
    first = next(item for item in posts if item.id == "/posts/a")
    layout = first.site
    assert layout.link_url("b.md", beside=first.path.parent) == f"{SITE}/posts/b/"
    assert layout.link_url("/notes/b.md", beside=first.path.parent) == f"{SITE}/notes/b/"
    assert layout.link_url("c.md", beside=first.path.parent) is None


def test_a_hugo_ref_names_a_bundle_whose_files_carry_their_language(tmp_path):
    """Multilingual bundles named index.en.md and index.de.md: {{< ref "trip" >}} and
    "posts/trip" are the English page, as Hugo resolves them; the German one keeps its own
    file's name."""
    posts = hugo_posts(tmp_path, "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n", {
        "content/posts/a.en.md": post(title="A"),
        "content/posts/trip/index.de.md": post(title="Reise"),
        "content/posts/trip/index.en.md": post(title="Trip")})
    layout = posts[0].site
    assert layout.link_url("trip") == f"{SITE}/posts/trip/"
    assert layout.link_url("/posts/trip") == f"{SITE}/posts/trip/"
    assert layout.link_url("posts/a.md") == f"{SITE}/posts/a/"
    assert layout.link_url("posts/trip/index.de.md") == f"{SITE}/de/posts/trip/"


def test_astro_markdown_pages_before_content_collections(tmp_path):
    """docs.astro.build (Markdown pages): src/pages/posts/intro.md is the page /posts/intro; a
    setting left in a comment of astro.config.mjs is not read."""
    found = urls(tmp_path, {
        "astro.config.mjs": ("export default {\n  buildOptions: {\n"
                             "    // site: 'http://commented.example.com',\n  },\n};\n"),
        "src/pages/posts/intro.md": ("---\nlayout: ../../layouts/BlogPost.astro\ntitle: Intro\n"
                                     "publishDate: 12 SEP 2021\n---\n\nBody.\n"),
    })
    assert found == {"/posts/intro": f"{SITE}/posts/intro/"}
