"""How long the reference post takes to render, and how fast `newsletter --help` starts.

    python bench/bench_render.py [RUNS]        (--quick: one run)

Targets (issue 2): render <= 50 ms median after import; `newsletter --help` <= 300 ms.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE_POST = "/posts/what-matters"


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int) -> None:
    start = time.perf_counter()
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import encoded_html_size, render_post

    print(f"import render modules          {(time.perf_counter() - start) * 1000:7.1f} ms")
    settings = load_settings(REPO, os.environ)
    post = find_post(load_posts(settings)[0], REFERENCE_POST)
    email = render_post(settings, post)  # first render: warms caches (premailer, cssutils)
    print(f"render reference post (median) {median_ms(lambda: render_post(settings, post), runs):7.1f} ms"
          f"   target <= 50 ms, {runs} runs")
    print(f"HTML part                      {len(email.html.encode()) / 1024:7.1f} KB"
          f"   {encoded_html_size(email.html) / 1024:.1f} KB quoted-printable (warn > 90 KB)")
    help_ms = median_ms(
        lambda: subprocess.run([sys.executable, "-m", "newsletter", "--help"], check=True,
                               capture_output=True),
        max(3, runs // 4),
    )
    print(f"newsletter --help (median)     {help_ms:7.1f} ms   target <= 300 ms")


if __name__ == "__main__":
    if "--quick" in sys.argv:  # one run: does the bench still work?
        main(1)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
