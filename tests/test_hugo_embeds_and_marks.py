"""Hugo shortcodes that stand as blocks or mark words on the blog, through `preview`: embeds
written one under another (Hugo's own x, instagram, vimeo, gist, youtube) and Hinode's
kbd, sub, sup, mark, ins, abbr and command, and the Markdown LoveIt, DoIt and FixIt add, on
sites written here with this project's own text."""

from __future__ import annotations

import lxml.html
import pytest
from conftest import invoke
from generator_sites import fill_in_settings, write_files

CONFIG = {"hugo.toml": 'baseURL = "https://fen.example.org/"\ntitle = "Fen Log"\n'}


def previewed(tmp_path, post: str, settings: str = ""):
    root = write_files(tmp_path / "fen", {
        "hugo.toml": CONFIG["hugo.toml"] + settings, "content/posts/walk.md": f"---\ntitle: Walk\ndate: 2025-04-02\n---\n\n{post}"})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    checked = invoke(root, "check", "walk")
    result = invoke(root, "preview", "walk")
    assert result.exit_code == 0, result.output
    html = (root / "preview" / "walk" / "email.html").read_text()
    text = (root / "preview" / "walk" / "email.txt").read_text()
    return checked, lxml.html.document_fromstring(html), text


def test_embeds_written_one_under_another_are_a_paragraph_each(tmp_path):
    """On the blog each embed is a block of its own (a quoted post, a player); the email ran
    their links into one line of one paragraph."""
    _, document, text = previewed(tmp_path, (
        '{{< x user="fenlog" id="1453110110599868418" >}}\n{{< instagram CxOWiQNP2MO >}}\n'
        '{{< vimeo 55073825 >}}\n{{< gist fenlog 7896402 >}}\n{{< youtube 0RKpf3rK57I >}}\n\n'
        'The heron {{< vimeo 55073826 >}} stays in its sentence.\n'))

    paragraphs = [[a.get("href") for a in p.iter("a")] for p in document.iter("p")
                  if p.xpath(".//a[contains(@href, 'fenlog') or contains(@href, 'CxOW')"
                             " or contains(@href, 'vimeo') or contains(@href, 'youtube')]")]
    assert paragraphs == [
        ["https://x.com/fenlog/status/1453110110599868418"],
        ["https://www.instagram.com/p/CxOWiQNP2MO/"], ["https://vimeo.com/55073825"],
        ["https://gist.github.com/fenlog/7896402"],
        ["https://www.youtube.com/watch?v=0RKpf3rK57I"], ["https://vimeo.com/55073826"]]
    assert "View the post on Instagram <https://www.instagram.com/p/CxOWiQNP2MO/>\n\n" in text
    assert "The heron ▶ Watch the video on Vimeo <https://vimeo.com/55073826> stays in" in \
        " ".join(text.split())


def test_hinodes_word_marking_shortcodes_show_their_words_marked(tmp_path):
    """Hinode's ``{{< kbd "Ctrl" >}}``, ``H{{< sub "2" >}}O`` and ``mc{{< sup 2 >}}`` were
    left out with a warning each ("Press + to copy", "HO"), as ``{{< abbr css >}}`` (its long
    form a tooltip), and ``mark``'s and ``ins``'s content lost its marking."""
    checked, document, text = previewed(tmp_path, (
        'Press {{< kbd "Ctrl" >}}+{{< kbd title="C" >}} to copy. Ice is H{{< sub "2" >}}O, '
        "E = mc{{< sup 2 >}}, in {{< abbr css >}}.\n\nThis is {{< mark >}}really **key**{{< /mark >}} and "
        "{{< ins >}}\nnew\n{{< /ins >}} here.\n"))

    assert checked.exit_code == 0 and "template-degraded" not in checked.output
    (press,) = document.xpath("//p[contains(., 'Press')]")
    assert [(element.tag, element.text_content()) for element in press.iter(
        "kbd", "sub", "sup", "abbr")] == [("kbd", "Ctrl"), ("kbd", "C"), ("sub", "2"),
                                          ("sup", "2"), ("abbr", "css")]
    (key,) = document.xpath("//p[contains(., 'This is')]")
    assert [(element.tag, element.text_content()) for element in key.iter("mark", "ins")] == [
        ("mark", "really key"), ("ins", "new")]
    assert key.xpath(".//mark/strong/text()") == ["key"]
    assert "Press Ctrl+C to copy. Ice is H2O, E = mc2, in css." in text
    assert "This is really key and new here." in text


