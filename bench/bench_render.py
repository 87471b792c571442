"""How long the reference post takes to render, and how fast `newsletter --help` starts.

    python bench/bench_render.py [RUNS]        (--quick: one run)

Targets: render <= 50 ms median after import (issue 2); `newsletter --help` <= 100 ms (issue
25). Beside --help: the same for `python -c "import click"`, what any click command pays.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
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
    # The same post read as CommonMark, the dialect of Hugo, Jekyll, Gatsby, Astro, Eleventy and
    # Zola blogs (the example site is Python-Markdown's).
    commonmark = replace(settings, posts=replace(settings.posts, markdown="commonmark"))
    render_post(commonmark, post)
    print(f"  ... as CommonMark (median)   {median_ms(lambda: render_post(commonmark, post), runs):7.1f} ms"
          f"   target <= 50 ms, {runs} runs")
    print(f"HTML part                      {len(email.html.encode()) / 1024:7.1f} KB"
          f"   {encoded_html_size(email.html) / 1024:.1f} KB quoted-printable (warn > 90 KB)")
    for label, command in (("newsletter --help", ["-m", "newsletter", "--help"]),
                           ("python -c 'import click'", ["-c", "import click"])):
        wall, cpu = start_up(command, max(3, runs // 4))
        print(f"{label + ' (median)':30} {wall:7.1f} ms   CPU {cpu:5.1f} ms"
              + ("   target <= 100 ms" if "help" in label else ""))


def start_up(arguments: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``python ARGUMENTS`` in a fresh process."""
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, *arguments], stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        assert os.waitstatus_to_exitcode(status) == 0
    return statistics.median(walls), statistics.median(cpus)


if __name__ == "__main__":
    if "--quick" in sys.argv:  # one run: does the bench still work?
        main(1)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
