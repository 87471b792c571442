"""Template tags: what each Hugo shortcode and Jekyll Liquid tag becomes in an email's Markdown,
and what is left as written (a problem at its line). docs/template-tags.md lists them."""

from __future__ import annotations

import html

import lxml.html
import pytest

from newsletter.render.markdown import markdown_fragment, markdown_to_fragment
from newsletter.render.tags import TagContext, expand_tags
from newsletter.render.text import fragment_to_text

POSTS = {"what-matters": "https://example.com/blog/posts/what-matters",
         "2016-05-20-welcome": "https://example.com/blog/2016/05/20/welcome.html"}


def context(**changes) -> TagContext:
    """A Jekyll-like site published under a base path, with two posts to link to."""
    def link_url(kind: str, target: str) -> str | None:
        return POSTS.get(target.strip("/").removesuffix(".md").rpartition("/")[2])

    values = dict(site_url="https://example.com/blog", base_path="/blog",
                  site={"url": "https://example.com", "baseurl": "/blog", "title": "Field Notes",
                        "author": {"name": "Jane"}, "tags": ["a", "b"]},
                  page={"title": "This Post", "url": "/posts/this", "date": "2026-03-01",
                        "permalink": "https://example.com/blog/posts/this"},
                  link_url=link_url)
    return TagContext(**{**values, **changes})


def expand(body: str, **changes) -> tuple[str, list[tuple[int, str]]]:
    """(Markdown, [(line, message)]) for ``body``, its first line being line 1."""
    expansion = expand_tags(body, context(**changes))
    return expansion.markdown, [(problem.line, problem.message) for problem in expansion.problems]


def rendered(body: str) -> tuple[lxml.html.HtmlElement, str]:
    """The body as the email's fragment, and its text part."""
    markdown, problems = expand(body)
    assert problems == []
    fragment = markdown_to_fragment(markdown, "https://example.com/blog/posts/this")
    return fragment, fragment_to_text(fragment)


# Hugo ------------------------------------------------------------------------------------

def test_figure_becomes_a_figure_with_its_image_link_title_caption_and_credit():
    fragment, text = rendered(
        '{{< figure src="/images/lighthouse.jpg" link="https://example.com/big.jpg" '
        'title="Lighthouse" caption="At *dusk*" attr="Jane" attrlink="https://example.com/jane" '
        'width="400" >}}\n')

    [figure] = fragment.iter("figure")
    [image] = figure.iter("img")
    assert image.get("src") == "/images/lighthouse.jpg"  # a file of the site: images.py finds it
    assert (image.get("alt"), image.get("width")) == ("At dusk", "400")
    link = image.getparent()
    assert link.tag == "a" and link.get("href") == "https://example.com/big.jpg"
    caption = figure.find("figcaption")
    assert caption.find("strong").text == "Lighthouse" and caption.find("em").text == "dusk"
    assert caption.find("a").get("href") == "https://example.com/jane"
    assert "Lighthouse" in text and "At dusk Jane <https://example.com/jane>" in text


@pytest.mark.parametrize("body", ['{{< figure src="photo.jpg" alt="A photo" >}}',
                                  '{{% figure src="photo.jpg" alt="A photo" %}}',
                                  '{{< figure src="photo.jpg" alt="A photo" />}}',
                                  '{{<figure src=photo.jpg alt="A photo">}}'])
def test_both_shortcode_forms_self_closing_and_unquoted_values_read_the_same(body):
    markdown, problems = expand(body)

    assert problems == []
    assert markdown.strip() == '<figure><img src="photo.jpg" alt="A photo"></figure>'


def test_youtube_is_a_linked_thumbnail_that_reads_as_one_line_in_the_text_part():
    fragment, text = rendered(
        '{{< youtube id="ZJthWmvUzzc" title="Writing for people" start=30 >}}\n')

    [link] = fragment.iter("a")
    assert link.get("href") == "https://www.youtube.com/watch?v=ZJthWmvUzzc&t=30s"
    [thumbnail] = link.iter("img")
    assert thumbnail.get("src") == "https://i.ytimg.com/vi/ZJthWmvUzzc/hqdefault.jpg"
    assert thumbnail.get("width") == "480" and thumbnail.get("role") == "presentation"
    assert not list(fragment.iter("iframe", "script"))
    assert text == ("\u25b6 Watch \u201cWriting for people\u201d on YouTube\n"
                    "<https://www.youtube.com/watch?v=ZJthWmvUzzc&t=30s>")


@pytest.mark.parametrize("body, href, label", [
    ("{{< youtube ZJthWmvUzzc >}}", "https://www.youtube.com/watch?v=ZJthWmvUzzc",
     "\u25b6 Watch the video on YouTube"),
    ("{{< vimeo 48912912 >}}", "https://vimeo.com/48912912", "\u25b6 Watch the video on Vimeo"),
    ('{{< vimeo id="48912912" title="A short film" >}}', "https://vimeo.com/48912912",
     "\u25b6 Watch \u201cA short film\u201d on Vimeo"),
    ("{{< vimeo_simple 48912912 >}}", "https://vimeo.com/48912912",
     "\u25b6 Watch the video on Vimeo"),
    ("{{< gist spf13 7896402 >}}", "https://gist.github.com/spf13/7896402",
     "View the code on GitHub: spf13/7896402"),
    ('{{< gist spf13 7896402 "img.html" >}}', "https://gist.github.com/spf13/7896402#file-img-html",
     "View the code on GitHub: img.html"),
    ("{% gist 5555251 %}", "https://gist.github.com/5555251", "View the code on GitHub: 5555251"),
    ("{% gist 5555251 notes.md %}", "https://gist.github.com/5555251#file-notes-md",
     "View the code on GitHub: notes.md"),  # jekyll-gist: the id alone, as Hyde writes it
    ('{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
     "https://x.com/SanDiegoZoo/status/1453110110599868418", "View the post by @SanDiegoZoo on X"),
    ('{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}',
     "https://x.com/SanDiegoZoo/status/1453110110599868418", "View the post by @SanDiegoZoo on X"),
    ('{{< twitter_simple user="designreviewed" id="1085870671291310081" >}}',
     "https://x.com/designreviewed/status/1085870671291310081",
     "View the post by @designreviewed on X"),
    ("{{< tweet 877500564405444608 >}}", "https://x.com/i/status/877500564405444608",
     "View the post on X"),
    ("{{< instagram BWNjjyYFxVx >}}", "https://www.instagram.com/p/BWNjjyYFxVx/",
     "View the post on Instagram"),
])
def test_embeds_become_a_link_to_what_they_embed(body, href, label):
    fragment, text = rendered(body + "\n")

    assert [(a.get("href"), a.text_content()) for a in fragment.iter("a")] == [(href, label)]
    assert text == f"{label}\n<{href}>" or text == f"{label} <{href}>"


