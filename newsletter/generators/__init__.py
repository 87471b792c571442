"""What each static site generator does: where it keeps posts, how it names and dates them, which
files are pages, the address it publishes each post at, and the folders it serves at its root.

Hugo, Jekyll, Eleventy, Astro, Zola, Pelican, Gatsby, Hexo, Docusaurus, MkDocs (Material's
blog), Next.js (Contentlayer, blog-starter, MDX), Bridgetown, Nikola and VitePress are known
(docs/generators.md); a blog built by none of them is read the generic way, every Markdown
file under ``content/`` (or ``[posts] dirs``), and the generators recognised without being
known (Quarto, ...) are named.
"""

from newsletter.generators.base import Entry, Generator, Source
from newsletter.generators.jsliteral import JsLiteralError, parse_declarations
from newsletter.generators.layout import (
    BY_NAME,
    GENERATORS,
    UNREAD_MARKUPS,
    SiteLayout,
    detect,
    site_layout,
)
from newsletter.generators.hugo_markup import SUMMARY_DIVIDER
from newsletter.generators.others import OtherGenerator, other_generator
from newsletter.generators.settings_files import (SiteInfo, expands_past, yaml_problem,
                                                  yaml_value_problem)
from newsletter.generators.slugs import jekyll_slug
from newsletter.generators.yaml_loaders import (REPEATED_ANCHORS, MergesTooMany, YamlLoader,
                                                load_yaml)

__all__ = ["BY_NAME", "GENERATORS", "REPEATED_ANCHORS", "SUMMARY_DIVIDER", "UNREAD_MARKUPS",
           "Entry", "Generator", "JsLiteralError", "MergesTooMany", "OtherGenerator", "SiteInfo",
           "SiteLayout", "Source", "YamlLoader", "detect", "expands_past", "jekyll_slug",
           "load_yaml", "other_generator", "parse_declarations", "site_layout", "yaml_problem",
           "yaml_value_problem"]
