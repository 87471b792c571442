"""What a Jekyll build publishes is what newsletter sends: YAML's `...` closing front matter,
`show_drafts`, `unpublished` and `future` (in _config.yml or the build's flags), and the
settings Jekyll builds otherwise than written (a misspelt `timezone`, a `_config.toml`)."""

from __future__ import annotations

import json

import pytest
from generator_sites import blog_after_init, fill_in_settings, write_files

from conftest import invoke

EXCLUDE = "exclude: [newsletter.toml, subscribers/, templates/, outbox/, preview/]\n"
CONFIG = "title: Tide Tables\nurl: https://tides.example.org\n" + EXCLUDE


def tide_blog(root, config: str = CONFIG, files: dict | None = None):
    """A Jekyll blog (minima's layout) after `init`, its settings filled in, one reader."""
    return blog_after_init(root, {
        "_config.yml": config,
        "_posts/2024-03-01-neap.md": "---\nlayout: post\ntitle: Neap Tide\n---\n\nLow water.\n",
        **(files or {})})


def listed(root) -> dict[str, dict]:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


def would_send(root) -> list[str]:
    result = invoke(root, "send", "--due", "--dry-run")
    assert result.exit_code == 0, result.output
    return sorted(line.split()[2] for line in result.stdout.splitlines()
                  if line.startswith("  would send "))


def test_front_matter_closed_by_yamls_document_end_is_read(tmp_path):
    """Jekyll ends front matter at `---` or `...`; minimal-mistakes' docs show both. The post
    was refused as "front matter is never closed", and every command stopped at it."""
    root = tmp_path / "tides"
    tide_blog(root, files={"_posts/2024-04-02-spring.md": (
        "---\ntitle: Spring Tide\ndescription: The moon and the sun pull together.\n...\n\n"
        "High water over the causeway.\n")})
    item = listed(root)["/2024-04-02-spring"]
    assert (item["status"], item["title"], item["url"]) == (
        "ready", "Spring Tide", "https://tides.example.org/2024/04/02/spring.html")
    assert invoke(root, "check", "2024-04-02-spring").exit_code == 0
    assert invoke(root, "preview", "2024-04-02-spring").exit_code == 0
    text = (root / "preview/2024-04-02-spring/email.txt").read_text()
    assert "High water over the causeway." in text and "..." not in text
    assert would_send(root) == ["/2024-03-01-neap", "/2024-04-02-spring"]


def test_yamls_document_end_closes_no_hugo_front_matter(tmp_path):
    """Hugo reads `---` alone as the end: a `...` line is no end there."""
    root = write_files(tmp_path / "moor", {
        "hugo.toml": 'baseURL = "https://moor.example.org/"\ntitle = "Moor"\n',
        "content/posts/fog.md": "---\ntitle: Fog\ndate: 2024-01-02\n...\n\nGrey.\n"})
    invoke(root, "init")
    result = invoke(root, "posts", "--json")
    assert json.loads(result.stdout)[0]["errors"] == [
        "content/posts/fog.md:1: the front matter is never closed; end it with a line of "
        "three dashes: ---"]


DRAFT = "---\ntitle: Slack Water\n---\n\nThe turn of the tide.\n"
UNPUBLISHED = "---\ntitle: Ebb\npublished: false\n---\n\nOut it goes.\n"


@pytest.mark.parametrize("config, build, ready", [
    ("", None, []),  # Jekyll's default: neither is built
    ("show_drafts: true\n", None, ["/slack-water"]),
    ("unpublished: true\n", None, ["/2024-05-01-ebb"]),
    ("show_drafts: true\nunpublished: true\n", None, ["/2024-05-01-ebb", "/slack-water"]),
    ("", "bundle exec jekyll build --drafts --unpublished", ["/2024-05-01-ebb", "/slack-water"]),
    ("", "JEKYLL_ENV=production jekyll build -D", ["/slack-water"]),
])
def test_drafts_and_unpublished_posts_the_build_publishes_are_sent(tmp_path, config, build,
                                                                   ready):
    """With `show_drafts: true` (or `jekyll build --drafts`) Jekyll publishes `_drafts/`, and
    with `unpublished: true` (`--unpublished`) the posts marked `published: false`: they are on
    the blog, and were never mailed."""
    root = tmp_path / "tides"
    workflow = {".github/workflows/pages.yml": (
        f"jobs:\n  build:\n    steps:\n      - run: {build}\n")} if build else {}
    result = tide_blog(root, CONFIG + config, {"_drafts/slack-water.md": DRAFT,
                                               "_posts/2024-05-01-ebb.md": UNPUBLISHED,
                                               **workflow})
    shown = "posts (the build shows drafts)" if "/slack-water" in ready else "drafts"
    assert f"(Jekyll's _posts, and _drafts as {shown})" in result.output
    posts = listed(root)
    assert sorted(key for key, item in posts.items() if item["status"] == "ready") == sorted(
        ["/2024-03-01-neap", *ready])
    assert sorted(key for key, item in posts.items() if item["status"] == "draft") == sorted(
        {"/slack-water", "/2024-05-01-ebb"} - set(ready))
    assert would_send(root) == sorted(["/2024-03-01-neap", *ready])
    if "/slack-water" in ready:  # dated by its file's time, as Jekyll dates a draft
        assert posts["/slack-water"]["date"][:4].isdigit()
        assert posts["/slack-water"]["url"].startswith("https://tides.example.org/20")


