"""Every failure the tool expects, as one small tree.

``cli`` catches :class:`NewsletterError` at one boundary and prints it as one line
(``where: message; hint``) with its ``exit_code``. Anything else is a bug.

::

    NewsletterError                 exit 1: a failure the user must act on
    ├── InputError                  exit 2: bad usage or bad input
    │   ├── ConfigError             newsletter.toml or the environment
    │   ├── ContentError            a post (front matter, body, date)
    │   ├── TemplateError           templates/ (missing file, Jinja error)
    │   ├── SubscriberError         a subscribers/*.csv row or command argument
    │   └── PostNotFoundError       a POST argument that names no post, or several
    ├── SiteLockedError             another `send` holds the site lock
    ├── StoreError                  the state store: unreachable, or its schema newer than us
    │   └── StateFolderError        exit 2: its folder is read-only or full
    └── ProviderError               the mail provider did not accept a request
        ├── TransientError          nothing was accepted; safe to retry (retry_after in s)
        ├── InDoubtError            the request may have been accepted; never resend blindly
        ├── AuthError               the account or request is refused outright; stop the run
        ├── QuotaError              the provider's sending quota is used up; stop, resume later
        └── NotSentError            the request never left (a local failure); stop the run
"""

from __future__ import annotations


class NewsletterError(Exception):
    """An expected failure, shown to the user as one line."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}; {self.hint}" if self.hint else text

    def __reduce__(self):
        # Pickled whole (where, hint, retry_after...) so an error can come back from a helper
        # process; the default would call the class with the message alone.
        return _restore, (type(self), self.__dict__)


def _restore(cls: type[NewsletterError], state: dict) -> NewsletterError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


class StoreError(NewsletterError):
    """The store of the site's state cannot be used: unreachable, refused, or made by a newer
    newsletter (its schema holds migrations this one does not know)."""


# What to do about a full disk or a read-only folder, whichever part of the tool meets it.
DISK_HINT = ("make sure the site's folders (subscribers/, .newsletter/, the outbox) are writable "
             "and the disk has room, then run the command again: nothing was lost")


class StateFolderError(StoreError):
    """The state folder cannot hold the store's file: read-only, full, not permitted. Exit 2,
    as every other full disk or read-only folder (newsletter/cli/disk.py)."""

    exit_code = 2


class InputError(NewsletterError):
    """Bad usage or bad input: the user fixes a file or an argument."""

    exit_code = 2


class ConfigError(InputError):
    """A problem in newsletter.toml or the environment."""


class ContentError(InputError):
    """A problem in one post."""


class MissingImageError(ContentError):
    """An image a post names is neither beside the post nor in a static folder."""


class TemplateError(InputError):
    """A problem in the email templates."""


class SubscriberError(InputError):
    """A problem in a subscriber list or a subscriber argument."""


class PostNotFoundError(InputError):
    """A POST argument matched no post, or more than one."""


class SiteLockedError(NewsletterError):
    """Another send is running on this site."""


class ProviderError(NewsletterError):
    """The mail provider did not accept a request."""


class TransientError(ProviderError):
    """Nothing was accepted; the same request may be retried (after ``retry_after`` s)."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InDoubtError(ProviderError):
    """The request may have been accepted: never resend without --resend-in-doubt."""


class AuthError(ProviderError):
    """The provider refused the credentials, the account or the request itself: nothing was
    sent, and every batch would get the same answer, so the run stops at once."""


class QuotaError(ProviderError):
    """The provider's daily (or monthly) sending quota is used up: nothing was accepted, and no
    batch will be until the quota renews, so the run stops as "limit reached" and its readers
    stay pending for a later run."""


class NotSentError(ProviderError):
    """The request provably never left: building or preparing it failed here. Nothing was
    sent, and every batch would fail alike, so the run stops and its readers stay pending."""
