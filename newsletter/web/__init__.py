"""The web endpoint: one-click unsubscribe and provider webhooks, as a WSGI application.

Any WSGI server can run ``newsletter.web:create_app()``; `newsletter serve` runs it under waitress.
"""

from newsletter.web.app import MAX_WEBHOOK_BODY, NewsletterApp, create_app

__all__ = ["MAX_WEBHOOK_BODY", "NewsletterApp", "create_app"]