@pytest.mark.parametrize("config, status", [("future: true\n", "ready"), ("", "scheduled")])
def test_a_future_post_jekyll_builds_with_future_true_is_sent_now(tmp_path, config, status):
    """`future: true` publishes a post dated ahead (a common fix for a post dated in the
    writer's zone that Jekyll's build clock had not reached): it is on the blog now, and waited
    for its date before going out."""
    root = tmp_path / "tides"
    tide_blog(root, CONFIG + config, {"_posts/2099-01-01-king-tide.md": (
        "---\ntitle: King Tide\n---\n\nThe highest of the year.\n")})
    assert listed(root)["/2099-01-01-king-tide"]["status"] == status
    due = ["/2024-03-01-neap"] + (["/2099-01-01-king-tide"] if status == "ready" else [])
    assert would_send(root) == sorted(due)
    said = "the blog publishes it already (built with future posts), and send --due sends it " \
        "now" if status == "ready" else "send --due waits until then"
    assert f"date-far-future: dated 2099-01-01 00:00 UTC, more than a year ahead: {said}" in \
        invoke(root, "check", "2099-01-01-king-tide").output


def test_a_timezone_that_names_no_zone_is_said_at_its_line(tmp_path):
    """Jekyll builds in UTC when `timezone` names no zone, without a word; init wrote UTC into
    newsletter.toml silently too, and the writer's 09:00 posts went out an hour off."""
    root = tmp_path / "tides"
    result = tide_blog(root, "title: Tide Tables\ntimezone: Europe/Londn\n"
                             "url: https://tides.example.org\n" + EXCLUDE)
    line = ("_config.yml:2: site-setting-ignored: timezone 'Europe/Londn' is not a time zone: "
            "Jekyll builds the blog in UTC, and newsletter reads the posts' dates in UTC too; "
            "write a zone of the tz database there, e.g. timezone: Europe/London")
    assert f"Warning: {line}\n" in result.output
    check = invoke(root, "check", "2024-03-01-neap")
    assert check.exit_code == 1 and f"warning: {line}" in check.output  # warnings only


def test_the_publishing_warning_names_config_toml_on_a_toml_site(tmp_path):
    """A site whose settings are _config.toml was told to edit _config.yml, which Jekyll
    would not read there, in YAML."""
    root = tmp_path / "tides"
    write_files(root, {"_config.toml": 'title = "Tide Tables"\nurl = "https://tides.example.org"\n',
                       "_posts/2024-03-01-neap.md": "---\ntitle: Neap Tide\n---\n\nLow water.\n"})
    line = ("_config.toml: site-publishes-readers: Jekyll copies newsletter.toml, subscribers/, "
            "templates/, outbox/, preview/ into the built site as they are: the reader list, the "
            "settings and the mail would be on the web; list them under exclude in _config.toml "
            '(exclude = ["newsletter.toml", "subscribers/", "templates/", "outbox/", '
            '"preview/"])')
    assert f"Warning: {line}\n" in invoke(root, "init").output
    fill_in_settings(root)
    assert f"warning: {line}" in invoke(root, "check", "2024-03-01-neap").output


def test_post_file_names_are_read_as_jekyll_reads_them(tmp_path):
    """Reverie's demo and the blogs made from it: a one-digit month (2019-7-27-) is a date; a
    post kept in folders of its own inside _posts has no category from them; but a name with
    `_` after the date, or nothing, is not read by Jekyll (its DATE_FILENAME_MATCHER wants a
    hyphen): those were mailed as posts that are not on the blog."""
    root = tmp_path / "tides"
    tide_blog(root, files={
        "_posts/2019-7-27-content-styles.md": "---\ntitle: Content Styles\n---\n\nBold.\n",
        "_posts/2020-03/2020-03-28/2020-03-28-data-scraping.md": (
            "---\ntitle: Data Scraping\n---\n\nRows.\n"),
        "_posts/2021-11-17_timeline.md": "---\ntitle: Timeline\n---\n\nDates.\n",
        "_posts/2018-12-16.md": "---\ntitle: Untitled Day\n---\n\nNothing.\n"})
    posts = listed(root)
    assert posts["/2019-7-27-content-styles"]["url"] == \
        "https://tides.example.org/2019/07/27/content-styles.html"
    assert posts["/2020-03-28-data-scraping"]["url"] == \
        "https://tides.example.org/2020/03/28/data-scraping.html"
    assert posts["/2021-11-17_timeline"]["status"] == "page"
    assert posts["/2018-12-16"]["status"] == "page"
    assert would_send(root) == ["/2019-7-27-content-styles", "/2020-03-28-data-scraping",
                                "/2024-03-01-neap"]