@pytest.mark.parametrize("body, url", [
    ('[the post]({{< ref "what-matters.md" >}})', "https://example.com/blog/posts/what-matters"),
    ('[the post]({{< relref "/posts/what-matters" >}})',
     "https://example.com/blog/posts/what-matters"),
    ('[a part]({{< ref "what-matters.md#the-end" >}})',
     "https://example.com/blog/posts/what-matters#the-end"),
    ('[the post]({{< ref path="what-matters.md" >}})',
     "https://example.com/blog/posts/what-matters"),
    ('[above]({{< ref "#top" >}})', "https://example.com/blog/posts/this#top"),
])
def test_ref_and_relref_give_the_target_posts_address_absolute(body, url):
    fragment, _ = rendered(body + "\n")

    assert [a.get("href") for a in fragment.iter("a")] == [url]


def test_highlight_becomes_a_fenced_code_block_shown_as_written():
    fragment, text = rendered('{{< highlight go "linenos=table,hl_lines=2" >}}\n'
                              'func main() {\n\tfmt.Println("{{ not a tag }}")\n}\n'
                              '{{< /highlight >}}\n')

    [code] = fragment.iter("code")
    assert code.get("class") == "language-go"
    assert code.text == 'func main() {\n    fmt.Println("{{ not a tag }}")\n}\n'
    assert text.startswith("    func main() {")


def test_param_reads_the_page_then_the_site_and_details_shows_its_summary_and_content():
    markdown, problems = expand('{{< details summary="About" >}}\n'
                                'By {{< param "author.name" >}} for {{< param title >}}.\n'
                                '{{< /details >}}\n')

    assert problems == []
    fragment = markdown_to_fragment(markdown, "https://example.com/")
    assert [p.text_content() for p in fragment.iter("p")] == ["About", "By Jane for This Post."]


def test_hugo_comments_and_the_comment_shortcode_are_dropped():
    markdown, problems = expand("A{{/* a note\nover lines */}}B\n\n{{% comment %}}Hidden "
                                "{{< youtube x >}}{{% /comment %}}C\n")

    assert problems == []
    assert markdown == "AB\n\nC\n"


def test_an_escaped_shortcode_is_shown_as_the_shortcode_and_not_reported():
    markdown, problems = expand('Write {{</* figure src="x.jpg" */>}} or {{%/* param x */%}}.\n')

    assert problems == []
    assert markdown == 'Write {{< figure src="x.jpg" >}} or {{% param x %}}.\n'


# Jekyll ----------------------------------------------------------------------------------

@pytest.mark.parametrize("body, url", [
    ("[it]({% post_url 2016-05-20-welcome %})", "https://example.com/blog/2016/05/20/welcome.html"),
    ("[it]({{ site.baseurl }}{% post_url 2016-05-20-welcome %})",
     "https://example.com/blog/2016/05/20/welcome.html"),
    ("[it]({{ site.url }}{{ site.baseurl }}{% post_url 2016-05-20-welcome %})",
     "https://example.com/blog/2016/05/20/welcome.html"),
    ("[it]({% link _posts/2016-05-20-welcome.md %})",
     "https://example.com/blog/2016/05/20/welcome.html"),
    ("[it]({{ site.baseurl }}/about/)", "/blog/about/"),
    ('[it]({{ "/about/" | relative_url }})', "/blog/about/"),
    ("[it]({{ 'about/' | absolute_url }})", "https://example.com/blog/about/"),
    ("[it]({{ site.url }}{{ page.url }})", "https://example.com/posts/this"),
    ('[it]({{ site.baseurl | append: "/feed.xml" }})', "/blog/feed.xml"),
    # Eleventy's url filter (11ty.dev/docs/filters/url): pathPrefix before a path from the root
    ('[it]({{ "/about/" | url }})', "/blog/about/"),
    ("[it]({{ 'https://example.org/x' | url }})", "https://example.org/x"),
    ("[it]({{ 'notes/x.html' | url }})", "notes/x.html"),
])
def test_liquid_links_and_url_filters_give_the_published_address(body, url):
    markdown, problems = expand(body + "\n")

    assert problems == []
    assert [a.get("href") for a in markdown_fragment(markdown).iter("a")] == [url]


@pytest.mark.parametrize("body, shown", [
    ('{{ page.date | date: "%B %-d, %Y at %-l:%M %P" }}', "March 1, 2026 at 9:05 pm"),
    ('{{ page.date | date: "%a %e %b %y, %H:%M (%j)" }}', "Sun 1 Mar 26, 21:05 (060)"),
    ("{{ page.date | date: '%^b %_m %d' }}", "MAR 3 01"),
    ("{{ page.date | date_to_string }}", "01 Mar 2026"),
    ("{{ page.date | date_to_long_string }}", "01 March 2026"),
    ('{{ page.date | date_to_string: "ordinal" }}', "1st Mar 2026"),
    ('{{ page.date | date_to_long_string: "ordinal", "US" }}', "March 1st, 2026"),
    ("{{ page.date | date_to_xmlschema }}", "2026-03-01T21:05:00-05:00"),
    ('{{ "2024-12-22" | date: "%-d/%-m" }}', "22/12"),
])
def test_the_date_filters_print_the_posts_date_on_the_sites_clock(body, shown):
    """Liquid's date filter (Ruby's strftime) and Jekyll's date_to_string family, as posts
    print their date: they were errors, and the post could not be sent."""
    page = {"title": "This Post", "date": "2026-03-02T02:05:00+00:00"}
    markdown, problems = expand(body + "\n", page=page, site={"timezone": "America/New_York"})

    assert problems == []
    assert html.unescape(markdown.strip()) == shown


