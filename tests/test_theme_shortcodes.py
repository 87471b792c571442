"""Shortcodes Hugo themes ship, in the email: tabs as labelled sections one after another, a
button or a card as a link, a diagram or a formula as its source (a warning), and any other
theme's shortcode as its content without it, or left out (a warning naming the post, the line
and the shortcode). The post still goes out; no tag reaches either part of the email.

The fixture posts are written after the syntax the themes' example sites document (Hextra,
Docsy, Relearn, Hugo Book, Blowfish); their text is our own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
from conftest import invoke

from newsletter.render.markdown import markdown_to_fragment
from newsletter.render.tags import TagContext, expand_tags

TAG_SYNTAX = re.compile(r"\{\{|\{%|%\}|\}\}")
FRONT = ('---\ntitle: "Knots"\ndate: "2026-11-26T09:00:00Z"\n'
         'description: "Knots for the boat."\n---\n\n')
POST_URL = "https://blog.example.com/posts/knots"


def write(site: Path, body: str) -> None:
    (site / "content" / "posts" / "knots.md").write_text(FRONT + body, encoding="utf-8")


def preview(site: Path, tmp_path: Path):
    """(result, HTML part as a tree, text part, text part on one line) of the post."""
    out = tmp_path / "preview"
    result = invoke(site, "preview", "knots", "--out", str(out))
    html = (out / "knots" / "email.html").read_text(encoding="utf-8")
    text = (out / "knots" / "email.txt").read_text(encoding="utf-8")
    return result, lxml.html.document_fromstring(html), text, " ".join(text.split())


def findings(site: Path) -> list[tuple[str, str, str, str]]:
    result = invoke(site, "check", "knots", "--json")
    return [(f["severity"], f["code"], f["where"], f["message"])
            for f in json.loads(result.stdout)["findings"]]


def no_tags(document, text: str) -> None:
    assert not TAG_SYNTAX.search(lxml.html.tostring(document, encoding="unicode"))
    assert not TAG_SYNTAX.search(text)


TABS = """Tie it the way your boat is rigged.

{{< tabs items="Dinghy,Keelboat" >}}
  {{< tab >}}Pass the tail **twice** round the cleat.{{< /tab >}}
  {{< tab >}}Use the winch first.{{< /tab >}}
{{< /tabs >}}

{{< tabpane lang="python" >}}
{{< tab header="Script" >}}
knot = tie("bowline")
{{< /tab >}}
{{< tab header="Why" text=true >}}
A bowline never *slips*.
{{< /tab >}}
{{< /tabpane >}}

{{< tabs title="Materials" >}}
{{% tab title="Rope" %}}
Nylon stretches.
{{% /tab %}}
{{% tab title="Line" %}}
Dyneema does not.
{{% /tab %}}
{{< /tabs >}}

{{< tabs "lengths" >}}
{{< tab "Short" >}} Two metres. {{< /tab >}}
{{< /tabs >}}

{{< tabs tabTotal="1" >}}
{{% tab tabName="Long" %}}
Five metres.
{{% /tab %}}
{{< /tabs >}}

The end.
"""


def test_tabs_of_each_theme_are_labelled_sections_one_after_another(site, tmp_path):
    """Hextra's items, Docsy's tabpane (its tabs' code in the tabpane's language, unless
    text=true), Relearn's titles, Hugo Book's first value, Poison's tabName (its tab had no
    label): every tab shown, in order, under its label; tabs are shown whole, so check has
    nothing to say and the post is ready."""
    write(site, TABS)

    result, document, text, line = preview(site, tmp_path)

    assert result.exit_code == 0 and result.stderr == ""
    assert findings(site) == []
    no_tags(document, text)
    labels = [strong.text for strong in document.iter("strong")]
    assert labels[:1] + labels[2:] == ["Dinghy", "Keelboat", "Script", "Why", "Rope", "Line",
                                       "Short", "Long"]  # labels[1] is "twice"
    assert ("Dinghy Pass the tail twice round the cleat. Keelboat Use the winch first. Script "
            'knot = tie("bowline") Why A bowline never slips. Rope Nylon stretches. Line '
            "Dyneema does not. Short Two metres. Long Five metres. The end.") in line
    [code] = document.iter("code")
    assert code.get("class") == "language-python" and code.text == 'knot = tie("bowline")\n'
    assert "\nDinghy\n\nPass the tail twice round the cleat.\n\nKeelboat\n" in text


SOURCES = """Here is the plan.

{{< mermaid >}}
graph LR
  Cleat --> Winch
{{< /mermaid >}}

The load grows as {{< katex >}}F = k x^2{{< /katex >}} while it stretches.

{{< katex display=true >}}
E = \\frac{1}{2} k x^2
{{< /katex >}}

