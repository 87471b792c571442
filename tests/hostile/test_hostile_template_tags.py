"""Hostile template tags: unclosed, nested without end, huge, carrying script URLs or
attributes of their own. Each is refused or escaped, reported where it is, never a traceback,
and expanding a post takes time in proportion to its length (bench/bench_template_tags.py
prints the figures)."""

from __future__ import annotations

import json

import lxml.html
import pytest
from conftest import invoke
from cpu_ratio import cpu_ratio

from newsletter.render.markdown import markdown_to_fragment
from newsletter.render.tags import TagContext, expand_tags

CONTEXT = TagContext(site_url="https://example.com", site={"url": "https://example.com",
                                                            "title": "Notes"})
FRONT_MATTER = '---\ntitle: "Hostile"\ndate: "2026-11-26T09:00:00Z"\ndescription: "x"\n---\n\n'


def expand(body: str):
    return expand_tags(body, CONTEXT)


def elements(markdown: str) -> list:
    return list(markdown_to_fragment(markdown, "https://example.com/posts/x").iter())


SCRIPT_URLS = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
               "\x01javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>x</script>",
               "file:///etc/passwd", "C:\\Users\\me\\photo.jpg"]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_an_eleventy_image_never_carries_a_script_or_local_file_url(url):
    expansion = expand(f'{{% image "{url}", "A cat" %}}\n')

    assert [problem.line for problem in expansion.problems] == [1]
    assert not [element for element in elements(expansion.markdown) if element.tag == "img"]


@pytest.mark.parametrize("url", SCRIPT_URLS)
@pytest.mark.parametrize("parameter", ["link", "src", "attrlink"])
def test_a_figure_never_carries_a_script_or_local_file_url(url, parameter):
    values = {"src": "photo.jpg", "attr": "Jane", parameter: url}
    parameters = " ".join(f'{name}="{value}"' for name, value in values.items())
    body = "{{< figure " + parameters + " >}}\n"

    expansion = expand(body)

    assert [problem.line for problem in expansion.problems] == [1]
    assert "is not a web address" in expansion.problems[0].message
    for element in elements(expansion.markdown):
        for name in ("href", "src"):
            url = (element.get(name) or "").replace("\t", "").strip(" \x01").lower()
            assert not url.startswith(("javascript", "vbscript", "data", "file", "c:"))


@pytest.mark.parametrize("body", [
    '{{< figure src="a.jpg\\" onerror=\\"alert(1)" alt="x\\" onload=\\"alert(2)" '
    'title="<script>alert(3)</script>" caption="<img src=x onerror=alert(4)>" >}}',
    "{{< figure src=`a.jpg\" onerror=\"alert(1)` alt=`x' onmouseover='alert(2)` >}}",
    '{{< youtube id="x\\" onload=\\"alert(1)" title="\\"><script>alert(2)</script>" >}}',
    '{{< x user="a\\" onclick=\\"alert(1)" id="123" >}}',
    '{{< gist "../../evil" "1" >}}',
    '{{< details summary="<b onclick=alert(1)>Open</b>" >}}Text{{< /details >}}',
    '{% image "a.jpg\' onerror=\'alert(1)", "x\' onload=\'alert(2)<script>alert(3)</script>" %}',
    '{{< notice warning "<b onclick=alert(1)>Open</b>" >}}Text{{< /notice >}}',
    '{{% alert title="<script>alert(1)</script>" %}}Text{{% /alert %}}',
])
def test_parameters_are_text_never_markup_or_attributes(body):
    expansion = expand(body + "\n")

    for element in elements(expansion.markdown):
        assert element.tag not in ("script", "b")
        assert not (element.tag == "img" and element.get("src") == "x")
        assert not [name for name in element.attrib if name.startswith("on")]


def test_a_value_from_the_site_cannot_leave_its_attribute():
    context = TagContext(site_url="https://example.com",
                         site={"url": 'https://example.com" onerror="alert(1)'})

    expansion = expand_tags('<img src="{{ site.url }}/x.png" alt="x">\n', context)

    [image] = [e for e in elements(expansion.markdown) if e.tag == "img"]
    assert image.get("src") == "https://example.com%22%20onerror=%22alert%281%29/x.png"
    assert not [name for name in image.attrib if name.startswith("on")]


