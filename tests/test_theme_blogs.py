"""Blogs laid out as popular themes lay them out (Hugo's Hextra, Blowfish, LoveIt, Mainroad;
Jekyll's Minimal Mistakes and Beautiful Jekyll), written here with this project's own text: the
posts `init` finds, and the feature image and alt text each email opens with."""

from __future__ import annotations

import email
import email.policy
import json

import lxml.html
import pytest
from generator_sites import picture, write_files

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render import render_post

from conftest import invoke


def listed(root) -> dict[str, dict]:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


def opening_image(root, name: str) -> tuple[int, str | None]:
    """How many pictures the email of post ``name`` carries, and the alt text of its first."""
    result = invoke(root, "preview", name)
    assert result.exit_code == 0, result.output
    folder = root / "preview" / name.rpartition("/")[2]
    message = email.message_from_bytes((folder / "message.eml").read_bytes(),
                                       policy=email.policy.default)
    count = len([part for part in message.walk() if part.get_content_maintype() == "image"])
    images = list(lxml.html.fromstring((folder / "email.html").read_text()).iter("img"))
    return count, images[0].get("alt") if images else None


def test_a_hugo_theme_site_with_documentation_beside_its_blog_mails_the_blog(tmp_path):
    """Hextra's layout: no mainSections, a docs/ section of many undated pages and a blog/ of
    dated posts. Taking the biggest section made every documentation page an error ("no
    date") and found no post; the section of dated pages is the blog."""
    guide = {f"content/docs/guide/step-{n}.md": f"---\ntitle: Step {n}\nweight: {n}\n---\n\n"
             f"Do step {n}.\n" for n in range(1, 7)}
    root = write_files(tmp_path / "grove", {
        "hugo.yaml": ('baseURL: "https://grove.example.org/"\ntitle: Grove\n'
                      "defaultContentLanguage: en\nlanguages:\n  en:\n    weight: 1\n"
                      "  zh-cn:\n    weight: 2\nmodule:\n  imports:\n"
                      "    path: github.com/example/docs-theme\n"),
        "content/_index.md": "---\ntitle: Grove\nlayout: landing\n---\n\nWelcome.\n",
        "content/docs/_index.md": "---\ntitle: Documentation\n---\n\nStart here.\n",
        "content/docs/guide/_index.md": "---\ntitle: Guide\n---\n",
        **guide,
        "content/blog/_index.md": "---\ntitle: Blog\n---\n",
        "content/blog/bark.md": ("---\ntitle: Reading Bark\ndate: 2025-03-01T08:00:00+01:00\n"
                                 "description: What the bark says.\n---\n\nFurrows and plates.\n"),
        "content/blog/roots.md": "---\ntitle: Roots\ndate: 2025-04-01\n---\n\nDown they go.\n",
        "content/blog/roots.zh-cn.md": "---\ntitle: Gen\ndate: 2025-04-01\n---\n\nXia.\n",
    })
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert "posts in content/blog (the section with the most dated pages, documentation aside)" \
        ", 2 posts" in result.output
    found = listed(root)
    assert {key: (item["status"], item["url"]) for key, item in found.items()
            if item["status"] != "page"} == {
        "/blog/bark": ("ready", "https://grove.example.org/blog/bark/"),
        "/blog/roots": ("ready", "https://grove.example.org/blog/roots/")}
    assert found["/docs/guide/step-3"]["status"] == "page"
    assert all(not item["errors"] for item in found.values())
    assert found["/blog/bark"]["date"] == "2025-03-01T08:00:00+01:00"


def test_a_docsy_site_mails_its_blog_not_its_dated_documentation(tmp_path):
    """Docsy's layout: content/en/docs of many pages that carry a date and a description,
    beside content/en/blog; no mainSections. Every documentation page was a post to mail."""
    docs = {f"content/en/docs/start/page-{n}.md": (
        f"---\ntitle: Page {n}\ndate: 2017-01-05\ndescription: Part {n}.\nweight: {n}\n---\n\n"
        f"Read part {n}.\n") for n in range(1, 6)}
    root = write_files(tmp_path / "goldy", {
        "hugo.yaml": ("baseURL: https://goldy.example.org/\ntitle: Goldy\ncontentDir: content/en\n"
                      "languages:\n  en:\n    weight: 1\n"),
        "content/en/docs/_index.md": "---\ntitle: Documentation\n---\n", **docs,
        "content/en/blog/_index.md": "---\ntitle: Blog\n---\n",
        "content/en/blog/news/_index.md": "---\ntitle: News\n---\n",
        "content/en/blog/news/release.md": ("---\ntitle: Release Day\ndate: 2024-02-01\n"
                                            "description: It is out.\n---\n\nOut now.\n"),
    })
    result = invoke(root, "init")
    assert "posts in content/en/blog (the section with the most dated pages, documentation " \
        "aside), 1 post" in result.output
    assert {key for key, item in listed(root).items() if item["status"] != "page"} == {
        "/blog/news/release"}


def test_a_hugo_bundles_featured_image_file_opens_its_email(tmp_path):
    """Hugo's convention (its get-page-images partial, which Blowfish, Congo and the Open
    Graph template follow): without `images` in the front matter, a bundle's image named
    *feature* (else *cover* or *thumbnail*) is the page's image. It was left out of the
    email; a feature image the front matter names still wins."""
    root = write_files(tmp_path / "loom", {
        "hugo.toml": 'baseURL = "https://loom.example.net/"\ntitle = "Loom"\n',
        "content/posts/warp/index.md": "---\ntitle: Warp\ndate: 2024-06-01\n---\n\nThreads.\n",
        "content/posts/warp/Featured-Warp.JPG": picture((160, 40, 40)),
        "content/posts/weft/index.md": "---\ntitle: Weft\ndate: 2024-06-02\n---\n\nAcross.\n",
        "content/posts/weft/cover.png": picture((40, 160, 40), "PNG"),
        "content/posts/weft/diagram.png": picture((40, 40, 160), "PNG"),
        "content/posts/heddle/index.md": ("---\ntitle: Heddle\ndate: 2024-06-03\n"
                                          "featureimage: ./loom.jpg\n---\n\nLifts.\n"),
        "content/posts/heddle/loom.jpg": picture((90, 90, 40)),
        "content/posts/heddle/feature.jpg": picture((90, 40, 90)),
        "content/posts/plain/index.md": "---\ntitle: Plain\ndate: 2024-06-04\n---\n\nNone.\n",
        "content/posts/plain/sketch.png": picture((10, 10, 10), "PNG"),
        # Congo: the alt text of the bundle's feature file is its featureAlt (else coverAlt)
        "content/posts/shed/index.md": ("---\ntitle: Shed\ndate: 2024-06-05\n"
                                        "featureAlt: A shuttle mid-throw\ncoverAlt: Other\n"
                                        "---\n\nThrown.\n"),
        "content/posts/shed/feature.jpg": picture((40, 90, 90)),
    })
    assert invoke(root, "init").exit_code == 0
    assert opening_image(root, "/posts/warp") == (1, "Warp")
    assert opening_image(root, "/posts/weft") == (1, "Weft")
    assert opening_image(root, "/posts/shed") == (1, "A shuttle mid-throw")
    assert opening_image(root, "/posts/heddle")[0] == 1
    posts, _ = load_posts(load_settings(root, {}))
    assert find_post(posts, "/posts/heddle").image.src == "./loom.jpg"
    assert opening_image(root, "/posts/plain") == (0, None)


