"""A writer's commands on Hugo blogs laid out as themes not covered elsewhere lay them out
(DoIt's config/_default/ and multilingual posts, Hugo Blox's sections), written here with this project's own text:
the post a writer names, and what its email shows."""

from __future__ import annotations

import json

import lxml.html
import pytest

from generator_sites import fill_in_settings, write_files

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render import render_post

from conftest import invoke

DOIT_CONFIG = {
    "config/_default/config.toml": ('baseURL = "https://kiln.example.net/"\ntitle = "Kiln"\n'
                                    'defaultContentLanguage = "en"\n'),
    "config/_default/languages.toml": ('[en]\n  weight = 1\n  languageName = "English"\n'
                                       '[pt]\n  weight = 2\n  languageName = "Portugues"\n'),
}


def test_a_post_written_as_name_en_md_is_found_by_its_name(tmp_path):
    """DoIt's and LoveIt's multilingual posts: posts/glaze.en.md beside glaze.pt.md. `preview
    glaze` found no post and proposed the Portuguese translation, a page that is never sent."""
    root = write_files(tmp_path / "kiln", {
        **DOIT_CONFIG,
        "content/posts/glaze.en.md": "+++\ntitle = \"Glaze\"\ndate = 2025-02-10\n+++\n\nTiles.\n",
        "content/posts/glaze.pt.md": "+++\ntitle = \"Vidrado\"\ndate = 2025-02-10\n+++\n\nAz.\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "glaze")
    assert result.exit_code == 0, result.output
    assert "Tiles." in (root / "preview" / "glaze.en" / "email.txt").read_text()
    wrong = invoke(root, "preview", "glace")
    assert wrong.exit_code == 2
    assert "did you mean glaze?" in wrong.output


def test_a_hugo_blox_researchers_posts_are_mailed_not_their_many_publications(tmp_path):
    """Hugo Blox (Wowchemy, Academic): config/_default/hugo.yaml and no mainSections; post/
    beside publication/ and event/, whose pages are dated too. A researcher with more papers
    than posts had every paper mailed as a newsletter and not one post."""
    papers = {f"content/publication/paper-{n}/index.md": (
        f"---\ntitle: Paper {n}\ndate: '2020-0{n}-01T00:00:00Z'\npublishDate: "
        f"'2021-01-01T00:00:00Z'\npublication_types: ['article-journal']\n---\n\nText.\n")
        for n in range(1, 5)}
    root = write_files(tmp_path / "lab", {
        "go.mod": "module github.com/example/lab\n\ngo 1.19\n",
        "config/_default/hugo.yaml": "title: Soil Lab\nbaseURL: 'https://lab.example.edu/'\n",
        "config/_default/params.yaml": "seo:\n  site_type: Person\n",
        **papers,
        "content/event/talk/index.md": "---\ntitle: A Talk\ndate: '2023-01-01'\n---\n\nSlides.\n",
        "content/post/_index.md": "---\ntitle: Posts\nview: card\n---\n",
        "content/post/probes/index.md": ("---\ntitle: Cheap Probes\ndate: '2024-06-10'\n"
                                         "summary: Three probes and some mud.\n---\n\nMud.\n"),
        "content/post/rain/index.md": "---\ntitle: Rain\ndate: '2024-07-01'\n---\n\nWet.\n",
    })
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert "posts in content/post (named for a blog, beside publication/ of more dated " \
        "pages), 2 posts" in result.output
    listing = invoke(root, "posts", "--json")
    found = {item["id"]: item["status"] for item in json.loads(listing.stdout)}
    assert found["/post/probes"] == found["/post/rain"] == "ready"
    assert found["/publication/paper-1"] == found["/event/talk"] == "page"


_FIRING = ("It worked :tada: at 10:30:fire:, :+1: and :hedgehog:, not :nonsense:.\n\n"
           "Write `:tada:` for it.\n")
_HUGO_POST = {"content/posts/firing.md": (
    f'+++\ntitle = "Firing"\ndate = 2025-02-10\n+++\n\n{_FIRING}')}
_JEKYLL_POST = {"_posts/2025-02-10-firing.md": f'---\ntitle: "Firing"\n---\n\n{_FIRING}'}


@pytest.mark.parametrize("files, emoji", [
    ({"hugo.toml": 'baseURL = "https://kiln.example.net/"\ntitle = "Kiln"\nenableEmoji = true\n',
      **_HUGO_POST}, True),
    ({"hugo.toml": 'baseURL = "https://kiln.example.net/"\ntitle = "Kiln"\n', **_HUGO_POST},
     False),
    ({"config.toml": 'base_url = "https://kiln.example.net"\ntitle = "Kiln"\n'
                     "[markdown]\nrender_emoji = true\n",
      "content/posts/_index.md": '+++\nsort_by = "date"\n+++\n', **_HUGO_POST}, True),
    ({"_config.yml": "url: https://kiln.example.net\ntitle: Kiln\nplugins:\n  - jemoji\n",
      **_JEKYLL_POST}, True),
    ({"_config.yml": "url: https://kiln.example.net\ntitle: Kiln\ngems: [jekyll-feed, jemoji]\n"
                     "markdown: GFM\n", **_JEKYLL_POST}, True),
    ({"_config.yml": "url: https://kiln.example.net\ntitle: Kiln\nplugins: [jekyll-feed]\n",
      **_JEKYLL_POST}, False),
])
def test_emoji_codes_are_emoji_where_the_site_turns_them_on(tmp_path, files, emoji):
    """LoveIt's, DoIt's and FixIt's example sites set enableEmoji = true (Zola: render_emoji;
    Jekyll, on GitHub Pages too: the jemoji plugin) and their posts write :tada:; the email
    showed ":tada:" where the blog shows the emoji. Code keeps the code as written, and so does
    a site that leaves them off."""
    root = write_files(tmp_path / "kiln", files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "firing")
    assert result.exit_code == 0, result.output
    folder = next((root / "preview").glob("*firing"))  # Jekyll's: 2025-02-10-firing
    text = (folder / "email.txt").read_text()
    shown = "It worked \U0001F389 at 10:30\U0001F525, \U0001F44D and \U0001F994, not :nonsense:."
    written = "It worked :tada: at 10:30:fire:, :+1: and :hedgehog:, not :nonsense:."
    assert " ".join(text.split()).count(shown if emoji else written) == 1
    document = lxml.html.parse(folder / "email.html")
    assert [code.text_content() for code in document.iter("code")] == [":tada:"]


def test_a_post_beside_its_translations_in_language_folders_is_found_by_its_name(tmp_path):
    """Hugoplate keeps each language's content in its own folder (content/english,
    content/french), each post under the same name: `check bread` said "names 2 posts" though
    the French one is a page that is never sent."""
    root = write_files(tmp_path / "plate", {
        "hugo.toml": 'baseURL = "https://plate.example.com"\ntitle = "Plate"\n',
        "config/_default/languages.toml": ('[en]\ncontentDir = "content/english"\nweight = 1\n'
                                           '[fr]\ncontentDir = "content/french"\nweight = 2\n'),
        "content/english/blog/bread.md": "---\ntitle: Bread\ndate: 2024-05-04\n---\n\nCrust.\n",
        "content/french/blog/bread.md": "---\ntitle: Pain\ndate: 2024-05-04\n---\n\nCroute.\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "bread")
    assert result.exit_code == 0, result.output
    assert "Crust." in (root / "preview" / "bread" / "email.txt").read_text()


def test_a_hugo_posts_summary_is_the_inbox_preview_without_a_description(tmp_path):
    """Even's, Mainroad's and most Hugo themes describe a post without a description by its
    .Summary (the page's meta description, Hugo's RSS): the text before <!--more-->, else its
    first words. The inbox quoted the title and date again, and check warned of no
    description on every such post."""
    root = write_files(tmp_path / "tea", {
        "hugo.json": '{"baseURL": "https://tea.example.org/", "title": "Tea"}',
        "content/posts/rain.md": ("---\ntitle: Rain\ndate: 2024-03-05\n---\n\nA wet *afternoon* "
                                  "at the tea house.\n\nThe kettle sang.\n\n<!--more-->\n\n"
                                  "After the fold.\n"),
        "content/posts/sun.md": ("+++\ntitle = \"Sun\"\ndate = 2024-03-06\n+++\n\n"
                                 + "Warm light on the step. " * 20 + "\n"),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    settings = load_settings(root, {})
    posts, _ = load_posts(settings)
    assert render_post(settings, find_post(posts, "rain")).preheader == \
        "A wet afternoon at the tea house. The kettle sang."
    sun = render_post(settings, find_post(posts, "sun")).preheader
    assert sun.startswith("Warm light on the step. Warm light") and sun.endswith("\u2026")
    findings = json.loads(invoke(root, "check", "rain", "--json").stdout)["findings"]
    assert "no-description" not in [finding["code"] for finding in findings]


def test_an_html_comment_in_a_hugo_post_is_not_reported_as_raw_html_the_email_leaves_out(
        tmp_path):
    """Writers leave notes to themselves in comments (``<!-- TODO -->``); Goldmark without
    ``unsafe`` leaves them out as it leaves out raw HTML, but a comment shows nothing either
    way: check warned on every such post that the blog did not show its HTML."""
    root = write_files(tmp_path / "ink", {
        "hugo.toml": 'baseURL = "https://ink.example.org/"\ntitle = "Ink"\n',
        "content/posts/wash.md": ("---\ntitle: Wash\ndate: 2024-02-01\ndescription: Ink.\n---\n\n"
                                  "<!-- TODO: add the photo -->\n\nThe wash.\n\n<!--\nA longer "
                                  "note\nto myself.\n-->\n\nDots <!-- aside --> and <b>more</b>.\n"),
    })
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "check", "wash", "--json")
    omitted = [finding["where"] for finding in json.loads(result.stdout)["findings"]
               if finding["code"] == "raw-html-omitted"]
    assert omitted == ["content/posts/wash.md:16"]


def test_a_hugo_site_without_a_language_code_writes_in_its_default_language(tmp_path):
    """A site in Arabic that sets defaultContentLanguage and no languageCode: init wrote
    language = "en", so every email said it was English and read left to right."""
    root = write_files(tmp_path / "sand", {
        "hugo.toml": ('baseURL = "https://sand.example.org/"\ntitle = "Raml"\n'
                      'defaultContentLanguage = "ar"\n[languages.ar]\nweight = 1\n'
                      '[languages.en]\nweight = 2\n'),
        "content/posts/dune.md": "---\ntitle: Dune\ndate: 2024-01-01\n---\n\nRamal.\n",
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    assert 'language = "ar"' in (root / "newsletter.toml").read_text()
    assert invoke(root, "preview", "dune").exit_code == 0
    page = lxml.html.parse(root / "preview" / "dune" / "email.html").getroot()
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")


def test_relative_links_to_a_bundles_files_and_the_sites_posts_are_not_warned_of(tmp_path):
    """A Hugo bundle links its own slides (``slides.pdf`` beside index.md, which Hugo
    publishes beside the page) and another post (``../kiln/``): check warned that each was
    made absolute and should be looked at, though newsletter knows both are published. A
    relative link to a file or page the site does not have is still warned of."""
    root = write_files(tmp_path / "talks", {
        "hugo.toml": 'baseURL = "https://talks.example.org/blog/"\ntitle = "Talks"\n',
        "content/posts/kiln.md": "---\ntitle: Kiln\ndate: 2024-04-01\n---\n\nHot.\n",
        "content/posts/talk/slides.pdf": "%PDF-1.4 not really\n",
        "content/posts/talk/index.md": (
            "---\ntitle: Talk\ndate: 2024-04-07\ndescription: Slides.\n---\n\nGet [the slides]"
            "(slides.pdf) and read [the kiln post](../kiln/).\n\nNot [the notes](notes.pdf) "
            "nor [the lost post](../lost/).\n"),
    })
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "check", "talk", "--json")
    relative = [finding["message"] for finding in json.loads(result.stdout)["findings"]
                if finding["code"] == "link-relative"]
    assert sorted(message.split(" was made")[0] for message in relative) == [
        "the relative link ../lost/", "the relative link notes.pdf"]


def test_refs_to_the_home_page_and_to_a_section_without_its_own_page_are_their_addresses(
        tmp_path):
    """{{< ref "/" >}} (the home page) stopped check, preview and send with a traceback, and
    {{< ref "/posts" >}} (a section Hugo lists though it has no _index.md) was an error that
    kept the post from being sent."""
    root = write_files(tmp_path / "refs", {
        "hugo.toml": 'baseURL = "https://refs.example.org/blog/"\ntitle = "Refs"\n',
        "content/posts/home.md": ('---\ntitle: Home\ndate: 2024-04-10\ndescription: Links.\n'
                                  '---\n\n[Home]({{< ref "/" >}}), [every post]({{< ref "/posts" '
                                  '>}}) and [the top]({{< relref "/#top" >}}).\n'),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "home")
    assert result.exit_code == 0, result.output
    links = {a.text_content(): a.get("href") for a in
             lxml.html.parse(root / "preview" / "home" / "email.html").iter("a")}
    assert (links["Home"], links["every post"], links["the top"]) == (
        "https://refs.example.org/blog/", "https://refs.example.org/blog/posts/",
        "https://refs.example.org/blog/#top")



@pytest.mark.parametrize("taxonomies, refs, addresses", [
    ("", '{{< ref "/tags/wading-birds" >}} {{< ref "/categories" >}}',
     ["https://refs.example.org/tags/wading-birds/", "https://refs.example.org/categories/"]),
    ('[taxonomies]\n  series = "series"\n', '{{< ref "/series/spring" >}}',
     ["https://refs.example.org/series/spring/"]),
])
def test_refs_to_a_taxonomy_and_its_terms_are_their_list_pages(tmp_path, taxonomies, refs,
                                                                 addresses):
    """Hugo makes a list page for each taxonomy and each term, with no file of their own:
    {{< ref "/tags/wading-birds" >}} was a template-syntax error that kept the post from
    being sent. A taxonomy the site does not have is still one."""
    root = write_files(tmp_path / "refs", {
        "hugo.toml": f'baseURL = "https://refs.example.org/"\ntitle = "Refs"\n{taxonomies}',
        "content/posts/terms.md": ("---\ntitle: Terms\ndate: 2024-04-10\ntags: [Wading Birds]"
                                   f"\nseries: [spring]\n---\n\nMore: {refs}.\n"),
        "content/posts/typo.md": ('---\ntitle: Typo\ndate: 2024-04-11\n---\n\n'
                                  '{{< ref "/tag/wading-birds" >}}\n'),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "terms")
    assert result.exit_code == 0, result.output
    document = lxml.html.parse(root / "preview" / "terms" / "email.html")
    (more,) = document.xpath("//p[starts-with(., 'More:')]")
    assert [a.get("href") for a in more.iter("a")] == addresses
    typo = invoke(root, "check", "typo")
    assert typo.exit_code == 2 and 'template-syntax: {{< ref "/tag/wading-birds" >}}: no post ' \
        "or page /tag/wading-birds on this site" in typo.output

def test_hugo_docs_include_shortcode_puts_the_page_it_names_in_place(tmp_path):
    """Hugo's documentation (and the sites that copy its include shortcode) writes
    {{% include "/_common/note.md" %}} for a headless page's content: the email left it out
    with a warning. Another site's include it cannot read is still left out, warned of."""
    root = write_files(tmp_path / "docs", {
        "hugo.toml": ('baseURL = "https://docs.example.org/"\ntitle = "Docs"\n'
                      "[[module.mounts]]\nlang = 'en'\nsource = 'content/en'\n"
                      "target = 'content'\n"),
        "content/en/_common/_index.md": "---\ncascade:\n  build:\n    render: never\n---\n",
        "content/en/_common/note.md": "---\n_comment: Shared.\n---\n\nA **shared** note.\n",
        "content/en/news/release/index.md": (
            "---\ntitle: Release\ndate: 2024-05-01\ndescription: New.\n---\n\nBig.\n\n"
            '{{% include "/_common/note.md" %}}\n\n{{< include file="snippets/x.html" >}}\n'),
    })
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    assert invoke(root, "preview", "release").exit_code == 0
    document = lxml.html.parse(root / "preview" / "release" / "email.html")
    assert [strong.text for strong in document.iter("strong")] == ["shared"]
    findings = json.loads(invoke(root, "check", "release", "--json").stdout)["findings"]
    assert [(finding["code"], finding["where"]) for finding in findings] == [
        ("template-degraded", "content/en/news/release/index.md:11")]


def test_a_link_to_a_language_with_its_own_host_goes_to_that_host(tmp_path):
    """A site with a baseURL per language (Hugo's multihost) serves French at its own host's
    root: links to French pages went to the English host under /fr/, pages that do not exist,
    and relref's lang="fr" went to the English page."""
    root = write_files(tmp_path / "shores", {
        "hugo.toml": ('title = "Two Shores"\ndefaultContentLanguage = "en"\n'
                      '[languages.en]\n  baseURL = "https://shores.example.com/"\n'
                      '[languages.fr]\n  baseURL = "https://rivages.example.fr/"\n'),
        "content/posts/tides.md": (
            '---\ntitle: "Tides"\ndate: 2025-03-01\n---\nRead [it in French]'
            '({{< relref path="tides.md" lang="fr" >}}), [the harbour]'
            '({{< ref "/posts/harbour.fr.md" >}}) and [the port](harbour.fr.md).\n'),
        "content/posts/tides.fr.md": '---\ntitle: "Marées"\ndate: 2025-03-01\n---\nIci.\n',
        "content/posts/harbour.fr.md": '---\ntitle: "Port"\ndate: 2025-02-01\n---\nLe port.\n'})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    result = invoke(root, "preview", "tides")
    assert result.exit_code == 0, result.output
    document = lxml.html.parse(root / "preview" / "tides" / "email.html")
    links = {a.text_content(): a.get("href") for a in document.iter("a")}
    assert links["it in French"] == "https://rivages.example.fr/posts/tides/"
    assert links["the harbour"] == links["the port"] == "https://rivages.example.fr/posts/harbour/"
    assert "https://shores.example.com/posts/tides/" in (
        root / "preview" / "tides" / "email.txt").read_text()


def test_a_page_of_type_page_among_the_posts_is_a_page(tmp_path):
    """Gokarna lists the pages of `type: post` and PaperMod those whose type is a main
    section (Hugo's `where site.RegularPages "Type" "in" mainSections`): an about page kept in
    content/posts with `type: page` is no post on the blog, yet was ready to be mailed."""
    root = write_files(tmp_path / "sand", {
        "config.toml": 'baseURL = "https://sand.example.net"\ntitle = "Sand"\ntheme = "gokarna"\n',
        "content/posts/camp.md": ('---\ntitle: "Camping"\ndate: 2025-07-01\ntype: post\n---\n'
                                  "Gone camping.\n"),
        "content/posts/about-me.md": ('---\ntitle: "About Me"\ndate: 2025-07-02\ntype: page\n'
                                      "---\nI am me.\n")})
    assert invoke(root, "init").exit_code == 0
    listing = invoke(root, "posts", "--json")
    found = {item["id"]: item["status"] for item in json.loads(listing.stdout)}
    assert found == {"/posts/camp": "ready", "/posts/about-me": "page"}