{{< katex >}}
"""


def test_a_diagram_and_a_formula_show_their_source_and_warn_at_their_lines(site, tmp_path):
    """The theme draws a mermaid diagram and typesets KaTeX in the browser; the email shows
    their source as code (a diagram with a link to the post, where it is drawn), and check
    warns at each line. Blowfish's {{< katex >}} alone only loads KaTeX: left out, unreported."""
    write(site, SOURCES)

    result, document, text, line = preview(site, tmp_path)

    assert result.exit_code == 0
    assert [found[:3] for found in findings(site)] == [
        ("warning", "template-degraded", "content/posts/knots.md:9"),
        ("warning", "template-degraded", "content/posts/knots.md:14"),
        ("warning", "template-degraded", "content/posts/knots.md:16")]
    assert findings(site)[0][3].startswith("{{< mermaid >}}: a diagram the theme draws in the "
                                           "browser; the email shows its source as code")
    no_tags(document, text)
    blocks = {code.get("class"): code.text for code in document.iter("code")}
    assert blocks["language-mermaid"] == "graph LR\n  Cleat --> Winch\n"
    assert blocks["language-latex"] == "E = \\frac{1}{2} k x^2\n"
    assert blocks[None] == "F = k x^2"  # a code span, within its sentence
    [drawn] = [a for a in document.iter("a") if a.text == "See the diagram in the post"]
    assert drawn.get("href") == POST_URL
    assert f"See the diagram in the post <{POST_URL}>" in text
    assert "The load grows as F = k x^2 while it stretches." in line
    assert "E = \\frac{1}{2} k x^2" in text


THEIRS = """Before.

{{< sidenote color="blue" >}}
The secret is **practice**.
{{< /sidenote >}}

Press {{< kbd >}}Ctrl{{< /kbd >}} to tighten.

{{< photo-grid dir="/img/harbour" />}}

{{< cards >}}
  {{< card link="https://knots.example.org/bowline" title="The bowline" >}}
{{< /cards >}}

{{< button href="https://knots.example.org/shop" >}}Buy rope{{< /button >}}

{{< button relref="/posts/what-matters" >}}Read on{{< /button >}}

{{< toc >}}

After.
"""


def test_a_themes_own_shortcode_keeps_its_content_and_the_post_goes_out(site, tmp_path):
    """A shortcode newsletter does not know: its content stays, in place, without the tags;
    one without content is left out, or is a link when it names one (Hextra's card, whole
    with a title alone: no warning); each is a warning naming the post, the line and the shortcode. Buttons are links; a table of
    contents is page furniture. The post is sent, with the warnings printed."""
    write(site, THEIRS)

    result, document, text, line = preview(site, tmp_path)
    sent = invoke(site, "send", "knots", "--yes")

    assert [found[:3] for found in findings(site)] == [
        ("warning", "template-degraded", f"content/posts/knots.md:{number}")
        for number in (9, 15)]  # kbd (line 13) is shown whole, marked as a key; Hextra's
    # cards (line 17) only lays its cards out, and a card of a link and title (18) is whole
    assert findings(site)[1][3] == ('{{< photo-grid dir="/img/harbour" />}}: the shortcode '
                                    "photo-grid is the site's and is left out of the email")
    no_tags(document, text)
    assert "Before. The secret is practice. Press Ctrl to tighten. The bowline" in line
    assert document.xpath("//strong")[0].text == "practice"
    links = {a.text_content(): a.get("href") for a in document.iter("a")}
    assert links["The bowline"] == "https://knots.example.org/bowline"
    assert links["Buy rope"] == "https://knots.example.org/shop"
    assert links["Read on"] == "https://blog.example.com/posts/what-matters"
    assert "Buy rope <https://knots.example.org/shop>" in text
    assert sent.exit_code == 0, sent.output
    assert "template-degraded" in sent.stderr
    messages = list((site / "outbox" / "knots").glob("*.eml"))
    assert messages and all("The secret is" in message.read_text(encoding="utf-8")
                            for message in messages)


def test_a_closing_tag_shown_in_code_does_not_make_a_shortcode_enclose_text():
    """A post about a theme shows its closing tag in code: the shortcode before it is still
    one without content, left out with a warning, and what follows it is kept."""
    expansion = expand_tags("{{< photo-grid >}}\n\nKept.\n\n```\n{{< /photo-grid >}}\n```\n",
                            TagContext(site_url="https://example.com"))

    assert [(problem.line, problem.warning) for problem in expansion.problems] == [(1, True)]
    assert "Kept." in expansion.markdown and "{{< /photo-grid >}}" in expansion.markdown
    assert "{{< photo-grid >}}" not in expansion.markdown


