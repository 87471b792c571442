"""Which columns and file names say who may be mailed.

An import trusts a file of no known format only when none of its columns looks like it says
whether someone may be mailed (``subscribed_to_emails``, ``CLEAN_TIME``, ``EMAIL_BLACKLISTED``:
read with --status-column, never guessed), and a file whose name says everyone in it left
(Sendy's ``<list>-unsubscribed.csv``) gives them that status. The list's own files say it in
their ``status`` column: a file in subscribers/ without one that says it another way is another
service's export saved there instead of imported, and its rows are not read as readers
(:func:`foreign_list_file`), so nobody who left there is mailed here.
"""

from __future__ import annotations

import re

from newsletter.errors import SubscriberError
from newsletter.subscribers.csv_format import COLUMNS, Layout, column_names

# Columns that say whether someone may be mailed, in files of no known format. Such a file is
# refused unless --status-column says how to read it: never guessed to be active.
STATUS_LIKE = frozenset({
    "status", "state", "type", "subscribed", "unsubscribed", "email_disabled",
    "subscribed_to_emails", "subscriber_type", "subscription", "subscription_status",
    "member_status", "opted_in", "opt_in", "optin", "opted_out", "opt_out", "optout",
    "confirmed", "double_opt_in", "bounced", "blocked", "blocklisted", "blacklisted",
    "enabled", "disabled", "active", "inactive", "consent", "marketing_consent",
    "accepts_marketing", "email_marketing_consent", "do_not_email", "unsub_time", "clean_time",
    "unsubscribed_at", "deleted_at",
    # a yes/no (or 0/1) for the mail itself, as shops and CRMs export their customers
    "newsletter", "newsletters", "marketing", "marketing_email", "marketing_emails", "gdpr",
    "permission", "email_permission",
})
# The same in the words of a European spreadsheet: German, French, Spanish, Italian, Dutch.
_OTHER_LANGUAGES = re.compile(
    r"(^|_)(abgemeldet|abmeldung|abbestellt|abonniert|angemeldet|statut|désinscrit|"
    r"desinscrit|désinscription|désabonné|desabonne|estado|baja|suscrito|stato|iscritto|"
    r"disiscritto|afgemeld|uitgeschreven|ingeschreven)(_|$)")
_STATUS_WORDS = re.compile(r"(^|_)(status|state|opt_?(in|out)|unsubscribed?|bounced?|consent|"
                           r"subscription)$")
# A state as a flag or as the date it began ("is_active", "disabled_at"): its FALSE, or an
# empty date, is no reader.
_STATE_FLAG = re.compile(r"^(is_)?(active|inactive|enabled|disabled)(_(at|on|date|time))?$")
# The day someone joined, as a European spreadsheet heads it ("Angemeldet am", "Inscrit le",
# "Suscrito el", "Iscritto il", "Ingeschreven op"): a date, as "Subscribed at" is, no status.
_JOINED_ON = re.compile(r"^(abonniert|angemeldet|eingetragen|inscrit|inscrite|suscrito|iscritto|"
                        r"ingeschreven)_(am|seit|le|depuis|el|desde|il|dal|op|sinds)$")
# Words that say whether someone may be mailed wherever they stand in a name:
# "unsubscribed_date", "Bounced On", Brevo's "EMAIL_BLACKLISTED", Shopify's "Accepts Email
# Marketing", "Is Subscribed", "Subscribed to newsletter", MailUp's "OptOut_Date", Mailjet's
# "IsExcludedFromCampaigns", "Deleted"; and whether someone confirmed or opted in at all
# ("optInConfirmed", "Email Confirmed", "opt_in_timestamp": its 0 or empty cell never did).
_LEAVING_WORDS = re.compile(r"(^|_)(unsub[a-z]*|bounced?|(black|block)list(ed)?|blocked|"
                            r"suppress(ed|ion)?|complain(ed|ts?)?|spam|cleaned|opt(ed)?_?out|"
                            r"excluded|exclusion|deleted|(un)?confirmed|opt(ed)?_?in|"
                            r"email_marketing|do_not_e?mail|(is|email|newsletter)_subscribed|"
                            r"subscribed_to)(_|$)")

