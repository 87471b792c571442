"""How render time grows with a post's size, and how fast a giant post is refused.

    python bench/bench_render_scaling.py [--compare]
    python bench/bench_render_scaling.py --quick     # 1 KB and 10 KB, a 2 MB post refused

Renders posts of 100 KB and 1 MB in four shapes (the example post repeated, one long
paragraph, a long list, a long table) and prints CPU seconds and the 1 MB / 100 KB ratio:
linear rendering gives about 10; each shape is also read as CommonMark (the dialect of Hugo,
Jekyll, Gatsby, Astro, Eleventy and Zola blogs). ``--compare`` also times Python-Markdown's
own inline pass, whose list.pop(0) and list.index() made the ratio grow with the size (slow:
minutes at 1 MB). Then 200 KB of each Markdown shape that took minutes before
newsletter/render/effort.py (rendered or refused, CPU seconds), and last the time to refuse a
50 MB post file (it is never read).

Target (issue 12): a 1 MB post renders in time proportional to a 100 KB one; a post over 1 MB
is refused at once.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
SIZES = (100_000, 1_000_000)


def shapes(example_body: str) -> dict[str, Callable[[int], str]]:
    def fill(unit: str, size: int, separator: str = "") -> str:
        return separator.join([unit] * (size // (len(unit) + len(separator)) + 1))[:size]

    return {
        "example post repeated": lambda n: fill(example_body, n, "\n\n"),
        "one long paragraph": lambda n: fill(
            "Some *words* and a [link](https://example.com/x) with `code` here. ", n),
        "a long list": lambda n: fill("- an item with **bold** text\n", n),
        "a long table": lambda n: "| a | b |\n|---|---|\n" + fill("| x *y* | z |\n", n),
    }


def cpu_seconds(action) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def main(compare: bool, quick: bool = False) -> None:
    global SIZES
    if quick:
        SIZES = (1_000, 10_000)
    import newsletter.render.markdown as markdown_step
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import render_post

    settings = load_settings(REPO, os.environ)
    post = find_post(load_posts(settings)[0], "/posts/what-matters")
    render_post(settings, post)  # warm up premailer and cssutils
    passes = {"linear inline pass": markdown_step.use_linear_inline}
    if compare:
        passes["Markdown's own pass"] = lambda md, budget=None: md
    # The dialect of Hugo, Jekyll, Gatsby, Astro, Eleventy and Zola blogs (markdown-it-py).
    commonmark = dataclasses.replace(
        settings, posts=dataclasses.replace(settings.posts, markdown="commonmark"))
    print(f"{'shape':24} {'inline pass':22} {'100 KB':>8} {'1 MB':>8} {'ratio':>6}")
    for shape, make in shapes(post.body).items():
        def row(label: str, site_settings) -> None:
            times = [cpu_seconds(partial(render_post, site_settings,
                                         dataclasses.replace(post, body=make(size))))
                     for size in SIZES]
            print(f"{shape:24} {label:22} {times[0]:7.2f}s {times[1]:7.2f}s "
                  f"{times[1] / times[0]:6.1f}", flush=True)

        for label, inline_pass in passes.items():
            markdown_step.use_linear_inline = inline_pass
            row(label, settings)
        row("CommonMark dialect", commonmark)
    markdown_step.use_linear_inline = passes["linear inline pass"]
    costly_shapes(10_000 if quick else 200_000)
    refuse_giant_post(settings, 2 if quick else 50)


# Markdown that took a renderer minutes (tests/hostile/test_hostile_markdown_cost.py).
COSTLY = {"[a](": "python-markdown", "*[a](b)": "python-markdown", "<a\n": "python-markdown",
          "```.\n": "python-markdown", "[^a": "python-markdown", "'\"": "goldmark"}


def costly_shapes(size: int) -> None:
    """CPU seconds to render, or to refuse, each costly shape repeated to ``size``."""
    from newsletter.errors import ContentError
    from newsletter.render.dialects import DIALECTS
    from newsletter.render.markdown import markdown_fragment

    for unit, dialect in COSTLY.items():
        outcome = "rendered"

        def render(source=(unit * size)[:size], dialect=DIALECTS[dialect]) -> None:
            nonlocal outcome
            try:
                markdown_fragment(source, dialect)
            except ContentError:
                outcome = "refused"

        seconds = cpu_seconds(render)
        print(f"{size // 1000} KB of {unit!r:12} {dialect:16} {outcome:9} {seconds:6.2f}s",
              flush=True)


def refuse_giant_post(settings, megabytes: int = 50) -> None:
    from newsletter.posts import load_posts

    with tempfile.TemporaryDirectory() as folder:
        giant_site = dataclasses.replace(settings, root=Path(folder))
        posts = Path(folder) / "content" / "posts"
        posts.mkdir(parents=True)
        with open(posts / "giant.md", "w", encoding="utf-8") as handle:
            handle.write('---\ntitle: "Giant"\ndate: 2026-01-01\n---\n')
            handle.write(("Words upon words. " * 50 + "\n\n") * (58_000 * megabytes // 50))
        size = (posts / "giant.md").stat().st_size
        start = time.perf_counter()
        _, problems = load_posts(giant_site)
        elapsed = time.perf_counter() - start
    print(f"refuse a {size / 2**20:.0f} MB post       {elapsed * 1000:7.1f} ms   "
          f"({problems[0].message})")


if __name__ == "__main__":
    main("--compare" in sys.argv[1:], "--quick" in sys.argv[1:])
