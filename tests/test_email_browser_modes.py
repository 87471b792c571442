"""The email in the modes a reader's system picks, in headless Chromium: forced colours (Windows'
contrast themes, which replace every colour and drop every background), a client that ignores
``display:none``, a phone's narrow column under a table written for a desktop."""

from __future__ import annotations

import pytest
from test_email_browser import SCHEMES, browser, emails  # noqa: F401 (fixtures)

# [selector, border width, border style, border colour, the canvas colour behind it] under
# forced colours, where backgrounds are gone and only borders outline a box.
OUTLINES_JS = """
return arguments[0].map(selector => {
  const element = document.querySelector(selector), style = getComputedStyle(element);
  return [selector, style.borderTopWidth, style.borderTopStyle, style.borderTopColor,
          getComputedStyle(document.body).backgroundColor];
});
"""


def show_forced(browser, path, scheme: str) -> None:
    """Open ``path`` at 375 px with forced colours on, the system's ``scheme`` under them."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "forced-colors", "value": "active"},
        {"name": "prefers-color-scheme", "value": scheme}]})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    browser.get(path.as_uri())  # the next show() emulates its own features only


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_button_and_a_code_block_keep_their_outline_in_forced_colours(browser, emails,
                                                                         scheme):
    # A contrast theme drops backgrounds: the "Get in touch" button was a bold link floating
    # among the footer's, and a code block's lines ran into the paragraphs around it.
    show_forced(browser, emails["kitchen-sink"], scheme)
    assert browser.execute_script("return matchMedia('(forced-colors: active)').matches")
    outlines = browser.execute_script(OUTLINES_JS, ["a.button", ".content pre"])
    for selector, width, style, colour, canvas in outlines:
        assert float(width[:-2]) >= 1 and style == "solid", selector
        assert colour != canvas, selector

