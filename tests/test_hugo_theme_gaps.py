"""Hugo blogs as their themes lay them out, where newsletter read them otherwise than Hugo builds
them: a theme's own `mainSections`, `build.list = local`, a folder mounted below `static/`,
`buildDrafts`/`buildFuture`/`buildExpired`, the small shortcodes of FixIt, Blowfish and Docsy,
Archie's callout and Bear Blog's title heading. Written here with this project's own text."""

from __future__ import annotations

import json

import lxml.html
import pytest
from generator_sites import blog_after_init, picture
from PIL import Image

from conftest import invoke

SITE = 'baseURL = "https://fen.example.org/"\ntitle = "Fen Notes"\n'


def dated(title: str, day: int, extra: str = "") -> str:
    return (f"---\ntitle: {title}\ndate: 2025-03-{day:02d}\ndescription: A note from the fen.\n"
            f"{extra}---\n\nReeds and water.\n")


def blog(root, files: dict, config: str = SITE):
    return blog_after_init(root, {"hugo.toml": config, **files})


def statuses(root) -> dict[str, str]:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item["status"] for item in json.loads(result.stdout)}


def would_send(root) -> list[str]:
    result = invoke(root, "send", "--due", "--dry-run")
    assert result.exit_code == 0, result.output
    return sorted(line.split()[2] for line in result.stdout.splitlines()
                  if line.startswith("  would send "))


JOURNAL = {f"content/journal/j{day}.md": dated(f"Journal {day}", day) for day in (1, 2)}
WALKS = {f"content/walks/w{day}.md": dated(f"Walk {day}", day) for day in (3, 4, 5)}


def test_the_themes_main_sections_are_the_sites_where_it_sets_none(tmp_path):
    """Stack keeps `mainSections` in its own config/_default/params.toml, PaperMod-like themes
    in their hugo.toml: Hugo merges a theme's params under the site's. The section with the
    most dated pages (the writer's walk log) was taken for the blog instead."""
    root = tmp_path / "fen"
    result = blog(root, {**JOURNAL, **WALKS,
                         "themes/reed/config/_default/params.toml": 'mainSections = ["journal"]\n',
                         "themes/reed/theme.toml": 'name = "Reed"\n'},
                  SITE + 'theme = "reed"\n')
    assert result.output.startswith("Hugo site: posts in content/journal (mainSections)")
    assert would_send(root) == ["/journal/j1", "/journal/j2"]
    assert statuses(root)["/walks/w3"] == "page"


def test_the_sites_own_main_sections_win_over_the_themes(tmp_path):
    root = tmp_path / "fen"
    blog(root, {**JOURNAL, **WALKS,
                "themes/reed/hugo.toml": '[params]\nmainSections = ["journal"]\n'},
         SITE + 'theme = ["reed"]\n[params]\nmainSections = ["walks"]\n')
    assert would_send(root) == ["/walks/w3", "/walks/w4", "/walks/w5"]


def test_a_page_hugo_lists_only_in_its_section_is_not_mailed(tmp_path):
    """`build.list = local` keeps a page out of the home page's list and the feed (Hugo's
    site.RegularPages), where readers find posts: it was mailed as a post."""
    root = tmp_path / "fen"
    blog(root, {"content/posts/heron.md": dated("Heron", 1),
                "content/posts/colophon.md": dated("Colophon", 2, "build:\n  list: local\n"),
                "content/posts/drafts-note.md": dated("Note", 3, "_build:\n  list: never\n"),
                "content/posts/hidden.md": dated("Hidden", 4, "_build:\n  render: never\n")},
         SITE + '[params]\nmainSections = ["posts"]\n')
    assert statuses(root) == {"/posts/heron": "ready", "/posts/colophon": "page",
                              "/posts/drafts-note": "page", "/posts/hidden": "page"}
    assert would_send(root) == ["/posts/heron"]


def test_an_image_in_a_folder_mounted_below_static_is_found(tmp_path):
    """`[[module.mounts]] source = "pics" target = "static/images"` serves pics/ at /images:
    the post's /images/heron.jpg was "not found", and the post could not be sent."""
    root = tmp_path / "fen"
    blog(root, {"content/posts/heron.md": dated("Heron", 1).replace(
                    "Reeds and water.", "![A heron](/images/heron.jpg)"),
                "pics/heron.jpg": picture((20, 120, 60))},
         SITE + '[[module.mounts]]\nsource = "content"\ntarget = "content"\n'
                '[[module.mounts]]\nsource = "pics"\ntarget = "static/images"\n')
    assert invoke(root, "check", "heron").exit_code == 0
    assert invoke(root, "preview", "heron").exit_code == 0
    folder = root / "preview" / "heron"
    [image] = lxml.html.parse(folder / "email.html").iter("img")
    red, green, blue = Image.open(folder / image.get("src")).convert("RGB").getpixel((0, 0))
    assert abs(red - 20) + abs(green - 120) + abs(blue - 60) < 24
    assert would_send(root) == ["/posts/heron"]