LIQUID = """{% tabs rig %}
{% tab rig Dinghy %}
Pass the tail twice.
{% endtab %}
{% tab rig Keelboat %}
Use the winch.
{% endtab %}
{% endtabs %}

{% callout "warning" %}
Wet rope **shrinks**.
{% endcallout %}

{% include youtube.html id="ZJthWmvUzzc" %}

{% include knot-figure.html src="/media/what-matters-desk.jpg" caption="The bench" %}

{% twitter https://x.com/knotter/status/1453110110599868418 %}

{% include sidebar.html content="Knots are *old*." %}

{% include map.html zoom=3 %}

{% if page.draft %}
"""


def test_liquid_tags_of_plugins_and_includes_of_the_site_are_shown_in_part(site, tmp_path):
    """Written as Liquid's: jekyll-tabs' tabs are labelled sections; a paired tag of the site's
    (an Eleventy paired shortcode, a plugin's block) keeps its content; an include named for
    YouTube is the video; the site's own include shows its image, its link or its text, else
    is left out; each shown in part is a warning at its line. Liquid's own tags (if, for,
    assign...) compute, so they stay errors."""
    write(site, LIQUID)

    result, document, text, line = preview(site, tmp_path)

    assert [found[:3] for found in findings(site)] == [
        ("error", "template-syntax", "content/posts/knots.md:30")] + [
        ("warning", "template-degraded", f"content/posts/knots.md:{number}")
        for number in (16, 22, 24, 26, 28)]
    assert findings(site)[2][3].endswith(
        "the include knot-figure.html is the site's; the email shows only its image")
    assert "Dinghy Pass the tail twice. Keelboat Use the winch. Wet rope shrinks." in line
    assert [strong.text for strong in document.iter("strong")][:3] == [
        "Dinghy", "Keelboat", "shrinks"]
    links = {a.get("href") for a in document.iter("a")}
    assert {"https://www.youtube.com/watch?v=ZJthWmvUzzc",
            "https://x.com/knotter/status/1453110110599868418"} <= links
    [figure] = document.iter("figure")
    assert figure.find(".//img").get("src").startswith("images/")  # the bench photo arrived
    assert figure.find("figcaption").text_content() == "The bench"
    assert "Knots are old." in line and "zoom" not in text
    assert not TAG_SYNTAX.search(text.replace("{% if page.draft %}", ""))


def test_hugos_qr_code_is_what_it_encodes_linked_when_it_is_an_address():
    """A QR code is for a screen the reader is not looking at: the email shows its text."""
    expansion = expand_tags('{{< qr text="https://knots.example.org/join" />}}\n\n'
                            "{{< qr >}}\nWiFi: Harbour\n{{< /qr >}}\n",
                            TagContext(site_url="https://example.com"))

    assert expansion.problems == ()
    assert "[https://knots.example.org/join](https://knots.example.org/join)" in \
        expansion.markdown
    assert "WiFi: Harbour" in expansion.markdown and "qr" not in expansion.markdown


def test_a_sites_code_shortcode_keeps_its_code_as_code_with_a_warning():
    """{{< code >}} and {{< terminal >}} (themes' and sites' own) hold code: shown in a fenced
    block, its stars and underscores as written, and a warning at the line."""
    expansion = expand_tags('{{< code lang="python" >}}\nknot = a_b * c_d\n{{< /code >}}\n\n'
                            "{{< terminal >}}\n$ tie --twice *.rope\n{{< /terminal >}}\n",
                            TagContext(site_url="https://example.com"))
    fragment = markdown_to_fragment(expansion.markdown, "https://example.com/posts/x")

    assert [(problem.line, problem.warning) for problem in expansion.problems] == [
        (1, True), (5, True)]
    assert [(code.get("class"), code.text) for code in fragment.iter("code")] == [
        ("language-python", "knot = a_b * c_d\n"), ("language-shell", "$ tie --twice *.rope\n")]


def test_terminals_code_shortcode_keeps_its_title_above_the_code():
    """Terminal's and Hello Friend NG's {{< code title="..." >}} head the code with its title
    (a file name, what the snippet does); the email dropped it."""
    expansion = expand_tags('{{< code language="css" title="The *dark* theme" id="1" '
                            'expand="Show" collapse="Hide" isCollapsed="true" >}}\n'
                            "pre { background: #1a1a1d; }\n{{< /code >}}\n",
                            TagContext(site_url="https://example.com"))
    fragment = markdown_to_fragment(expansion.markdown, "https://example.com/posts/x")
    [title] = fragment.iter("strong")
    assert title.text_content() == "The dark theme" and title.find("em").text == "dark"
    assert title.getparent().getnext().tag == "pre"
    assert [(code.get("class"), code.text) for code in fragment.iter("code")] == [
        ("language-css", "pre { background: #1a1a1d; }\n")]
