"""Jekyll posts shaped as the themes of a seventh round write them (Sleek, Lanyon, Feeling
Responsive, Bulma Clean Theme, Basically Basic...), with this project's own text: what
kramdown makes of their HTML lines, and the theme keys that name their pictures."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import lxml.html
import pytest
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke

CONFIG = ("title: Tide Tables\nurl: https://tides.example.org\n"
          "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n")


def _site(tmp_path, files: dict, config: str = CONFIG):
    root = write_files(tmp_path / "tides", {"_config.yml": config, **files})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    return root


def test_markdown_under_a_line_of_span_html_is_markdown_as_kramdown_reads_it(tmp_path):
    """kramdown starts a paragraph at a line opening with a span element (an <img>, Sleek's
    <a name="lists"/> section marks), so the caption in asterisks and the heading under it
    are Markdown; they were read as one HTML block, and the email showed '*High water*' and
    '## Lists' as typed. A link to a name anchor is no link to nothing."""
    root = _site(tmp_path, {
        "assets/tide.png": picture((20, 90, 160), "PNG"),
        "_posts/2025-02-01-marks.md": (
            "---\ntitle: Marks\ndescription: Where the water stood.\n---\n\n"
            "[The lists](#lists) and [the charts](#charts).\n\n"
            '<img src="/assets/tide.png" alt="The harbour wall">\n*High water at noon*\n\n'
            '<a name="lists"/>\n## Lists\n\nOne list.\n\n'
            '<a name="charts"></a>\n## Tide charts\n\nOne chart.\n')})
    result = invoke(root, "check", "2025-02-01-marks")
    assert result.exit_code == 0, result.output
    assert "link-fragment" not in result.output
    assert invoke(root, "preview", "2025-02-01-marks").exit_code == 0
    text = (root / "preview/2025-02-01-marks/email.txt").read_text()
    assert "[Image: The harbour wall] High water at noon\n" in text
    assert "\nLists\n-----\n\nOne list." in text
    assert "\nTide charts\n-----------\n\nOne chart." in text
    assert "*" not in text and "##" not in text
    html = (root / "preview/2025-02-01-marks/email.html").read_text()
    assert "<em>High water at noon</em>" in html
    assert 'href="https://tides.example.org/2025/02/01/marks.html#charts"' in html


def test_a_gists_embed_script_is_a_link_to_the_gist(tmp_path):
    """GitHub's Embed button gives <script src="https://gist.github.com/user/id.js"> (Basically
    Basic's and Contrast's example posts paste one): every email client drops scripts, and check
    refused the post with html-embed. It is the link the {% gist %} tag becomes; another
    script is still refused."""
    gist = "https://gist.github.com/tidewatch/5e1f0c2a9b"
    root = _site(tmp_path, {
        "_posts/2025-02-02-code.md": (
            "---\ntitle: Code\ndescription: The tide script.\n---\n\nThe whole script:\n\n"
            '<script src="https://gist.github.com/tidewatch/5e1f0c2a9b.js"></script>\n\n'
            "Its settings:\n\n"
            '<script src="//gist.github.com/tidewatch/5e1f0c2a9b.js?file=tides.yml"></script>\n'),
        "_posts/2025-02-03-counter.md": (
            "---\ntitle: Counter\ndescription: A counter.\n---\n\nVisits:\n\n"
            '<script src="https://counter.example.net/count.js"></script>\n')})
    result = invoke(root, "check", "2025-02-02-code")
    assert result.exit_code == 0, result.output
    assert invoke(root, "preview", "2025-02-02-code").exit_code == 0
    text = (root / "preview/2025-02-02-code/email.txt").read_text()
    assert (f"The whole script:\n\nView the code on GitHub: tidewatch/5e1f0c2a9b\n<{gist}>\n\n"
            f"Its settings:\n\nView the code on GitHub: tides.yml\n<{gist}#file-tides-yml>\n"
            ) in text
    refused = invoke(root, "check", "2025-02-03-counter")
    assert refused.exit_code == 2  # an error
    assert "error: _posts/2025-02-03-counter.md:8: html-embed: a <script> " \
           "(https://counter.example.net/count.js)" in refused.output


@pytest.mark.parametrize("remote, config, url", [
    # a project site: under the repository's name, as jekyll-github-metadata sets baseurl
    ("https://github.com/Tide-Watch/harbour-notes.git", "", "https://tide-watch.github.io/"
     "harbour-notes"),
    ("git@github.com:tide-watch/harbour-notes.git", "baseurl: /notes\n",
     "https://tide-watch.github.io/notes"),  # the site's own baseurl wins
    # the owner's own site, at the root
    ("git@github.com:tide-watch/tide-watch.github.io.git", "", "https://tide-watch.github.io"),
    ("https://gitlab.com/tide-watch/harbour-notes.git", "", None),  # not GitHub Pages
])
def test_a_github_pages_blog_without_url_is_at_its_repositorys_pages_address(
        tmp_path, remote, config, url):
    """GitHub Pages fills in site.url (and an empty baseurl) from the repository, so themes'
    starters leave url out (Millennial, Contrast, Prologue write {{ site.github.url }}): init
    wrote its placeholder address and check refused every post until the writer typed it."""
    root = write_files(tmp_path / "harbour-notes", {
        "_config.yml": f"title: Harbour Notes\n{config}",
        "_posts/2025-02-04-walls.md": "---\ntitle: Walls\n---\n\nRebuilt.\n"})
    for command in (["init", "-q"], ["remote", "add", "origin", remote]):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    if url is None:
        assert "your-blog.example" in listed[0]["url"]
        return
    assert "Read the blog's title and address from _config.yml and its GitHub repository." \
        in result.output
    assert f'url = "{url}"  # from _config.yml and its GitHub repository' in \
        (root / "newsletter.toml").read_text()
    assert listed[0]["url"] == f"{url}/2025/02/04/walls.html"


def test_image_tags_of_jekyll_plugins_show_the_image_with_its_alt_text(tmp_path):
    """jekyll_picture_tag's {% picture [preset] x.jpg --alt words %}, Octopress' {% img [class]
    x.png width height "title" %} and jekyll-responsive-image's {% responsive_image path: x
    alt: "..." %}: the alt text was '--alt' or the width, the preset hid the picture behind its
    --link, and the responsive image was left out."""
    root = _site(tmp_path, {
        "assets/img/tide.png": picture((20, 90, 160), "PNG", size=(800, 500)),
        "_posts/2025-02-05-pictures.md": (
            "---\ntitle: Pictures\ndescription: Three of them.\n---\n\n"
            "{% picture wide assets/img/tide.png --alt Low tide at dawn --link "
            "https://tides.example.org/dawn %}\n\n"
            '{% img left /assets/img/tide.png 300 200 "High water" %}\n\n'
            '{% responsive_image path: assets/img/tide.png alt: "The harbour wall" %}\n')})
    result = invoke(root, "check", "2025-02-05-pictures")
    assert result.exit_code == 1, result.output  # warnings: each tag is the site's, in part
    assert result.output.count("template-degraded") == 3
    assert invoke(root, "preview", "2025-02-05-pictures").exit_code == 0
    html = (root / "preview/2025-02-05-pictures/email.html").read_text()
    images = [(image.get("alt"), image.get("width"))
              for image in lxml.html.fromstring(html).iter("img")]
    assert images == [("Low tide at dawn", "520"), ("High water", "300"),
                      ("The harbour wall", "520")]


def test_now_and_site_time_are_the_time_the_email_is_made(tmp_path):
    """Liquid's "now" (and "today") through the date filter, and Jekyll's site.time, are the
    build's time, which for an email is when it is made: a post printing the year with them
    was refused ("now is not a date", "site.time has no value")."""
    root = _site(tmp_path, {"_posts/2025-02-06-year.md": (
        "---\ntitle: Year\ndescription: This year.\n---\n\n"
        "In {{ 'now' | date: '%Y' }}, {{ \"today\" | date: \"%Y\" }} and "
        "{{ site.time | date: '%Y' }}, the tides ran high.\n")})
    before = dt.datetime.now(dt.UTC).year
    result = invoke(root, "check", "2025-02-06-year")
    assert result.exit_code == 0, result.output
    assert invoke(root, "preview", "2025-02-06-year").exit_code == 0
    text = (root / "preview/2025-02-06-year/email.txt").read_text()
    years = {before, dt.datetime.now(dt.UTC).year}  # the year may turn while the test runs
    assert any(f"In {year}, {year} and {year}, the tides ran high." in text for year in years)


@pytest.mark.parametrize("site, post", [
    ({"_config.yml": CONFIG}, "_posts/2025-02-07-options.md"),
    ({"hugo.toml": 'baseURL = "https://tides.example.org/"\ntitle = "Tide Tables"\n'},
     "content/posts/options.md"),
])
def test_smart_punctuation_is_the_typographers_not_markdown_its_extras(tmp_path, site, post):
    """kramdown's and Goldmark's typographers make dashes, ellipses and quotes, never a
    copyright sign of "(c)" nor a ± of "+-" as markdown-it's replacements did: a list of
    options (a), (b) and (c) lost its third one. kramdown writes << >> as guillemets (Goldmark
    too, left to Hugo's own round)."""
    root = write_files(tmp_path / "tides", {**site, post: (
        "---\ntitle: Options\ndate: 2025-02-07\n---\n\n"
        "Pick (a), (b) or (c) (tm) (r); +-2 m, wow!!!! a,, b.. c.\n\n"
        "Low--high, a---b, wait...\n\n<< oui >>\n")})
    assert invoke(root, "init").exit_code == 0
    post_id = json.loads(invoke(root, "posts", "--json").stdout)[0]["id"]
    assert invoke(root, "preview", post_id).exit_code == 0
    text = (root / "preview" / post_id.rpartition("/")[2] / "email.txt").read_text()
    assert "Pick (a), (b) or (c) (tm) (r); +-2 m, wow!!!! a,, b.. c." in text
    assert "Low\u2013high, a\u2014b, wait\u2026\n" in text
    if "_config.yml" in site:
        assert "\n\u00ab\u00a0oui\u00a0\u00bb\n" in text


def test_a_github_pages_blog_in_a_worktree_reads_its_repositorys_remote(tmp_path):
    """A worktree's .git is a file naming its folder under the repository's .git/worktrees;
    the remote is in the repository's own settings."""
    clone = write_files(tmp_path / "clone", {
        "_config.yml": "title: Harbour Notes\n",
        "_posts/2025-02-04-walls.md": "---\ntitle: Walls\n---\n\nRebuilt.\n"})
    for command in (["init", "-q"], ["remote", "add", "origin", "git@github.com:tw/notes.git"],
                    ["add", "."], ["-c", "user.name=T", "-c", "user.email=t@example.org",
                                   "commit", "-qm", "posts"],
                    ["worktree", "add", "-q", str(tmp_path / "drafting")]):
        subprocess.run(["git", *command], cwd=clone, check=True, capture_output=True)
    root = tmp_path / "drafting"
    assert invoke(root, "init").exit_code == 0
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert listed[0]["url"] == "https://tw.github.io/notes/2025/02/04/walls.html"


def test_a_finding_about_an_address_written_with_liquid_names_its_line(tmp_path):
    """Jekyll posts write their site's files as {{ site.url }}{{ site.baseurl }}/assets/x.png
    (Basically Basic's, Minimal Mistakes'): the email holds the address Liquid makes, which
    the post does not write, so a finding about it (a missing file too) named the file
    without its line."""
    config = CONFIG + "baseurl: /tables\n"
    root = _site(tmp_path, {
        "assets/wall.png": picture((90, 90, 90), "PNG"),
        "assets/gate.png": picture((60, 60, 60), "PNG"),
        "_posts/2025-02-08-walls.md": (
        "---\ntitle: Walls\ndescription: The walls.\n---\n\n"
        "![The wall]({{ site.url }}{{ site.baseurl }}/assets/wall.png)\n\nMore.\n\n"
        '<img src="{{ site.url }}{{ site.baseurl }}/assets/wall.png" alt="">\n\n'
        '<a href="#"><img src="{{ site.baseurl }}/assets/gate.png"></a>\n')},
        config)
    result = invoke(root, "check", "2025-02-08-walls")
    problems = [line.split(": ")[0:2] for line in result.output.splitlines()
                if "image-no-alt" in line]
    assert problems == [["warning", "_posts/2025-02-08-walls.md:10"],
                        ["warning", "_posts/2025-02-08-walls.md:12"]]
    write_files(root, {"_posts/2025-02-09-gone.md": (
        "---\ntitle: Gone\ndescription: A lost picture.\n---\n\nThe gate:\n\n"
        "![The gate]({{ site.baseurl }}/assets/lost.png)\n")})
    result = invoke(root, "check", "2025-02-09-gone")
    assert "error: _posts/2025-02-09-gone.md:8: image-missing: image /tables/assets/lost.png " \
           "not found" in result.output


def test_xs_widget_script_after_its_link_leaves_no_gap(tmp_path):
    """X's timeline, grid and button widgets are a link (<a class="twitter-grid" href>) the
    script turns into the widget (Millennial's example post): readers of the email get the
    link, as the quote of an embedded post, yet check refused the post with html-embed."""
    root = _site(tmp_path, {"_posts/2025-02-11-tides.md": (
        "---\ntitle: Tides\ndescription: The tide feed.\n---\n\nThe feed:\n\n"
        '<a class="twitter-grid" href="https://twitter.com/tidewatch/timelines/1">Tide '
        'feed</a> <script async src="//platform.twitter.com/widgets.js"></script>\n\n'
        "A counter:\n\n"
        '<a href="https://counter.example.net/">Visits</a> '
        '<script src="https://counter.example.net/c.js"></script>\n')})
    result = invoke(root, "check", "2025-02-11-tides")
    assert [line.split(": ")[:3] for line in result.output.splitlines() if ": error" in line
            or line.startswith("error")] == [
        ["error", "_posts/2025-02-11-tides.md:12", "html-embed"]]
