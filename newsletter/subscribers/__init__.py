"""The subscriber list: CSV files read as one list, locked atomic edits, the suppression journal,
imports from other services and sign-ups.

Every name is imported on first use, with only the modules it needs: a send reads the list
without the imports, the sign-ups or, for a site on files, the PostgreSQL store.
"""

from newsletter import on_first_use

_ON_FIRST_USE = {"ACTIVE_AGAIN": "adding", "ADDED": "adding", "UPDATED": "adding",
                 "ListCopy": "copying", "copy_list": "copying", "spool_list_back": "copying",
                 "refuse_own_list": "copying", "export_file": "export",
                 "export_readers": "export",
                 "BackgroundFolder": "folding", "fold_journal": "folding",
                 "ImportOptions": "imports", "ImportSummary": "imports", "import_file": "imports",
                 "near_readers": "typo_hints",
                 "open_store": "interface", "ReaderStore": "interface",
                 "PostgresStore": "postgres_store", "current_roster": "roster",
                 "fresh_roster": "roster", "Roster": "roster", "LEFT": "rows", "Status": "rows",
                 "TAG_SEPARATORS": "rows", "Subscriber": "rows", "confirm_signup": "signups",
                 "Consent": "signups",
                 "CONSENT_COLUMNS": "signups", "left_since": "signups",
                 "prune_unconfirmed": "signups", "PruneReport": "signups",
                 "record_signups": "signups", "Signup": "signups", "Standing": "signups",
                 "SubscriberStore": "store", "apply_suppressions": "suppressions",
                 "record_suppressions": "suppressions", "Suppression": "suppressions"}

__all__ = ["ACTIVE_AGAIN", "ADDED", "CONSENT_COLUMNS", "LEFT", "UPDATED", "BackgroundFolder", "Consent", "ImportOptions",
           "ImportSummary", "ListCopy", "PostgresStore", "PruneReport",
           "ReaderStore", "Roster", "Signup",
           "Standing", "Status", "Subscriber", "TAG_SEPARATORS", "SubscriberStore", "Suppression",
           "apply_suppressions", "confirm_signup", "copy_list", "spool_list_back",
           "current_roster", "refuse_own_list",
           "left_since",
           "export_file", "export_readers", "fold_journal", "fresh_roster", "import_file",
           "near_readers", "open_store",
           "prune_unconfirmed", "record_signups", "record_suppressions"]

__getattr__ = on_first_use(__name__, _ON_FIRST_USE)