@pytest.mark.parametrize("body, shown", [
    ("{{ page.title | escape }}", "Tea & <Toast>"),
    ("{{ page.title | xml_escape | upcase }}", "TEA & <TOAST>"),
    ("{{ 'tEA time' | capitalize }} {{ page.title | downcase }}", "Tea time tea & <toast>"),
    ('{{ "  gap  " | strip | append: "!" }}', "gap!"),
    ("{{ page.title | slugify }}", "tea-toast"),
])
def test_liquids_text_filters_print_what_the_post_asks(body, shown):
    """escape, upcase, slugify... are Liquid's and Jekyll's filters of a text: they were
    errors, and the post could not be sent."""
    markdown, problems = expand(body + "\n", page={"title": "Tea & <Toast>"})

    assert problems == []
    fragment = markdown_to_fragment(markdown, "https://example.com/blog/posts/this")
    assert fragment.text_content().strip() == shown


def test_a_share_link_encodes_the_posts_address_as_url_encode_says():
    markdown, problems = expand(
        "[Share](https://twitter.com/intent/tweet?url={{ page.url | absolute_url | "
        "url_encode }})\n")

    assert problems == []
    assert [a.get("href") for a in markdown_fragment(markdown).iter("a")] == [
        "https://twitter.com/intent/tweet?url=https%3A%2F%2Fexample.com%2Fblog%2Fposts%2Fthis"]


def test_a_date_filter_on_what_is_no_date_is_reported():
    assert expand("{{ page.title | date: '%Y' }}\n")[1] == [
        (1, "{{ page.title | date: '%Y' }}: This Post is not a date")]


def test_site_and_page_values_are_printed_as_text_never_as_markup():
    markdown, problems = expand("{{ site.title }} by {{ site.author.name }}: {{ page.title }}; "
                                "{{ site.missing | default: 'none' }}\n",
                                site={"title": "<b>Notes</b> & more", "author": {"name": "Jane"}})

    assert problems == []
    fragment = markdown_to_fragment(markdown, "https://example.com/")
    assert fragment.text_content().strip() == "<b>Notes</b> & more by Jane: This Post; none"
    assert not list(fragment.iter("b"))


def test_a_liquid_string_output_prints_its_braces_in_text_and_in_code():
    """{{ "{{" }} is how posts about templates write braces Liquid would read: Jekyll prints
    the string, in code too (Liquid runs before Markdown). In text it was refused as a tag
    never closed; in code the email showed {{ "{{" }} as written."""
    markdown, problems = expand(
        'Write `{{ "{{" }} name {{ "}}" }}` or {{ \'{{\' }} name }}.\n\n'
        '```\n{{ "{{" }} block {{ "}}" }}\n```\n\n{% raw %}{{ "{{" }}{% endraw %}\n')

    assert problems == []
    fragment = markdown_to_fragment(markdown, "https://example.com/")
    assert [code.text for code in fragment.iter("code")] == ["{{ name }}", "{{ block }}\n"]
    assert fragment_to_text(fragment).splitlines()[0] == "Write {{ name }} or {{ name }}."
    raw = fragment_to_text(fragment).splitlines()[-1]  # as written (its quotes made curly)
    assert raw.replace("\u201c", '"').replace("\u201d", '"') == '{{ "{{" }}'


def test_highlight_is_a_fenced_block_raw_is_literal_and_comments_are_dropped():
    markdown, problems = expand(
        "{% comment %}\nA draft {% include draft.html %}\n{% endcomment %}\n"
        "{% highlight ruby linenos %}\ndef x = {{ y }}\n{% endhighlight %}\n"
        "{% raw %}{{ page.title }} and {% if %}{% endraw %}\n")

    assert problems == []
    fragment = markdown_to_fragment(markdown, "https://example.com/")
    [code] = fragment.iter("code")
    assert code.get("class") == "language-ruby" and code.text == "def x = {{ y }}\n"
    assert fragment.text_content().strip().endswith("{{ page.title }} and {% if %}")
    assert "draft" not in fragment.text_content()


def test_an_include_of_page_furniture_is_dropped_and_the_sites_own_shown_in_part_with_a_warning():
    """A site's own include: its image (a parameter naming an image file, with its caption),
    its link, or its text; else left out. Each a warning; page furniture is dropped silently."""
    expansion = expand_tags(
        "{% include toc.html %}\n{% include disqus_comments.html %}\n"
        '{% include image.html url="/x.jpg" caption="A photo" %}\n\n'
        '{% include button.html link="https://example.com/go" text="Go *now*" %}\n\n'
        '{% include note.html content="Dry the **rope** first." %}\n\n'
        '{% include map.html zoom=3 %}\n', context())

    assert [(problem.line, problem.warning) for problem in expansion.problems] == [
        (3, True), (5, True), (7, True), (9, True)]
    assert [problem.message.split("; ")[-1] for problem in expansion.problems] == [
        "the email shows only its image", "the email shows only its link",
        "the email shows only its text",
        '{% include map.html zoom=3 %}: the include map.html is the site\'s and is left out of '
        "the email"]
    fragment = markdown_to_fragment(expansion.markdown, "https://example.com/blog/posts/this")
    assert fragment.find(".//figure/img").get("src") == "/x.jpg"
    assert fragment.find(".//figcaption").text_content() == "A photo"
    [go] = [a for a in fragment.iter("a") if a.get("href") == "https://example.com/go"]
    assert go.text_content() == "Go *now*"  # a parameter is text
    assert "Dry the rope first." in fragment.text_content()
    assert fragment.find(".//strong").text == "rope"
    assert "{%" not in fragment.text_content() and "map" not in fragment.text_content()