HUGO_SITE = {"hugo.toml": 'baseURL = "https://ink.example.org/"\ntitle = "Ink"\n',
             "static/img/wash.jpg": picture((30, 60, 90))}
JEKYLL_SITE = {"_config.yml": "title: Ink\nurl: https://ink.example.org\n",
               "assets/img/wash.jpg": picture((30, 60, 90))}


@pytest.mark.parametrize("site, file, front_matter, alt", [
    # LoveIt and FixIt
    (HUGO_SITE, "content/posts/wash.md",
     "featuredImage: /img/wash.jpg\nfeaturedImagePreview: /img/wash.jpg\n", "Wash"),
    (HUGO_SITE, "content/posts/wash.md", "featuredImagePreview: /img/wash.jpg\n", "Wash"),
    # Mainroad, both of its forms
    (HUGO_SITE, "content/posts/wash.md", "thumbnail: img/wash.jpg\n", "Wash"),
    (HUGO_SITE, "content/posts/wash.md",
     "thumbnail:\n  src: img/wash.jpg\n  visibility: [list]\n", "Wash"),
    # Beautiful Hugo: the image it shares before the page's image
    (HUGO_SITE, "content/posts/wash.md", "share_img: /img/wash.jpg\nimage: /img/none.jpg\n",
     "Wash"),
    # Clarity: its featureImage with featureImageAlt, else its shareImage
    (HUGO_SITE, "content/posts/wash.md", "featureImage: /img/wash.jpg\nfeatureImageAlt: Ink "
     "pooling\nshareImage: /img/none.jpg\nthumbnail: /img/none.jpg\n", "Ink pooling"),
    (HUGO_SITE, "content/posts/wash.md", "shareImage: /img/wash.jpg\n", "Wash"),
    # terminal: its cover's alt text
    (HUGO_SITE, "content/posts/wash.md", "cover: img/wash.jpg\ncoverAlt: Ink pooling\n",
     "Ink pooling"),
    # Minimal Mistakes: the overlay over the teaser, with its description
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md",
     "header:\n  overlay_image: /assets/img/wash.jpg\n  overlay_filter: 0.4\n"
     "  image_description: Ink pooling\n  teaser: /assets/img/none.jpg\n", "Ink pooling"),
    # Beautiful Jekyll: cover images with captions, share-img before them
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md",
     'cover-img: ["/assets/img/wash.jpg" : "Blue wash", "/assets/img/none.jpg" : "Other"]\n'
     'thumbnail-img: ""\nshare-img:\n', "Blue wash"),
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md",
     "share-img: /assets/img/wash.jpg\ncover-img: /assets/img/none.jpg\n", "Wash"),
    # Type on Strap: the page's wide image (a path from the site's folder), before its thumbnail
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md",
     'feature-img: "assets/img/wash.jpg"\nthumbnail: "assets/img/none.jpg"\n', "Wash"),
    # HPSTR, So Simple 1, Skinny Bones: image.feature, a file of /images/ (or an address)
    ({**JEKYLL_SITE, "images/wash.jpg": picture((90, 60, 30))}, "_posts/2024-02-01-wash.md",
     "image:\n  feature: wash.jpg\n  credit: A friend\n", "Wash"),
    ({**JEKYLL_SITE, "images/wash.jpg": picture((90, 60, 30))}, "_posts/2024-02-01-wash.md",
     "image:\n  feature: /assets/img/wash.jpg\n", "Wash"),
    # Millennial: image, a file name alone, of /assets/img/ (its layout's folder); it was
    # looked for beside the post, and the post refused with image-missing
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md", "image: wash.jpg\n", "Wash"),
    # Flexible Jekyll: img, a file name in /assets/img/ (it was not read)
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md", "img: wash.jpg\nfig-caption:\n", "Wash"),
    # Sleek: featured-img, the name of a JPEG in /assets/img/posts/
    ({**JEKYLL_SITE, "assets/img/posts/wash.jpg": picture((90, 60, 30))},
     "_posts/2024-02-01-wash.md", "featured-img: wash\n", "Wash"),
    # Feeling Responsive: header.image, a file name in the folder _config.yml's urlimg names
    # (the site's own address, under its baseurl, or a path); it was looked for beside the
    # post, and the post refused with image-missing
    ({"_config.yml": "title: Ink\nurl: https://ink.example.org\nbaseurl: /ink\n"
                     "urlimg: 'https://ink.example.org/ink/images/'\n",
      "images/wash.jpg": picture((90, 60, 30))}, "_posts/2024-02-01-wash.md",
     'header:\n  image: wash.jpg\n  background-color: "#262930"\nimage:\n'
     "  thumb: wash-thumb.jpg\n  caption: A friend's\n", "Wash"),
    ({"_config.yml": "title: Ink\nurl: https://ink.example.org\nurlimg: /images/\n",
      "images/wash.jpg": picture((90, 60, 30))}, "_posts/2024-02-01-wash.md",
     "header:\n  image: wash.jpg\n", "Wash"),
    # TeXt: the article header's cover image, or the image behind its overlay
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md",
     "article_header:\n  type: cover\n  image:\n    src: /assets/img/wash.jpg\n", "Wash"),
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md",
     "article_header:\n  type: overlay\n  theme: dark\n  background_image:\n"
     "    gradient: 'linear-gradient(135deg, rgba(34, 139, 87, .4), rgba(139, 34, 139, .4))'\n"
     "    src: /assets/img/wash.jpg\n", "Wash"),
])
def test_a_themes_feature_image_key_opens_the_email(tmp_path, site, file, front_matter, alt):
    """Each theme's own front matter key for a post's picture: it was not read, so the email
    went out without the picture the post's page shows."""
    root = write_files(tmp_path / "ink", {
        **site, file: f"---\ntitle: Wash\ndate: 2024-02-01\n{front_matter}---\n\nInk on paper.\n"})
    assert invoke(root, "init").exit_code == 0
    post_id = next(iter(listed(root)))
    assert opening_image(root, post_id) == (1, alt)


