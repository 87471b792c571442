"""The providers newsletter.toml may name, and the environment variables that hold secrets.

Each provider module declares its name and its secrets (newsletter/providers/declaration.py),
but config sits below providers and is loaded by every command, `status` and `posts` too, which
must start without importing requests or the renderer (importing the providers took `status`
from 0.9 s to 3.3 s). So config keeps this one table of names and secret variables, and the
provider registry refuses to start unless every declaration agrees with it
(providers/registry.py): a provider added without its line here fails at once, by name. Nothing
else of the environment is ever read.
"""

from __future__ import annotations

# Secrets of newsletter itself, whichever provider sends: signing unsubscribe links, and the
# basic auth on `serve`'s webhook URLs.
OWN_SECRETS = ("NEWSLETTER_SECRET", "NEWSLETTER_WEBHOOK_USER", "NEWSLETTER_WEBHOOK_PASSWORD")

# provider.name -> the environment variables its declaration says it reads.
PROVIDER_SECRETS = {
    "outbox": (),
    "mailgun": ("MAILGUN_API_KEY", "MAILGUN_WEBHOOK_SIGNING_KEY"),
    "postmark": ("POSTMARK_SERVER_TOKEN",),
    "resend": ("RESEND_API_KEY", "RESEND_WEBHOOK_SECRET"),
    "sendgrid": ("SENDGRID_API_KEY", "SENDGRID_WEBHOOK_PUBLIC_KEY"),
    "smtp": ("SMTP_USERNAME", "SMTP_PASSWORD"),
}
PROVIDER_NAMES = tuple(PROVIDER_SECRETS)
# The PostgreSQL store (docs/store.md): the whole URL, password and all; libpq reads PGPASSWORD.
STORE_URL_VARIABLE = "NEWSLETTER_STORE_URL"
STORE_SECRETS = ("PGPASSWORD", STORE_URL_VARIABLE)
SECRET_VARIABLES = tuple(dict.fromkeys(
    [*OWN_SECRETS, *(name for names in PROVIDER_SECRETS.values() for name in names),
     *STORE_SECRETS]))
