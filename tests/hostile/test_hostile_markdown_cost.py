"""Markdown that would keep a renderer busy for minutes: refused within seconds, in one line naming
the post's file and line (newsletter/render/effort.py); real posts render as before.

Before, Python-Markdown (Pelican's, and the generic reading's: the example site's) took minutes
on 200 KB of ``[a](``, ``*[a](b)``, ``[^a``, unclosed ``<a`` tags or code fences, reference
definitions or definition lines, and markdown-it's smart quotes took time in the square of a
paragraph's quotes: `check`, `preview` and `send` hung. The cases that would hang run in a
subprocess with a timeout far above the fixed code's few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from conftest import run_cli

from newsletter.render.inline import use_linear_inline
from newsletter.render.markdown import MARKDOWN_EXTENSIONS, fragment_html, markdown_fragment

GUARD_SECONDS = 60  # the code before the fix took minutes on each case; the fixed one 1-10 s
SIZE = 200_000
FRONT_MATTER = '---\ntitle: "Costly"\ndate: "2026-01-01T09:00:00Z"\n---\n\nIntro.\n\n'
# Refused before Python-Markdown starts, each repeated to SIZE characters: what the error says.
COSTLY = {
    "footnote openers": ("[^a", "66,667 '[^' that open footnote references that end far away"),
    "unclosed tags": ("<a\n", "66,667 '<' that open HTML tags that end far away or never"),
    "unclosed fences": ("```.\n", "40,000 code fences (``` or ~~~) that no fence closes"),
    "reference definitions": ("[a]:\n", "holding 40,000 definitions ([x]: ... or : ...)"),
    "definition lines": ("$\n:\t", "holding 50,000 definitions ([x]: ... or : ...)"),
}
_RENDER_ALL = """
import json, sys
from newsletter.errors import ContentError
from newsletter.render.dialects import DIALECTS
from newsletter.render.markdown import markdown_fragment
results = {}
for name, (dialect, source) in json.load(sys.stdin).items():
    try:
        markdown_fragment(source, DIALECTS[dialect])
        results[name] = "rendered"
    except ContentError as error:
        results[name] = str(error)
