"""Video players a post embeds, as an email shows them: every client removes an ``<iframe>``, so
the player YouTube's, Vimeo's or Bilibili's Share button gives (``<iframe src=".../embed/ID">``,
``player.bilibili.com/player.html?bvid=BV...``) becomes a link to the video, on YouTube its
thumbnail too, with a line that says what it is: what the ``youtube``, ``vimeo`` and
``bilibili`` shortcodes become (``render/tags/hugo.py``). The blog keeps its player.

A box holding nothing but the player (a responsive wrapper, ``<div style="padding-bottom:56.25%;
height:0; overflow:hidden">``, which would clip the link) goes with it. Another iframe is left
for the preflight check to report. A gist's embed script (``<script
src="https://gist.github.com/user/id.js">``, as GitHub's Embed button gives it) is a link to the
gist, as the ``gist`` shortcode and tag become.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import lxml.html

YOUTUBE_THUMBNAIL_WIDTH = 480  # hqdefault.jpg, which every video has
_YOUTUBE = re.compile(r"(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/"
                      r"(?!videoseries\b)([\w-]{6,64})(?:[?#]|$)", re.IGNORECASE)
_VIMEO = re.compile(r"(?:https?:)?//player\.vimeo\.com/video/([0-9]{1,30})(?:[/?#]|$)",
                    re.IGNORECASE)
_START = re.compile(r"[?&](?:start|t)=([0-9]{1,6})(?:s?)(?:&|$)")
_BILIBILI = re.compile(r"(?:https?:)?//player\.bilibili\.com/player\.html\?(.*)", re.IGNORECASE)
_BILIBILI_QUERY = re.compile(r"(?:^|&)(bvid|aid|page|p)=([0-9A-Za-z]{1,20})(?=&|#|$)")
BILIBILI_VIDEO = re.compile(r"BV[0-9A-Za-z]{10}|av[0-9]{1,15}", re.IGNORECASE)
# A gist's embed script: its user (optional), id and, after ?file=, one of its files
_GIST_SCRIPT = re.compile(r"(?:https?:)?//gist\.github\.com/(?:([\w-]{1,100})/)?(\w{1,100})\.js"
                          r"(?:\?file=([^&#]{1,200}))?(?:[&#].*)?", re.IGNORECASE)


def embedded_video(url: str) -> tuple[str, str] | None:
    """(youtube or vimeo, the video's id) of a player's embed address, else None."""
    if youtube := _YOUTUBE.match(url):
        return "youtube", youtube[1]
    if vimeo := _VIMEO.match(url):
        return "vimeo", vimeo[1]
    return None
_GENERIC_TITLE = re.compile(r"(?:youtube|vimeo)? ?video player", re.IGNORECASE)


_WATCH = re.compile(r"(?:https?:)?//(?:(?:www\.|m\.)?youtube\.com/(?:watch\?(?:.*&)?v=|shorts/|embed/)"
                    r"|youtu\.be/)([\w-]{6,64})(?:[?&#/]|$)", re.IGNORECASE)
_VIMEO_PAGE = re.compile(r"(?:https?:)?//(?:www\.|player\.)?vimeo\.com/(?:video/)?([0-9]{1,30})"
                         r"(?:[/?#]|$)", re.IGNORECASE)


def video_in_address(url: str, provider: str) -> str | None:
    """The id of the YouTube or Vimeo (``provider``) video a page or player address shows
    (``youtube.com/watch?v=ID``, ``youtu.be/ID``, ``vimeo.com/ID``), else None: jekyll-youtube's
    ``{% youtube "https://..." %}`` names the video so."""
    found = (_WATCH if provider == "youtube" else _VIMEO_PAGE).match(url.strip())
    return found[1] if found else None


def youtube_url(video: str, start: str | None = None) -> str:
    return f"https://www.youtube.com/watch?v={video}" + (f"&t={start}s" if start else "")


def youtube_thumbnail(video: str) -> str:
    return f"https://i.ytimg.com/vi/{video}/hqdefault.jpg"


def vimeo_url(video: str) -> str:
    return f"https://vimeo.com/{video}"


def bilibili_url(video: str, part: str | None = None) -> str:
    """The page of a Bilibili video (``BV...`` or ``av123``), at its part (``?p=2``) if one."""
    video = "av" + video[2:] if video[:2].lower() == "av" else "BV" + video[2:]
    return f"https://www.bilibili.com/video/{video}/" + (
        f"?p={part}" if part and part.isdigit() and part != "1" else "")


def watch_label(service: str, title: str | None) -> str:
    """The line under a video's thumbnail (as text: escape it for HTML)."""
    return (f"\u25b6 Watch \u201c{title}\u201d on {service}" if title
            else f"\u25b6 Watch the video on {service}")


def gist_link(user: str | None, gist_id: str, file: str | None) -> tuple[str, str]:
    """The address and words of a link to a gist, or to one file in it (GitHub's anchor for
    the file); without the user, gist.github.com/<id>, which GitHub sends on to the gist."""
    named = f"{user}/{gist_id}" if user else gist_id
    url = f"https://gist.github.com/{named}"
    if file:
        url += "#file-" + re.sub(r"[^a-z0-9]+", "-", file.lower()).strip("-")
    return url, f"View the code on GitHub: {file or named}"


def replace_players(root: lxml.html.HtmlElement) -> None:
    """Each YouTube, Vimeo or Bilibili player of the fragment as a link to its video, and each
    gist's embed script as a link to the gist, in place."""
    for script in list(root.iter("script")):
        gist = _GIST_SCRIPT.fullmatch((script.get("src") or "").strip())
        if gist:
            url, words = gist_link(gist[1], gist[2], unquote(gist[3] or "") or None)
            link = lxml.html.Element("a", {"href": url})
            link.text = words
            block = lxml.html.Element("p")
            block.append(link)
            block.tail = script.tail
            script.getparent().replace(script, block)
    for frame in list(root.iter("iframe")):
        link = _video_link(frame)
        if link is None:
            continue
        box = frame
        while (box.getparent() is not None and box.getparent() is not root
               and box.getparent().tag in ("div", "figure", "p") and len(box.getparent()) == 1
               and not (box.getparent().text or "").strip() and not (box.tail or "").strip()):
            box = box.getparent()  # a wrapper holding only the player
        block = lxml.html.Element("p")
        block.append(link)
        block.tail, box.tail = box.tail, None
        box.addprevious(block)
        box.drop_tree()


def _video_link(frame: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    src = (frame.get("src") or "").strip()
    title = " ".join((frame.get("title") or "").split())
    if _GENERIC_TITLE.fullmatch(title):
        title = ""  # the Share button's "YouTube video player" names no video
    if youtube := _YOUTUBE.match(src):
        start = _START.search(src)
        link = lxml.html.Element("a", {"href": youtube_url(youtube[1], start and start[1])})
        thumbnail = lxml.html.Element("img", {
            "src": youtube_thumbnail(youtube[1]), "alt": "", "role": "presentation",
            "width": str(YOUTUBE_THUMBNAIL_WIDTH)})
        thumbnail.tail = watch_label("YouTube", title)
        link.append(thumbnail)
        return link
    if vimeo := _VIMEO.match(src):
        link = lxml.html.Element("a", {"href": vimeo_url(vimeo[1])})
        link.text = watch_label("Vimeo", title)
        return link
    if bilibili := _BILIBILI.match(src):
        query = dict(_BILIBILI_QUERY.findall(bilibili[1]))
        video = query.get("bvid") or ("av" + query["aid"] if query.get("aid") else "")
        if BILIBILI_VIDEO.fullmatch(video):
            link = lxml.html.Element("a", {"href": bilibili_url(
                video, query.get("p") or query.get("page"))})
            link.text = watch_label("Bilibili", title)
            return link
    return None
