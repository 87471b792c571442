"""What of a Hugo blog is mailed, as `hugo` publishes it (checked against Hugo 0.168's `hugo list`
and build): what a section's front matter passes down to its pages, and the files of its content
folder an image names by their address."""

from __future__ import annotations

import lxml.html
from generator_sites import fill_in_settings, picture, write_files
from test_config import MINIMAL
from test_generator_urls import post

from newsletter.config import load_settings
from newsletter.posts import find_post, load_posts
from newsletter.render import render_post

from conftest import invoke


def statuses(root, files: dict[str, str]) -> dict[str, str]:
    """{post id: 'page', 'draft' or 'post'} of the Hugo site ``files`` make."""
    write_files(root, {"newsletter.toml": MINIMAL, **files})
    posts, errors = load_posts(load_settings(root, {}))
    assert errors == []
    return {item.id: "page" if item.page else "draft" if item.draft else "post"
            for item in posts}


def test_a_sections_cascade_keeps_its_pages_unpublished_as_hugo_does(tmp_path):
    """gohugo.io/content-management/build-options: a headless section is an _index.md whose
    cascade sets build render/list never; a cascade of draft: true keeps a section's pages
    drafts; a cascade's target limits it to the paths it names; a page's own value wins; the
    site's [cascade] applies too."""
    found = statuses(tmp_path, {
        "hugo.toml": ('baseURL = "https://blog.example.com/"\n[params]\nmainSections = '
                      '["posts", "private", "notes", "drafts"]\n'
                      '[[cascade]]\ndraft = true\n[cascade.target]\npath = "/drafts/**"\n'),
        "content/private/_index.md": ("---\ntitle: Private\ncascade:\n  build:\n"
                                      "    render: never\n    list: never\n---\n"),
        "content/private/deep/note.md": post(title="Kept"),
        "content/notes/_index.md": "+++\ntitle = 'Notes'\n[[cascade]]\nDraft = true\n+++\n",
        "content/notes/soon.md": post(title="Soon"),
        "content/notes/ready.md": post(title="Ready", draft="false"),
        "content/posts/_index.md": ("---\ntitle: Posts\ncascade:\n  - draft: true\n"
                                    "    target:\n      path: /posts/old/**\n---\n"),
        "content/posts/old/one.md": post(title="Old"),
        "content/posts/new.md": post(title="New"),
        "content/drafts/idea.md": post(title="Idea"),
    })
    assert found == {"/private": "page", "/private/deep/note": "page",
                     "/notes": "page", "/notes/soon": "draft", "/notes/ready": "post",
                     "/posts": "page", "/posts/old/one": "draft", "/posts/new": "post",
                     "/drafts/idea": "draft"}


def test_an_image_in_a_content_folder_is_found_by_its_published_address(tmp_path):
    """Hugo publishes content/posts/images/gate.png at /posts/images/gate.png (a post not in
    a bundle names it so, in Markdown or a figure); it was reported missing, so the post could
    not be sent."""
    write_files(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example.com/"\n',
        "content/posts/gate.md": post(title="Gate") + (
            "\n![The gate](/posts/images/gate.png)\n\n"
            '{{< figure src="/posts/images/lane.png" alt="The lane" >}}\n'),
        "content/posts/images/gate.png": picture((90, 120, 60), "PNG"),
        "content/posts/images/lane.png": picture((60, 90, 120), "PNG"),
    })
    assert invoke(tmp_path, "init").exit_code == 0
    fill_in_settings(tmp_path)
    settings = load_settings(tmp_path, {})
    posts, errors = load_posts(settings)
    email = render_post(settings, find_post(posts, "/posts/gate"))
    sources = [img.get("src") for img in lxml.html.fromstring(email.html).iter("img")]
    assert len(email.images) == 2 and all(src.startswith("cid:") for src in sources)


def test_a_big_section_is_read_for_bundles_once_not_once_a_post(tmp_path, monkeypatch):
    # A Hugo section of 5,000 posts was searched for a bundle's index.md once a post: 50 million
    # names, 40 s for every command that loads the posts. A bundle is still found.
    from pathlib import Path

    searched = []
    glob = Path.glob

    def counted(folder, pattern):
        searched.append(folder.name)
        return glob(folder, pattern)

    monkeypatch.setattr(Path, "glob", counted)
    files = {f"content/posts/note-{n}.md": post(title=f"Note {n}") for n in range(40)}
    files.update({f"content/posts/2024/walk-{n}.md": post(title=f"Walk {n}") for n in range(40)})
    files["content/posts/trip/index.md"] = post(title="Trip")
    files["content/posts/trip/extra.md"] = post(title="A resource of the trip")
    found = statuses(tmp_path, {"hugo.toml": 'baseURL = "https://blog.example.com/"\n', **files})
    assert found["/posts/trip/extra"] == "page" and found["/posts/note-7"] == "post"
    assert found["/posts/2024/walk-3"] == "post"
    assert searched.count("posts") <= 2  # index.* (and _index.*), once
    assert searched.count("2024") <= 3  # and _index.* (is 2024 a section?), once


def test_a_post_hugo_renders_as_a_link_only_is_not_mailed(tmp_path):
    """build: {render: link} (Congo's and Blowfish's way to list an article kept elsewhere):
    Hugo makes no page of it, so an email of it would link to nothing. It was mailed."""
    found = statuses(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example.com/"\n',
        "content/posts/elsewhere.md": ("---\ntitle: Elsewhere\ndate: 2024-05-01\nbuild:\n"
                                       "  render: link\n---\n\nRead it there.\n"),
        "content/posts/here.md": post(title="Here"),
    })
    assert found == {"/posts/elsewhere": "page", "/posts/here": "post"}
