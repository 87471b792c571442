"""Next.js blogs in MDX beyond the blog-starter, read from `init` on: a posts folder a dynamic
route reads (maxleiter.com's shape), each post its own app-router page.mdx (rauchg's shape,
metadata in posts.json or `export const metadata`), pages/blog/*.mdx, and a Next.js site whose
posts init cannot find. The fixtures are this project's own text."""

from __future__ import annotations

import json
import re

from conftest import invoke
from generator_sites import picture, write_files

SITE = "https://quill.example.net"
PACKAGE = json.dumps({"dependencies": {"next": "15.0.0", "react": "19.0.0"}})


def listed(root) -> dict[str, dict]:
    result = invoke(root, "posts", "--json")
    assert result.exit_code == 0, result.output
    return {item["file"]: item for item in json.loads(result.stdout)}


def initialised(root, files: dict[str, str]):
    write_files(root, {"package.json": PACKAGE, **files})
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    toml = root / "newsletter.toml"
    toml.write_text(toml.read_text().replace("https://your-blog.example", SITE))
    return result


def test_posts_folder_served_by_the_blog_slug_route(tmp_path):
    """maxleiter.com: posts/*.mdx read by app/blog/[slug]/page.tsx: /blog/<file name>."""
    root = tmp_path / "site"
    result = initialised(root, {
        "next.config.mjs": "export default { trailingSlash: true };\n",
        "app/blog/[slug]/page.tsx": "const dir = path.join(process.cwd(), 'posts')\n",
        "posts/ink-wells.mdx": "---\ntitle: Ink Wells\ndate: 2024-04-02\ndescription: Wells."
                               "\n---\n\nimport Note from '../components/note'\n\n"
                               "Dip the <Note>nib</Note> gently.\n",
        "posts/unfinished.mdx": "---\ntitle: Unfinished\ndate: 2024-04-03\npublished: false\n"
                                "---\n\nLater.\n",
        "posts/dated.md": "---\ntitle: Dated\npublished: 2024-04-04\n---\n\nA date.\n",
        "README.md": "# My site\n",
    })
    assert "Next.js (MDX) site" in result.output
    posts = listed(root)
    assert posts["posts/ink-wells.mdx"]["url"] == f"{SITE}/blog/ink-wells/"
    assert posts["posts/ink-wells.mdx"]["status"] == "ready"
    assert posts["posts/unfinished.mdx"]["status"] == "draft"
    assert posts["posts/dated.md"]["date"].startswith("2024-04-04")  # published: a date
    assert "README.md" not in posts


def test_app_router_post_folders_take_metadata_from_posts_json(tmp_path):
    """rauchg's blog: app/(post)/<year>/<slug>/page.mdx at /<year>/<slug>, the route group
    left out; the title and date from posts.json (its "March 4, 2023" dates); a page.mdx it
    does not list, the component files beside a post and app/about/page.mdx are not posts."""
    root = tmp_path / "site"
    initialised(root, {
        "posts.json": json.dumps({"posts": [
            {"id": "paper-mills", "date": "March 4, 2023", "title": "Paper Mills"}]}),
        "app/(post)/2023/paper-mills/page.mdx": "Pulp, water and *patience*.\n",
        "app/(post)/2023/paper-mills/old.mdx": "An earlier draft.\n",
        "app/(post)/playground/page.mdx": "Try things.\n",
        "app/about/page.mdx": "About me.\n",
        "app/layout.tsx": "export default function Layout() {}\n",
    })
    posts = listed(root)
    mills = posts["app/(post)/2023/paper-mills/page.mdx"]
    assert (mills["url"], mills["title"], mills["status"]) == (
        f"{SITE}/2023/paper-mills", "Paper Mills", "ready")
    assert mills["date"].startswith("2023-03-04")
    for page in ("app/about/page.mdx", "app/(post)/2023/paper-mills/old.mdx",
                 "app/(post)/playground/page.mdx"):
        assert posts[page]["status"] == "page"


