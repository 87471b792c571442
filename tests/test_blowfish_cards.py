"""Blowfish's cards and players (and Toha's embeds) through `check` and `preview`, on a site
written here with this project's own text: each is a link to what the blog's card shows (a
repository, a project, a model, a video, a fediverse post, a PDF), and its chart (and FixIt's
echarts) a link to the post."""

from __future__ import annotations

import lxml.html
from conftest import invoke
from generator_sites import fill_in_settings, picture, write_files

CARDS = """## Source

{{< gitlab projectID="62119438" >}}
{{< gitlab project="fen/heron-counter" >}}
{{< gitlab 2589724 >}}
{{< github repo="fenlog/heron-counter" showThumbnail=true >}}
{{< codeberg repo="fenlog/reeds" >}}
{{< gitea server="https://git.fen.example.org/" repo="ria/nests" >}}
{{< forgejo server="https://forge.example.net" repo="ria/tides" >}}
{{< huggingface dataset="fenlog/bird-calls" >}}
{{< youtubeLite id="SgXhGb-7QbU" label="Herons at dusk" >}}

{{< chart >}}
type: 'bar',
data: { labels: ['May', 'June'], datasets: [{ data: [3, 7] }] }
{{< /chart >}}

{{< echarts >}}
{"xAxis": {"data": ["July", "August"]}, "series": [{"type": "line", "data": [2, 5]}]}
{{< /echarts >}}
"""


def blog(tmp_path, body: str):
    root = write_files(tmp_path / "fen", {
        "hugo.toml": 'baseURL = "https://fen.example.org/"\ntitle = "Fen Log"\ntheme = "blowfish"\n',
        "content/posts/tools.md": f"---\ntitle: Tools\ndate: 2025-04-02\n---\n\n{body}"})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    return root


def test_blowfish_cards_are_links_to_what_they_show(tmp_path):
    """Blowfish's gitlab card of a project (projectID) was a template-syntax error (read as
    Stack's snippet), which kept the post from being sent; the other cards and youtubeLite
    were left out with a warning, and the chart's settings were shown as a paragraph."""
    root = blog(tmp_path, CARDS)

    checked = invoke(root, "check", "tools")
    result = invoke(root, "preview", "tools")

    assert result.exit_code == 0, result.output
    assert checked.exit_code == 1  # the charts alone: a warning each
    assert [line.split(": ")[1:4] for line in checked.output.splitlines()
            if line.startswith("warning")] == [
        ["content/posts/tools.md:18", "template-degraded", "{{< chart >}}"],
        ["content/posts/tools.md:23", "template-degraded", "{{< echarts >}}"]]
    document = lxml.html.parse(root / "preview" / "tools" / "email.html")
    links = [(a.text_content(), a.get("href"))
             for a in document.xpath("//td[contains(@class, 'content')]//p/a")]
    assert links == [
        ("View the project on GitLab", "https://gitlab.com/projects/62119438"),
        ("View the project on GitLab: fen/heron-counter",
         "https://gitlab.com/fen/heron-counter"),
        ("View the code on GitLab: snippet 2589724", "https://gitlab.com/-/snippets/2589724"),
        ("View the repository on GitHub: fenlog/heron-counter",
         "https://github.com/fenlog/heron-counter"),
        ("View the repository on Codeberg: fenlog/reeds", "https://codeberg.org/fenlog/reeds"),
        ("View the repository on git.fen.example.org: ria/nests",
         "https://git.fen.example.org/ria/nests"),
        ("View the repository on forge.example.net: ria/tides",
         "https://forge.example.net/ria/tides"),
        ("View the dataset on Hugging Face: fenlog/bird-calls",
         "https://huggingface.co/datasets/fenlog/bird-calls"),
        ("▶ Watch “Herons at dusk” on YouTube", "https://www.youtube.com/watch?v=SgXhGb-7QbU"),
        ("See the chart in the post", "https://fen.example.org/posts/tools/"),
        ("See the chart in the post", "https://fen.example.org/posts/tools/")]
    text = (root / "preview" / "tools" / "email.txt").read_text()
    assert not any(word in text for word in ("labels", "June", "xAxis", "August"))



def test_blowfish_carousels_and_linked_figures_show_their_pictures(tmp_path):
    """Blowfish's carousel of a bundle's folder (``images="gallery/*"``) or of pictures named
    in braces was left out with a warning, its pictures lost; its figure's ``href`` (Hugo's
    ``link``) did not link the picture."""
    root = blog(tmp_path, '{{< carousel images="gallery/*" aspectRatio="21-9" >}}\n\n'
                          '{{< carousel images="{gallery/b.jpg,https://cdn.fen.example/c.jpg}" >}}'
                          '\n\n{{< figure src="gallery/a.jpg" alt="Reeds" '
                          'href="https://fen.example.org/reeds/" >}}\n')
    (root / "content/posts/tools.md").rename(root / "content/posts/index.md")
    (root / "content/posts/tools").mkdir()
    (root / "content/posts/index.md").rename(root / "content/posts/tools/index.md")
    for name, colour in (("a", (10, 90, 160)), ("b", (160, 90, 10))):
        write_files(root, {f"content/posts/tools/gallery/{name}.jpg": picture(colour)})

    checked = invoke(root, "check", "tools")
    result = invoke(root, "preview", "tools")

    assert result.exit_code == 0, result.output
    assert "template-degraded" not in checked.output
    document = lxml.html.parse(root / "preview" / "tools" / "email.html")
    sources = document.xpath("//td[contains(@class, 'content')]//img/@src")
    assert len(sources) == 5 and sources[3] == "https://cdn.fen.example/c.jpg"
    assert len({sources[0], sources[1], sources[4]}) == 2 and sources[1] == sources[2]
    assert document.xpath("//a[@href='https://fen.example.org/reeds/']/img/@alt") == ["Reeds"]