@pytest.mark.parametrize("body, message", [
    ('{{< ref "no-such-post.md" >}}', '{{< ref "no-such-post.md" >}}: no post or page '
     "no-such-post.md on this site"),
    ("{% post_url 2010-01-01-gone %}", "{% post_url 2010-01-01-gone %}: no post "
     "2010-01-01-gone on this site"),
    ("{{ site.nothing }}", "{{ site.nothing }}: site.nothing has no value for this site"),
    ("{{ site.tags }}", "{{ site.tags }} is a list, not a value to print"),
    ("{{ page.title | markdownify }}", "{{ page.title | markdownify }}: the filter "
     "markdownify is not one newsletter applies"),
    ("{% if page.draft %}", "{% if page.draft %} is a Liquid tag an email cannot run"),
    ("{{< param nope >}}",
     "{{< param nope >}}: no parameter nope in the post or the site's settings"),
    ("{{< highlight go >}}\nx\n", "{{< highlight go >}} is never closed"),
    ("{% raw %}and the rest", "{% raw %} is never closed"),
    ("{{< details >}}\nx\n", "{{< details >}} is never closed"),
    ("{{< /details >}}", "{{< /details >}} closes a shortcode that was not opened"),
    ("{{ site.title", "{{ site.title\u2026 is never closed"),
])
def test_what_cannot_be_expanded_is_left_as_written_and_reported_at_its_line(body, message):
    markdown, problems = expand(f"First line.\n\n{body}\n")

    assert [line for line, _ in problems] == [3]
    assert problems[0][1].startswith(message)
    assert body.splitlines()[0] in html.unescape(markdown)  # shown as written, as text


def test_a_themes_shortcode_is_reported_once_not_again_at_its_closing_tag():
    markdown, problems = expand("{{< marginnote >}}\nText\n{{< /marginnote >}}\n")

    assert [line for line, _ in problems] == [1]
    assert markdown.strip() == "Text"


def test_an_inline_shortcode_shows_its_text_and_one_running_template_code_is_reported():
    markdown, problems = expand("{{< note.inline >}}\n<aside>Low tide at noon.</aside>\n"
                                "{{< /note.inline >}}\n\nText.\n\n{{< math.inline >}}\n"
                                "{{ if .Page.Params.math }}<script></script>{{ end }}\n"
                                "{{</ math.inline >}}\n")
    assert "<aside>Low tide at noon.</aside>" in markdown and "note.inline" not in markdown
    assert problems == [(7, "{{< math.inline >}} is an inline shortcode whose template code runs "
                            "when Hugo builds the page; an email cannot run it")]
    assert "<script>" not in markdown  # left as text, escaped


def test_zola_shortcodes_become_links_and_a_themes_own_is_shown_in_part_with_a_warning():
    expansion = expand_tags('{{ gist(url="https://gist.github.com/ana/5f3e9a", '
                            'file="knots.py") }}\n\n{{ vimeo(id="146022717") }}\n\n'
                            '{{ gallery(dir="photos", width=50) }}\n\n'
                            '{% sidenote(kind="tip") %}\nTie it twice.\n{% end %}\n\n'
                            '{{ gallery(dir=) }}\n', context())
    markdown = expansion.markdown
    problems = [(problem.line, problem.warning, problem.message)
                for problem in expansion.problems]
    assert "https://gist.github.com/ana/5f3e9a&#35;file-knots-py" in markdown
    assert "https://vimeo.com/146022717" in markdown
    assert problems == [  # not again at {% end %}, nor as Liquid
        (5, True, '{{ gallery(dir="photos", width=50) }}: the Zola shortcode gallery is the '
                  "site's and is left out of the email"),
        (7, True, '{% sidenote(kind="tip") %}: the Zola shortcode sidenote is the site\'s; '
                  "the email shows its content without what it adds"),
        (11, False, "{{ gallery(dir=) }}: the Zola shortcode gallery cannot be shown in an "
                    "email")]
    assert "\nTie it twice.\n\n" in markdown and "end" not in markdown


def test_theme_video_audio_and_collapse_become_links_and_a_summary():
    """PaperMod's and Stack's video and audio shortcodes, PaperMod's collapse."""
    fragment, text = rendered(
        '{{< video src="https://media.example.org/weir.webm" >}}\n\n'
        '{{< audio src="/sounds/curlew.ogg" caption="A curlew at dawn" >}}\n\n'
        '{{< collapse summary="**How to** tie it" >}}\nTwice round, then through.\n'
        '{{< /collapse >}}\n')
    links = {link.get("href"): link.text_content() for link in fragment.iter("a")}
    assert links == {"https://media.example.org/weir.webm": "\u25b6 Watch the video",
                     "https://example.com/sounds/curlew.ogg":
                         "\u25b6 Listen to the recording: A curlew at dawn"}
    assert not list(fragment.iter("video", "audio"))
    [summary] = fragment.xpath("//p/strong[strong]")
    assert summary.text_content() == "How to tie it"
    assert "Twice round, then through." in text


