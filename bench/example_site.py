"""The repository's example site, copied for a benchmark to change as it likes."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTS = ("newsletter.toml", "content", "templates", "subscribers", "static")


def copy_example_site(destination: Path, parts: tuple[str, ...] = PARTS) -> Path:
    """``parts`` of the example site (all of it by default) copied into ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, destination / part)
    return destination


def picture_on_the_web(site: Path) -> None:
    """The example post's picture as a remote URL, so that a benchmark measures the send itself:
    inline, its base64 would be in every message (bench_images.py prints what images add)."""
    post = site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text().replace("(/media/", "(https://blog.example.com/media/"))