print(json.dumps(results))
"""


def _render_in_subprocess(cases: dict[str, tuple[str, str]]) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-c", _RENDER_ALL], input=json.dumps(cases),
                          capture_output=True, text=True, timeout=GUARD_SECONDS,
                          cwd=Path(__file__).resolve().parents[2])  # this checkout's package
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _write_post(site, name: str, body: str) -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(FRONT_MATTER + body + "\n")


def test_check_refuses_a_post_of_link_openers_in_one_line_at_its_line(site):
    # Nothing to weigh before: Python-Markdown's inline pass runs out of its CPU time. 100 KB
    # would take it minutes; its budget is 3 s (the test's cost: at 300 KB it burnt 7 s).
    _write_post(site, "costly", "[a](" * (100_000 // 4))

    done = run_cli(site, "check", "costly", timeout=GUARD_SECONDS)

    assert done.returncode == 2
    assert done.stdout.splitlines() == [
        "error: content/posts/costly.md:8: render-failed: a paragraph of 100,000 characters took "
        "Python-Markdown over 3.0 s of CPU: its unclosed [ ( ` * or < make it too costly to render "
        "(the time grows with the square of its size); split it with blank lines, or put text "
        "meant as it is in a code block"]


def test_preview_refuses_an_unclosed_fence_post_at_once_naming_its_line(site, tmp_path):
    _write_post(site, "fences", "Some text.\n\n" + "```.\n" * (SIZE // 5))

    done = run_cli(site, "preview", "fences", "--out", str(tmp_path / "out"),
                   timeout=GUARD_SECONDS)

    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "error: content/posts/fences.md:10: 40,000 code fences (``` or ~~~) that no fence "
        "closes make the post too costly to render (the time grows with the square of its "
        "size); end each code block with a line holding only its fence (```)")


def test_costly_shapes_are_refused_before_rendering_and_links_in_emphasis_render():
    cases = {name: ("python-markdown", (unit * SIZE)[:SIZE]) for name, (unit, _) in COSTLY.items()}
    quotes = "'\"" * (SIZE // 2)
    cases |= {f"quotes in {dialect}": (dialect, quotes)
              for dialect in ("goldmark", "kramdown", "markdown-it")}
    cases["emphasised links"] = ("python-markdown", "*[a](b)" * (100_000 // 7))

    results = _render_in_subprocess(cases)

    for name, (_, says) in COSTLY.items():
        assert says in results[name], name
        assert "too costly to render (the time grows with the square of its size)" in results[name]
    for dialect in ("goldmark", "kramdown"):
        assert results[f"quotes in {dialect}"].startswith(
            "a paragraph of 200,000 characters holding 200,000 quotes is too costly to render "
            "with smart quotes")
    assert results["quotes in markdown-it"] == "rendered"  # Eleventy's: no smart quotes
    assert results["emphasised links"] == "rendered"  # each link's "]" found by looking ahead


PLAIN_TEXT = (
    "A long paragraph, as a writer who never breaks one writes it: it says *this*, links "
    "[a page](https://example.com/a) and `code`, and quotes \"someone\" who's right. ")


def test_a_50_kb_paragraph_of_dense_markup_renders():
    repeats = 50_000 // len(PLAIN_TEXT)
    source = PLAIN_TEXT * repeats

    html = fragment_html(markdown_fragment(source))

    assert [html.count(tag) for tag in ("<p>", "<em>", "<a ", "<code>", "“someone”")] == [
        1, repeats, repeats, repeats, repeats]


def test_many_code_blocks_tags_and_definitions_in_a_post_still_render():
    block = ("```python\nprint('[')\n```\n\n<div class=\"note\"><b>Note</b></div>\n\n"
             "[ref]: https://example.com/\n\nTerm\n: its *definition*\n\n")
    source = block * 300  # about 30 KB: 300 of each

    root = markdown_fragment(source)

    assert len(root.findall(".//pre")) == 300
    assert len(root.findall(".//dl")) == 300
    assert len(root.findall(".//div")) == 300


@pytest.mark.parametrize("source", [
    "[a [nested] text](https://x.example/) and ![img [b]](i.png) [c][r] [d]\n\n[r]: /r\n",
    "[" * 70 + "a" + "]" * 70 + "(https://x.example/)\n",  # past the lookahead
    "[open [still (open\n\n" + "[x](y) " * 50,
])
def test_link_text_lookahead_reads_what_markdown_reads(source):
    plain = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    linear = use_linear_inline(markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS),
                                                 output_format="html"))

    assert linear.convert(source) == plain.convert(source)



_RENDER_WITH_ATTRIBUTES = """
import sys
from dataclasses import replace
from newsletter.render.dialects import DIALECTS
from newsletter.render.markdown import markdown_fragment
root = markdown_fragment(sys.stdin.read(), replace(DIALECTS["goldmark"], block_attributes=True))
print(len(root.findall(".//li")), len(root.findall(".//p")))
"""


def test_a_post_of_block_attribute_lines_after_a_long_list_renders_in_linear_time():
    """Hugo's block attribute lines (parser.attribute.block = true) each look for the block
    above them: 20,000 of them after a list of 20,000 items look for it once, not once each
    (20,000 walks back over the list would hang check)."""
    source = "- item\n" * 20_000 + "{.a}\n" * 20_000 + "\nAfter.\n"
    done = subprocess.run([sys.executable, "-c", _RENDER_WITH_ATTRIBUTES], input=source,
                          capture_output=True, text=True, timeout=GUARD_SECONDS,
                          cwd=Path(__file__).resolve().parents[2])  # this checkout's package
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["20000", "1"]


_RENDER_WITH_EMOJI = """
import sys
from dataclasses import replace
from newsletter.render.dialects import DIALECTS
from newsletter.render.markdown import markdown_fragment
root = markdown_fragment(sys.stdin.read(), replace(DIALECTS["goldmark"], emoji=True))
text = root.text_content()
print(text.count(":"), text.count("\\U0001F389"))
"""


def test_a_post_of_made_up_emoji_codes_renders_at_once():
    """Where Hugo's enableEmoji is on, each :code: was looked up by running the emoji
    package's pattern over it (4 ms each): 200 KB of made-up codes took minutes to check.
    Each is now one lookup; the codes it does not know stay as written."""
    source = " ".join(f":w{number}x:" for number in range(20_000)) + " :tada:\n"
    done = subprocess.run([sys.executable, "-c", _RENDER_WITH_EMOJI], input=source,
                          capture_output=True, text=True, timeout=GUARD_SECONDS,
                          cwd=Path(__file__).resolve().parents[2])  # this checkout's package
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["40000", "1"]
