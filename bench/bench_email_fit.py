"""How the example post's email fits a reader's screen and Gmail's budget.

    python bench/bench_email_fit.py

Printed: the HTML part's size as sent (quoted-printable; target <= 20 KB, Gmail clips past about
102 KB), and the document's width in headless Chromium (Debian's chromium and chromedriver) at
375 and 600 px, with the <style> block and without it, as Gmail's mobile webmail shows it
(target: never wider than the window).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from example_site import REPO, copy_example_site

WIDTHS = (375, 600)


def main() -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from browser import chromium

    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import encoded_html_size, render_post

    with tempfile.TemporaryDirectory() as folder:
        site = copy_example_site(Path(folder) / "site")
        settings = load_settings(site, {})
        email = render_post(settings, find_post(load_posts(settings)[0], "what-matters"))
        print(f"HTML part, quoted-printable   {encoded_html_size(email.html):7,d} bytes"
              "   target <= 20,480")
        pages = {"with <style>": email.html,
                 "without <style>": re.sub(r"<style\b.*?</style>", "", email.html, flags=re.S)}
        with chromium(Path(folder) / "profile") as browser:
            for name, html in pages.items():
                path = Path(folder) / "email.html"
                path.write_text(html, encoding="utf-8")
                for width in WIDTHS:
                    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                        "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False})
                    browser.get(path.as_uri())
                    scroll = browser.execute_script(
                        "return document.documentElement.scrollWidth")
                    print(f"{width} px window, {name:16} {scroll:4d} px wide"
                          f"   target <= {width}")


if __name__ == "__main__":
    main()
