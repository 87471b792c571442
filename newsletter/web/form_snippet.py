"""The sign-up form a writer pastes into the blog (`newsletter form`): plain HTML, or with
``fetch`` (``--json-example``). No external script, a label on every field, the two bot traps
:mod:`newsletter.web.signup_request` reads.
"""

from __future__ import annotations

import html

from newsletter.config import origin_of

TRAP_STYLE = "position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden"
# Fills in the page the form is on and how long after loading it was sent (in ms).
STAMP = ("this.elements.page.value=location.href;"
         "this.elements.elapsed.value=Math.round(performance.now())")
FETCH_SCRIPT = """<script>
document.getElementById("newsletter-signup").addEventListener("submit", function (event) {
  event.preventDefault();
  var form = event.target;
  var button = form.querySelector("button[type=submit]");
  if (button.disabled) { return; }  /* pressed again while the first is on its way */
  button.disabled = true;
  var answer = document.getElementById("newsletter-signup-answer");
  var fields = form.elements;
  var tags = Array.prototype.filter.call(form.querySelectorAll("input[name=tags]"),
    function (box) { return box.checked; }).map(function (box) { return box.value; });
  fetch(form.action, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({
      email: fields.namedItem("email").value, name: fields.namedItem("name").value, tags: tags,
      website: fields.namedItem("website").value, page: location.href,
      elapsed: Math.round(performance.now())
    })
  }).then(function (response) { return response.json(); })
    .then(function (reply) { answer.textContent = reply.message; if (reply.ok) { form.reset(); } })
    .catch(function () {
      answer.textContent = "The sign-up did not go through. Please try again later.";
    })
    .then(function () { button.disabled = false; });
});
</script>
"""


def signup_action(settings) -> str:
    """Where the form posts: ``signup.path`` on the server of the confirmation links."""
    return origin_of(settings.signup.confirm_url) + settings.signup.path


def signup_form(settings, action: str | None = None, fetch: bool = False) -> str:
    """The form's HTML; with ``fetch``, the version that posts JSON and shows the answer inline."""
    site = html.escape(settings.site.title)
    url = html.escape(action or signup_action(settings))
    opening = (f'<form id="newsletter-signup" class="newsletter-signup" action="{url}" '
               f'method="post">' if fetch else
               f'<form class="newsletter-signup" action="{url}" method="post"\n'
               f'      onsubmit="{STAMP}">')
    lines = [
        f"<!-- Sign-up form for {site}, made by newsletter form: it posts to newsletter serve. -->",
        opening,
        "  <p>",
        '    <label for="newsletter-email">Your email address</label>',
        '    <input id="newsletter-email" name="email" type="email" required maxlength="254"'
        ' autocomplete="email" inputmode="email">',
        "  </p>",
        "  <p>",
        '    <label for="newsletter-name">Your name (optional)</label>',
        '    <input id="newsletter-name" name="name" type="text" maxlength="200"'
        ' autocomplete="name">',
        "  </p>",
        *_tag_choices(settings.signup.tags),
        "  <!-- A trap for bots: people never see this field, so they leave it empty. -->",
        f'  <p aria-hidden="true" style="{TRAP_STYLE}">',
        '    <label for="newsletter-website">Leave this field empty</label>',
        '    <input id="newsletter-website" name="website" type="text" tabindex="-1"'
        ' autocomplete="off">',
        "  </p>",
        *([] if fetch else ['  <input type="hidden" name="page" value="">',
                            '  <input type="hidden" name="elapsed" value="">']),
        '  <button type="submit">Subscribe</button>',
        f"  <p>We will email you a link to confirm. Every email from {site} has a one-click "
        "unsubscribe link.</p>",
        "</form>",
    ]
    if fetch:
        lines.append('<p id="newsletter-signup-answer" role="status" aria-live="polite"></p>')
    return "\n".join(lines) + "\n" + (FETCH_SCRIPT if fetch else "")


def _tag_choices(tags: tuple[str, ...]) -> list[str]:
    if not tags:
        return []
    boxes = [f'    <label><input type="checkbox" name="tags" value="{html.escape(tag)}"> '
             f"{html.escape(tag)}</label>" for tag in tags]
    return ["  <fieldset>", "    <legend>What would you like to get?</legend>", *boxes,
            "  </fieldset>"]
