"""Every link and image of a post's email, found where the writer wrote it, and link findings.

The post's own links come from its Markdown before rendering made them absolute, so a finding
can quote the URL as written and point at its line. The template's links (masthead, button,
footer) are the rest of what the rendered HTML links to; they point into the post's front
matter (``cta_url``), the HTML template or newsletter.toml, wherever the URL is written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import unquote

import lxml.html

from newsletter.check.findings import Finding, error, warning, without_credentials
from newsletter.check.urls import (
    MALFORMED_HINT,
    WEB_SCHEMES,
    host_of,
    is_private_host,
    is_relative,
    looks_like_a_domain,
    same_site,
    scheme_of,
    scheme_problem,
)
from newsletter.records import record
from newsletter.render import URL_ATTRIBUTES, all_ids, email_url, local_ids

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext
    from newsletter.posts import Post

PLACEHOLDER = re.compile(r"%%\w+%%")  # a reader's value, filled in per message
FOOTNOTE_CLASSES = frozenset({"footnote-ref", "footnote-backref"})  # Markdown's own anchors
LINK_SCHEMES = WEB_SCHEMES | frozenset({"mailto", "tel", "sms"})
# Link text that shows an address: a URL, or a host name such as example.com/page.
_SHOWN_ADDRESS = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?(?:/\S*)?$",
                            re.IGNORECASE)
# A name alone that ends so is a JavaScript library's (Node.js, Vue.js, Three.js), not a host:
# no top-level domain is .js, so neither a reader nor a spam filter takes it for an address.
_LIBRARY_NAME = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.js$", re.IGNORECASE)
# A file's name as a link's text (README.md, train.py): where the link is to that file, or to
# a code host (a gist, a repository), it names the file, not a site (.md and .py are countries').
_FILE_NAME = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:md|markdown|py|ipynb|rs|sh|pl|rb|go|ts|tsx|"
                        r"jsx|json|ya?ml|toml|txt|html?|css|scss|php|lua|java|kt|swift|cpp|cs|"
                        r"zig|nix|el|ex|exs|hs|ml|sql|csv|pdf|zip|tar|gz)$", re.IGNORECASE)
_CODE_HOSTS = ("github.com", "githubusercontent.com", "gitlab.com", "bitbucket.org",
               "codeberg.org", "sr.ht", "huggingface.co")


@record(frozen=True)
class LinkUse:
    """One ``<a href>`` or ``<img src>`` of the email."""

    tag: str  # "a" or "img"
    url: str  # as written
    sent: str  # as it goes out (made absolute)
    label: str  # a link's visible text, an image's alt text
    has_alt: bool  # images: an alt attribute with text
    where: str
    in_post: bool  # written in the post's body (else in the template or settings)
    footnote: bool = False  # a footnote reference or back-link that Markdown made
    anchored: bool = False  # a same-page link (#x) to an id the post has: a heading, a note
    shown: bool = True  # a link: it holds text or an image (an image's alt is its own finding)
    link: str = ""  # an image: the URL of the link it is all of, which screen readers name by it
    known: bool = False  # a relative link to a page of the site, or to a file its bundle publishes


def collect_links(context: CheckContext) -> list[LinkUse]:
    """The post's links and images, then the template's, in document order."""
    uses = _post_links(context)
    # Compared unquoted: the HTML serialiser percent-escapes spaces and such in href and src.
    sent = Counter((use.tag, unquote(use.sent)) for use in uses)
    # The post's own image files, which the email carries as cid: parts (or [images] url):
    # checked where the post names them, and by rendering (image-missing, image-unusable).
    own_images = {image.src for image in context.email.images}
    document = lxml.html.document_fromstring(context.email.html)
    for element in _linking(document):
        url = (element.get(URL_ATTRIBUTES[element.tag]) or "").strip()
        if sent[(element.tag, unquote(url))]:  # one of the post's own
            sent[(element.tag, unquote(url))] -= 1
        elif element.tag == "img" and url in own_images:
            continue
        elif not PLACEHOLDER.fullmatch(url):  # the unsubscribe link is the footer check's
            uses.append(_use(element, url, url, _template_where(context, url), in_post=False))
    return uses


def link_findings(uses: list[LinkUse], context: CheckContext) -> list[Finding]:
    """What is wrong with each ``<a href>``."""
    found = []
    for use in uses:
        if use.tag == "a" and not use.footnote:
            problem = _link_problem(use)
            if problem:
                found.append(problem)
    return found


# What each scheme problem (check/urls.py: scheme_problem) means for a link.
LINK_SCHEME_PROBLEMS = {
    "empty": (error, "link-empty", "{subject} has no address", "give it a URL, or remove the link"),
    "malformed": (error, "link-malformed", "{subject} is no valid address ({url})", MALFORMED_HINT),
    "script": (error, "link-javascript", "{subject} runs a script ({url})",
               "email clients strip it and spam filters distrust it; link to a web page"),
    "data": (error, "link-data", "{subject} is a data: URL",
             "email clients and browsers refuse to open those; link to a web page"),
    "file": (error, "link-local-file", "{subject} points to a file on your computer ({url})",
             "readers cannot open it: publish the file and link to its web address"),
    "unknown": (warning, "link-scheme", "{subject} uses {scheme}:, which email clients may not "
                "open", "link to a web page (https://) instead"),
}


def _link_problem(use: LinkUse) -> Finding | None:
    url, where = use.url, use.where
    subject = f"the link {_quote(use.label)}"
    if url == "#":
        return error("link-fragment", where, f"{subject} goes nowhere (#)",
                     "link to a web page, or remove the link")
    if url.startswith("#") and not use.anchored:
        return warning("link-fragment", where,
                       f"{subject} jumps to {url}, which no heading or anchor of the post has; "
                       f"it goes to {use.sent}",
                       "link to a heading by its id (## My Notes is #my-notes), or write the full URL")
    if url.startswith("#"):
        return None
    return (scheme_finding(use, subject, LINK_SCHEME_PROBLEMS, LINK_SCHEMES)
            or relative_problem(use, "link", subject) or private_problem(use, "link", subject)
            or _phishing(use) or _unseen(use))


def _unseen(use: LinkUse) -> Finding | None:
    """A link with nothing to click (``[](https://...)``): no reader sees it, and a screen
    reader names it only "link"."""
    if use.shown:
        return None
    return warning("link-no-text", use.where, f"the link to {shown_url(use.url)} has no text: "
                   "readers cannot see or click it", "write the words to click: [text](...)")


def scheme_finding(use: LinkUse, subject: str, problems: dict, allowed: frozenset[str]
                   ) -> Finding | None:
    """The finding for a URL no reader's client would follow or load, from ``problems``."""
    problem = scheme_problem(use.url, allowed)
    if problem is None:
        return None
    make, code, message, hint = problems[problem]
    return make(code, use.where, message.format(subject=subject, url=shown_url(use.url),
                                                scheme=scheme_of(use.url)), hint)


def relative_problem(use: LinkUse, noun: str, subject: str) -> Finding | None:
    """A relative URL: post links are made absolute against the post's address (check the
    result); a template's are not, and a bare domain is another site missing https://."""
    url, where, code = use.url, use.where, f"{noun}-relative"
    if is_relative(url) and looks_like_a_domain(url):
        return error(code, where, f"{subject} looks like a web address without https:// ({url})",
                     f"write https://{url}; as it is, it goes to {use.sent}")
    if is_relative(url) and use.in_post and not use.known:
        return warning(code, where, f"the relative {noun} {url} was made absolute: {use.sent}",
                       "check that it exists there, or write the full URL")
    if not use.in_post and (is_relative(url) or url.startswith("/")):
        return error(code, where, f"the template's relative {noun} {url} cannot work in an "
                     "email (it has no web address of its own)", "write the full https:// address")
    return None


def private_problem(use: LinkUse, noun: str, subject: str) -> Finding | None:
    """A web URL on a host that only the writer's computer or network can reach."""
    host = host_of(use.url)
    if scheme_of(use.url) not in WEB_SCHEMES or not is_private_host(host):
        return None
    return warning(f"{noun}-private", use.where, f"{subject} points to {host}, which only your "
                   "own computer or network can reach", "use a public address")


def _phishing(use: LinkUse) -> Finding | None:
    """Link text that shows one site while the link goes to another (spam filters' phishing
    heuristic, and a reader's too)."""
    label = use.label.strip()
    if scheme_of(use.sent) not in WEB_SCHEMES or not _SHOWN_ADDRESS.match(label) \
            or _LIBRARY_NAME.match(label):
        return None
    shown, actual = host_of(label), host_of(use.sent)
    if not shown or not actual or same_site(shown, actual) or _names_a_file(label, use.sent):
        return None
    return warning("link-phishing", use.where,
                   f"the link text shows {shown} but the link goes to {actual}",
                   "spam filters read this as phishing; show the real address, or use words "
                   "as the link text")


def _names_a_file(label: str, url: str) -> bool:
    """Whether ``label`` is the name of the file ``url`` leads to (``README.md`` for
    .../blob/main/README.md), or a file's name on a link to a code host."""
    if not _FILE_NAME.match(label):
        return False
    path = unquote(url.split("#")[0].split("?")[0]).lower()
    host = host_of(url) or ""
    return path.endswith("/" + label.lower()) or any(same_site(host, code) for code in _CODE_HOSTS)


def _post_links(context: CheckContext) -> list[LinkUse]:
    source = context.sources.post
    cursor = source.start
    uses = []
    root = context.fragment
    ids, kept_ids = all_ids(root), local_ids(root)
    taken: set[int] = set()  # where links found so far are written: a repeated URL is another
    addresses: set[str] | None = None  # of the site's posts and pages
    # Where the search for each link began: [![alt](picture)](link) writes its picture first.
    link_starts: dict = {}
    for element in _linking(root):
        written = element.get(URL_ATTRIBUTES[element.tag]) or ""
        url = written.strip()
        link_starts[element] = begin = link_starts.get(
            next(element.iterancestors("a"), None), cursor)
        found = (source.find_url(url, begin, taken) or source.find_url(url, source.start, taken)
                 or source.find_after_liquid(url, begin, taken)
                 or source.find_label(_label(element)))
        if found:
            cursor = max(cursor, found[1])
            taken.add(found[0])
        where = source.where(source.line_at(found[0]) if found else None)
        sent = email_url(written, context.post.url, kept_ids)
        use = _use(element, url, sent, where, in_post=True,
                   anchored=url.startswith("#") and unquote(url[1:]) in ids)
        if is_relative(url) and context.post.site is not None:
            if addresses is None:  # once, whatever the number of links
                addresses = {address.rstrip("/") for address in context.post.site.urls.values()}
            use = replace(use, known=_published(context.post, url, sent, addresses))
        uses.append(use)
    return uses


def _published(post: Post, url: str, sent: str, addresses: set[str]) -> bool:
    """Whether the relative ``url`` of ``post`` leads where the site publishes something: a
    post's or page's address (``../other/``, one of ``addresses``), or a file of the post's
    bundle, which Hugo and Zola publish beside the page (``slides.pdf`` next to index.md), when
    the link leads into the page's folder (not from Hugo's uglyURLs page /posts/talk.html)."""
    layout = post.site
    if layout is None:
        return False
    if sent.partition("#")[0].rstrip("/") in addresses:
        return True
    path = unquote(re.split(r"[?#]", url, maxsplit=1)[0])  # urlsplit refuses "http://["
    return (layout.generator.publishes_content_files and post.path.stem.startswith("index")
            and bool(path) and ".." not in path.split("/")
            and sent.startswith(post.url.rstrip("/") + "/") and (post.path.parent / path).is_file())


def _linking(root) -> list:
    """Every image, and every link that has an href (``<a id="top">`` is a target, not a link)."""
    return [element for element in root.iter(*URL_ATTRIBUTES)
            if element.tag == "img" or element.get("href") is not None]


def _use(element, url: str, sent: str, where: str, *, in_post: bool,
         anchored: bool = False) -> LinkUse:
    alt = (element.get("alt") or "").strip()
    label = _label(element)
    footnote = bool(FOOTNOTE_CLASSES & set((element.get("class") or "").split()))
    described = bool(alt) or element.get("role") == "presentation"  # decorative, and says so
    shown = element.tag == "img" or bool(label) or element.find(".//img") is not None
    return LinkUse(element.tag, url, sent, label, described, where, in_post, footnote, anchored,
                   shown, _link_of(element) if element.tag == "img" else "")


def _link_of(image) -> str:
    """The address of the link ``image`` is all of (no text beside it), else ""."""
    link = next(image.iterancestors("a"), None)
    if link is None or link.get("href") is None or " ".join(link.text_content().split()):
        return ""
    return link.get("href").strip() if len(list(link.iter("img"))) == 1 else ""


def _label(element) -> str:
    """A link's visible text, an image's alt text."""
    if element.tag == "img":
        return (element.get("alt") or "").strip()
    return " ".join(element.text_content().split())


def _template_where(context: CheckContext, url: str) -> str:
    """Where a URL outside the post's body is written: the front matter, a template, settings."""
    sources = context.sources
    post, template = sources.post, sources.html_template
    found = post.find_value(url)
    if found and found.start() < post.start:
        return post.where(post.line_at(found.start()))
    found = template.find_url(url, 0) if url else None
    if found:
        return template.where(template.line_at(found[0]))
    found = sources.settings_file.find_value(url)
    return sources.settings_file.where(sources.settings_file.line_at(found.start())) if found \
        else template.name


def _quote(label: str) -> str:
    return f'"{shown_url(label)}"' if label else "(no text)"


def shown_url(text: str, limit: int = 60) -> str:
    """``text`` (a URL, a label) as a finding shows it: no password, at most ``limit`` long."""
    text = without_credentials(text)  # before cutting, which could leave part of a password
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"