@pytest.mark.parametrize("body, heading", [
    ('{{< notice warning "Mind *the* gap" >}}\nInner **text**.\n{{< /notice >}}', "Mind the gap"),
    ('{{% alert title="Heads up" color="warning" %}}\nInner **text**.\n{{% /alert %}}',
     "Heads up"),
    ('{{< alert "circle-info" >}}\nInner **text**.\n{{< /alert >}}', "Note"),
    ("{{< admonition type=tip open=false >}}\nInner **text**.\n{{< /admonition >}}", "Tip"),
    ('{{% notice style="info" title="Before you start" %}}\nInner **text**.\n{{% /notice %}}',
     "Before you start"),
    ('{{< callout type="warning" >}}\nInner **text**.\n{{< /callout >}}', "Warning"),
    ("{{% hint danger %}}\nInner **text**.\n{{% /hint %}}", "Danger"),
    ("{{% callout warning %}}\nInner **text**.\n{{% /callout %}}", "Warning"),  # Hugo Blox's
    ("{{< alert success >}}\nInner **text**.\n{{< /alert >}}", "Success"),  # Tranquilpeak's
])
def test_theme_note_boxes_become_a_quote_headed_by_their_title_or_kind(body, heading):
    """Blowfish's, Congo's and Docsy's alert, Hugo Coder's and Relearn's notice, FixIt's
    admonition, Hextra's and Hugo Blox's callout and Hugo Book's hint: their content, as a quote, was an error
    that kept the post from being sent."""
    fragment, text = rendered(f"Before.\n\n{body}\n\nAfter.\n")
    [quote] = fragment.iter("blockquote")
    assert quote.xpath("./p[1]/strong")[0].text_content() == heading
    assert quote.xpath(".//strong[. = 'text']")  # the content's Markdown, rendered
    assert text.split("\n") == ["Before.", "", f"> {heading}", ">", "> Inner text.", "",
                                 "After."]


def test_a_hugo_book_hint_headed_by_its_own_title_says_it_once_on_its_own_line():
    """Hugo Book's hints show no label: each opens with its own title in bold and a line break
    (two spaces). The email said "Info" twice, and the quote's lines lost their ends, so the
    title ran into the text: "Info Keep the knife sharp."."""
    fragment, text = rendered("{{% hint info %}}\n**Info**  \nKeep the knife sharp.\n"
                              "{{% /hint %}}\n\nThen.\n\n{{% hint warning %}}\n"
                              "**Mind the edge:** it cuts.\n{{% /hint %}}\n")
    first, second = fragment.iter("blockquote")
    assert [strong.text_content() for strong in first.iter("strong")] == ["Info"]
    assert first.xpath(".//br")
    assert [strong.text_content() for strong in second.iter("strong")] == ["Warning",
                                                                          "Mind the edge:"]
    assert text.split("\n")[:2] == ["> Info", "> Keep the knife sharp."]


@pytest.mark.parametrize("tag", ['{{% details "More about nibs" open %}}',
                                 '{{< details title="More about nibs" open=true >}}'])
def test_hugo_books_details_shows_its_title(tag):
    """Hugo Book's details names its summary by position or ``title``, not Hugo's ``summary``:
    the email headed the content "Details"."""
    fragment, _ = rendered(f"{tag}\nCut at a slant.\n{{{{% /details %}}}}\n".replace(
        "{{% /details %}}", "{{< /details >}}" if tag.startswith("{{<") else "{{% /details %}}"))
    assert [p.text_content() for p in fragment.iter("p")] == ["More about nibs",
                                                              "Cut at a slant."]


@pytest.mark.parametrize("opening, closing", [
    ('{{< accordion "More about nibs" >}}', "{{< /accordion >}}"),  # Hugoplate's
    ('{{< spoiler text="More about nibs" >}}', "{{< /spoiler >}}"),  # Hugo Blox's
    ('{{% expand "More about nibs" %}}', "{{% /expand %}}"),  # Relearn's
])
def test_a_themes_collapsed_section_shows_its_title_then_its_content(opening, closing):
    """Hugoplate's accordion, Hugo Blox's spoiler and Relearn's expand: the email showed the
    content without the title that says what it is about, and warned that it did."""
    fragment, _ = rendered(f"{opening}\nCut at a slant.\n{closing}\n")
    assert [p.text_content() for p in fragment.iter("p")] == ["More about nibs",
                                                              "Cut at a slant."]


@pytest.mark.parametrize("written, shown", [
    ('{{< button label="Get the recipe" link="https://example.com/bake" style="solid" >}}',
     '<a href="https://example.com/bake">Get the recipe</a>'),  # Hugoplate's
    ('{{< button href="https://example.com/bake" >}}Get the recipe{{< /button >}}',
     '<a href="https://example.com/bake">Get the recipe</a>'),
])
def test_a_button_written_without_content_is_its_label_linked(written, shown):
    """Hugoplate's button takes its text as ``label`` and has no closing tag: the post was
    refused ("never closed") and the button shown as its raw shortcode."""
    fragment, _ = rendered(f"Before.\n\n{written}\n\nAfter.\n")
    assert shown in lxml.html.tostring(fragment, encoding="unicode")


def test_a_beautiful_hugo_gallery_figure_shows_the_picture_it_links_to():
    """Beautiful Hugo's gallery figures name no src, only the picture they open (``link``) and
    the suffix of its thumbnail: each was an error ("has no src") that kept the post from
    being sent."""
    fragment, text = rendered('{{< gallery caption-effect="fade" >}}\n'
                              '  {{< figure thumb="-thumb" link="/img/gull.jpg" caption="Gull" >}}'
                              '\n  {{< figure link="/img/crab.png" caption="Crab" >}}\n'
                              "{{< /gallery >}}\n")
    assert [(img.get("src"), img.get("alt")) for img in fragment.iter("img")] == [
        ("/img/gull.jpg", "Gull"), ("/img/crab.png", "Crab")]
    assert "{{" not in text


def test_fixits_link_shortcode_is_a_link_with_its_content_named_or_by_position():
    """FixIt's (and LoveIt's) ``link``: href, content, title, by name or by position. The
    named one showed its hover title as the link's text, the positional one was left out of
    the email, each with a warning that the email showed only part of it."""
    markdown, problems = expand(
        '{{< link href="https://example.org/rope" content="The rope shop" title="Open it" >}}'
        '\n\n{{< link "https://example.org/knots" "Knots, *all* of them" "Hover" >}}\n\n'
        '{{< link "https://example.org/bare" >}}\n')

    assert problems == []
    fragment = markdown_to_fragment(markdown, "https://example.com/blog/posts/this")
    assert [(a.text_content(), a.get("href")) for a in fragment.iter("a")] == [
        ("The rope shop", "https://example.org/rope"),
        ("Knots, *all* of them", "https://example.org/knots"),
        ("https://example.org/bare", "https://example.org/bare")]


