"""How long expanding a post's template tags takes, and how it grows with the post.

    python bench/bench_template_tags.py

Expands posts of 100 KB and 1 MB made of one kind of tag each (hostile shapes: unclosed tags,
raw blocks, nested shortcodes, backtick runs, unclosed fences; and a real one: the Hugo and
Jekyll fixture posts repeated) and prints CPU seconds and the 1 MB / 100 KB ratio: linear
expansion gives about 10. Last, the render of the Hugo fixture post with and without its tags
expanded (what expansion adds to a real post's render).

Target (issue 19): expansion time proportional to the post's size, for any input; a real
post's render costs a few milliseconds more.
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "tags"
SIZES = (100_000, 1_000_000)
SHAPES = {
    "unclosed shortcodes": "{{< a ",
    "closed unknown shortcodes": "{{< notice >}}\n",
    "unclosed Liquid tags": "{% if ",
    "unclosed raw blocks": "{% raw %}",
    "nested shortcodes": "{{< details >}}\n",
    "backtick runs": "` `` ``` ",
    "unclosed fences": "```a\n",
    "Hugo fixture post": None,
    "Jekyll fixture post": None,
}


def cpu_seconds(action) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def body_of(fixture: str) -> str:
    return (FIXTURES / fixture).read_text(encoding="utf-8").split("---\n", 2)[2]


def main() -> None:
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import render_post
    from newsletter.render.tags import TagContext, expand_tags

    context = TagContext(site_url="https://example.com", site={"title": "Notes"},
                         link_url=lambda kind, target: "https://example.com/posts/x")
    real = {"Hugo fixture post": body_of("hugo-rich-content.md"),
            "Jekyll fixture post": body_of("jekyll-liquid.md")}
    print(f"{'shape':28} {'100 KB':>8} {'1 MB':>8} {'ratio':>6}")
    for shape, unit in SHAPES.items():
        unit = unit or real[shape] + "\n\n"
        times = [cpu_seconds(lambda: expand_tags(unit * (size // len(unit)), context))
                 for size in SIZES]
        print(f"{shape:28} {times[0]:7.2f}s {times[1]:7.2f}s {times[1] / times[0]:6.1f}",
              flush=True)

    settings = load_settings(REPO, os.environ)
    post = find_post(load_posts(settings)[0], "/posts/what-matters")
    tagged = dataclasses.replace(post, body=real["Hugo fixture post"])
    plain = dataclasses.replace(post, body=expand_tags(tagged.body, context).markdown)
    render_post(settings, plain)  # warm up premailer and cssutils
    for label, which in (("render, tags expanded", tagged), ("render, no tags left", plain)):
        runs = [cpu_seconds(lambda: render_post(settings, which)) for _ in range(20)]
        print(f"{label:28} {sorted(runs)[10] * 1000:7.1f} ms (median of 20)")


if __name__ == "__main__":
    main()
