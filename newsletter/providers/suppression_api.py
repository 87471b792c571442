"""Reading a provider's suppression lists over its API (for `subscribers sync`).

The fetchers in each provider module reuse the send adapter's API URL, key and session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsletter.errors import AuthError, ProviderError

if TYPE_CHECKING:
    from newsletter.providers.http import HttpProvider

MAX_PAGES = 10_000  # a guard against a provider whose paging never ends


def get_json(provider: HttpProvider, path: str, **request: Any) -> Any:
    """GET ``path`` under the provider's API URL and return its JSON, or raise ProviderError."""
    import requests

    headers = {"Accept": "application/json", **request.pop("headers", {})}
    try:
        response = provider.session.get(provider.api_url + path, headers=headers,
                                         timeout=provider.timeout, allow_redirects=False, **request)
    except requests.RequestException as exc:
        raise ProviderError(f"{provider.name}: cannot read {path} ({type(exc).__name__})") from None
    if response.status_code in (401, 403):
        raise AuthError(provider.describe_response(response),
                        hint=f"check {provider.secret_name}; reading suppressions needs that right")
    if not 200 <= response.status_code < 300:
        raise ProviderError(provider.describe_response(response), where=path)
    try:
        return response.json()
    except (ValueError, RecursionError):  # not JSON, or [[[[... thousands deep
        raise ProviderError(f"{provider.name} answered {path} with something that is not JSON") from None


def records_in(body: Any, key: str | None, provider: str, path: str) -> list[dict]:
    """The list of records in a response (at ``body[key]``, or the body itself)."""
    records = body.get(key) if key and isinstance(body, dict) else body
    if not isinstance(records, list):
        raise ProviderError(f"{provider}: unexpected answer from {path}: no list of suppressions")
    return [r for r in records if isinstance(r, dict)]
