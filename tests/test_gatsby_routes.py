"""A Gatsby blog's addresses come from its own code: a File System Route named by a front
matter field, or gatsby-node's createPage with createFilePath's slug or the front matter's
path. Blogs shaped as gatsbyjs.com's tutorials and gatsby-starter-blog write them, in this
project's own words."""

from __future__ import annotations

import json

from generator_sites import write_files

from conftest import invoke

CONFIG = """\
module.exports = {
  siteMetadata: { title: `Ice Fair`, siteUrl: `https://icefair.example.org` },
  plugins: [
    { resolve: `gatsby-source-filesystem`, options: { name: `blog`, path: `${__dirname}/%s` } },
    `gatsby-plugin-mdx`,
  ],
}
"""
STARTER_NODE = """\
const { createFilePath } = require(`gatsby-source-filesystem`)

exports.onCreateNode = ({ node, actions, getNode }) => {
  const { createNodeField } = actions
  if (node.internal.type === `MarkdownRemark`) {
    // the folder the blog's pages live in, then the file's path
    const value = createFilePath({ node, getNode })
    createNodeField({ name: `slug`, node, value: `/journal${value}` })
  }
}
"""
PATH_NODE = """\
exports.createPages = async ({ actions, graphql }) => {
  const result = await graphql(`{ allMarkdownRemark { nodes { frontmatter { path } } } }`)
  result.data.allMarkdownRemark.nodes.forEach(node => {
    actions.createPage({ path: node.frontmatter.path, component: postTemplate })
  })
}
"""


def post_urls(root) -> dict[str, str | None]:
    result = invoke(root, "posts", "--json")
    return {post["file"]: post["url"] for post in json.loads(result.output)}


def test_a_file_system_route_named_by_the_front_matter_slug_is_the_posts_address(tmp_path):
    """gatsbyjs.com's tutorial: src/pages/blog/{mdx.frontmatter__slug}.js makes each post's
    page /blog/<its slug, slugged>/; the email linked /Skating on the Lake, which the blog
    does not have. A post without the slug gets no page: it is refused, naming the field."""
    root = write_files(tmp_path / "fair", {
        "gatsby-config.js": CONFIG % "blog",
        "src/pages/blog/{mdx.frontmatter__slug}.js": "export default function Post() {}\n",
        "blog/skating/index.mdx": ('---\ntitle: Skating\ndate: "2026-01-10"\n'
                                   'slug: "Skating on the Lake"\n---\n\nThick ice.\n'),
        "blog/thaw/index.mdx": '---\ntitle: Thaw\ndate: "2026-02-10"\n---\n\nGone.\n',
    })
    assert invoke(root, "init").exit_code == 0
    urls = post_urls(root)
    assert urls["blog/skating/index.mdx"] == "https://icefair.example.org/blog/skating-on-the-lake/"
    result = invoke(root, "send", "thaw")
    assert result.exit_code != 0
    assert ("blog/thaw/index.mdx:2: the post has no slug:, which "
            "src/pages/blog/{mdx.frontmatter__slug}.js makes its address") in result.output
    assert "Traceback" not in result.output


def test_gatsby_starter_blogs_address_is_the_files_path_under_gatsby_nodes_folder(tmp_path):
    """gatsby-starter-blog's gatsby-node makes the address from the file's path
    (createFilePath), here after /journal, whatever slug the front matter has: the email
    linked /greetings/ and /2026/frost/, pages the blog does not have."""
    root = write_files(tmp_path / "fair", {
        "gatsby-config.js": CONFIG % "content/blog",
        "gatsby-node.js": STARTER_NODE,
        "content/blog/hello/index.md": ('---\ntitle: Hello\ndate: "2026-05-01"\n'
                                        'slug: "greetings"\n---\n\nHi.\n'),
        "content/blog/2026/frost/index.md": '---\ntitle: Frost\ndate: "2026-05-02"\n---\n\nCold.\n',
    })
    assert invoke(root, "init").exit_code == 0
    assert post_urls(root) == {
        "content/blog/hello/index.md": "https://icefair.example.org/journal/hello/",
        "content/blog/2026/frost/index.md": "https://icefair.example.org/journal/2026/frost/",
    }


def test_a_front_matter_path_gatsby_node_pages_posts_at_is_the_address(tmp_path):
    """Gatsby's Markdown tutorial pages each post at its front matter's path; the email
    linked /post-1/, the file's name."""
    root = write_files(tmp_path / "fair", {
        "gatsby-config.js": CONFIG % "src/markdown-pages",
        "gatsby-node.js": PATH_NODE,
        "src/markdown-pages/post-1.md": ('---\npath: "/blog/first-skate"\ndate: "2026-05-01"\n'
                                         'title: "First skate"\n---\n\nWobbly.\n'),
    })
    assert invoke(root, "init").exit_code == 0
    assert post_urls(root) == {
        "src/markdown-pages/post-1.md": "https://icefair.example.org/blog/first-skate/"}


TYPESCRIPT_NODE = """\
import path from "path"
import type { GatsbyNode } from "gatsby"
import { createFilePath } from "gatsby-source-filesystem"

export const createPages: GatsbyNode["createPages"] = async ({ graphql, actions }) => {
  const result = await graphql<Queries.PostsQuery>(`
    query Posts { allMarkdownRemark { nodes { id frontmatter { slug } } } }
  `)
  result.data?.allMarkdownRemark.nodes.forEach(node => {
    actions.createPage({
      path: `/skates${node.frontmatter.slug}`,
      component: path.resolve(`./src/templates/post.tsx`),
      context: { id: node.id },
    })
  })
}
"""


def test_a_front_matter_slug_after_the_folder_gatsby_node_names_is_the_address(tmp_path):
    """createPage({ path: `/skates${node.frontmatter.slug}` }): the email linked /edges/,
    without the folder the blog's pages are in."""
    root = write_files(tmp_path / "fair", {
        "gatsby-config.js": CONFIG % "content/posts",
        "gatsby-node.ts": TYPESCRIPT_NODE,
        "content/posts/edges.md": ('---\ntitle: Sharp edges\ndate: "2026-05-01"\n'
                                   'slug: "/edges"\n---\n\nHoned.\n'),
    })
    assert invoke(root, "init").exit_code == 0
    assert post_urls(root) == {
        "content/posts/edges.md": "https://icefair.example.org/skates/edges/"}