def test_a_sites_image_shortcode_shows_its_image_with_a_warning():
    """LoveIt's and FixIt's ``image`` (named, or src and alt by position), PaperMod's
    ``inTextImg`` (its ``url``), a site's own ``img``: each was left out of the email, the
    picture lost, as if the shortcode showed nothing. One named with more than the image's
    source, alt text, caption, size and place (LoveIt's src_l) warns what the email leaves."""
    markdown, problems = expand(
        '{{< image src="/img/lighthouse.jpg" caption="At *dusk*" src_l="/img/big.jpg" >}}\n\n'
        '{{< image "/img/gull.png" "A gull" >}}\n\n'
        '{{< inTextImg url="https://example.org/icon.png" height="15" alt="an icon" >}}\n\n'
        '{{< img src="/img/wave.webp" alt="A wave" >}}\n')

    # PaperMod's inTextImg and the img are named with what the image shows only: no warning
    assert [line for line, _ in problems] == [1, 3]
    assert all(message.endswith("the email shows only its image") for _, message in problems)
    fragment = markdown_to_fragment(markdown, "https://example.com/blog/posts/this")
    assert [(img.get("src"), img.get("alt")) for img in fragment.iter("img")] == [
        ("/img/lighthouse.jpg", "At dusk"), ("/img/gull.png", "A gull"),
        ("https://example.org/icon.png", "an icon"), ("/img/wave.webp", "A wave")]
    assert [caption.text_content() for caption in fragment.iter("figcaption")] == ["At dusk"]
    assert '<img src="https://example.org/icon.png" alt="an icon" height="15">' in markdown


def test_a_raw_html_shortcode_shows_its_content_whole_without_a_warning():
    """PaperMod's rawhtml (``{{- .Inner -}}``, as Hugo's forum writes it for raw HTML) adds
    nothing to its content: the email showed it whole but warned it had left something out,
    and check exited 1 for each one."""
    markdown, problems = expand('{{< rawhtml >}}\n<p class="lead">A <b>bold</b> start</p>\n'
                                "{{< /rawhtml >}}\n\n{{< raw-html >}}<em>Aside</em>"
                                "{{< /raw-html >}}\n\n{{< marginnote >}}Hidden"
                                "{{< /marginnote >}}\n")

    assert [line for line, _ in problems] == [7]  # the margin note's, which the site styles
    fragment = markdown_to_fragment(markdown, "https://example.com/blog/posts/this")
    assert fragment.xpath("//p[@class='lead']/b/text()") == ["bold"]
    assert fragment.xpath("//em/text()") == ["Aside"]


def test_stacks_video_snippet_and_quote_shortcodes_become_links_and_a_quote():
    """Hugo Stack's bilibili (LoveIt's and FixIt's too: id and p), tencent, gitlab and quote:
    the videos and the snippet were left out of the email with a warning each, and the quote
    lost its author and source."""
    fragment, text = rendered(
        '{{< bilibili "BV1d4411N7zD" >}}\n\n{{< bilibili id=av170001 p=2 >}}\n\n'
        '{{< tencent "g0014r3khdw" >}}\n\n{{< gitlab 2589724 >}}\n\n'
        '{{< quote author="A moss" source="The *moss* book" url="https://example.org/book" >}}'
        "\nSpores drift.\n{{< /quote >}}\n")

    assert [(a.get("href"), a.text_content()) for a in fragment.iter("a")] == [
        ("https://www.bilibili.com/video/BV1d4411N7zD/", "\u25b6 Watch the video on Bilibili"),
        ("https://www.bilibili.com/video/av170001/?p=2", "\u25b6 Watch the video on Bilibili"),
        ("https://v.qq.com/x/page/g0014r3khdw.html", "\u25b6 Watch the video on Tencent Video"),
        ("https://gitlab.com/-/snippets/2589724", "View the code on GitLab: snippet 2589724"),
        ("https://example.org/book", "The moss book")]
    [quote] = fragment.iter("blockquote")
    assert [p.text_content() for p in quote.iter("p")] == [
        "Spores drift.", "\u2015 A moss, The moss book"]
    assert "> \u2015 A moss, The moss book <https://example.org/book>" in text


def test_a_pasted_bilibili_player_is_a_link_to_the_video():
    """The iframe Bilibili's Share button gives (player.bilibili.com): no client runs it, and
    the post was refused as holding an iframe."""
    fragment, _ = rendered(
        '<iframe src="//player.bilibili.com/player.html?aid=2&bvid=BV1xx411c7mD&cid=1&page=3"'
        ' scrolling="no" frameborder="no" allowfullscreen="true"></iframe>\n')

    assert not list(fragment.iter("iframe"))
    assert [(a.get("href"), a.text_content()) for a in fragment.iter("a")] == [
        ("https://www.bilibili.com/video/BV1xx411c7mD/?p=3", "\u25b6 Watch the video on Bilibili")]


def test_minimal_mistakes_figure_and_video_includes_become_a_figure_and_a_video_link():
    markdown, problems = expand(
        '{% include figure image_path="/assets/images/rivet.jpg" alt="A rivet" '
        'caption="Set while **hot**." %}\n\n'
        "{% include video id=\"dQw4w9WgXcQ\" provider='youtube' %}\n\n"
        '{% include video id="1x2y3z" provider="google-drive" %}\n')
    assert '<img src="/assets/images/rivet.jpg" alt="A rivet">' in markdown
    assert "<figcaption>Set while <strong>hot</strong>.</figcaption>" in markdown
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in markdown
    assert [line for line, _ in problems] == [5]  # a provider newsletter does not link
    assert problems[0][1] == ('{% include video id="1x2y3z" provider="google-drive" %}: the '
                              "include video is the site's and is left out of the email")
