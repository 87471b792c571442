"""`check --online`: is the provider's key accepted? One read-only call per provider.

Each provider module has a ``check_key(provider)`` that makes one GET its API documents as
harmless (docs/providers.md#checking-the-key) and says what it found:

- it returns None when the key works, or a sentence worth a warning (a domain not verified);
- it raises :class:`~newsletter.errors.AuthError` when the provider refuses the key, or
  :class:`~newsletter.errors.ConfigError` when the settings cannot work (a Mailgun domain the
  account does not have): a send would fail;
- :class:`KeyUnchecked` when no answer could tell (no connection, a 5xx).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsletter.errors import AuthError, ProviderError

if TYPE_CHECKING:
    import requests

    from newsletter.providers.http import HttpProvider


class KeyUnchecked(ProviderError):
    """The provider gave no answer that says whether the key works."""


def read(provider: HttpProvider, path: str, **request: Any) -> requests.Response:
    """GET ``path`` under the provider's API URL; the answer, whatever its status."""
    import requests  # the read-only calls go through requests (providers/transport.py)

    headers = {"Accept": "application/json", **request.pop("headers", {})}
    try:
        response = provider.session.get(provider.api_url + path, headers=headers,
                                        timeout=provider.timeout, allow_redirects=False,
                                        **request)
    except requests.RequestException as error:
        raise KeyUnchecked(f"{provider.name}: no answer from {provider.api_url} "
                           f"({type(error).__name__})") from None
    if response.status_code >= 500 or response.status_code == 429:
        raise KeyUnchecked(provider.describe_response(response))
    return response


def refused(provider: HttpProvider, response: requests.Response,
            hint: str | None = None) -> AuthError:
    """The error for a key the provider refused."""
    return AuthError(f"{provider.describe_response(response)} (the key was refused)",
                     hint=hint or f"check {provider.secret_name}: copy the key again from "
                                  f"{provider.name}'s settings")


def json_of(provider: HttpProvider, response: requests.Response) -> Any:
    """The JSON of an answer, or KeyUnchecked."""
    try:
        return response.json()
    except (ValueError, RecursionError):  # not JSON, or [[[[... thousands deep
        raise KeyUnchecked(f"{provider.name} answered {response.status_code} with something "
                           "that is not JSON") from None