def test_tohas_mastodon_post_and_pdf_are_links_to_them(tmp_path):
    """Toha's ``mastodon`` (a frame of the post) and ``embed-pdf`` (a script drawing the file)
    were left out with a warning: the post and the document were not in the email."""
    root = blog(tmp_path, '{{< mastodon server="fosstodon.org" user="fenlog" id="10987654" >}}\n'
                          '{{< mastodon status="https://mastodon.social/@ria/1234" >}}\n'
                          '{{< embed-pdf src="files/survey.pdf" >}}\n')

    checked = invoke(root, "check", "tools")
    result = invoke(root, "preview", "tools")

    assert result.exit_code == 0, result.output
    assert "template-degraded" not in checked.output
    document = lxml.html.parse(root / "preview" / "tools" / "email.html")
    assert [(a.text_content(), a.get("href")) for a in
            document.xpath("//td[contains(@class, 'content')]//p/a")] == [
        ("View the post by @fenlog on fosstodon.org", "https://fosstodon.org/@fenlog/10987654"),
        ("View the post on Mastodon", "https://mastodon.social/@ria/1234"),
        ("Open the PDF: survey.pdf", "https://fen.example.org/files/survey.pdf")]


def test_a_doit_or_fixit_person_card_is_the_persons_name_linked_and_their_words(tmp_path):
    """DoIt's and FixIt's person card showed only its avatar, the name and the link lost."""
    root = blog(tmp_path, '{{< person url="https://fen.example.org/ria/" name="Ria Fenn" '
                          'nick="ria" text="counts **herons**" picture="/img/ria.png" >}}\n\n'
                          '{{< person "https://fen.example.org/sam/" "Sam Reed" "rows boats" >}}\n')

    checked = invoke(root, "check", "tools")
    result = invoke(root, "preview", "tools")

    assert result.exit_code == 0, result.output
    assert "template-degraded" not in checked.output
    document = lxml.html.parse(root / "preview" / "tools" / "email.html")
    cards = document.xpath("//td[contains(@class, 'content')]//p[a]")
    assert [(p.text_content(), p.xpath("a/@href")) for p in cards] == [
        ("Ria Fenn (ria) \u2014 counts **herons**", ["https://fen.example.org/ria/"]),
        ("Sam Reed \u2014 rows boats", ["https://fen.example.org/sam/"])]
    assert not document.xpath("//img[contains(@src, 'ria')]")


def test_a_blowfish_article_card_is_the_other_posts_title_linked(tmp_path):
    """Blowfish's ``article`` card of another post showed its path as the link's text
    ("/posts/reeds/"), with a warning; a page that is not there still is its link, warned."""
    root = blog(tmp_path, '{{< article link="/posts/reeds/" >}}\n\n'
                          '{{< article link="/posts/gone/" >}}\n')
    write_files(root, {"content/posts/reeds/index.md": (
        "---\ntitle: Reeds & Rushes\ndate: 2025-03-01\n---\n\nTall.\n")})

    checked = invoke(root, "check", "tools")
    result = invoke(root, "preview", "tools")

    assert result.exit_code == 0, result.output
    assert [line.split(": ")[3] for line in checked.output.splitlines()
            if "template-degraded" in line] == ['{{< article link="/posts/gone/" >}}']
    document = lxml.html.parse(root / "preview" / "tools" / "email.html")
    assert [(a.text_content(), a.get("href")) for a in
            document.xpath("//td[contains(@class, 'content')]//p/a")] == [
        ("Reeds & Rushes", "https://fen.example.org/posts/reeds/"),
        ("/posts/gone/", "https://fen.example.org/posts/gone/")]


def test_a_blowfish_timeline_shows_each_items_header_above_its_words(tmp_path):
    """Blowfish's timeline items lost their header, subheader and badge (the email kept only
    their content), each with a warning."""
    root = blog(tmp_path, (
        "{{< timeline >}}\n"
        '{{< timelineItem icon="star" header="First nest" badge="2024" subheader="March" >}}\n'
        "Sticks *gathered*.\n{{< /timelineItem >}}\n"
        '{{< timelineItem header="Fledged" >}}\nGone.\n{{< /timelineItem >}}\n'
        "{{< /timeline >}}\n"))

    checked = invoke(root, "check", "tools")
    result = invoke(root, "preview", "tools")

    assert result.exit_code == 0, result.output
    assert checked.exit_code == 0, checked.output
    text = (root / "preview" / "tools" / "email.txt").read_text()
    assert "First nest \u2014 March \u00b7 2024\n\nSticks gathered.\n\nFledged\n\nGone." in text
    document = lxml.html.parse(root / "preview" / "tools" / "email.html")
    assert document.xpath("//td[contains(@class, 'content')]//strong/text()") == [
        "First nest", "Fledged"]