def test_a_minimal_mistakes_header_names_the_image_only_when_it_has_one(tmp_path):
    """header: is Minimal Mistakes' table of the page's top: its teaser is the post's picture,
    while a header of a colour alone (or another theme's thumbnail: true) is no picture and no
    error."""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE,
        "_posts/2024-02-01-wash.md": "---\ntitle: Wash\nheader:\n  teaser: assets/img/wash.jpg\n"
                                     "---\n\nInk on paper.\n",
        "_posts/2024-02-02-grey.md": ('---\ntitle: Grey\nheader:\n  overlay_color: "#333"\n'
                                     "  caption: Grey\nthumbnail: true\n---\n\nInk.\n")})
    assert invoke(root, "init").exit_code == 0
    assert listed(root)["/2024-02-02-grey"]["errors"] == []
    assert opening_image(root, "/2024-02-01-wash") == (1, "Wash")
    assert opening_image(root, "/2024-02-02-grey") == (0, None)


def test_a_text_theme_blog_mails_its_posts_not_the_folders_its_config_excludes(tmp_path):
    """TeXt's repository holds its documentation site in docs/ (docs/_posts) and a test site,
    both in _config.yml's exclude; init named them as post folders. An article header of a
    colour alone (background_image: false) is no picture and no error."""
    root = write_files(tmp_path / "kiln", {
        **JEKYLL_SITE, "_config.yml": ("title: Kiln\nurl: https://kiln.example.org\n"
                                       "exclude:\n  - /docs\n  - /test\n"),
        "_posts/2024-06-09-plain.md": ("---\ntitle: Plain\narticle_header:\n  type: overlay\n"
                                       "  background_color: '#123'\n  background_image: false\n"
                                       "---\n\nJust text.\n"),
        "docs/_config.yml": "title: Kiln docs\n",
        "docs/_posts/2016-05-04-footnote.md": "---\ntitle: Footnote\n---\n\nA note.\n",
        "test/_posts/2018-07-01-welcome.md": "---\ntitle: Welcome\n---\n\nHi.\n"})
    result = invoke(root, "init")
    assert "posts in _posts (" in result.output and "docs/_posts" not in result.output
    assert "docs/_posts" not in (root / "newsletter.toml").read_text()
    assert {key: item["status"] for key, item in listed(root).items()} == {
        "/2024-06-09-plain": "ready"}
    assert opening_image(root, "/2024-06-09-plain") == (0, None)


@pytest.mark.parametrize("cdn", ["cdn: https://media.ink.example.net/", "img_cdn: "
                                 "https://cdn.jsdelivr.net/gh/ink/ink.github.io@main"])
def test_a_chirpy_posts_images_kept_on_its_cdn_are_shown_from_there(tmp_path, cdn):
    """Chirpy serves a post's images from _config.yml's cdn (img_cdn before Chirpy 6), under
    the post's media_subpath: blogs keep them there, not in the repository. Such posts were
    refused, image-missing; a file the site does keep still travels with the email."""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "_config.yml": JEKYLL_SITE["_config.yml"] + cdn + "\n",
        "_posts/2024-02-01-wash.md": (
            "---\ntitle: Wash\nmedia_subpath: /posts/2024-wash\nimage:\n  path: cover.jpg\n"
            "  alt: The wash\n---\n\nInk on paper.\n\n![Dry](dry.png){: w=\"700\" h=\"400\" }\n\n"
            "![Kept](/assets/img/wash.jpg)\n")})
    base = cdn.partition(": ")[2].rstrip("/")
    assert invoke(root, "init").exit_code == 0
    findings = json.loads(invoke(root, "check", "/2024-02-01-wash", "--json").stdout)["findings"]
    assert "image-missing" not in [finding["code"] for finding in findings]

    assert invoke(root, "preview", "/2024-02-01-wash").exit_code == 0
    folder = root / "preview/2024-02-01-wash"
    images = list(lxml.html.fromstring((folder / "email.html").read_text()).iter("img"))
    assert [(image.get("src"), image.get("alt")) for image in images[:2]] == [
        (f"{base}/posts/2024-wash/cover.jpg", "The wash"),
        (f"{base}/posts/2024-wash/dry.png", "Dry")]
    assert images[2].get("src").startswith("images/")  # the file the site keeps, attached
    assert opening_image(root, "/2024-02-01-wash")[0] == 1


def test_without_a_cdn_a_chirpy_image_the_site_does_not_keep_is_missing(tmp_path):
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "_posts/2024-02-01-wash.md": (
            "---\ntitle: Wash\nmedia_subpath: /posts/2024-wash\n---\n\n![Dry](dry.png)\n")})
    assert invoke(root, "init").exit_code == 0
    findings = json.loads(invoke(root, "check", "/2024-02-01-wash", "--json").stdout)["findings"]
    assert "image-missing" in [finding["code"] for finding in findings]


