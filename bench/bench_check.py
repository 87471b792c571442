"""How long the preflight check adds to a send: the offline check of a rendered post.

    python bench/bench_check.py [RUNS]        (--quick: one run)

`send` renders a post once and checks it once before anyone is claimed; `newsletter check`
does the same for every post `send --due` could send. Printed: the render, the check of the
reference post, and the check of a post with 2,000 links (each located at its line).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from bench_render import REFERENCE_POST, median_ms
from example_site import copy_example_site


def main(runs: int, links_count: int = 2000) -> None:
    from newsletter.check import check_rendered
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import render_post

    with tempfile.TemporaryDirectory() as folder:
        site = copy_example_site(Path(folder))
        links = "\n\n".join(f"Paragraph {n} with [a link](https://example.org/page/{n})."
                            for n in range(links_count))
        (site / "content" / "posts" / "links.md").write_text(
            f'---\ntitle: Links\ndate: "2026-11-02T09:00:00Z"\ndescription: d\n---\n\n{links}\n')
        settings = load_settings(site, os.environ)
        posts = load_posts(settings)[0]
        now = dt.datetime.now(dt.timezone.utc)
        labels = ((REFERENCE_POST, "reference post"), ("links", f"{links_count:,} links"))
        for name, label in labels:
            label = label.ljust(14)
            post = find_post(posts, name)
            email = render_post(settings, post)
            check = check_rendered(settings, post, email, now=now, since=None)  # warms caches
            render = median_ms(lambda post=post: render_post(settings, post), runs)
            checked = median_ms(lambda post=post, email=email: check_rendered(
                settings, post, email, now=now, since=None), runs)
            print(f"{label}  render {render:7.1f} ms   check {checked:7.1f} ms (median of "
                  f"{runs})   {len(check.links)} links and images, {len(check.findings)} findings")


if __name__ == "__main__":
    if "--quick" in sys.argv:  # one run: does the bench still work?
        main(1, 200)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