def test_chirpy_and_al_folio_figure_and_video_includes_become_a_figure_and_video_links():
    """Chirpy's embed/youtube.html and embed/vimeo.html, al-folio's figure.liquid (a path from
    the site's root, as relative_url reads it) and video.liquid with a player address; a video
    file or another provider is still reported."""
    markdown, problems = expand(
        "{% include embed/youtube.html id='Balreaj8Yqs' %}\n\n"
        "{% include embed/vimeo.html id='146022717' %}\n\n"
        '{% include figure.liquid loading="eager" path="assets/img/kiln.jpg" class="img-fluid" '
        'zoomable=true caption="The kiln, cooling." %}\n\n'
        '{% include video.liquid path="https://www.youtube.com/embed/jNQXAC9IVRw" '
        "controls=true %}\n\n"
        '{% include video.liquid path="assets/video/kiln.mp4" %}\n\n'
        "{% include embed/bilibili.html id='BV1xx411c7mD' %}\n")
    for video in ("Balreaj8Yqs", "jNQXAC9IVRw"):
        assert f'<a href="https://www.youtube.com/watch?v={video}">' in markdown
    assert '<a href="https://vimeo.com/146022717">' in markdown
    assert '<img src="/assets/img/kiln.jpg"' in markdown
    assert "<figcaption>The kiln, cooling.</figcaption>" in markdown
    assert [line for line, _ in problems] == [9, 11]




def test_an_include_given_a_players_address_is_the_video():
    """So Simple's responsive-embed (and any include handed a YouTube or Vimeo player's
    address) shows the video; it was shown as a bare link to the player page, with a warning
    that the include was the site's own."""
    markdown, problems = expand(
        '{% include responsive-embed url="https://www.youtube.com/embed/-PVofD2A9t8" '
        'ratio="16:9" %}\n\n'
        '{% include responsive-embed url="https://player.vimeo.com/video/212731897" %}\n')

    assert problems == []
    assert '<a href="https://www.youtube.com/watch?v=-PVofD2A9t8">' in markdown
    assert '<a href="https://vimeo.com/212731897">' in markdown