def test_a_jekyll_posts_include_relative_puts_the_file_beside_it_into_the_email(tmp_path):
    """{% include_relative %} puts a file of the post's folder into the post before its
    Markdown is read (inside {% highlight %} too, as posts show a code file); the email left it
    out with a warning, or showed the tag as the code. A file holding tags of its own is
    still shown in part, and one that is not there stops Jekyll, so it is an error."""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE,
        "_posts/snippets/knots.md": "- a *bowline*\n- a clove hitch\n",
        "_posts/snippets/own.md": "By {{ site.title }}.\n",
        "_posts/snippets/knot.py": "def bowline():\n    return 'loop'\n",
        "_posts/2024-02-01-wash.md": ("---\ntitle: Wash\n---\n\nTie these:\n\n"
                                      "{% include_relative snippets/knots.md %}\n\nDone.\n\n"
                                      "{% highlight python %}\n{% include_relative "
                                      "snippets/knot.py %}\n{% endhighlight %}\n"),
        "_posts/2024-02-02-own.md": ("---\ntitle: Own\n---\n\nInk.\n\n"
                                     "{% include_relative snippets/own.md %}\n"),
        "_posts/2024-02-03-gone.md": ("---\ntitle: Gone\n---\n\nInk.\n\n"
                                      "{% include_relative snippets/gone.md %}\n")})
    assert invoke(root, "init").exit_code == 0
    codes = {}
    for name in ("/2024-02-01-wash", "/2024-02-02-own", "/2024-02-03-gone"):
        result = invoke(root, "check", name, "--json")
        codes[name] = [(finding["severity"], finding["code"], finding["where"])
                       for finding in json.loads(result.stdout)["findings"]
                       if finding["code"].startswith("template")]
    assert codes == {
        "/2024-02-01-wash": [],
        "/2024-02-02-own": [("warning", "template-degraded", "_posts/2024-02-02-own.md:7")],
        "/2024-02-03-gone": [("error", "template-syntax", "_posts/2024-02-03-gone.md:7")]}
    assert invoke(root, "preview", "/2024-02-01-wash").exit_code == 0
    html = (root / "preview/2024-02-01-wash/email.html").read_text()
    items = lxml.html.fromstring(html).xpath("//ul/li")
    assert [item.text_content() for item in items] == ["a bowline", "a clove hitch"]
    assert lxml.html.fromstring(html).xpath("//pre/code")[0].text_content() == \
        "def bowline():\n    return 'loop'\n"  # in a highlight block, the code is the file
    assert "include_relative" not in (root / "preview/2024-02-01-wash/email.txt").read_text()


@pytest.mark.parametrize("cname, url", [
    ("Notes.Example.org\n", "https://notes.example.org"),
    ("not a host name\n", None),  # left for the writer to fill in, as without one
])
def test_a_github_pages_blog_without_url_is_at_the_domain_its_cname_names(tmp_path, cname, url):
    """GitHub Pages publishes a site at the custom domain its CNAME file names, and fills in
    site.url itself, so such blogs leave url out of _config.yml: init wrote its placeholder
    address, which check refuses until the writer types the domain the repository holds."""
    root = write_files(tmp_path / "rover", {
        "_config.yml": 'title: Rover\nurl: ""\nremote_theme: pages-themes/cayman@v0.2.0\n',
        "CNAME": cname,
        "_posts/2024-01-01-wheels.md": "---\ntitle: Wheels\n---\n\nFour of them.\n"})
    result = invoke(root, "init")
    assert result.exit_code == 0
    settings = load_settings(root, {})
    if url is None:
        assert "CNAME" not in result.output and "your-blog.example" in settings.site.url
        return
    assert "Read the blog's title and address from _config.yml and CNAME." in result.output
    assert settings.site.url == url
    assert listed(root)["/2024-01-01-wheels"]["url"] == f"{url}/2024/01/01/wheels.html"


def test_hugos_summary_divider_is_no_raw_html_the_email_leaves_out(tmp_path):
    """Mainroad's, Ananke's and LoveIt's posts end their summary with <!--more-->, which Hugo
    takes out before rendering: check warned on every such post that the blog did not show
    its raw HTML. Raw HTML the post does write is still named, at its line."""
    root = write_files(tmp_path / "ink", {
        **HUGO_SITE,
        "content/post/wash.md": ("---\ntitle: Wash\ndate: 2024-02-01\ndescription: Ink.\n---\n\n"
                                 "The summary of it.\n<!--more-->\n\nThe rest of it.\n"),
        "content/post/dots.md": ("---\ntitle: Dots\ndate: 2024-02-02\ndescription: Dots.\n---\n\n"
                                 "Dots, <!--more--> then <b>more</b>.\n")})
    assert invoke(root, "init").exit_code == 0
    omitted = {}
    for name in ("/post/wash", "/post/dots"):
        result = invoke(root, "check", name, "--json")
        omitted[name] = [finding["where"] for finding in json.loads(result.stdout)["findings"]
                         if finding["code"] == "raw-html-omitted"]
    assert omitted == {"/post/wash": [], "/post/dots": ["content/post/dots.md:7"]}


def test_hugo_coders_summary_divider_written_as_a_heading_leaves_no_empty_heading(tmp_path):
    """Hugo Coder's posts write ``## <!--more-->``: the email kept an empty heading, a gap of
    three blank lines in the text part and a heading's margins in the HTML."""
    root = write_files(tmp_path / "ink", {
        **HUGO_SITE,
        "content/posts/wash.md": ("+++\ntitle = 'Wash'\ndate = 2024-02-01\n"
                                  "description = 'Ink.'\n+++\n\nThe summary.\n\n"
                                  "## <!--more-->\n\n## Brushes\n\nSoft.\n")})
    assert invoke(root, "init").exit_code == 0
    assert invoke(root, "preview", "/posts/wash").exit_code == 0
    html = (root / "preview" / "wash" / "email.html").read_text()
    text = (root / "preview" / "wash" / "email.txt").read_text()
    assert [heading.text_content() for heading in lxml.html.fromstring(html).iter("h2")] == [
        "Brushes"]
    assert "The summary.\n\nBrushes\n-------\n\nSoft." in text


