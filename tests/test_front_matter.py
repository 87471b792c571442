"""Front matter in every form the generators write it, and one line naming the file's line for
each mistake."""

from __future__ import annotations

import datetime as dt

import pytest
from test_config import MINIMAL, write

from newsletter.config import load_settings
from newsletter.generators import JsLiteralError, parse_declarations
from newsletter.posts import load_posts

POSTS = '\n[posts]\ngenerator = "{generator}"\ndirs = ["posts"]\n'


def load(tmp_path, files: dict[str, str], generator: str = "none"):
    site = write(tmp_path, MINIMAL + POSTS.format(generator=generator))
    for name, text in files.items():
        path = site / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    posts, errors = load_posts(load_settings(site, {}))
    return {post.path.name: post for post in posts}, [str(error) for error in errors]


@pytest.mark.parametrize("text", [
    '---\ntitle: "Tea"\ndate: 2024-05-01T09:00:00Z\ndescription: Leaves.\n---\n\nHot.\n',
    '+++\ntitle = "Tea"\ndate = 2024-05-01T09:00:00Z\ndescription = "Leaves."\n+++\n\nHot.\n',
    '{\n  "title": "Tea",\n  "date": "2024-05-01T09:00:00Z",\n  "description": "Leaves."\n}\n'
    "\nHot.\n",
    '---json\n{"title": "Tea", "date": "2024-05-01T09:00:00Z", "description": "Leaves."}\n'
    "---\n\nHot.\n",
    '---js\n// a literal front matter\nconst title = "Tea";\nconst date = "2024-05-01T09:00:00Z";'
    "\nlet description = 'Leaves.';\n---\n\nHot.\n",
], ids=["yaml", "toml", "json", "json-fenced", "javascript"])
def test_every_front_matter_form_reads_the_same_post(tmp_path, text):
    posts, errors = load(tmp_path, {"tea.md": text})
    assert errors == []
    post = posts["tea.md"]
    assert (post.title, post.description, post.body.strip()) == ("Tea", "Leaves.", "Hot.")
    assert post.date == dt.datetime(2024, 5, 1, 9, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("text", [
    '---\r\ntitle: "Tea"\r\ndate: 2024-05-01T09:00:00Z\r\ndescription: Leaves.\r\n---\r\n'
    "\r\nHot.\r\n",
    '+++\r\ntitle = "Tea"\r\ndate = 2024-05-01T09:00:00Z\r\ndescription = "Leaves."\r\n+++\r\n'
    "\r\nHot.\r\n",
], ids=["yaml", "toml"])
def test_a_post_saved_with_windows_line_endings_reads_the_same(tmp_path, text):
    site = write(tmp_path, MINIMAL + POSTS.format(generator="none"))
    (site / "posts").mkdir()
    (site / "posts" / "tea.md").write_bytes(text.encode())
    posts, errors = load_posts(load_settings(site, {}))
    assert errors == []
    assert [(post.title, post.description, post.body.strip()) for post in posts] == [
        ("Tea", "Leaves.", "Hot.")]


def test_pelican_key_value_lines_with_a_continued_value(tmp_path):
    text = ("Title: River Notes\nDate: 2024-05-01 10:20\nSummary: A first line\n"
            "    and its continuation.\nTags: water, boats\n\nBody here.\n")
    (tmp_path / "pelicanconf.py").write_text('PATH = "posts"\n')
    posts, errors = load(tmp_path, {"river.md": text}, "pelican")
    post = posts["river.md"]
    assert errors == [] and post.title == "River Notes" and post.tags == ("water", "boats")
    assert post.description == "A first line and its continuation."
    assert post.body.strip() == "Body here." and post.body_line == 6


def test_keys_are_read_whatever_their_case_and_messages_keep_the_writers_spelling(tmp_path):
    posts, errors = load(tmp_path, {
        "a.md": "+++\nTitle = \"Upper\"\nDate = 2024-05-01\nDraft = \"maybe\"\n+++\n\nBody.\n"})
    assert errors == ["posts/a.md:4: Draft must be true or false, not 'maybe'"]


@pytest.mark.parametrize("text, error", [
    ('+++\ntitle = "Tea"\ndate = 2024-05-01\nbroken = \n+++\n\nBody.\n',
     "posts/tea.md:4: front matter is not valid TOML (Invalid value); "
     'quote text values: title = "My post"'),
    ('{\n  "title": "Tea",\n  "date": 2024\n  "oops": 1\n}\n\nBody.\n',
     "posts/tea.md:4: front matter is not valid JSON (Expecting ',' delimiter)"),
    ('+++\ntitle = "Tea"\n\nBody.\n',
     "posts/tea.md:1: the front matter is never closed; end it with a line of three plus "
     "signs: +++"),
    ('---js\nconst title = "Tea";\nconst date = new Date();\n---\nBody.\n',
     "posts/tea.md:3: the JavaScript front matter does more than declare values (new Date() is "
     "read only with a literal date string at ');'); newsletter reads only literals there, "
     'e.g. const title = "My post"; move anything computed into a data file'),
    ('---js\nconst title = `Tea ${year}`;\n---\nBody.\n',
     "posts/tea.md:2: the JavaScript front matter does more than declare values (a template "
     "string with ${...} is computed, not a literal at '`Tea ${year}`;'); newsletter reads "
     'only literals there, e.g. const title = "My post"; move anything computed into a data '
     "file"),
    ('---js\nfunction title() { return "Tea"; }\n---\nBody.\n',
     "posts/tea.md:2: the JavaScript front matter does more than declare values (only const, "
     "let or var declarations of literal values are read at 'function title() { return \"Tea'"
     '); newsletter reads only literals there, e.g. const title = "My post"; move anything '
     "computed into a data file"),
])
def test_each_broken_front_matter_is_one_line_naming_its_line(tmp_path, text, error):
    posts, errors = load(tmp_path, {"tea.md": text})
    assert posts == {} and errors == [error]


def test_javascript_literals_objects_arrays_comments_and_new_date():
    values = parse_declarations(
        "/* settings */\nconst nav = { key: 'About', \"order\": 3, tags: [1, -2.5, true, null,],"
        " };\nexport const when = new Date('2024-01-02');\nvar a = 1, b = 0x10; // done\n")
    assert values == {"nav": {"key": "About", "order": 3, "tags": [1, -2.5, True, None]},
                      "when": "2024-01-02", "a": 1, "b": 16}


@pytest.mark.parametrize("source, line", [
    ("const a = 1;\nconst b = a;\n", 2),
    ("const a = {\n  b: process.env.X,\n};\n", 2),
    ("const a = [...b];\n", 1),
    ("const a = {b};\n", 1),
])
def test_javascript_beyond_literals_names_its_line(source, line):
    with pytest.raises(JsLiteralError) as caught:
        parse_declarations(source)
    assert caught.value.line == line


def test_dates_as_each_generator_writes_them(tmp_path):
    posts, errors = load(tmp_path, {
        "jekyll.md": "---\ntitle: J\ndate: 2016-05-20 22:40:00 -0500\n---\n\nB.\n",
        "astro.md": "---\ntitle: A\ndate: 'Jul 08 2022'\n---\n\nB.\n",
        "long.md": "---\ntitle: L\ndate: July 8, 2022\n---\n\nB.\n",
        "short.md": "---\ntitle: S\ndate: 2022-7-8\n---\n\nB.\n",
        # JavaScript's Date knows a month by its first three letters (a Next.js post's date)
        "sept.md": "---\ntitle: N\ndate: Sept. 8, 2022\n---\n\nB.\n",
    })
    assert errors == []
    assert posts["jekyll.md"].date == dt.datetime(2016, 5, 21, 3, 40, tzinfo=dt.timezone.utc)
    assert posts["sept.md"].date == dt.datetime(2022, 9, 8, tzinfo=dt.timezone.utc)
    for name in ("astro.md", "long.md", "short.md"):
        assert posts[name].date == dt.datetime(2022, 7, 8, tzinfo=dt.timezone.utc)