def test_app_router_posts_take_their_exported_metadata(tmp_path):
    """Without posts.json, a page.mdx's `export const metadata` gives its title, date and
    description; code in it is skipped, and a title that is an object is none."""
    root = tmp_path / "site"
    initialised(root, {
        "app/(post)/2024/ruled-lines/page.mdx":
            "export const metadata = {\n  title: 'Ruled Lines',\n  date: '2024-01-09',\n"
            "  description: 'Why margins matter.',\n  openGraph: { images: [og()] },\n}\n\n"
            "Lines keep the hand steady.\n",
        "app/(post)/2024/odd-one/page.mdx": "export const metadata = { title: { absolute: "
                                            "'Odd' }, date: '2024-03-01' }\n\nOdd.\n",
    })
    output = invoke(root, "posts").output
    assert re.search(r"^ready +2024-01-09 +/2024/ruled-lines +Ruled Lines$", output, re.M)
    assert "app/(post)/2024/odd-one/page.mdx: no title" in output


def test_pages_router_mdx_posts_and_base_path(tmp_path):
    """@next/mdx with the pages router: pages/blog/x.mdx at /blog/x, under next.config's
    basePath."""
    root = tmp_path / "site"
    initialised(root, {
        "next.config.js": "module.exports = withMDX({ basePath: '/journal' })\n",
        "pages/blog/fountain-pens.mdx": "---\ntitle: Fountain Pens\ndate: 2024-02-02\n---\n\n"
                                        "export const meta = { author: 'me' }\n\nThey leak.\n",
        "pages/index.tsx": "export default function Home() {}\n",
    })
    pens = listed(root)["pages/blog/fountain-pens.mdx"]
    assert (pens["url"], pens["status"]) == (f"{SITE}/journal/blog/fountain-pens", "ready")


def test_a_nextjs_site_without_posts_names_what_to_set(tmp_path):
    """No posts folder init knows: it says Next.js, and names [posts] dirs, not the README."""
    root = tmp_path / "site"
    result = initialised(root, {"README.md": "# Notes\n\nHow to run this site.\n",
                                "app/page.tsx": "export default function Home() {}\n"})
    assert "Next.js (MDX) site" in result.output
    assert "[posts] dirs" in result.output
    assert "README" not in result.output and "top folder" not in result.output


def test_posts_beside_the_app_routes_dated_by_published_at(tmp_path):
    """leerob's portfolio starter: app/blog/posts/*.mdx (next-mdx-remote) at /blog/<name>,
    publishedAt the date, summary the description; the posts folder inside app/ is read as
    posts, not as routes."""
    root = tmp_path / "site"
    initialised(root, {
        "app/blog/[slug]/page.tsx": "import { getBlogPosts } from 'app/blog/utils'\n",
        "app/blog/utils.ts": "path.join(process.cwd(), 'app', 'blog', 'posts')\n",
        "app/blog/posts/nib-sizes.mdx": "---\ntitle: 'Nib Sizes'\npublishedAt: '2024-05-06'\n"
                                        "summary: 'Fine, medium, broad.'\n---\n\nPick one.\n",
    })
    nib = listed(root)["app/blog/posts/nib-sizes.mdx"]
    assert (nib["url"], nib["status"]) == (f"{SITE}/blog/nib-sizes", "ready")
    assert nib["date"].startswith("2024-05-06")


def test_a_catch_all_route_keeps_the_folders_and_a_slug_overrides(tmp_path):
    """velite's posts collection (content/blog, not its pages) read by
    app/blog/[...slug]/page.tsx: a nested post keeps its folders; a slug in the front matter
    is the address's last part."""
    root = tmp_path / "site"
    initialised(root, {
        "velite.config.ts": "export default defineConfig({ root: 'content', collections: {\n"
                            "  pages: { pattern: 'pages/**/*.mdx' },\n"
                            "  posts: { pattern: ['blog/**/*.md'] },\n} })\n",
        "content/pages/colophon.mdx": "---\ntitle: Colophon\n---\n\nSet in ink.\n",
        "app/blog/[...slug]/page.tsx": "export default function Post() {}\n",
        "content/blog/tools/blotting.md": "---\ntitle: Blotting\ndate: 2024-06-01\n---\n\nPress."
                                          "\n",
        "content/blog/sealing-wax.md": "---\ntitle: Sealing Wax\ndate: 2024-06-02\n"
                                       "slug: wax\n---\n\nMelt.\n",
    })
    posts = listed(root)
    assert posts["content/blog/tools/blotting.md"]["url"] == f"{SITE}/blog/tools/blotting"
    assert posts["content/blog/sealing-wax.md"]["url"] == f"{SITE}/blog/wax"
    assert "content/pages/colophon.mdx" not in posts  # velite's pages collection


