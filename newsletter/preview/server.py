"""The local preview server behind ``newsletter preview --serve``.

A WSGI app that holds nothing but the site folder: every request re-reads newsletter.toml, the
posts and the templates and renders afresh, so an edit shows on the next reload. A broken post,
template or settings file becomes a readable error page; the server keeps running.

The one thing it remembers is the prepared images of the posts it rendered, which post pages
show from ``/_images/<name>``: only those files, looked up by their exact content-hashed name,
never a path built from the request.

Served by waitress rather than the stdlib's wsgiref: waitress is already a dependency (for
``newsletter serve``), it is threaded, so a browser's idle pre-connected socket cannot stall
every other request as it does wsgiref's one-at-a-time loop, and it serves ``localhost`` on
both IPv4 and IPv6.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
import socket
import threading
import traceback
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Iterable, Mapping

from newsletter.config import load_settings
from newsletter.errors import NewsletterError, PostNotFoundError
from newsletter.preview import pages
from newsletter.preview.report import REPORT_PATH, report_page
from newsletter.render import EmailImage

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000  # `newsletter serve` (the unsubscribe endpoint) defaults to 8080

StartResponse = Callable[[str, list[tuple[str, str]]], object]
IMAGE_NAME = re.compile(r"[0-9a-f]{16}\.(?:jpg|png|gif)")  # what image_prep names a file
KEPT_IMAGES = 256  # the images of the last posts shown; older ones answer 404 until re-rendered


class ShownImages:
    """The prepared images of the post pages rendered so far, by name (the newest kept)."""

    def __init__(self, limit: int = KEPT_IMAGES):
        self.limit = limit
        self._images: OrderedDict[str, EmailImage] = OrderedDict()
        self._lock = threading.Lock()  # waitress serves on several threads

    def add(self, images: Iterable[EmailImage]) -> None:
        with self._lock:
            for image in images:
                self._images[image.name] = image
                self._images.move_to_end(image.name)
            while len(self._images) > self.limit:
                self._images.popitem(last=False)

    def get(self, name: str) -> EmailImage | None:
        if not IMAGE_NAME.fullmatch(name):
            return None
        with self._lock:
            return self._images.get(name)


def make_app(site_root: Path, environ: Mapping[str, str], *, any_host: bool = False):
    """The WSGI application previewing the site at ``site_root``; unless ``any_host`` (a server
    the writer put on the network), it answers only requests to a loopback name
    (:func:`is_loopback_name`)."""
    links = pages.SERVER_LINKS
    shown = ShownImages()

    def app(wsgi_environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = wsgi_environ["REQUEST_METHOD"]
        if not any_host and not is_loopback_name(wsgi_environ.get("HTTP_HOST", "")):
            return _respond(start_response, "403 Forbidden", "The preview answers only at "
                            "localhost, 127.0.0.1 or [::1]: open it there.", "text/plain")
        if method not in ("GET", "HEAD"):
            return _respond(start_response, "405 Method Not Allowed", "only GET and HEAD", "text/plain",
                            extra=[("Allow", "GET, HEAD")])
        # WSGI hands PATH_INFO over as latin-1; the browser sent UTF-8.
        path = wsgi_environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        if path == "/favicon.ico":
            return _respond(start_response, "404 Not Found", "", "text/plain")
        if path.startswith(pages.IMAGE_PATH):
            return _image(start_response, shown.get(path[len(pages.IMAGE_PATH):]),
                          head=method == "HEAD")
        now = dt.datetime.now(dt.timezone.utc)
        try:
            settings = load_settings(site_root, environ)
            if path in ("/", "/index.html"):
                page = pages.index_page(settings, now, links)
            elif path == REPORT_PATH:
                page = report_page(settings, now, links)
            else:
                post = pages.find_post_or_its_error(settings, path)
                checked = pages.checked_email(settings, post, now)
                shown.add(checked[0].images)
                page = pages.post_page(settings, post, now, links, checked)
            status = "200 OK"
        except NewsletterError as error:
            status = "404 Not Found" if isinstance(error, PostNotFoundError) else "500 Internal Server Error"
            page = pages.error_page(error, now, links)
        except Exception as bug:  # noqa: BLE001 - one boundary: a bug shows its traceback, the server lives
            logger.exception("preview of %s failed", path)
            page = pages.error_page(NewsletterError(f"{type(bug).__name__}: {bug}"), now, links,
                                           traceback=traceback.format_exc())
            status = "500 Internal Server Error"
        return _respond(start_response, status, page, "text/html; charset=utf-8",
                        head=method == "HEAD")

    return app


def create_server(site_root: Path, environ: Mapping[str, str], host: str = DEFAULT_HOST,
                  port: int = DEFAULT_PORT):
    """A waitress server for the preview app, bound and ready to ``run()``; ``close()`` it after."""
    import waitress

    try:
        app = make_app(site_root, environ, any_host=not is_loopback(host))
        return waitress.create_server(app, host=host, port=port, threads=4,
                                      ident="newsletter-preview", clear_untrusted_proxy_headers=True)
    except (OSError, ValueError) as error:  # the port is taken, the host is no address here
        raise NewsletterError(f"cannot listen on {host} port {port} "
                              f"({getattr(error, 'strerror', None) or error})",
                              hint="choose another --port, or stop what is using it") from None


def server_url(server, host: str, port: int) -> str:
    """The URL to open for ``server`` (the real port when ``port`` was 0)."""
    port = getattr(server, "effective_port", port)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def is_loopback_name(host_header: str) -> bool:
    """Whether a request's Host names this machine (``localhost``, ``127.0.0.1``, ``[::1]``,
    any port): a page that points a name of its own at 127.0.0.1 (DNS rebinding) must not read
    the drafts. A request without a Host (HTTP/1.0; no browser) names nothing else."""
    name = host_header.strip().lower()
    if name.startswith("["):
        name = name[1:name.find("]")] if "]" in name else name
    else:
        name = name.partition(":")[0]
    name = name.rstrip(".")
    if not name or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _image(start_response: StartResponse, image: EmailImage | None, *, head: bool) -> list[bytes]:
    if image is None:
        return _respond(start_response, "404 Not Found", "no such image", "text/plain", head=head)
    # Content-hashed: a name always holds the same bytes, so the browser may keep it.
    return _respond(start_response, "200 OK", image.data, image.content_type, head=head,
                    cache="max-age=86400, immutable")


def _respond(start_response: StartResponse, status: str, body: str | bytes, content_type: str, *,
             head: bool = False, extra: list[tuple[str, str]] | None = None,
             cache: str = "no-store") -> list[bytes]:
    data = body.encode("utf-8") if isinstance(body, str) else body
    start_response(status, [
        ("Content-Type", content_type),
        ("Content-Length", str(len(data))),
        ("Cache-Control", cache),  # no-store: every reload must reach the server and re-render
        ("X-Content-Type-Options", "nosniff"),
        *(extra or []),
    ])
    return [] if head else [data]
