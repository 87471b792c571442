"""Posts: messy real-world front matter is accepted, every problem is one line naming the file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import REFERENCE_POST
from newsletter.config import load_settings
from newsletter.posts import PostStatus, classify, find_post, load_posts
from newsletter.errors import PostNotFoundError

FIXTURES = Path(__file__).parent / "fixtures" / "posts"
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def add_fixture(site: Path, name: str) -> Path:
    """Copy one fixture post (a file, or a folder holding index.md) into the site's posts."""
    source = FIXTURES / name
    target = site / "content" / "posts" / name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
    return target


def load(site: Path):
    return load_posts(load_settings(site, {}))


def loaded_post(site: Path, fixture: str):
    target = add_fixture(site, fixture).resolve()
    posts, errors = load(site)
    assert errors == []
    return next(post for post in posts if target in (post.path, post.path.parent))


def set_timezone(site: Path, zone: str) -> None:
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('timezone = "UTC"', f'timezone = "{zone}"'))


def test_reference_post_reads_lumen_front_matter(site):
    posts, errors = load(site)
    assert errors == []
    post = find_post(posts, REFERENCE_POST)
    assert post.id == "/posts/what-matters"
    assert post.title == "What Matters When You Write Every Week"
    assert post.date == dt.datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert post.template == "post" and post.draft is False and post.newsletter is True
    assert post.tags == ("Writing", "Habits")
    # The curly quotes are part of the value, not YAML quoting.
    assert post.description.startswith("“Three years") and post.description.endswith("dropped.”")
    assert post.url == "https://blog.example.com/posts/what-matters"
    assert post.language == "en"


def test_example_site_has_a_ready_post_a_draft_and_a_page(site):
    posts, _ = load(site)
    assert {post.id: classify(post, NOW) for post in posts} == {
        "/posts/what-matters": PostStatus.READY,
        "/posts/notes-on-editing": PostStatus.DRAFT,
        "/pages/about": PostStatus.PAGE,
    }


@pytest.mark.parametrize("fixture, expected", [
    ("date_yaml_date.md", dt.datetime(2026, 3, 18, tzinfo=ZoneInfo("Europe/Berlin"))),
    ("date_yaml_datetime_naive.md", dt.datetime(2026, 3, 18, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))),
    ("date_quoted_without_zone.md", dt.datetime(2026, 3, 18, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))),
    ("date_yaml_datetime_aware.md", dt.datetime(2026, 3, 18, 7, 30, tzinfo=UTC)),
])
def test_dates_without_a_zone_are_read_in_the_site_timezone(site, fixture, expected):
    set_timezone(site, "Europe/Berlin")
    post = loaded_post(site, fixture)
    assert post.date == expected
    assert post.date.tzinfo is not None


@pytest.mark.parametrize("fixture, slug, address", [
    ("slug_without_leading_slash.md", "/posts/slug-without-leading-slash", ""),
    ("slug_missing.md", "/posts/slug_missing", ""),
    # A folder's post is served at its folder (posts/x/index.html): its files' links start there.
    ("slug_from_folder", "/posts/slug_from_folder", "/"),
])
def test_slug_with_or_without_slash_or_from_the_path(site, fixture, slug, address):
    post = loaded_post(site, fixture)
    assert post.id == slug
    assert post.url == "https://blog.example.com" + slug + address


def test_tags_as_a_comma_separated_string(site):
    assert loaded_post(site, "tags_as_string.md").tags == ("Writing", "Habits")


@pytest.mark.parametrize("fixture, status", [
    ("draft_as_string.md", PostStatus.DRAFT),
    ("draft_missing.md", PostStatus.READY),
    ("date_in_future.md", PostStatus.SCHEDULED),
    ("newsletter_false.md", PostStatus.OPTED_OUT),
    ("page_template.md", PostStatus.PAGE),
])
def test_classify(site, fixture, status):
    assert classify(loaded_post(site, fixture), NOW) == status


def test_a_scheduled_post_becomes_ready_once_its_date_passes(site):
    post = loaded_post(site, "date_in_future.md")
    assert classify(post, dt.datetime(2099, 1, 1, 8, 0, 1, tzinfo=UTC)) == PostStatus.READY


def test_title_newlines_and_html_never_survive(site):
    assert loaded_post(site, "title_with_newline.md").title == "A Title On Two Lines"
    assert loaded_post(site, "title_with_html.md").title == "Hello World & alert(1)Friends"