def test_a_content_folder_of_another_name_is_read_whole(tmp_path):
    """A Next.js site with content/essays/x.md (no usual posts folder, no route naming it):
    content/ is read as before Next.js was known, each post at its path there."""
    root = tmp_path / "site"
    initialised(root, {"content/essays/margins.md": "---\ntitle: Margins\ndate: 2024-07-01\n"
                                                   "---\n\nWide ones.\n"})
    assert listed(root)["content/essays/margins.md"]["url"] == f"{SITE}/essays/margins"


def test_the_first_hour_preview_send_to_the_outbox_and_status(tmp_path):
    """init, posts, check, preview, send to the outbox, status on a maxleiter-style blog: the
    component's text and the public/ image reach the email, its imports do not."""
    root = tmp_path / "site"
    initialised(root, {
        "app/blog/[slug]/page.tsx": "const dir = path.join(process.cwd(), 'posts')\n",
        "posts/quills.mdx": "---\ntitle: Quills\ndate: 2024-04-02\ndescription: Goose or swan."
                            "\n---\n\nimport { Note } from '@components/note'\n\n"
                            "<Note>Cut the <a href=\"https://example.org/nib\">nib</a>.</Note>"
                            "\n\n![A quill](/images/quill.png)\n",
        "public/images/quill.png": picture((30, 60, 90), "PNG"),
    })
    toml = root / "newsletter.toml"
    toml.write_text(toml.read_text().replace("Your Name <you@example.com>", "Q <q@quill.net>")
                    .replace("you@example.com", "q@quill.net")
                    .replace("Your postal address", "1 Ink Lane").replace("My Blog", "Quill"))
    assert invoke(root, "subscribers", "add", "reader@example.org").exit_code == 0
    assert invoke(root, "check", "quills").exit_code == 0
    assert invoke(root, "preview", "quills").exit_code == 0
    text = (root / "preview" / "quills" / "email.txt").read_text()
    assert "Cut the nib <https://example.org/nib>." in text and "import" not in text
    assert list((root / "preview" / "quills" / "images").iterdir())
    sent = invoke(root, "send", "quills", "--yes")
    assert sent.exit_code == 0, sent.output
    assert len(list((root / "outbox").rglob("*.eml"))) == 1
    assert "/blog/quills: sent 1" in invoke(root, "status").output


def test_the_root_layouts_metadata_names_the_blog(tmp_path):
    """app/layout.tsx's typed `export const metadata`: title.default and metadataBase."""
    root = tmp_path / "site"
    write_files(root, {"package.json": PACKAGE, "posts/a.mdx": "---\ntitle: A\n---\n\nA.\n",
                       "app/layout.tsx": "export const metadata: Metadata = {\n"
                       "  metadataBase: new URL('https://quill.example.net'),\n"
                       "  title: { default: 'Quill', template: '%s | Quill' },\n}\n"})
    assert invoke(root, "init").exit_code == 0
    toml = (root / "newsletter.toml").read_text()
    assert 'title = "Quill"  # from app/layout.tsx' in toml
    assert 'url = "https://quill.example.net"  # from app/layout.tsx' in toml


def test_broken_or_hostile_next_files_never_stop_the_reading(tmp_path):
    """An unfinished next.config, a posts.json nested past any parser, a layout's and a post's
    metadata nested deep: each is read as saying nothing, and the post is still read."""
    root = tmp_path / "site"
    deep = "export const metadata = " + "{a:" * 20000 + "1" + "}" * 20000 + "\n"
    initialised(root, {
        "next.config.js": "module.exports = { basePath: '/x', trailingSlash: ",
        "posts.json": "[" * 100000,
        "app/layout.tsx": deep,
        "app/blog/[slug]/page.tsx": "",
        "posts/deep.mdx": "---\ntitle: Deep\ndate: 2024-01-01\n---\n\n" + deep + "\nText.\n",
    })
    assert listed(root)["posts/deep.mdx"]["status"] == "ready"


def test_a_blog_starter_served_at_blog_slug(tmp_path):
    """The blog-starter's _posts read by a route of its own, app/blog/[slug]/page.tsx naming
    _posts: /blog/<name>, not the starter's /posts/<name>."""
    root = tmp_path / "site"
    initialised(root, {
        "app/blog/[slug]/page.tsx": "const postsDirectory = join(process.cwd(), '_posts')\n",
        "_posts/nibs.md": "---\ntitle: Nibs\ndate: 2024-01-01\n---\n\nSteel.\n",
    })
    assert listed(root)["_posts/nibs.md"]["url"] == f"{SITE}/blog/nibs"