SHORTCODES = """\
Since {{< version 0.3.0 changed >}} the tide table is {{< icon "calendar" >}} daily.

{{< asciinema src="/casts/tides.cast" >}}

{{< friend name="Ria Fenn" url="https://ria.example.net/" word="Notes on reed beds." >}}

The reed colours: {{< swatches "#64748b" "#3b82f6" >}}

{{< mdimporter url="https://raw.githubusercontent.com/fen/tides/main/README.md" >}}

{{< codeimporter url="https://raw.githubusercontent.com/fen/tides/main/tide.go" type="go" >}}

{{< readfile file="tides.py" code="true" lang="python" >}}

{{< readfile file="/includes/reeds.md" >}}

{{< rtl >}}
مد وجزر
{{< /rtl >}}
"""


def test_small_theme_shortcodes_are_shown_whole_and_not_reported(tmp_path):
    """FixIt's version badge, asciinema recording and friend card, Blowfish's icon, swatches
    and mdimporter, Docsy's readfile: each was left out or shown in part with a warning."""
    root = tmp_path / "fen"
    blog(root, {"content/posts/tides/index.md": "---\ntitle: Tides\ndate: 2025-03-01\n---\n\n"
                + SHORTCODES,
                "content/posts/tides/tides.py": "def high_water():\n    return 6\n",
                "content/includes/reeds.md": "Reeds grow *fast* in spring.\n"},
         SITE + '[params]\nmainSections = ["posts"]\n')
    check = invoke(root, "check", "tides")
    assert check.exit_code == 0, check.output
    assert invoke(root, "preview", "tides").exit_code == 0
    text = " ".join((root / "preview/tides/email.txt").read_text().split())
    for shown in ("Changed in v0.3.0", "the tide table is daily",
                  "Watch the terminal recording <https://fen.example.org/casts/tides.cast>",
                  "Ria Fenn <https://ria.example.net/> — Notes on reed beds.",
                  "#64748b", "#3b82f6", "Read README.md <https://raw.githubusercontent.com/"
                  "fen/tides/main/README.md>", "Read tide.go <https://raw.githubusercontent.com/fen/tides/"
                  "main/tide.go>", "مد وجزر", "def high_water():", "Reeds grow fast in spring."):
        assert shown in text, shown


def test_a_readfile_of_a_missing_file_is_an_error_at_its_line(tmp_path):
    root = tmp_path / "fen"
    blog(root, {"content/posts/tides.md": "---\ntitle: Tides\ndate: 2025-03-01\n---\n\n"
                                          '{{< readfile file="gone.md" >}}\n'},
         SITE + '[params]\nmainSections = ["posts"]\n')
    check = invoke(root, "check", "tides")
    assert check.exit_code == 2
    assert 'error: content/posts/tides.md:6: template-syntax: {{< readfile file="gone.md" >}}: ' \
        "no file gone.md in the site" in check.output


@pytest.mark.parametrize("config, command, sent", [
    ("", "hugo --minify", ["/posts/heron"]),
    ("buildDrafts = true\nbuildFuture = true\nbuildExpired = true\n", "hugo --minify",
     ["/posts/bittern", "/posts/heron", "/posts/rail", "/posts/snipe"]),
    ("buildDrafts = false\n", "hugo --minify -D -F", ["/posts/bittern", "/posts/heron",
                                                      "/posts/snipe"]),
    ("", "hugo --gc --buildExpired -e production", ["/posts/heron", "/posts/rail"]),
    ("", 'hugo --minify\n        env:\n          HUGO_BUILDFUTURE: "true"',
     ["/posts/heron", "/posts/snipe"]),
])
def test_drafts_future_and_expired_posts_the_build_publishes_are_sent(tmp_path, config,
                                                                      command, sent):
    """hello-friend-ng's settings name buildDrafts, buildFuture and buildExpired; a deploy may
    pass -D, -F or -E: Hugo publishes those pages, and they were never mailed."""
    root = tmp_path / "fen"
    blog(root, {"content/posts/heron.md": dated("Heron", 1),
                "content/posts/bittern.md": dated("Bittern", 2, "draft: true\n"),
                "content/posts/snipe.md": dated("Snipe", 3).replace("2025-03-03", "2099-03-03"),
                "content/posts/rail.md": dated("Rail", 4, "expiryDate: 2025-04-01\n"),
                ".github/workflows/hugo.yml": (
                    f"jobs:\n  build:\n    steps:\n      - run: {command}\n")},
         SITE + config + '[params]\nmainSections = ["posts"]\n')
    assert would_send(root) == sent