@pytest.mark.parametrize("body", ["{{< figure src=", "{{< youtube", "{% highlight ruby %}\nx",
                                  "{% comment %}\nnever ended", "{% raw %}\n{{ x }}", "{{ site.",
                                  "{{/* a comment", "{{</* escaped", "{{< details >}}\n" * 3,
                                  "{{< figure src=\"a.jpg >}}", "{% %}", "{{< >}}", "{{}}",
                                  "{{< /nothing >}}", "{%- endraw -%}", "`{{< ref nowhere >}}",
                                  "```\n{{< ref nowhere >}}"])
def test_unclosed_and_malformed_tags_are_reported_never_a_traceback(site, body):
    (site / "content" / "posts" / "hostile.md").write_text(FRONT_MATTER + body + "\n")

    result = invoke(site, "check", "hostile", "--json")

    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 2
    assert {f["code"] for f in findings if f["severity"] == "error"} == {"template-syntax"}
    assert all(f["where"].startswith("content/posts/hostile.md:") for f in findings
               if f["code"] == "template-syntax")


def test_a_huge_parameter_string_is_refused_and_reported_at_its_line(site):
    caption = "A" * 200_000
    (site / "content" / "posts" / "huge.md").write_text(
        FRONT_MATTER + f'{{{{< figure src="x.jpg" caption="{caption}" >}}}}\n')

    result = invoke(site, "check", "huge", "--json")

    findings = {f["code"]: f for f in json.loads(result.stdout)["findings"]}
    assert result.exit_code == 2
    assert findings["template-syntax"]["where"] == "content/posts/huge.md:7"
    assert findings["template-syntax"]["message"] == (
        "a template tag of 200037 characters is refused (at most 4000)")


def test_shortcodes_nested_ten_thousand_deep_are_read_without_recursion():
    depth = 10_000
    expansion = expand("{{< details >}}\n" * depth + "Deep.\n" + "{{< /details >}}\n" * depth)

    assert expansion.problems == ()
    assert expansion.markdown.count("<strong>Details</strong>") == depth


def test_findings_stop_at_a_hundred_lines_however_many_tags_are_left():
    expansion = expand("{{< unknown >}}\n" * 5000)

    assert len(expansion.problems) == 101
    assert expansion.problems[-1].message == "more template tags are left as written from here on"
    assert expansion.problems[-1].warning  # a theme's shortcode left out, as the ones above


def test_the_line_for_the_rest_is_an_error_when_one_of_the_rest_is():
    expansion = expand("{{< unknown >}}\n" * 200 + "{{< ref nowhere >}}\n" + "{{< unknown >}}\n")

    assert len(expansion.problems) == 101
    assert (expansion.problems[-1].line, expansion.problems[-1].warning) == (101, False)


@pytest.mark.parametrize("shape", ["{{{{< s{} >}}}}\n", "{{{{< s{0} >}}}}x{{{{< /s{0} >}}}}\n",
                                   '{{% assign v{} = "x" %}}\n'],
                         ids=["alone", "with content", "assignments"])
def test_theme_shortcodes_of_as_many_names_take_time_in_proportion_to_the_post(shape):
    """Each name's closing tag is looked for once for the whole post, not once for each name
    from where it is written (which went over the rest of the post for each)."""
    small, large = ("".join(shape.format(index) for index in range(count))
                    for count in (250, 4000))

    ratio = cpu_ratio(lambda: expand(small), lambda: expand(large), within=48)

    assert ratio < 48, f"16x the text took {ratio:.0f}x the time"


@pytest.mark.parametrize("opening, closing", [("{% capture held %}", "{% endcapture %}"),
                                              ("{{< notice >}}", "{{< /notice >}}")],
                         ids=["capture", "note box"])
def test_what_a_capture_or_a_note_box_holds_is_taken_in_time_in_proportion(opening, closing):
    """Their content is read as the rest of the post (many pieces: code spans here), then
    taken out at once (it was popped piece by piece, each pop going over the rest)."""
    small, large = (f"{opening}{'a `b` ' * count}{closing}\n" for count in (6000, 96000))

    ratio = cpu_ratio(lambda: expand(small), lambda: expand(large), within=48)

    assert ratio < 48, f"16x the text took {ratio:.0f}x the time"