# A question asking for consent, as a form's column is named after it ("Do you want to receive
# our newsletter?", "Subscribe to updates", "I agree to receive emails"): its "No" is no reader.
_CONSENT_VERB = re.compile(r"(^|_)(receive|subscribe|sign_?up|join|agree|want|like)(_|$)")
_CONSENT_OBJECT = re.compile(r"(^|_)(newsletters?|e_?mails?|mailings?|updates|news)(_|$)")


# Words of a file name that say everyone in it left (Sendy's "<list>-unsubscribed.csv",
# "-bounced", "-marked-as-spam", "-unconfirmed"; a list saved by hand as "unsubscribes.csv",
# "Unsubscribe list.csv", "blacklist.csv", "opt-outs.csv", "do-not-email.csv").
# Mailchimp's "nonsubscribed_members_export_*.csv": contacts who never opted in.
NAMED_STATUSES = {
    **dict.fromkeys(("unsubscribe", "unsubscribed", "unsubscribes", "unsubscribers", "unsub",
                     "unsubs", "optout", "optouts", "optedout", "blacklist", "blacklisted",
                     "blocklist", "blocklisted", "blocked", "suppressed", "suppression",
                     "suppressions", "deleted", "donotemail", "donotmail", "donotcontact",
                     "removed", "cancelled", "canceled", "archived", "excluded", "exclusion",
                     "exclusions", "blocks"),
                    "unsubscribed"),
    # "invalid": SendGrid's invalid_emails.csv, beehiiv's word for a bounced address
    **dict.fromkeys(("bounce", "bounced", "bounces", "cleaned", "invalid", "undeliverable",
                     "unreachable"), "bounced"),
    # "junk": MailerLite's readers who marked a campaign as spam
    **dict.fromkeys(("complained", "complaints", "spam", "junk"), "complained"),
    # "inactive": unsubscribed to beehiiv, never confirmed to Kit; never mailed either way,
    # and an unconfirmed row does not demote a reader active here
    **dict.fromkeys(("unconfirmed", "unactivated", "nonsubscribed", "inactive"), "unconfirmed"),
}


def named_status(file_name: str) -> str | None:
    """The status a file's name gives everyone in it (``list-unsubscribed.csv``), if any."""
    words = [word for word in re.split(r"[^a-z]+", file_name.lower()) if word]
    # with the words a separator split: "opt-out", "Opted out", "do-not-email"
    words += ["".join(words[at:at + size]) for size in (2, 3) for at in range(len(words))]
    return next((NAMED_STATUSES[word] for word in words if word in NAMED_STATUSES), None)


def status_like(column: str) -> bool:
    """True if a column name looks like it says whether someone may be mailed."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", column.strip())  # emailBlacklisted: 2 words
    name = re.sub(r"[\W_]+", "_", words.lower()).strip("_")  # "Opt-In?": opt_in
    # "Unsubscribe URL": a reader's link; "Opt-in IP", "Confirmation IP": where they signed
    # up from. Neither says whether they may be mailed.
    if name.endswith(("_url", "_link", "_ip", "_ip_address")):
        return False
    if _JOINED_ON.match(name):
        return False
    return (name in STATUS_LIKE or bool(_STATUS_WORDS.search(name) or _STATE_FLAG.match(name))
            or bool(_LEAVING_WORDS.search(name) or _OTHER_LANGUAGES.search(name))
            or bool(_CONSENT_VERB.search(name) and _CONSENT_OBJECT.search(name)))


def foreign_list_file(file_name: str, label: str, layout: Layout) -> SubscriberError | None:
    """Why a file among the list's files is not read as readers, or None: it has no status
    column, and a column or its name says who left (an export saved there, not imported)."""
    if layout.header is None or "status" in layout.columns:
        return None
    names = column_names(layout.header)
    column = next((written for written, name in zip(layout.header, names)
                   if name not in COLUMNS and status_like(written)), None)
    if column is not None:
        why = (f"column {column.strip()!r} says who may be mailed, which a list file says "
               "in 'status'")
        other = f"if {column.strip()!r} means something else, add a"
    elif (named := named_status(file_name)) is not None:
        why = f"its name says everyone in it is {named}, and it has no 'status' column"
        other = "or add a"
    else:
        return None
    return SubscriberError(
        f"{why}: another service's export? Its rows are skipped for sending", where=label,
        hint=f"move it out of subscribers/ and run `newsletter subscribers import FILE`, which "
             f"reads who left; {other} 'status' column saying who is active")
