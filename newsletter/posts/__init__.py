"""Posts: every post file of the site (where its generator keeps them) read into a
:class:`Post`, classified, and found by the names writers give them."""

from newsletter.posts.feature_image import PostImage
from newsletter.posts.loading import MAX_POST_BYTES, load_posts, printable, read_post, site_relative
from newsletter.posts.naming import error_file_name, file_names, find_post
from newsletter.posts.post import (
    MARKDOWN_SYNTAX,
    Post,
    PostStatus,
    classify,
    folder_name,
    newest_first,
    plain_line,
    short_name,
)

__all__ = ["MARKDOWN_SYNTAX", "MAX_POST_BYTES", "Post", "PostImage", "PostStatus", "classify", "error_file_name",
           "file_names", "find_post", "folder_name", "load_posts", "newest_first", "plain_line",
           "printable", "read_post", "short_name", "site_relative"]