@pytest.mark.parametrize("site, file, front_matter, written", [
    (JEKYLL_SITE, "_posts/2024-02-01-wash.md", "location: Lyon\n", "{{ page.location }}"),
    (HUGO_SITE, "content/posts/wash.md", "location: Lyon\n", "{{< param location >}}"),
    (HUGO_SITE, "content/posts/wash.md", "params:\n  location: Lyon\n",
     '{{< param "location" >}}'),
])
def test_a_value_of_the_posts_own_front_matter_is_printed_where_the_post_names_it(
        tmp_path, site, file, front_matter, written):
    """{{ page.x }} (Jekyll) and Hugo's built-in param shortcode read the page's own values
    first; a key of the post's front matter other than its title or date was "no value for
    this site", an error that kept the post from being sent."""
    root = write_files(tmp_path / "ink", {
        **site, file: f"---\ntitle: Wash\ndate: 2024-02-01\n{front_matter}---\n\n"
                      f"Painted in {written}.\n"})
    assert invoke(root, "init").exit_code == 0
    [post] = listed(root).values()
    assert post["errors"] == []
    assert invoke(root, "preview", post["id"]).exit_code == 0
    assert "Painted in Lyon." in (root / "preview" / post["id"].rpartition("/")[2] /
                                  "email.txt").read_text()


def test_a_minimal_mistakes_gallery_shows_the_pictures_its_front_matter_lists(tmp_path):
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "assets/img/dry.jpg": picture((120, 120, 30)),
        "_posts/2024-02-01-wash.md": (
            "---\ntitle: Wash\ngallery:\n  - url: /assets/img/wash.jpg\n"
            "    image_path: /assets/img/wash.jpg\n    alt: Wet paper\n"
            "  - image_path: assets/img/dry.jpg\n    title: Dry paper\n---\n\n"
            'Two stages.\n\n{% include gallery caption="Wet, then *dry*." %}\n')})
    assert invoke(root, "init").exit_code == 0
    assert listed(root)["/2024-02-01-wash"]["errors"] == []
    result = invoke(root, "check", "/2024-02-01-wash", "--json")
    assert [finding for finding in json.loads(result.stdout)["findings"]
            if finding["code"].startswith("template")] == []
    assert opening_image(root, "/2024-02-01-wash") == (2, "Wet paper")
    html = (root / "preview/2024-02-01-wash/email.html").read_text()
    document = lxml.html.fromstring(html)
    assert [img.get("alt") for img in document.iter("img")] == ["Wet paper", "Dry paper"]
    assert "Wet, then dry." in document.text_content()


@pytest.mark.parametrize("permalink, written", [
    ("/:title/", "/chart/"),  # Klise's: the page is /chart/, its files /chart/x.png
    ("date", "/2024/02/01/"),  # /2024/02/01/chart.html: its files beside it, /2024/02/01/x.png
])
def test_a_jekyll_postfiles_post_names_the_pictures_beside_it_by_its_pages_address(
        tmp_path, permalink, written):
    """jekyll-postfiles (Klise installs it) publishes the files in a post's own folder of
    _posts in its page's folder, and posts name them so: the picture was not found, and the
    post could not be sent."""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "_config.yml": f"title: Ink\nurl: https://ink.example.org\n"
                                      f"permalink: {permalink}\n",
        "_posts/chart/wash.png": picture((30, 60, 90), "PNG"),
        "_posts/chart/dry.png": picture((90, 60, 30), "PNG"),
        "_posts/chart/2024-02-01-chart.md": (
            f'---\ntitle: Chart\nimage: "{written}wash.png"\n---\n\nTwo stages.\n\n'
            f'<img src="{written}dry.png" alt="Dry paper">\n')})
    assert invoke(root, "init").exit_code == 0
    assert listed(root)["/2024-02-01-chart"]["errors"] == []
    assert opening_image(root, "/2024-02-01-chart") == (2, "Chart")


def test_a_type_on_strap_aligner_shows_the_pictures_it_names_from_the_themes_folder(tmp_path):
    """Type on Strap's {% include aligner.html images="a.jpg,b.jpg" %} sets pictures of
    assets/img/ side by side; the comma-separated names were read as one path that is no file,
    and the post could not be sent. Written inside {% raw %}, it is the post's code."""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "assets/img/dry.jpg": picture((120, 120, 30)),
        "_posts/2024-02-01-wash.md": (
            "---\ntitle: Wash\n---\n\nTwo stages.\n\n"
            '{% include aligner.html images="wash.jpg, dry.jpg" %}\n\n'
            '`{% raw %}{% include aligner.html images="x.jpg" %}{% endraw %}`\n')})
    assert invoke(root, "init").exit_code == 0
    assert listed(root)["/2024-02-01-wash"]["errors"] == []
    assert opening_image(root, "/2024-02-01-wash")[0] == 2
    document = lxml.html.fromstring((root / "preview/2024-02-01-wash/email.html").read_text())
    assert document.xpath("//code")[0].text_content() == \
        '{% include aligner.html images="x.jpg" %}'


def test_a_jekyll_polyglot_blog_mails_its_default_language_and_not_each_translation(tmp_path):
    """jekyll-polyglot (languages, default_lang; a post's lang, or its folder with
    lang_from_path) builds each other language's posts under /fr/. Each translation was a
    post of its own, mailed to the same readers as the original, at an address without /fr/."""
    root = write_files(tmp_path / "salads", {
        "_config.yml": ("title: Salads\nurl: https://salad.example.org\nplugins: [jekyll-polyglot]"
                        '\nlanguages: ["en", "fr", "sv"]\ndefault_lang: "en"\n'
                        "lang_from_path: true\npermalink: pretty\n"),
        "_posts/2024-03-01-greens-en.md": "---\ntitle: Greens\nlang: en\n---\n\nLeaves.\n",
        "_posts/2024-03-01-greens-fr.md": "---\ntitle: Verts\nlang: fr\n---\n\nFeuilles.\n",
        "_posts/2024-03-01-greens-sv.md": "---\ntitle: Gront\nlang: sv\n---\n\nBlad.\n",
        "_posts/fr/2024-03-02-soupe.md": "---\ntitle: Soupe\n---\n\nChaude.\n",
        "_posts/2024-03-03-bread.md": "---\ntitle: Bread\n---\n\nWarm.\n",
    })
    result = invoke(root, "init")
    assert "2 posts, 3 pages" in result.output
    found = {key: (item["status"], item["url"]) for key, item in listed(root).items()}
    assert found == {
        "/2024-03-01-greens-en": ("ready", "https://salad.example.org/2024/03/01/greens-en/"),
        "/2024-03-03-bread": ("ready", "https://salad.example.org/2024/03/03/bread/"),
        "/fr/2024-03-01-greens-fr": ("page", "https://salad.example.org/fr/2024/03/01/greens-fr/"),
        "/sv/2024-03-01-greens-sv": ("page", "https://salad.example.org/sv/2024/03/01/greens-sv/"),
        "/fr/2024-03-02-soupe": ("page", "https://salad.example.org/fr/2024/03/02/soupe/")}