@pytest.mark.parametrize("body, href", [
    ('{% youtube "https://www.youtube.com/watch?v=aqz-KE-bpKQ" %}',
     "https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
    ("{% youtube https://youtu.be/aqz-KE-bpKQ?t=3 %}", "https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
    ("{% vimeo https://vimeo.com/76979871 %}", "https://vimeo.com/76979871"),
])
def test_a_liquid_video_tag_given_the_videos_address_is_the_video(body, href):
    """jekyll-youtube's {% youtube "https://www.youtube.com/watch?v=..." %} names the video by
    its address: it was an error telling a Jekyll writer to write Hugo's {{< youtube ID >}}."""
    markdown, problems = expand(body + "\n")

    assert problems == []
    assert f'<a href="{href}">' in markdown


def test_a_liquid_video_tag_without_a_video_says_how_to_write_it_in_liquid():
    assert expand("{% youtube https://example.com/x %}\n")[1] == [
        (1, "{% youtube https://example.com/x %} needs a YouTube video id, such as dQw4w9WgXcQ")]
    problem = expand_tags("{% youtube https://example.com/x %}\n", context()).problems[0]
    assert problem.hint == "write it as {% youtube ID %}"


def test_an_includes_parameter_written_as_a_variable_is_its_value():
    """Liquid reads an unquoted parameter as a variable: the much-copied
    {% include youtubePlayer.html id=page.youtubeId %} is the post's video (it was left out),
    and {% include image.html url=page.image %} its picture, not a link to ".../page.image"."""
    page = {"title": "This Post", "youtubeId": "aqz-KE-bpKQ", "image": "/img/wave.png"}
    markdown, problems = expand(
        "{% include youtubePlayer.html id=page.youtubeId %}\n\n"
        '{% include image.html url=page.image caption="Wave" %}\n\n'
        "{% include map.html place=page.nowhere zoom=3 %}\n", page=page)

    assert '<a href="https://www.youtube.com/watch?v=aqz-KE-bpKQ">' in markdown
    fragment = markdown_to_fragment(markdown, "https://example.com/blog/posts/this")
    assert fragment.find(".//figure/img").get("src") == "/img/wave.png"
    assert "page." not in markdown
    assert [message.split(": ", 1)[1] for _, message in problems] == [
        "the include image.html is the site's; the email shows only its image",
        "the include map.html is the site's and is left out of the email"]


def test_hexos_codeblock_is_code_in_its_language_and_its_blockquote_keeps_its_text():
    fragment = markdown_to_fragment(expand_tags(
        "{% codeblock knots.py lang:python %}\nknot = tie('bowline')  # {{ not a tag }}\n"
        "{% endcodeblock %}\n\n{% blockquote Ana, Rigging %}\nA knot holds or it does not.\n"
        "{% endblockquote %}\n", context()).markdown, "https://example.com/blog/posts/this")

    [code] = fragment.iter("code")
    assert code.get("class") == "language-python"
    assert code.text == "knot = tie('bowline')  # {{ not a tag }}\n"
    assert "A knot holds or it does not." in fragment.text_content()
    assert "blockquote" not in fragment.text_content()


def test_assigned_and_captured_variables_are_printed_where_the_post_prints_them():
    """{% assign %} (a string, a site or page value, through filters) and {% capture %} (the
    post's own Markdown, its tags expanded) show nothing themselves; a later {{ name }} prints
    the value, as Jekyll does. Before, each was an error and the post could not be sent."""
    expansion = expand_tags(
        '{% assign folder = "/images/2026" %}\n{% assign who = site.title | append: " readers" %}'
        "\n{% capture greeting %}Dear **{{ who }}**, from {{ page.title }}.{% endcapture %}\n\n"
        "![A dock]({{ folder }}/dock.jpg)\n\n{{ greeting }}\n\n{% capture %}lost{% endcapture %}"
        "\n", context())

    assert [(problem.line, problem.message.split(" ")[1]) for problem in expansion.problems] == [
        (9, "capture"), (9, "endcapture")]  # a capture needs a name
    fragment = markdown_to_fragment(expansion.markdown, "https://example.com/blog/posts/this")
    assert fragment.find(".//img").get("src") == "/images/2026/dock.jpg"
    [greeting] = [p for p in fragment.iter("p") if "Dear" in p.text_content()]
    assert greeting.text_content() == "Dear Field Notes readers, from This Post."
    assert greeting.find("strong").text == "Field Notes readers"
    assert "{%" not in fragment.text_content().replace("{% capture %}", "").replace(
        "{% endcapture %}", "")


def test_tranquilpeaks_blockquote_ends_in_its_author_and_linked_source():
    """Tranquilpeak ports Hexo's blockquote to Hugo: it was a theme's shortcode shown without
    what it adds, so the quote was a plain paragraph and its author was lost."""
    fragment, text = rendered(
        '{{< blockquote "Ana Reis" "https://letters.example.org/ana" "On Knots" >}}\n'
        "A knot holds or it does not.\n{{< /blockquote >}}\n\n"
        '{{< blockquote "Rui, Rigging Notes" >}}\nTie it twice.\n{{< /blockquote >}}\n\n'
        '{{< blockquote author="Eva" >}}\nSlack is a choice.\n{{< /blockquote >}}\n')
    quotes = list(fragment.iter("blockquote"))
    assert [" ".join(quote.text_content().split()) for quote in quotes] == [
        "A knot holds or it does not. \u2014 Ana Reis, On Knots",
        "Tie it twice. \u2014 Rui, Rigging Notes", "Slack is a choice. \u2014 Eva"]
    assert [a.get("href") for a in quotes[0].iter("a")] == ["https://letters.example.org/ana"]
    assert "\u2014 Ana Reis, On Knots <https://letters.example.org/ana>" in text


def test_loveits_music_and_mapbox_are_links_to_what_they_play_and_show():
    """LoveIt's (DoIt's, FixIt's) music player and map: the music was only its cover (or
    nothing), the map nothing at all; a player of a service with no page to link stays out."""
    fragment, text = rendered(
        '{{< music url="/music/tide.mp3" name="Tide" artist="The Gulls" '
        'cover="/music/tide.jpg" >}}\n\n{{< music "https://music.163.com/#/playlist?id=60198" >}}'
        '\n\n{{< music server="netease" type="song" id="1868553" >}}\n\n'
        "{{< music netease album 42 >}}\n\n{{< mapbox 121.485 31.233 12 >}}\n\n"
        "{{< mapbox lng=2.35 lat=48.85 zoom=11 >}}\n")
    links = [(a.text_content(), a.get("href")) for a in fragment.iter("a")]
    assert links == [
        ("\u25b6 Listen: Tide \u2013 The Gulls", "https://example.com/music/tide.mp3"),
        ("\u25b6 Listen", "https://music.163.com/#/playlist?id=60198"),
        ("\u25b6 Listen", "https://music.163.com/#/song?id=1868553"),
        ("\u25b6 Listen", "https://music.163.com/#/album?id=42"),
        ("Open the map", "https://www.openstreetmap.org/?mlat=31.233&mlon=121.485"
                         "#map=12/31.233/121.485"),
        ("Open the map", "https://www.openstreetmap.org/?mlat=48.85&mlon=2.35#map=11/48.85/2.35")]
    assert list(fragment.iter("img")) == []
    markdown, problems = expand('{{< music kugou song 123 >}}\n\n{{< mapbox "x" "y" >}}\n')
    assert "music" not in markdown and "mapbox" not in markdown
    assert [line for line, _ in problems] == [1, 3]


def test_a_number_or_true_assigned_is_printed_as_liquid_prints_it():
    """Liquid's literals: `{% assign knots = 12 %}` was an error ("12 is not a site or page
    value") and the post could not be sent; Jekyll prints 12."""
    expansion = expand_tags(
        "{%- assign knots = 12 -%}\n{% assign gust = 17.5 %}{% assign calm = false %}\n"
        "Wind {{ knots }}, gusts {{ gust | append: ' knots' }}, calm: {{ calm }}; "
        "{{ -3 }} degrees.\n", context())
    assert expansion.problems == ()
    text = fragment_to_text(markdown_fragment(expansion.markdown))
    assert "Wind 12, gusts 17.5 knots, calm: false; -3 degrees." in text


@pytest.mark.parametrize("body, shown", [
    ("Read about it in this {% include toc.html %}.\n", "Read about it in this."),
    ("Share it {% include share-buttons.html %}, please.\n", "Share it, please."),
    ("Keep {% include toc.html %} this.\n", "Keep this."),
])
def test_a_tag_dropped_before_punctuation_leaves_no_space_before_it(body, shown):
    """Page furniture dropped mid-sentence left "in this ." in the email."""
    expansion = expand_tags(body, context())
    assert fragment_to_text(markdown_fragment(expansion.markdown)).strip() == shown


def test_a_value_looked_up_in_brackets_is_printed():
    """`author: mara` naming an entry of _data/authors.yml, as themes print it:
    `{{ site.data.authors[page.author].name }}` was an error and the post could not be sent."""
    site = {"data": {"authors": {"mara": {"name": "Mara Vento"}, "kai": {"name": "Kai"}}},
            "author": {"name": "Jane"}, "tags": ["kites", "wind"]}
    page = {"title": "This Post", "author": "mara", "tags": ["first", "second"]}
    markdown, problems = expand(
        "By {{ site.data.authors[page.author].name }} and {{ site.data.authors['kai'].name }}"
        ", for {{ site.author[\"name\"] }}: {{ page.tags[1] }}, {{ site.tags[0] }}.\n"
        "{{ site.data.authors[page.missing].name }}\n", site=site, page=page)
    assert markdown.splitlines()[0] == "By Mara Vento and Kai, for Jane: second, kites."
    assert problems == [(2, "{{ site.data.authors[page.missing].name }}: "
                            "site.data.authors[page.missing].name has no value for this site")]
