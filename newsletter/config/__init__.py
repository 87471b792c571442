"""Settings: newsletter.toml into frozen dataclasses, secrets from the environment only."""

from newsletter.config.loading import SECRET_VARIABLES, SETTINGS_FILE, load_settings, read_secrets
from newsletter.config.sections import PROVIDER_NAMES, Settings

__all__ = ["PROVIDER_NAMES", "SECRET_VARIABLES", "SETTINGS_FILE", "Settings", "load_settings",
           "read_secrets"]
