"""What stops every send, found before any post is looked at (`check`, `send --due` and its dry
run, even with nothing due): settings `init` left at its example values, a provider that cannot
start (a missing key or NEWSLETTER_SECRET, an SMTP server never named), and with ``online`` a
key the provider refuses, asked with one read-only call (providers/key_check.py)."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from newsletter.check import Finding, Severity, errors_in, finding, settings_findings
from newsletter.errors import AuthError, ConfigError, ProviderError
from newsletter.message import signing_secret
from newsletter.providers import DECLARATIONS, PROVIDERS, check_key

if TYPE_CHECKING:
    from newsletter.config import Settings


def readiness_findings(settings: Settings, *, online: bool = False,
                       environment: bool = True) -> list[Finding]:
    """Every problem with the settings and secrets; ``online`` also asks the provider. Without
    ``environment`` only what newsletter.toml says counts (a pre-commit hook, a pull request's
    check: the secrets live where the sending runs)."""
    found = settings_findings(settings) + _leftover_settings(settings)
    if not environment:
        return found
    found += _provider_findings(settings)
    if online and not any(f.code == "provider-setup" for f in errors_in(found)):
        found += _key_findings(settings)
    return found


def _leftover_settings(settings: Settings) -> list[Finding]:
    """[provider] keys set for another provider than the one sending (left from a switch): the
    writer may believe they apply. Each provider declares the keys it reads."""
    name = settings.provider.name
    others = {key for declared in DECLARATIONS.values() for key in declared.settings}
    others -= set(DECLARATIONS[name].settings)
    return [finding(Severity.WARNING, "provider-setting", "newsletter.toml",
                    f"provider.{spec.name} is set, but {name} does not read it",
                    "remove it, or set provider.name to the provider it is for")
            for spec in fields(settings.provider)
            if spec.name in others and getattr(settings.provider, spec.name) != spec.default]


def _provider_findings(settings: Settings) -> list[Finding]:
    """The provider started as a send starts it; each start-up refusal as a finding."""
    found = []
    try:
        signing_secret(settings)
    except ConfigError as problem:
        found.append(_as_finding(Severity.ERROR, problem))
    try:
        PROVIDERS[settings.provider.name](settings).close()
    except ConfigError as problem:
        found.append(_as_finding(Severity.ERROR, problem))
    return found


def _key_findings(settings: Settings) -> list[Finding]:
    provider = PROVIDERS[settings.provider.name](settings)
    try:
        note = check_key(provider)
    except (AuthError, ConfigError) as problem:  # a send would be refused
        return [_as_finding(Severity.ERROR, problem, "provider-key")]
    except ProviderError as problem:  # no answer that tells
        return [finding(Severity.WARNING, "provider-key", problem.where or "environment",
                        f"could not check the key: {problem.message}",
                        "run newsletter check --online again later")]
    finally:
        provider.close()
    return [finding(Severity.WARNING, "provider-key", "environment", note)] if note else []


def _as_finding(severity: Severity, problem: ConfigError | AuthError,
                code: str = "provider-setup") -> Finding:
    return finding(severity, code, problem.where or "environment", problem.message, problem.hint)