# Expansion time grows with the post, not with its square. CPU time (not wall time), the best
# of up to three runs, and a ratio with room for a busy machine: linear is about 16, quadratic
# 256 (a search that went back over the text each time measured 150 to 250).
SHAPES = {  # one for each part of the reading that could go back over the text
    "unclosed shortcodes": "{{< a ",
    "closed unknown shortcodes": "{{< notice >}}",
    "unclosed raw blocks": "{% raw %}",
    "nested paired shortcodes": "{{< details >}}",
    "unclosed comments": "{% comment %}",
    "backtick runs": "` `` ``` ",
    "unclosed fences": "```a\n",
    "figures": '{{< figure src="a.jpg" title="A" >}}\n\n',
}


@pytest.mark.parametrize("unit", SHAPES.values(), ids=SHAPES)
def test_expanding_takes_time_in_proportion_to_the_post(unit):
    small, large = (unit * (size // len(unit)) for size in (10_000, 160_000))

    ratio = cpu_ratio(lambda: expand(small), lambda: expand(large), within=48)

    assert ratio < 48, f"16x the text took {ratio:.0f}x the time"


@pytest.mark.parametrize("body", [
    '{{< button href="javascript:alert(1)" >}}Click{{< /button >}}',
    '{{< card link=" JavaScript:alert(1)" title="<b onmouseover=x>A</b>" >}}',
    '{{< qr text="javascript:alert(1)" />}}',
    '{{< tabs items="<img src=x onerror=alert(1)>,B" >}}{{< tab >}}A{{< /tab >}}{{< /tabs >}}',
    '{{< tab title="[x](javascript:alert(1))" >}}A{{< /tab >}}',
    '{% include note.html content="<script>alert(1)</script> and <b>bold</b>" %}',
    '{% twitter javascript:alert(1) %}',
])
def test_a_themes_shortcode_never_carries_a_script_url_or_markup_of_its_parameters(body):
    """A theme's shortcode shown in part: its parameters are text, and an address that is not
    a web one makes no link (a button keeps its text). (A Markdown link written in a text
    parameter is a link, as the theme's markdownify makes it: the check judges its address.)"""
    root = markdown_to_fragment(expand(body + "\n").markdown, "https://example.com/posts/x")

    assert not root.xpath("//script | //b | //img | //*[@onerror] | //*[@onmouseover]")
    assert not [a for a in root.iter("a")
                if a.get("href", "").strip().lower().startswith(("javascript", "data"))]


@pytest.mark.parametrize("target", ["/../../secret.md", "../../../secret", "/" + "a" * 3000,
                                    "/_common/big.md"],
                         ids=["above-content", "above-the-post", "name-too-long", "too-big"])
def test_a_hugo_include_never_puts_a_file_from_outside_the_site_or_a_huge_one_in(tmp_path,
                                                                                  target):
    """Hugo's include shortcode names a page by its path: one outside the site (by ``..``),
    a name too long for the system or a page past the size an include may have is left out
    with a warning, never read, never a traceback."""
    from generator_sites import fill_in_settings, write_files
    write_files(tmp_path, {"secret.md": "---\ntitle: S\n---\n\nThe private key.\n"})
    site = write_files(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://ink.example.org/"\ntitle = "Ink"\n',
        "content/_common/big.md": "---\ntitle: Big\n---\n\n" + "The private key. " * 20000,
        "content/posts/one.md": (FRONT_MATTER + f'Ink.\n\n{{{{% include "{target}" %}}}}\n')})
    assert invoke(site, "init").exit_code == 0
    fill_in_settings(site)
    result = invoke(site, "check", "one")
    assert "Traceback" not in result.output and "private key" not in result.output
    assert "template-degraded" in result.output
    assert invoke(site, "preview", "one").exit_code == 0
    assert all("private key" not in path.read_text(errors="replace")
               for path in site.glob("preview/**/*.*") if path.suffix in (".html", ".txt"))
