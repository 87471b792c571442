"""Every provider adapter, by the name used in newsletter.toml (``[provider] name``)."""

from newsletter.providers.postmark import PostmarkProvider

PROVIDERS = {
    "postmark": PostmarkProvider,
}
