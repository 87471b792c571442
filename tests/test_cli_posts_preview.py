"""`newsletter posts` and `newsletter preview`, as a user runs them."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys

import pytest

from conftest import invoke, run_cli, run_in_process
from test_content import add_fixture

EXAMPLE_TABLE = [
    "STATUS              DATE        SLUG                     TITLE",
    "draft               2026-12-03  /posts/notes-on-editing  Notes on Editing Your Own Work",
    "ready               2026-11-20  /posts/what-matters      What Matters When You Write Every Week",
    "page (not emailed)  -           /pages/about             About Me",
]

def test_posts_lists_status_date_slug_and_title(site):
    result = invoke(site, "posts")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == EXAMPLE_TABLE
    assert result.stderr == ""


def test_posts_shows_how_far_sending_got(site):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    lines = invoke(site, "posts").stdout.splitlines()
    assert lines[2].split("  ")[0] == "sent 4 of 4"
    assert lines[2].endswith("/posts/what-matters      What Matters When You Write Every Week")


def test_posts_lists_everything_then_every_broken_post_and_exits_2(site):
    add_fixture(site, "broken_yaml.md")
    add_fixture(site, "non_utf8.md")
    result = invoke(site, "posts")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == EXAMPLE_TABLE
    assert result.stderr.splitlines() == [
        "error: content/posts/broken_yaml.md:4: front matter is not valid YAML (mapping values are not "
        "allowed in this context); quote values that contain \": \" or start with a special character",
        "error: content/posts/non_utf8.md:2: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ]


def test_posts_with_a_settings_typo_is_one_line(site):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("timezone =", "timezon ="))
    result = run_cli(site, "posts")
    assert result.returncode == 2
    number = [text.startswith("timezon =") for text in toml.read_text().splitlines()].index(True)
    assert result.stderr.startswith(f"error: newsletter.toml:{number + 1}: unknown setting "
                                    "site.timezon; did you mean timezone?")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_preview_writes_html_text_and_eml_for_the_ready_post(site):
    result = invoke(site, "preview")
    folder = site / "preview" / "what-matters"
    assert result.exit_code == 0
    printed = result.stdout.splitlines()
    for name in ("email.html", "email.txt", "message.eml"):
        assert str(folder / name) in printed
    assert result.stderr == ""
    assert not (site / "preview" / "notes-on-editing").exists()  # drafts only when named
    html = (folder / "email.html").read_text(encoding="utf-8")
    assert "reader@example.org" in html and "%%" not in html
    text = (folder / "email.txt").read_text(encoding="utf-8")
    assert "Unsubscribe: https://blog.example.com/unsubscribe/" in text
    assert "reader%40example.org" not in text


def test_preview_message_is_a_complete_multipart_email(site):
    invoke(site, "preview", "what-matters")
    raw = (site / "preview" / "what-matters" / "message.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "What Matters When You Write Every Week"
    assert message["From"] == "Jane Writer <jane@example.com>"
    assert message["To"] == "Sample Reader <reader@example.org>"
    assert message["List-Unsubscribe"].startswith("<https://blog.example.com/unsubscribe/")
    assert message["List-Id"] == "Example Notes <newsletter.blog.example.com>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative", "text/plain", "multipart/related", "text/html", "image/jpeg"]
    assert b"\r\n" in raw


def test_preview_a_named_draft_into_another_folder(site, tmp_path):
    out = tmp_path / "elsewhere"
    result = invoke(site, "preview", "/posts/notes-on-editing", "--out", str(out))
    assert result.exit_code == 0
    assert str(out / "notes-on-editing" / "email.html") in result.stdout.splitlines()
    assert (out / "notes-on-editing" / "message.eml").exists()


def test_preview_warns_about_what_the_writer_should_fix(site):
    add_fixture(site, "image_without_alt.md")
    add_fixture(site, "description_missing.md")
    result = invoke(site, "preview")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: content/posts/description_missing.md:1: no-description: the post has no "
        "description, so inboxes preview its first lines instead; add description: ... to the "
        "front matter (one sentence, the point first)",
        "warning: content/posts/image_without_alt.md:10: image-no-alt: the image chart.png has no "
        "alt text; describe it: ![what it shows](...) or alt=\"...\"; many clients show the alt "
        "text until the reader allows images",
    ]


def test_preview_of_an_unknown_post(site):
    result = invoke(site, "preview", "nope")
    assert result.exit_code == 2
    assert result.stderr == "error: no post named 'nope'; run `newsletter posts` to list them\n"


def test_preview_into_a_folder_that_cannot_be_made_is_one_line(site, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "a-file" / "previews"
    result = invoke(site, "preview", "what-matters", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {out / 'what-matters'}: the preview cannot be written "
                             "there (Not a directory); name a folder that may be written with "
                             "--out\n")


def test_preview_of_a_broken_post_shows_why(site):
    add_fixture(site, "empty_body.md")
    result = invoke(site, "preview", "empty_body.md")
    assert result.exit_code == 2
    assert result.stderr == ("error: content/posts/empty_body.md: the post has no body; "
                             "write the post below the front matter\n")


def _copy_of_the_example_post(site, name: str, date: str) -> None:
    posts = site / "content" / "posts"
    text = (posts / "what-matters.md").read_text(encoding="utf-8")
    text = text.replace('"2026-11-20T08:30:00.000Z"', f'"{date}"')
    (posts / f"{name}.md").write_text(text.replace("/posts/what-matters", f"/posts/{name}"),
                                      encoding="utf-8")


def test_preview_renders_only_the_posts_send_due_could_send(site):
    # A blog of 5,000 posts: every ready one previewed, the sent ones and those from years
    # before since, took four minutes and wrote 300 MB. Now only what --due would send.
    for year in (2019, 2020, 2021):  # before [schedule] since = 2026-01-01
        _copy_of_the_example_post(site, f"old-{year}", f"{year}-05-01T08:00:00Z")
    _copy_of_the_example_post(site, "fresh", "2026-11-25T08:00:00Z")
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    result = invoke(site, "preview")
    assert result.exit_code == 0, result.output
    written = {page.parent.name for page in (site / "preview").glob("*/email.html")}
    assert written == {"fresh"}
    assert result.stderr == ""
    assert invoke(site, "check").stderr.startswith("Checked 1 post")  # the same one

    # Nothing due (since moved past every post): the newest ready post, said so.
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("since = 2026-01-01", "since = 2027-01-01"))
    for page in (site / "preview").glob("*/email.html"):
        page.unlink()
    result = invoke(site, "preview")
    assert result.exit_code == 0, result.output
    assert {page.parent.name for page in (site / "preview").glob("*/email.html")} == {"fresh"}
    assert result.stderr.splitlines()[0] == ("send --due would send no post; "
                                             "previewing the newest post, fresh. Name another: "
                                             "newsletter preview POST")


def test_preview_all_writes_the_good_posts_and_reports_the_broken_ones(site):
    add_fixture(site, "placeholder_in_body.md")
    add_fixture(site, "no_title.md")
    result = invoke(site, "preview")
    assert result.exit_code == 2
    assert (site / "preview" / "what-matters" / "email.html").exists()
    assert result.stderr.splitlines() == [
        "error: content/posts/no_title.md: no title; add title: ... to the front matter",
        "error: content/posts/placeholder_in_body.md: the post contains %%unsubscribe_url%%, which is "
        "reserved for each reader's unsubscribe_url; write it differently (for example with spaces: "
        "%% email %%)",
    ]


@pytest.mark.parametrize("template, source, line", [
    ("email.html", "<p>fine</p>\n<h1>{{ title }</h1>\n", "error: templates/email.html:2: unexpected '}'"),
    ("email.txt", None, "error: templates/email.txt: template file not found; run `newsletter "
     "init` to restore it"),
])
def test_template_problems_are_one_line_without_traceback(site, template, source, line):
    path = site / "templates" / template
    if source is None:
        path.unlink()
    else:
        path.write_text(source)
    # in-process: a traceback would fail the test (the posts tests here run the real CLI)
    result = run_in_process(site, "preview")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]


@pytest.mark.parametrize("command", ["posts", "preview"])
def test_help(site, command):
    result = invoke(site, command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and len(result.stdout.splitlines()) > 3


HEAVY_MODULES = ("premailer", "markdown", "newsletter.render", "lxml", "requests", "jinja2",
                 "cryptography", "email_validator", "yaml", "PIL", "filelock", "sqlite3")


@pytest.mark.parametrize("arguments", [["--help"], ["send", "--help"], ["subscribers", "--help"]])
def test_help_imports_no_heavy_library(arguments):
    # `newsletter --help` must start fast: each command imports its libraries when it runs.
    code = ("import sys\nfrom newsletter.cli import main\n"
            f"try:\n    main({arguments!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))")
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage:" in probe.stdout
    assert probe.stdout.strip().splitlines()[-1] == "[]"


def test_posts_names_the_line_of_an_impossible_date_or_a_tab_in_the_front_matter(site):
    posts = site / "content" / "posts"
    (posts / "bad-date.md").write_text(
        '---\ntitle: "Month Thirteen"\ndate: 2026-13-45\n---\n\nBody.\n')
    (posts / "tabbed.md").write_text(
        '---\ntitle: "Tabbed"\ndate: 2026-11-12\ntags:\n\t- "Editing"\n---\n\nBody.\n')
    result = run_cli(site, "posts")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: content/posts/bad-date.md:3: date: 2026-13-45 is not a real date (month must be in "
        "1..12); write it as \"2024-05-01T09:00:00Z\" or 2024-05-01",
        "error: content/posts/tabbed.md:5: front matter is not valid YAML (found character that "
        "cannot start any token); indent with spaces: YAML does not allow tabs",
    ]
    assert "/posts/what-matters" in result.stdout


@pytest.mark.parametrize("path", ["/what-matters", "/posts/what-matters", "/what-matters/"])
def test_the_page_preview_serve_opens_for_a_named_post_shows_it(site, path):
    # `preview --serve what-matters` opens http://127.0.0.1:8000/what-matters
    from newsletter.preview.server import make_app

    answered = {}
    page = b"".join(make_app(site, {})({"REQUEST_METHOD": "GET", "PATH_INFO": path},
                                       lambda status, headers: answered.update(status=status)))
    assert answered["status"] == "200 OK"
    assert b"No such post" not in page and b"<title>" in page


def test_a_posts_page_its_status_and_check_count_no_other_posts_ledger_rows(site, monkeypatch):
    # A ledger of 200 posts to 100,000 readers is 20 million rows: each previewed post's page,
    # `status POST --json` and `check` counted every row of every post (2 s at 2 million).
    from newsletter.sending.ledger import Ledger

    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    asked = []
    every_post = Ledger.counts

    def counts(ledger, post_id=None):
        asked.append(post_id)
        return every_post(ledger, post_id)

    monkeypatch.setattr(Ledger, "counts", counts)
    assert invoke(site, "preview", "what-matters").exit_code == 0
    page = (site / "preview" / "what-matters" / "index.html").read_text(encoding="utf-8")
    assert "sent 4 of 4" in page
    assert asked == ["/posts/what-matters", None]  # the page, then the index of every post
    asked.clear()
    result = invoke(site, "status", "what-matters", "--json")
    assert result.exit_code == 0 and '"sent": 4,' in result.output
    assert None not in asked
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("since = 2026-01-01", "since = 2027-01-01"))
    result = invoke(site, "check")
    # what-matters is sent, so not among the posts before since: no note about them
    assert result.stderr.startswith("Nothing to check: send --due would send no post; name one: "
                                    "newsletter check POST")
    assert None not in asked


def test_posts_finding_none_where_no_generator_is_names_the_folders_holding_markdown(tmp_path):
    """Before: "no posts in content (Blog: the default)", naming a generator called Blog and
    not the folder the writer's Markdown is in."""
    from test_config import MINIMAL

    (tmp_path / "newsletter.toml").write_text(MINIMAL)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "one.md").write_text("---\ntitle: One\ndate: 2026-08-01\n---\nA note.\n")
    result = invoke(tmp_path, "posts")
    assert result.exit_code == 0
    assert result.stdout == (
        "no posts in content (no static site generator found: the default); Markdown files are "
        'in notes (1): if they are your posts, set [posts] dirs in newsletter.toml (e.g. dirs = '
        '["notes"])\n')