def test_a_post_opening_with_its_title_as_a_heading_shows_it_once(tmp_path):
    """Bear Blog's posts (`menu = "main"`, its theme then printing no title) write their title
    as the first heading: the email showed it twice, the template's and the post's."""
    root = tmp_path / "bear"
    blog(root, {"content/_index.md": '+++\ntitle = "Home"\nmenu = "main"\n+++\n\nHello.\n',
                "content/blog/_index.md": '+++\ntitle = "Blog"\nmenu = "main"\n+++\n',
                "content/blog/kettles.md": (
                    '+++\ntitle = "Kettles and Tea"\nmenu = "main"\ndate = "2020-01-02"\n'
                    'description = "Water first."\n+++\n\n# Kettles and Tea\n\n'
                    "Water first, then leaves.\n\n# Kettles, again\n\nA second heading stays.\n")},
         SITE + "[permalinks]\n  blog = \"/:slug/\"\n")
    assert would_send(root) == ["/blog/kettles"]
    assert invoke(root, "preview", "kettles").exit_code == 0
    text = (root / "preview/kettles/email.txt").read_text()
    assert text.count("Kettles and Tea") == 1 and "Kettles, again" in text
    assert "https://fen.example.org/kettles-and-tea/" in text


def test_archies_callout_with_its_text_and_no_closing_tag_is_a_note_box(tmp_path):
    """Archie writes `{{< callout type="tip" text="..." >}}` with no closing tag: each was
    refused as never closed, and the post could not be sent."""
    root = tmp_path / "lock"
    blog(root, {"content/posts/signs.md": (
        "---\ntitle: Signs at the Lock\ndate: 2025-03-01T12:13:36+05:30\n"
        "description: The keeper's signs.\n---\n\n"
        '{{< callout emoji="⚡️" text="Gates open at dawn." >}}\n\n'
        '{{< callout type="custom" emoji="⚡️" title="Keeper\'s note" text="Ring twice." '
        'style="border: 3px solid #d340e0;" >}}\n\n'
        '{{< callout type="tip" >}}Bring a *rope*.{{< /callout >}}\n')},
         SITE + 'theme = "archie"\n')
    assert invoke(root, "check", "signs").exit_code == 0
    assert would_send(root) == ["/posts/signs"]
    assert invoke(root, "preview", "signs").exit_code == 0
    text = (root / "preview/signs/email.txt").read_text()
    for quoted in ("> Note\n>\n> Gates open at dawn.", "> Keeper’s note\n>\n> Ring twice.",
                   "> Tip\n>\n> Bring a rope."):
        assert quoted in text, quoted


def test_a_vendored_theme_modules_main_sections_are_read(tmp_path):
    """Stack installed as a Hugo module (`[[module.imports]]`) and vendored with `hugo mod
    vendor` keeps its settings in _vendor/<module path>/: Hugo reads them from there."""
    root = tmp_path / "fen"
    blog(root, {**JOURNAL, **WALKS,
                "_vendor/github.com/reed/hugo-theme-reed/v3/config/_default/params.toml":
                    'mainSections = ["journal"]\n'},
         SITE + '[module]\n[[module.imports]]\npath = "github.com/reed/hugo-theme-reed/v3"\n')
    assert would_send(root) == ["/journal/j1", "/journal/j2"]


FRENCH = 'baseURL = "https://ble.example.org/"\ntitle = "Champs"\ndefaultContentLanguage = "fr"\n'


def test_a_post_named_for_the_default_language_keeps_its_id_and_is_found_by_its_name(tmp_path):
    """epi.fr.md on a site in French is Hugo's page posts/epi: linked there, named `epi`; its
    id stays /posts/epi.fr, the one earlier runs sent it under (a new id would send it again)."""
    root = tmp_path / "champs"
    blog(root, {"content/posts/epi.fr.md": dated("Épi", 1),
                "content/posts/orge.md": dated("Orge", 2)}, FRENCH)
    result = invoke(root, "posts", "--json")
    assert {item["id"]: item["url"] for item in json.loads(result.stdout)} == {
        "/posts/epi.fr": "https://ble.example.org/posts/epi/",
        "/posts/orge": "https://ble.example.org/posts/orge/"}
    assert invoke(root, "preview", "epi").exit_code == 0
    assert would_send(root) == ["/posts/epi.fr", "/posts/orge"]


def test_two_files_of_one_page_are_an_error_not_two_emails(tmp_path):
    """epi.md beside epi.fr.md on a site in French are one page for Hugo (it builds one of
    them): both were mailed, to every reader, as two posts."""
    root = tmp_path / "champs"
    blog(root, {"content/posts/epi.fr.md": dated("Épi", 1),
                "content/posts/epi.md": dated("Épi encore", 2)}, FRENCH)
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 2
    broken = [item for item in json.loads(result.stdout) if item["status"] == "broken"]
    assert [(item["file"], item["errors"]) for item in broken] == [(
        "content/posts/epi.md", ["content/posts/epi.md: https://ble.example.org/posts/epi/ is "
                                 "also the address of content/posts/epi.fr.md: the blog "
                                 "publishes one page there; remove one of the two files, or "
                                 "give one its own slug"])]
