"""premailer's answer kept between processes (render/inlining.py): the same email, and no
premailer, for a post rendered again with the same templates and settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REFERENCE_POST, copy_example_site
from newsletter.render.inlining import KEPT, STALE_TEMPORARY, inline_css

RENDER = """
import json, sys
from pathlib import Path
from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render import render_post
settings = load_settings(Path(sys.argv[1]), {})
email = render_post(settings, find_post(load_posts(settings)[0], sys.argv[2]))
print(json.dumps([email.html, "premailer" in sys.modules, "cssutils" in sys.modules]))
"""


@pytest.fixture
def site(tmp_path) -> Path:
    return copy_example_site(tmp_path / "site")


def render_in_a_process(site: Path) -> tuple[str, bool, bool]:
    done = subprocess.run([sys.executable, "-c", RENDER, str(site), REFERENCE_POST],
                          capture_output=True, text=True, check=True)
    return tuple(json.loads(done.stdout))


def test_a_second_render_reads_the_inlined_email_back_without_premailer(site):
    first, *imported = render_in_a_process(site)
    assert imported == [True, True]
    assert len(list((site / ".newsletter" / "inlined").glob("*.html"))) == 1
    again, *imported = render_in_a_process(site)
    assert (again, imported) == (first, [False, False])


def test_a_changed_stylesheet_is_inlined_afresh(site):
    first, *_ = render_in_a_process(site)
    css = site / "templates" / "email.css"
    css.unlink()  # the example site's templates are a link to the shipped ones
    css.write_text("p { color: #123456; }\n", encoding="utf-8")
    again, *imported = render_in_a_process(site)
    assert imported == [True, True] and again != first and "#123456" in again


def test_a_state_folder_that_cannot_be_written_costs_only_time(site):
    first, *_ = render_in_a_process(site)
    for kept in (site / ".newsletter" / "inlined").glob("*.html"):
        kept.unlink()
    (site / ".newsletter" / "inlined").rmdir()
    (site / ".newsletter" / "inlined").write_text("not a folder")
    again, *imported = render_in_a_process(site)
    assert (again, imported) == (first, [True, True])


def test_only_the_newest_answers_are_kept(tmp_path):
    for number in range(KEPT + 3):
        inline_css(f"<html><body><p>{number}</p></body></html>", tmp_path)
    assert len(list(tmp_path.glob("*.html"))) == KEPT


def test_a_temporary_file_left_by_a_killed_process_goes_once_it_is_old(tmp_path):
    stale, fresh = tmp_path / ".x.html.a1.tmp", tmp_path / ".y.html.b2.tmp"
    for left in (stale, fresh):
        left.write_bytes(b"half an ans")
    os.utime(stale, (time.time() - STALE_TEMPORARY - 60,) * 2)

    inline_css("<html><body><p>one</p></body></html>", tmp_path)

    assert not stale.exists() and fresh.exists()  # fresh: perhaps another process's, writing


@pytest.mark.parametrize("cut", [lambda kept: b"", lambda kept: kept[: len(kept) // 2],
                                 lambda kept: kept[:-200]])
def test_a_kept_answer_that_is_not_whole_is_inlined_afresh(site, cut):
    first, *_ = render_in_a_process(site)
    [kept] = (site / ".newsletter" / "inlined").glob("*.html")
    kept.write_bytes(cut(kept.read_bytes()))
    again, *imported = render_in_a_process(site)
    assert (again, imported) == (first, [True, True])
    third, *imported = render_in_a_process(site)  # written whole again
    assert (third, imported) == (first, [False, False])


def test_a_stylesheet_becomes_rules_once_a_process_however_many_emails_use_it(monkeypatch):
    # `check` and `preview` of many posts inline the templates' sheet in each: turning it into
    # rules was half of every post's render (60 ms; four minutes of a blog of 5,000 posts).
    import premailer

    from newsletter.render import inlining

    sheets = []
    rules_of = premailer.Premailer._parse_style_rules

    def counted(self, css_body, ruleset_index):
        sheets.append(css_body)
        return rules_of(self, css_body, ruleset_index)

    monkeypatch.setattr(premailer.Premailer, "_parse_style_rules", counted)
    inlining._style_rules.cache_clear()
    sheet = "<style>p { color: #123456 } .note { font-weight: bold }</style>"
    first = inline_css(f"<html><head>{sheet}</head><body><p>One</p></body></html>")
    second = inline_css(f"<html><head>{sheet}</head><body><p class='note'>Two</p></body></html>")
    assert '<p style="color:#123456">One</p>' in first
    assert '<p class="note" style="color:#123456; font-weight:bold">Two</p>' in second
    other = inline_css("<html><head><style>p { color: #654321 }</style></head>"
                       "<body><p>Three</p></body></html>")
    assert '<p style="color:#654321">Three</p>' in other  # another sheet, its own rules
    assert len(sheets) == 2