@pytest.mark.parametrize("front_matter, preview", [
    ("share-description: How the wash dries.\nsubtitle: Wet on wet\n", "How the wash dries."),
    ("subtitle: Wet on wet\n", "Wet on wet"),
])
def test_a_beautiful_jekyll_posts_description_is_the_inbox_preview(tmp_path, front_matter,
                                                                   preview):
    """Beautiful Jekyll describes a page by its share-description, else its subtitle (its
    meta description and social cards); the inbox showed the body's first words instead."""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "_posts/2024-02-01-wash.md": (
            f"---\nlayout: post\ntitle: Wash\n{front_matter}---\n\nInk on paper.\n")})
    assert invoke(root, "init").exit_code == 0
    assert invoke(root, "preview", "/2024-02-01-wash").exit_code == 0
    html = (root / "preview/2024-02-01-wash/email.html").read_text()
    assert lxml.html.fromstring(html).find(".//meta[@name='description']").get("content") == \
        preview


LONG = " ".join(["Brushes and water"] * 20) + "."


@pytest.mark.parametrize("config, body, preview", [
    ("", "Ink on *paper*,[^1] [dried](https://ink.example.org/dry/).\n\nThe rest.\n\n"
     "[^1]: Cotton.\n", "Ink on paper, dried."),  # the first paragraph, its footnote mark out
    ("excerpt_separator: <!--more-->\n", "Ink on paper.\nStill wet.\n\nBlotted.\n<!--more-->"
     "\n\nThe rest.\n", "Ink on paper. Still wet. Blotted."),
    ("", "---\nexcerpt_separator: <!--cut-->\n---\n", None),  # written in the front matter
    ("", "![A wash](/assets/img/wash.jpg)\n\nThe rest.\n", None),  # no text in it
    ("", f"{LONG}\n", " ".join(["Brushes and water"] * 11) + "\u2026"),  # cut at a word
    # a reference link defined past the excerpt, as Moonwalk's posts write them: Jekyll gives
    # the excerpt the definitions it uses; the preview showed "[Sumi][sumi-ink] on paper."
    ("", "[Sumi][sumi-ink] on [paper].\n\nThe rest, [more][m].\n\n"
     "[sumi-ink]: https://ink.example.org/sumi/\n[paper]: https://ink.example.org/paper/\n"
     "[m]: https://ink.example.org/m/\n", "Sumi on paper."),
], ids=["first paragraph", "separator", "the post's separator", "an image", "long",
        "reference links"])
def test_a_jekyll_posts_excerpt_is_the_inbox_preview_without_a_description(tmp_path, config,
                                                                           body, preview):
    """A Jekyll blog describes a post without a description by its excerpt (jekyll-seo-tag's
    meta description and social cards, jekyll-feed's summary, minima's show_excerpts): the
    text before excerpt_separator, a blank line by default. The email had no preheader, so the
    inbox quoted the title and date, and check warned no-description on most Jekyll posts."""
    if body.startswith("---\n"):  # the separator is the post's own
        front, body = "excerpt_separator: <!--cut-->\n", "Ink.\n\nMore.\n<!--cut-->\nEnd.\n"
        preview = "Ink. More."
    else:
        front = ""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "_config.yml": JEKYLL_SITE["_config.yml"] + config,
        "_posts/2024-02-01-wash.md": f"---\nlayout: post\ntitle: Wash\n{front}---\n\n{body}"})
    assert invoke(root, "init").exit_code == 0
    assert invoke(root, "preview", "/2024-02-01-wash").exit_code == 0
    html = (root / "preview/2024-02-01-wash/email.html").read_text()
    meta = lxml.html.fromstring(html).find(".//meta[@name='description']")
    assert (meta.get("content") if meta is not None else None) == preview
    findings = json.loads(invoke(root, "check", "/2024-02-01-wash", "--json").stdout)["findings"]
    assert ("no-description" in [finding["code"] for finding in findings]) is (preview is None)


def test_multilingual_hugo_bundles_named_index_en_are_each_their_own_post(tmp_path):
    """Blowfish's and Congo's multilingual bundles: posts/reef/index.en.md beside index.it.md.
    Every such post was named index.en, so their previews (and outbox folders) landed in one
    folder, each over the last; a bundle goes by its folder's name, as with index.md."""
    root = write_files(tmp_path / "reef", {
        "hugo.toml": ('baseURL = "https://reef.example.org/"\ntitle = "Reef"\n'
                      "[languages.en]\nweight = 1\n[languages.it]\nweight = 2\n"),
        "content/posts/reef/index.en.md": "---\ntitle: Reef\ndate: 2024-05-01\n---\n\nCoral.\n",
        "content/posts/reef/index.it.md": "---\ntitle: Scogliera\ndate: 2024-05-01\n---\n\nC.\n",
        "content/posts/kelp/index.en.md": "---\ntitle: Kelp\ndate: 2024-05-02\n---\n\nForest.\n",
    })
    assert invoke(root, "init").exit_code == 0
    found = {key: (item["status"], item["url"]) for key, item in listed(root).items()
             if item["status"] == "ready"}
    assert found == {"/posts/reef": ("ready", "https://reef.example.org/posts/reef/"),
                     "/posts/kelp": ("ready", "https://reef.example.org/posts/kelp/")}
    for name, body in (("reef", "Coral."), ("kelp", "Forest.")):
        assert invoke(root, "preview", name).exit_code == 0
        assert body in (root / "preview" / name / "email.txt").read_text()


