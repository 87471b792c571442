"""Pelican's and Nikola's reStructuredText posts are read, rendered and sent as their Markdown
posts are: the title, :date:, :slug: and :summary: fields Pelican reads (or Nikola's bare
``.. title:`` lines), sections, lists, code, links to other posts, and an error naming the
line where docutils finds one."""

from __future__ import annotations

import json

from fake_providers import write_readers
from generator_sites import fill_in_settings, picture, write_files

from conftest import invoke

PELICAN_CONF = ('SITENAME = "Marsh Log"\nSITEURL = "https://marsh.example.org"\n'
                'PATH = "content"\nTIMEZONE = "Europe/London"\n'
                'ARTICLE_URL = "{date:%Y}/{slug}.html"\nSTATIC_PATHS = ["images"]\n')

REEDS = """\
=================
Cutting the Reeds
=================

:date: 2026-02-03 10:15
:modified: 2026-02-04 09:00
:tags: reeds, winter
:slug: reed-cutting
:summary: Why the reed beds are cut in winter,
    and what they thatch.

The cutters go in once the *ground* is hard, as the `dyke walk <{filename}/dyke-walk.md>`_
said they would.

Bundles
-------

.. image:: {static}/images/bundle.png
   :alt: A bundle of reed

- Cut low.
- Tie in sixes.

.. code-block:: text

   bundles: 240
"""


def _site(tmp_path, files):
    root = write_files(tmp_path / "blog", files)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2000-01-01T00:00:00Z")
    write_readers(root, ["reader@example.org"])
    return root


def _pelican(tmp_path, **more):
    return _site(tmp_path, {
        "pelicanconf.py": PELICAN_CONF,
        "content/reeds.rst": REEDS,
        "content/dyke-walk.md": ("Title: The Dyke Walk\nDate: 2026-01-10\n\nMud to the knee; "
                                 "[the reeds]({filename}/reeds.rst) next.\n"),
        "content/images/bundle.png": picture((150, 130, 60), "PNG"),
        **more,
    })


def test_a_pelican_rst_article_is_listed_with_its_fields(tmp_path):
    root = _pelican(tmp_path)
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    post = next(item for item in json.loads(result.stdout) if item["file"] == "content/reeds.rst")
    assert (post["status"], post["id"], post["title"], post["url"]) == (
        "ready", "/reeds", "Cutting the Reeds", "https://marsh.example.org/2026/reed-cutting.html")
    assert post["date"] == "2026-02-03T10:15:00+00:00"
    assert "not read" not in invoke(root, "posts").stdout


def test_a_pelican_rst_article_reads_in_the_email_as_on_its_page(tmp_path):
    root = _pelican(tmp_path)
    result = invoke(root, "preview", "reeds")
    assert result.exit_code == 0, result.output
    html = (root / "preview" / "reeds" / "email.html").read_text()
    text = (root / "preview" / "reeds" / "email.txt").read_text()
    assert "<em>ground</em>" in html and ">Bundles</h2>" in html
    assert 'href="https://marsh.example.org/2026/the-dyke-walk.html"' in html
    assert '<img alt="A bundle of reed" src="images/' in html  # the file, carried in the email
    assert "bundles: 240" in text and "- Cut low.\n- Tie in sixes." in text
    # the summary is the inbox preview; the title and fields are not repeated in the body
    assert "Why the reed beds are cut in winter, and what they thatch." in html
    for written in (":date:", ":summary:", "{filename}", "{static}"):
        assert written not in text and written not in html
    assert "=====" not in html
    assert text.count("Cutting the Reeds") == 1


def test_rst_math_is_the_latex_written_and_a_citation_is_an_item_of_its_list(tmp_path):
    # docutils drew math in HTML for its math.css, which no email has: "∫ from 0 to 1 of x²"
    # read "1∫0x2", "mc²" "mc2". Its citations' role="doc-biblioentry" failed axe-core,
    # and a note's label stood on a line of its own, its text below.
    root = _pelican(tmp_path, **{"content/sums.rst": (
        "Sums\n####\n\n:date: 2026-02-05 10:00\n:summary: Two sums.\n\n"
        "Energy is :math:`E = mc^2`, as in [CIT2002]_.\n\n"
        ".. math::\n\n   \\int_0^1 x^2 \\, dx = \\frac{1}{3}\n\n"
        ".. [CIT2002] A citation.\n")})
    assert invoke(root, "preview", "sums").exit_code == 0
    html = (root / "preview" / "sums" / "email.html").read_text()
    text = (root / "preview" / "sums" / "email.txt").read_text()
    assert "Energy is E = mc^2, as in [CIT2002].\n\n    \\int_0^1 x^2 \\, dx = \\frac{1}{3}\n\n" \
        in text
    assert "\n[CIT2002] A citation.\n" in text
    assert '<code class="math"' in html and "doc-biblioentry" not in html
    assert 'class="citation" id="cit2002" role="listitem"' in html


