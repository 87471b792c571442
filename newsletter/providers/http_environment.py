"""What the environment says for a request to a provider: its proxy and the CA certificates,
read by requests' rules (``Session.merge_environment_settings``) without importing requests.

- the proxy: ``getproxies()`` (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, lower case first),
  chosen for the URL as requests' ``select_proxy`` does (``scheme://host``, ``scheme``,
  ``all://host``, ``all``), none when ``NO_PROXY`` covers the host: a name or its domain, a
  ``host:port``, ``*``, or for an IP address a network (``10.0.0.0/8``);
- the CA certificates: ``REQUESTS_CA_BUNDLE``, else ``CURL_CA_BUNDLE``, else certifi's bundle
  (a file, or a folder of them).
"""

from __future__ import annotations

import ipaddress
import os
import urllib.request
from urllib.parse import unquote, urlsplit

from newsletter.records import record


@record(frozen=True)
class HttpEnvironment:
    """The proxy (None: straight to the provider) and the CA file or folder for one URL."""

    proxy: str | None
    ca_certs: str | None
    ca_cert_dir: str | None

    def proxy_headers(self) -> dict[str, str]:
        """A Proxy-Authorization header from the user and password in the proxy's URL."""
        import urllib3

        parts = urlsplit(self.proxy or "")
        if parts.username is None:
            return {}
        login = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        return {"Proxy-Authorization":  # as requests writes it
                urllib3.util.make_headers(proxy_basic_auth=login)["proxy-authorization"]}


def http_environment(url: str) -> HttpEnvironment:
    """What the environment says for requests to ``url``."""
    bundle = (os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
              or _certifi_bundle())
    folder = os.path.isdir(bundle)
    return HttpEnvironment(proxy=proxy_for(url), ca_certs=None if folder else bundle,
                           ca_cert_dir=bundle if folder else None)


def _certifi_bundle() -> str:
    import certifi  # requests' own dependency, and its bundle

    return certifi.where()


def proxy_for(url: str) -> str | None:
    """The proxy the environment names for ``url``, or None."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    proxies = urllib.request.getproxies()
    if not proxies or _bypassed(host, parts.port, proxies.get("no", "")):
        return None
    for key in (f"{parts.scheme}://{host}", parts.scheme, f"all://{host}", "all"):
        if proxies.get(key):
            return proxies[key]
    return None


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """Whether NO_PROXY covers ``host`` (requests' ``should_bypass_proxies``)."""
    entries = [entry.strip() for entry in no_proxy.replace(" ", "").split(",") if entry.strip()]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in entries:
        if address is not None and "/" in entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        elif address is not None:
            if host == entry:
                return True
        elif host.endswith(entry) or (port and f"{host}:{port}".endswith(entry)):
            return True
    return bool(no_proxy) and urllib.request.proxy_bypass_environment(host, {"no": no_proxy})