def test_preview_of_a_blog_with_no_ready_post_says_so_without_a_traceback(tmp_path):
    """Before: IndexError from the fallback to the newest ready post, when there was none: a
    blog of drafts only, or Markdown files outside the folders read (a plain folder of notes)."""
    from test_config import MINIMAL

    (tmp_path / "newsletter.toml").write_text(MINIMAL)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "soon.md").write_text(
        "---\ntitle: Soon\ndate: 2026-08-01\ndraft: true\n---\nNot yet.\n")
    result = run_in_process(tmp_path, "preview")  # an IndexError would fail the test
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("no ready or scheduled posts to preview; name one: "
                                    "newsletter preview POST\n")
    (tmp_path / "content" / "soon.md").rename(tmp_path / "soon.md")
    result = run_in_process(tmp_path, "preview")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(
        "no posts in content (no static site generator found: the default); Markdown files are "
        "in the top folder (1): if they are your posts, set [posts] dirs in newsletter.toml")


@pytest.mark.parametrize("body", ["<!-- TODO: write about the garden -->\n",
                                  "<style>p { color: red }</style>\n\n<script>go()</script>\n"])
def test_a_post_that_shows_nothing_is_refused_like_an_empty_one(site, body):
    # Its body is not empty, but all of it is left out of the email: send --due would have
    # mailed every reader a title and a button.
    (site / "content" / "posts" / "placeholder.md").write_text(
        '---\ntitle: "Placeholder"\ndate: "2026-11-02T09:00:00Z"\n---\n\n' + body,
        encoding="utf-8")
    for command in (("preview", "placeholder"), ("send", "placeholder", "--yes")):
        result = invoke(site, *command)
        assert result.exit_code == 2
        assert result.stderr.endswith(
            "content/posts/placeholder.md: the post shows nothing: all its body holds is left "
            "out of the email (HTML comments, styles, scripts, components, HTML nested over 255 "
            "deep); write the post below the front matter\n")
    assert not (site / "outbox").exists()
