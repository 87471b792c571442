"""The web endpoint: one-click unsubscribe, sign-ups and provider webhooks, as a WSGI
application, and the sign-up form for the blog.

Any WSGI server can run ``newsletter.web:create_app()``; `newsletter serve` runs it under waitress.
"""

from newsletter.web.app import MAX_WEBHOOK_BODY, NewsletterApp, create_app
from newsletter.web.form_snippet import signup_action, signup_form

__all__ = ["MAX_WEBHOOK_BODY", "NewsletterApp", "create_app", "signup_action", "signup_form"]