def test_hugo_filename_dates_read_a_multilingual_files_name_without_its_language(tmp_path):
    """[frontmatter] date = [":filename", ...] on a multilingual site: Hugo reads the date and
    slug from the name without its language (2024-03-01-moon.en.md is moon), a bundle's from
    its folder (2024-02-22-tide/index.en.md). The slug was moon.en (a wrong address), and the
    bundle had no date, so it was refused."""
    root = write_files(tmp_path / "tides", {
        "hugo.toml": ('baseURL = "https://tides.example.org/"\ntitle = "Tides"\n'
                      '[frontmatter]\ndate = [":filename", ":default"]\n'
                      "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n"),
        "content/posts/2024-02-22-tide/index.en.md": "---\ntitle: Tide\n---\n\nIn and out.\n",
        "content/posts/2024-03-01-moon.en.md": "---\ntitle: Moon\n---\n\nFull.\n",
        "content/posts/2024-03-01-moon.de.md": "---\ntitle: Mond\n---\n\nVoll.\n",
    })
    assert invoke(root, "init").exit_code == 0
    found = {key: (item["status"], item["url"], (item["date"] or "")[:10], item["errors"])
             for key, item in listed(root).items()}
    assert found == {
        "/posts/2024-02-22-tide": ("ready", "https://tides.example.org/posts/tide/",
                                   "2024-02-22", []),
        "/posts/2024-03-01-moon.en": ("ready", "https://tides.example.org/posts/moon/",
                                      "2024-03-01", []),
        "/posts/2024-03-01-moon.de": ("page", "https://tides.example.org/de/posts/moon/",
                                      "2024-03-01", [])}


def test_files_hugos_ignore_files_setting_leaves_out_are_not_mailed(tmp_path):
    """ignoreFiles (regular expressions of the absolute path: blogdown's knit intermediates, a
    folder of notes) keeps files out of Hugo's build; they were posts ready to mail."""
    root = write_files(tmp_path / "knit", {
        "hugo.toml": ('baseURL = "https://knit.example.org/"\ntitle = "Knit"\n'
                      "ignoreFiles = ['\\.knit\\.md$', '/content/posts/wip/', '(unclosed']\n"),
        "content/posts/stitch.md": "---\ntitle: Stitch\ndate: 2024-01-02\n---\n\nPurl.\n",
        "content/posts/stitch.knit.md": "---\ntitle: Stitch\ndate: 2024-01-02\n---\n\nP.\n",
        "content/posts/wip/cable.md": "---\ntitle: Cable\ndate: 2024-01-03\n---\n\nTwist.\n",
    })
    assert invoke(root, "init").exit_code == 0
    assert {key: item["status"] for key, item in listed(root).items()} == {
        "/posts/stitch": "ready", "/posts/stitch.knit": "page", "/posts/wip/cable": "page"}


def test_jekyll_front_matter_defaults_unpublish_a_folder_and_give_posts_their_teaser(tmp_path):
    """_config.yml's front matter defaults are the posts' own values unless a post sets them:
    published: false for a folder kept unpublished, and Minimal Mistakes' default
    header.teaser. The folder's posts were mailed, and the default picture left out."""
    root = write_files(tmp_path / "ink", {
        "_config.yml": (
            "title: Ink\nurl: https://ink.example.org\npermalink: pretty\ndefaults:\n"
            "  - scope: {path: '', type: posts}\n    values:\n      layout: single\n"
            "      header: {teaser: /assets/img/wash.jpg}\n"
            "  - scope: {path: _posts/held}\n    values: {published: false}\n"),
        "assets/img/wash.jpg": picture((30, 60, 90)),
        "_posts/2024-02-01-wash.md": "---\ntitle: Wash\n---\n\nInk on paper.\n",
        "_posts/held/2024-02-02-dry.md": "---\ntitle: Dry\n---\n\nNot yet.\n",
    })
    assert invoke(root, "init").exit_code == 0
    found = {key: (item["status"], item["url"]) for key, item in listed(root).items()}
    assert found == {"/2024-02-01-wash": ("ready", "https://ink.example.org/2024/02/01/wash/"),
                     "/2024-02-02-dry": ("draft", "https://ink.example.org/2024/02/02/dry/")}
    assert opening_image(root, "/2024-02-01-wash") == (1, "Wash")


def test_hugo_ugly_urls_set_per_section_give_that_sections_posts_html_addresses(tmp_path):
    """uglyURLs may be a table of sections (gohugo.io/configuration/all: bool or map); read
    as a table, it was no setting at all, and the posts' addresses were folders."""
    root = write_files(tmp_path / "ug", {
        "hugo.toml": ('baseURL = "https://ug.example.org/"\ntitle = "UG"\n'
                      'mainSections = ["posts", "notes"]\n[uglyURLs]\nposts = true\n'),
        "content/posts/kiln.md": "---\ntitle: Kiln\ndate: 2024-01-01\n---\n\nHot.\n",
        "content/notes/clay.md": "---\ntitle: Clay\ndate: 2024-01-02\n---\n\nWet.\n",
    })
    assert invoke(root, "init").exit_code == 0
    assert {key: item["url"] for key, item in listed(root).items()} == {
        "/posts/kiln": "https://ug.example.org/posts/kiln.html",
        "/notes/clay": "https://ug.example.org/notes/clay/"}


def test_a_cached_include_is_read_as_an_include(tmp_path):
    """jekyll-include-cache's {% include_cached %} (Minimal Mistakes' sites install it) writes
    what {% include %} does; its figure was left out of the email with a warning."""
    root = write_files(tmp_path / "ink", {
        **JEKYLL_SITE, "_posts/2024-02-01-wash.md": (
            '---\ntitle: Wash\n---\n\n{% include_cached figure image_path="/assets/img/wash.jpg" '
            'alt="A blue wash" %}\n\nInk on paper.\n')})
    assert invoke(root, "init").exit_code == 0
    result = invoke(root, "check", "/2024-02-01-wash", "--json")
    assert [finding for finding in json.loads(result.stdout)["findings"]
            if finding["code"].startswith("template")] == []
    assert opening_image(root, "/2024-02-01-wash") == (1, "A blue wash")


def test_a_site_of_dated_documentation_and_an_about_page_mails_the_documentation(tmp_path):
    """The documentation section gives way only to a section of dated pages: an about page
    is not the blog (it was taken for one, undated, and no post was found)."""
    root = write_files(tmp_path / "manual", {
        "hugo.toml": 'baseURL = "https://manual.example.org/"\ntitle = "Manual"\n',
        "content/about/index.md": "---\ntitle: About\n---\n\nWho we are.\n",
        **{f"content/docs/release-{n}.md": f"---\ntitle: Release {n}\ndate: 2024-0{n}-01\n---\n\n"
           f"Changes in {n}.\n" for n in (1, 2, 3)}})
    result = invoke(root, "init")
    assert "posts in content/docs (the section with the most dated pages), 3 posts" in \
        result.output


