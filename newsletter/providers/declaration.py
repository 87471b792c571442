"""What one provider module declares about its provider: the one place to look, and to add one.

Each module in ``newsletter/providers/`` that defines ``DECLARATION`` is a provider; the registry
(``registry.py``), the settings' list of provider names and secret variables, the readiness and
key checks, `subscribers sync`, `reconcile` and `serve`'s webhook routes are all built from these
declarations (as django-anymail's backends each read their own settings). Adding a provider is
one module plus its tests (docs/development.md#adding-a-provider).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

from newsletter.config import PROVIDER_SECRETS
from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.providers.base import Provider
    from newsletter.providers.lookup import Lookup
    from newsletter.subscribers import Suppression


@record(frozen=True)
class Declaration:
    """One provider: its adapter and everything else newsletter knows about it."""

    adapter: type[Provider]
    # Environment variables it reads (its API key, its webhook's signing key); nothing else of
    # the environment is read, and every value is hidden in all output.
    secrets: tuple[str, ...] = ()
    # The [provider] keys only this provider reads: set for another provider, they are a
    # leftover readiness warns about.
    settings: tuple[str, ...] = ()
    # `subscribers sync`: its suppression lists, as Suppression rows.
    fetch_suppressions: Callable[[Any], Iterator[Suppression]] | None = None
    # `check --online`: one read-only call that proves the key (key_check.py).
    check_key: Callable[[Any], str | None] | None = None
    # `serve`: the module in newsletter.web.webhooks that verifies and parses its webhooks.
    webhook: str | None = None
    # `reconcile`: asks the provider which of an in-doubt batch's messages it accepted.
    lookup: Lookup | None = None

    @property
    def name(self) -> str:
        return self.adapter.name


def check_catalogue(declarations: dict[str, Declaration], *, complete: bool) -> None:
    """ImportError unless config's table (config/catalogue.py) lists each of ``declarations``
    under the name it is found by, with its secrets, and with ``complete`` lists no other.

    config keeps the names and secret variables for commands that never import providers: a
    declaration it does not know is refused here, by name.
    """
    unknown = {name: d.secrets for name, d in declarations.items()
               if d.name != name or PROVIDER_SECRETS.get(name) != d.secrets}
    if unknown or (complete and set(PROVIDER_SECRETS) != set(declarations)):
        raise ImportError(f"config/catalogue.py PROVIDER_SECRETS must list exactly the declared "
                          f"providers and their secrets: {unknown or sorted(declarations)}")