def test_hinodes_command_shortcode_is_its_commands_in_code(tmp_path):
    """Hinode's ``command`` shows shell commands with a prompt; the email read them as
    Markdown, so ``*`` and ``_`` in a command became emphasis."""
    checked, document, text = previewed(tmp_path, (
        "Clean up:\n\n{{< command >}}\nrm -f *_old.log *_old.txt\n{{< /command >}}\n\n"
        '{{< command shell="powershell" >}}\nGet-ChildItem *_old*\n{{< /command >}}\n'))

    assert [(code.get("class"), code.text) for code in document.xpath("//pre/code")] == [
        ("language-shell", "rm -f *_old.log *_old.txt\n"),
        ("language-powershell", "Get-ChildItem *_old*\n")]
    assert "    rm -f *_old.log *_old.txt" in text
    assert "template-degraded" in checked.output  # the prompt is the theme's: a warning


LOVEIT_MARKS = ("[Hugo]^(a site generator) builds it, [3]/[4] done :(fas fa-heart): today. "
                "Written: [Hugo]{?^}(as is).\n\n`[code]^(kept)` and `[1]/[2]`.\n")


@pytest.mark.parametrize("theme", ['theme = "LoveIt"', 'theme = ["FixIt"]',
                                   '[module]\n[[module.imports]]\npath = '
                                   '"github.com/HEIGE-PCloud/DoIt"'])
def test_loveit_doit_and_fixit_sites_annotations_and_fractions_are_marked(tmp_path, theme):
    """LoveIt, DoIt and FixIt read ``[Hugo]^(note)`` as a ruby annotation, ``[3]/[4]`` as a
    fraction and ``:(fas fa-heart):`` as an icon, and ``{?^}`` as a ^ written as it is; the
    email showed the brackets and the icon's classes as written. Code keeps them."""
    _, document, text = previewed(tmp_path, LOVEIT_MARKS, f"{theme}\n")

    (sentence,) = document.xpath("//p[contains(., 'builds it')]")
    assert [(element.tag, element.text_content()) for element in sentence.iter(
        "ruby", "rt", "sup", "sub")] == [("ruby", "Hugo(a site generator)"),
                                         ("rt", "a site generator"), ("sup", "3"), ("sub", "4")]
    assert "Hugo(a site generator) builds it, 3/4 done today. Written: [Hugo]^(as is)." in \
        " ".join(text.split())
    assert [code.text for code in document.iter("code")] == ["[code]^(kept)", "[1]/[2]"]


def test_another_themes_brackets_stay_as_written(tmp_path):
    _, document, text = previewed(tmp_path, LOVEIT_MARKS, 'theme = "PaperMod"\n')

    assert not list(document.iter("ruby", "sub"))
    assert "[Hugo]^(a site generator) builds it, [3]/[4] done :(fas fa-heart): today." in \
        " ".join(text.split())


def test_a_doks_callout_is_headed_by_its_context(tmp_path):
    """Doks (Thulite) names a callout's kind ``context``: without a title it was headed
    "Note" whatever its kind."""
    _, document, text = previewed(tmp_path, '{{< callout context="danger" icon="alert" >}}\n'
                                            "Do not feed the **swans**.\n{{< /callout >}}\n")

    (quote,) = document.iter("blockquote")
    assert [strong.text for strong in quote.iter("strong")] == ["Danger", "swans"]
    assert "> Danger\n>\n> Do not feed the swans." in text


def test_shortcodes_that_only_style_their_words_show_them_without_a_warning(tmp_path):
    """Blowfish's and Congo's lead, badge and keyword, FixIt's style, typeit and center-quote
    only style what they hold, which the email shows whole: each was a template-degraded
    warning, so check exited 1 on every such post."""
    checked, document, text = previewed(tmp_path, (
        "{{< lead >}}\nA *slow* spring.\n{{< /lead >}}\n\nA {{< badge >}}new{{< /badge >}} "
        "{{< keyword >}}nest{{< /keyword >}} and {{< typeit >}}typed words{{< /typeit >}}.\n\n"
        '{{< style "text-align:right" >}}\nRight **here**.\n{{< /style >}}\n\n'
        "{{< center-quote >}}\nCalm water.\n{{< /center-quote >}}\n\n"
        "{{< sidenote >}}Still a theme's own.{{< /sidenote >}}\n"))

    assert [line.split(": ")[3] for line in checked.output.splitlines()
            if line.startswith("warning")] == ["{{< sidenote >}}"]
    assert document.xpath("//em/text()") == ["slow"]
    assert "A new nest and typed words." in text
    assert "Right here." in text and "Calm water." in text


def test_hugo_docs_code_toggle_is_its_settings_in_code(tmp_path):
    """Hugo's documentation's ``code-toggle`` (which blogs about Hugo copy) shows settings as
    TOML, YAML and JSON tabs: the email read them as Markdown, ``[markup]`` and all."""
    checked, document, text = previewed(tmp_path, (
        "Turn it on:\n\n{{< code-toggle file=hugo >}}\n[markup.goldmark.renderer]\n"
        "unsafe = true\n{{< /code-toggle >}}\n"))

    assert [code.text for code in document.xpath("//pre/code")] == [
        "[markup.goldmark.renderer]\nunsafe = true\n"]
    assert "    [markup.goldmark.renderer]\n    unsafe = true" in text