def test_a_markdown_post_links_the_rst_article_by_its_file(tmp_path):
    root = _pelican(tmp_path)
    assert invoke(root, "preview", "dyke-walk").exit_code == 0
    assert 'href="https://marsh.example.org/2026/reed-cutting.html"' in \
        (root / "preview" / "dyke-walk" / "email.html").read_text()


def test_check_and_a_dry_run_take_the_rst_article_as_a_post(tmp_path):
    root = _pelican(tmp_path)
    check = invoke(root, "check", "reeds", "--json")
    assert [f for f in json.loads(check.stdout)["findings"] if f["severity"] == "error"] == []
    result = invoke(root, "send", "--due", "--dry-run")
    assert result.exit_code == 0, result.output
    assert '  would send /reeds "Cutting the Reeds"' in result.stdout


def test_a_nikola_txt_post_is_restructured_text_with_its_dotted_metadata(tmp_path):
    root = _site(tmp_path, {
        "conf.py": ('# Nikola\nBLOG_TITLE = "Kiln Days"\nSITE_URL = "https://kiln.example.org/"\n'
                    'POSTS = (("posts/*.txt", "posts", "post.tmpl"),)\n'),
        "posts/glaze-tests.txt": (".. title: Glaze Tests\n.. slug: glaze-tests\n"
                                  ".. date: 2026-03-01 08:00:00 UTC\n"
                                  ".. description: Six tiles, one good.\n\n"
                                  "Six tiles went in.\n\nResults\n=======\n\n1. Celadon\n"
                                  "2. Tenmoku\n\n.. thumbnail:: /images/tiles.png\n\n"
                                  "   The six tiles, fired.\n"),
        "images/tiles.png": picture((40, 120, 110), "PNG"),
        "posts/firing.txt": (".. title: Firing\n.. slug: firing\n"
                             ".. date: 2026-03-08 08:00:00 UTC\n\nAfter :doc:`the tests "
                             "<glaze-tests>`, see :doc:`glaze-tests` again.\n"),
    })
    listed = json.loads(invoke(root, "posts", "--json").stdout)
    assert [(item["id"], item["status"], item["url"]) for item in listed] == [
        ("/posts/firing", "ready", "https://kiln.example.org/posts/firing/"),
        ("/posts/glaze-tests", "ready", "https://kiln.example.org/posts/glaze-tests/")]
    assert invoke(root, "preview", "firing").exit_code == 0  # Nikola's :doc: role
    assert (root / "preview" / "firing" / "email.html").read_text().count(
        'href="https://kiln.example.org/posts/glaze-tests/"') == 2
    assert invoke(root, "preview", "glaze-tests").exit_code == 0
    html = (root / "preview" / "glaze-tests" / "email.html").read_text()
    assert ">Results</h2>" in html and "Celadon" in html and ".. title" not in html
    assert 'src="images/' in html and "The six tiles, fired." in html  # Nikola's thumbnail


def test_pelicans_and_nikolas_own_directives_and_roles_show_as_an_email_can(tmp_path):
    """Pelican's sourcecode with its Pygments options (as its samples write it) stopped the
    post with docutils' "Error in sourcecode directive"; two links on adjacent lines lost the
    second to a code span."""
    root = _pelican(tmp_path, **{"content/clip.rst": (
        "Heron Clip\n##########\n\n:date: 2026-02-10\n\n"
        "`first <{filename}/dyke-walk.md>`_\n`second <{filename}dyke-walk.md>`_\n\n"
        "The :abbr:`RSPB (Royal Society for the Protection of Birds)` hide.\n\n"
        ".. sourcecode:: python\n    :linenos: table\n    :hl_lines: 1\n\n"
        "    herons = 2\n\n.. youtube:: Kx2b5Vq0T1w\n")})
    result = invoke(root, "preview", "clip")
    assert result.exit_code == 0, result.output
    html = (root / "preview" / "clip" / "email.html").read_text()
    text = (root / "preview" / "clip" / "email.txt").read_text()
    assert html.count('href="https://marsh.example.org/2026/the-dyke-walk.html"') == 2
    assert '<abbr title="Royal Society for the Protection of Birds">RSPB</abbr>' in html
    assert "    herons = 2" in text
    assert 'href="https://www.youtube.com/watch?v=Kx2b5Vq0T1w"' in html
    assert "Watch on YouTube" in text


def test_a_directive_docutils_does_not_know_is_refused_at_its_line(tmp_path):
    root = _pelican(tmp_path, **{"content/clip.rst": (
        "Heron Clip\n##########\n\n:date: 2026-02-10\n\nWatch it.\n\n"
        ".. gist:: 2c4f7a\n")})
    for command in (("check", "clip"), ("preview", "clip"), ("send", "clip", "--to",
                                                             "me@example.org")):
        result = invoke(root, *command)
        assert result.exit_code != 0
        said = result.stdout if command[0] == "check" else result.stderr  # check: a finding
        assert 'content/clip.rst:8: ' in said
        assert 'reStructuredText error: Unknown directive type "gist"' in said
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    assert not (root / "outbox" / "clip").exists()
