"""Settings: newsletter.toml into frozen dataclasses, secrets from the environment only."""

from newsletter.config.catalogue import PROVIDER_NAMES, PROVIDER_SECRETS, SECRET_VARIABLES
from newsletter.config.durations import duration_words, parse_duration
from newsletter.config.lines import long_number, setting_line, toml_problem, with_setting_line
from newsletter.config.loading import SETTINGS_FILE, load_settings, read_secrets, site_above
from newsletter.config.moments import OUTSIDE_THE_CALENDAR, outside_the_calendar
from newsletter.config.redaction import redact
from newsletter.config.sections import GENERATOR_NAMES, Settings
from newsletter.config.site_paths import inside_site
from newsletter.config.signup import MAX_CONFIRM_WITHIN_DAYS, confirm_token, origin_of
from newsletter.config.store import check_url, refuse_password, url_secrets
from newsletter.config.url_settings import HEALTH_PATH

__all__ = ["GENERATOR_NAMES", "HEALTH_PATH", "MAX_CONFIRM_WITHIN_DAYS", "OUTSIDE_THE_CALENDAR", "PROVIDER_NAMES",
           "PROVIDER_SECRETS", "SECRET_VARIABLES", "SETTINGS_FILE", "Settings", "check_url",
           "confirm_token", "duration_words", "inside_site", "load_settings", "long_number", "origin_of",
           "outside_the_calendar", "parse_duration", "read_secrets", "redact",
           "refuse_password", "setting_line", "site_above", "toml_problem", "url_secrets",
           "with_setting_line"]