@pytest.mark.parametrize("fixture, line", [
    ("broken_yaml.md", "content/posts/broken_yaml.md:4: front matter is not valid YAML (mapping values "
     "are not allowed in this context); quote values that contain \": \" or start with a special character"),
    ("no_title.md", "content/posts/no_title.md: no title; add title: ... to the front matter"),
    ("title_only_html.md", "content/posts/title_only_html.md:2: the title is empty; "
     "add title: ... to the front matter"),
    ("date_unparseable.md", "content/posts/date_unparseable.md:3: date 'next Tuesday' is not a date; "
     "write it as \"2024-05-01T09:00:00Z\" or 2024-05-01"),
    ("date_missing.md", "content/posts/date_missing.md: no date; add date: \"2024-05-01T09:00:00Z\""),
    ("non_utf8.md", "content/posts/non_utf8.md:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    ("empty_body.md", "content/posts/empty_body.md: the post has no body; "
     "write the post below the front matter"),
    ("draft_not_boolean.md", "content/posts/draft_not_boolean.md:5: draft must be true or false, not 'maybe'"),
])
def test_each_broken_post_is_one_line_naming_the_file(site, fixture, line):
    add_fixture(site, fixture)
    posts, errors = load(site)
    assert [str(error) for error in errors] == [line]
    assert all(error.exit_code == 2 for error in errors)
    assert len(posts) == 3  # the example site's posts are all still there


def test_every_broken_post_is_reported_and_none_hides_the_others(site):
    broken = ["broken_yaml.md", "no_title.md", "non_utf8.md", "empty_body.md", "date_unparseable.md"]
    for name in broken:
        add_fixture(site, name)
    add_fixture(site, "tags_as_string.md")
    posts, errors = load(site)
    assert sorted(error.where.split(":")[0] for error in errors) == sorted(
        f"content/posts/{name}" for name in broken)
    assert {post.id for post in posts} >= {REFERENCE_POST, "/posts/tags-as-string"}


def test_two_posts_with_one_slug(site):
    copy = site / "content" / "posts" / "copy.md"
    copy.write_text((site / "content" / "posts" / "what-matters.md").read_text(encoding="utf-8"),
                    encoding="utf-8")
    posts, errors = load(site)
    assert [str(error) for error in errors] == [
        "content/posts/what-matters.md: slug /posts/what-matters is already used by "
        "content/posts/copy.md; give each post its own slug"]
    assert [post.path.name for post in posts if post.id == REFERENCE_POST] == ["copy.md"]


@pytest.mark.parametrize("name", [
    "/posts/what-matters", "posts/what-matters", "what-matters", "what-matters.md",
    "content/posts/what-matters.md",
])
def test_find_post_by_slug_segment_file_name_or_path(site, name):
    posts, _ = load(site)
    assert find_post(posts, name).id == REFERENCE_POST


def test_find_post_by_absolute_path(site):
    posts, _ = load(site)
    path = site / "content" / "posts" / "what-matters.md"
    assert find_post(posts, str(path.resolve())).id == REFERENCE_POST


def test_find_post_names_no_post(site):
    posts, _ = load(site)
    with pytest.raises(PostNotFoundError) as caught:
        find_post(posts, "nope")
    assert str(caught.value) == "no post named 'nope'; run `newsletter posts` to list them"


@pytest.mark.parametrize("name", ["/posts/what-matters/",
                                  "https://blog.example.com/posts/what-matters/"])
def test_find_post_by_the_address_a_browser_shows(site, name):
    posts, _ = load(site)
    assert find_post(posts, name).id == REFERENCE_POST


def test_find_post_suggests_the_name_of_a_near_miss(site):
    posts, _ = load(site)
    with pytest.raises(PostNotFoundError) as caught:
        find_post(posts, "wat-matters")
    assert str(caught.value) == ("no post named 'wat-matters'; did you mean what-matters? run "
                                 "`newsletter posts` to list them")


def test_find_post_suggests_a_dated_files_name_without_its_date(site):
    # Jekyll's _posts/2026-03-01-green-tea.md goes by green-tea: 'grean-tea' was too far from
    # 2026-03-01-green-tea for a suggestion.
    (site / "content" / "posts" / "2026-03-01-green-tea.md").write_text(
        "---\ntitle: Green Tea\ndate: 2026-03-01\n---\n\nSteep it.\n")
    posts, _ = load(site)
    for typed in ("grean-tea", "2026-03-01-grean-tea"):
        with pytest.raises(PostNotFoundError) as caught:
            find_post(posts, typed)
        assert "did you mean green-tea?" in str(caught.value)
    assert find_post(posts, "green-tea").title == "Green Tea"


def test_find_post_refuses_an_ambiguous_name(site):
    folder = site / "content" / "notes"
    folder.mkdir()
    (folder / "what-matters.md").write_text(
        '---\ntitle: Another\ndate: 2026-01-02\nslug: "/notes/what-matters"\n---\n\nBody.\n')
    posts, _ = load(site)
    with pytest.raises(PostNotFoundError) as caught:
        find_post(posts, "what-matters")
    assert str(caught.value) == ("'what-matters' names 2 posts: /notes/what-matters, /posts/what-matters; "
                                 "name the post by its full slug")