def test_a_hugo_book_site_of_undated_documentation_alone_is_no_blog(tmp_path):
    """Hugo Book's layout without its blog: content/docs of undated pages (some without front
    matter). They were taken for the blog's posts, each an error ("no date") in check, and
    `send --due` refused to run; they are the site's pages, and the posts go in posts/."""
    root = write_files(tmp_path / "quill", {
        "hugo.toml": "baseURL = 'https://quill.example.org/'\ntitle = 'Quill'\n"
                     "theme = 'hugo-book'\n",
        "content/_index.md": "---\ntitle: Quill\n---\n\n# Quill {anchor=false}\n",
        "content/docs/_index.md": "---\ntitle: Docs\nbookFlatSection: true\n---\n",
        "content/docs/shortcodes/hints.md": "# Hints\n\nBoxes of colour.\n",
        **{f"content/docs/guide/step-{n}.md": f"---\nweight: {n}\n---\n# Step {n}\n\nDo it.\n"
           for n in range(1, 5)}})
    result = invoke(root, "init")
    assert result.output.startswith(
        "Hugo site: posts in content/posts (Hugo's folder for posts: the site has none yet, "
        "only undated documentation), 0 posts, 7 pages")
    assert {item["status"] for item in listed(root).values()} == {"page"}
    (root / "content" / "posts").mkdir()
    (root / "content" / "posts" / "nibs.md").write_text(
        "---\ntitle: Nibs\ndate: 2025-01-15\n---\n\nCut at a slant.\n")
    assert listed(root)["/posts/nibs"]["status"] == "ready"


def test_every_content_file_hugo_builds_is_mailed_or_named_as_not_read(tmp_path):
    """Hugo builds posts from .mdown (Markdown) and from .ad, .rest, .pandoc and .pdc files
    (hugofs/files/classifier.go): the Markdown bundle and post were left out without a word,
    never mailed, and so were the others, where a .adoc or .org post is named as not read."""
    root = write_files(tmp_path / "kiln", {
        "hugo.toml": 'baseURL = "https://kiln.example.org/"\ntitle = "Kiln"\n',
        "content/posts/glaze.mdown": "---\ntitle: Glaze\ndate: 2024-03-01\n---\n\nDip it.\n",
        "content/posts/firing/index.mdown": "---\ntitle: Firing\ndate: 2024-03-02\n---\n\nHot.\n",
        "content/posts/firing/notes.md": "---\ntitle: Firing notes\n---\n\nA resource.\n",
        "content/posts/cones.ad": "---\ntitle: Cones\ndate: 2024-03-03\n---\n\n== Cones\n",
        "content/posts/slips.rest": "---\ntitle: Slips\ndate: 2024-03-04\n---\n\nSlips\n=====\n",
        "content/posts/wedging.pdc": "---\ntitle: Wedging\ndate: 2024-03-05\n---\n\nPress.\n",
        "content/posts/throwing.pandoc": "---\ntitle: Throwing\ndate: 2024-03-06\n---\n\nUp.\n",
    })
    assert "2 posts, 1 page, 4 files not read (.ad, .pandoc, .pdc, .rest: newsletter reads " \
        "Markdown)" in invoke(root, "init").output
    found = listed(root)
    assert {key: item["status"] for key, item in found.items() if key} == {
        "/posts/glaze": "ready", "/posts/firing": "ready", "/posts/firing/notes": "page"}
    printed = invoke(root, "posts").stdout
    for file, markup in (("cones.ad", "AsciiDoc"), ("slips.rest", "reStructuredText"),
                         ("wedging.pdc", "Pandoc"), ("throwing.pandoc", "Pandoc")):
        assert f"not read: content/posts/{file}: {markup} (newsletter sends posts written in " \
            "Markdown)" in printed


@pytest.mark.parametrize("command", [("preview", "cones"), ("check", "/posts/cones"),
                                     ("send", "content/posts/cones.ad", "--yes")])
def test_a_post_named_in_a_markup_newsletter_does_not_read_is_said_to_be_so(tmp_path, command):
    """Naming an AsciiDoc post to preview, check or send answered "no post named 'cones'; did
    you mean glaze?", as if the file were not there, and offered another post."""
    root = write_files(tmp_path / "kiln", {
        "hugo.toml": 'baseURL = "https://kiln.example.org/"\ntitle = "Kiln"\n',
        "content/posts/glaze.md": "---\ntitle: Glaze\ndate: 2024-03-01\n---\n\nDip it.\n",
        "content/posts/cones.ad": "---\ntitle: Cones\ndate: 2024-03-03\n---\n\n== Cones\n"})
    assert invoke(root, "init").exit_code == 0

    result = invoke(root, *command)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: content/posts/cones.ad: written in AsciiDoc, which newsletter does not read; "
        "newsletter sends posts written in Markdown: write the post in a .md file\n")
    assert not (root / "outbox").exists() and not (root / "preview").exists()


def test_a_summary_written_in_markdown_is_its_text_in_the_inbox_preview(tmp_path):
    """Hugo renders a front matter summary as Markdown (Congo's samples write one with _ and
    **), Jekyll themes their excerpt: the inbox preview showed the asterisks and brackets. A
    description's inline Markdown is read too (an inbox shows no emphasis, only its marks)."""

    root = write_files(tmp_path / "reed", {
        "hugo.toml": 'baseURL = "https://reed.example.org/"\ntitle = "Reed"\n',
        "content/posts/rush.md": ('---\ntitle: Rush\ndate: 2024-06-01\nsummary: "An _early_ '
                                  'start, **rich** in [rush](https://example.org/rush)."\n---\n\n'
                                  "Cut.\n"),
        "content/posts/sedge.md": ("---\ntitle: Sedge\ndate: 2024-06-02\n"
                                   "description: Three_sided *stems*\n---\n\nSharp.\n"),
    })
    assert invoke(root, "init").exit_code == 0
    settings = load_settings(root, {})
    posts, _ = load_posts(settings)
    assert render_post(settings, find_post(posts, "rush")).preheader == \
        "An early start, rich in rush."
    assert render_post(settings, find_post(posts, "sedge")).preheader == "Three_sided stems"
