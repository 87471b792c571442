"""Which files of a Hugo blog are mailed, as `hugo` publishes them (checked against Hugo 0.168's
`hugo list`): what a section's front matter passes down to its pages."""

from __future__ import annotations

from generator_sites import write_files
from test_config import MINIMAL
from test_generator_urls import post

from newsletter.config import load_settings
from newsletter.posts import load_posts


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
