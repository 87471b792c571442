"""Another service's export saved into subscribers/ instead of imported: read as the list, its
readers who left there were active here (the export says who left in a column the list does not
read, or in its file name), and the next send mailed them. Such a file is now a problem of its
own: its rows are skipped for sending and `subscribers check` says to import it."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from conftest import invoke

FOLDER_EXPORTS = {  # file name -> text; every address in it left the other service
    "cleaned_members_export_1a2b.csv": (  # Mailchimp's cleaned addresses
        "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,CLEAN_TIME,"
        "CLEAN_CAMPAIGN_TITLE,LEID,EUID,TAGS\n"
        "gone1@example.com,Bea,,1,2023-01-05 10:00:00,2023-01-05 10:00:00,"
        "2023-03-23 17:30:05,,13,e3,\n"),
    "members.csv": (  # Ghost's members export
        "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,"
        "created_at,deleted_at,labels,tiers\n"
        "2,gone2@example.com,Uma,,false,false,,2024-02-01T08:00:00.000Z,,,\n"),
    "email_list.my-letter.csv": (  # Substack's
        "email,active_subscription,expiry,plan,email_disabled,created_at,first_payment_at\n"
        "gone3@example.com,false,,,true,2024-04-01T09:30:00.000Z,\n"),
    "weekly-notes-unsubscribed.csv": "email,name\ngone4@example.com,Una\n",  # Sendy's
    "nonsubscribed_members_export_1a2b.csv": (  # Mailchimp's never opted in
        "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LEID,EUID\n"
        "gone5@example.com,Nia,,1,,,14,e4\n"),
}


@pytest.mark.parametrize("name", FOLDER_EXPORTS)
def test_an_export_saved_among_the_list_files_never_mails_who_left(site, name):
    path = site / "subscribers" / name
    path.write_text(FOLDER_EXPORTS[name], encoding="utf-8")
    check = invoke(site, "subscribers", "check")
    assert check.exit_code == 2
    assert check.stdout.startswith(f"subscribers/{name}: ")
    assert "newsletter subscribers import" in check.stdout.splitlines()[0]
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0, result.output
    mailed = {unquote(p.stem) for p in (site / "outbox" / "what-matters").glob("*.eml")}
    assert mailed and not {a for a in mailed if a.startswith("gone")}
    assert path.read_text(encoding="utf-8") == FOLDER_EXPORTS[name]


def test_a_list_file_with_its_status_column_keeps_a_column_of_its_own_that_looks_like_one(site):
    # An import read EMAIL_BLACKLISTED with --status-column and kept SMS_BLACKLISTED as written
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags,subscribed_at,SMS_BLACKLISTED\n"
        "kept@example.com,Kim,active,,,No\n", encoding="utf-8")
    check = invoke(site, "subscribers", "check")
    assert check.exit_code == 0, check.output
    assert invoke(site, "subscribers", "list").stdout == "kept@example.com\tKim\tactive\t\n"


def test_a_list_of_its_own_with_a_state_column_is_read_once_it_has_a_status_column(site):
    # A state of an address, not of a subscription: the refusal says how to keep the file
    path = site / "subscribers" / "customers.csv"
    path.write_text("email,name,city,state\nsam@example.com,Sam,Austin,TX\n", encoding="utf-8")
    check = invoke(site, "subscribers", "check")
    assert check.exit_code == 2
    assert ("if 'state' means something else, add a 'status' column "
            "saying who is active") in check.stdout
    path.write_text("email,name,city,state,status\nsam@example.com,Sam,Austin,TX,\n",
                    encoding="utf-8")
    assert invoke(site, "subscribers", "check").exit_code == 0
    assert "sam@example.com\tSam\tactive\t" in invoke(site, "subscribers", "list").stdout
