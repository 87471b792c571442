"""`subscribers import` of other services' exports: nobody who left them is ever mailed here.

Each export is written here from the columns docs/imports.md documents for it, with readers who
are active, who left (unsubscribed, bounced or cleaned, complained) and who never confirmed,
and tags as each service writes them. After the import a real send through the outbox reaches
the active ones only.
"""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import invoke
from web_server import statuses

# service -> (file name, header, rows); the address names the status it must end with.
EXPORTS = {
    "ghost": ("members.csv",
              "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,"
              "created_at,deleted_at,labels,tiers",
              ["1,active.g@example.com,Gail,,true,false,,2024-01-15T10:00:00.000Z,,"
               '"Tech, Weekly",Free',
               "2,unsubscribed.g@example.com,Uma,,false,false,,2024-02-01T08:00:00.000Z,,,",
               "3,unsubscribed.gd@example.com,Dee,,true,false,,2024-02-01T08:00:00.000Z,"
               "2024-03-01T08:00:00.000Z,,"]),  # deleted: still subscribed_to_emails
    "substack": ("email_list.my-letter.csv",
                 "email,active_subscription,expiry,plan,email_disabled,created_at,"
                 "first_payment_at",
                 ["active.s@example.com,true,2027-01-01T00:00:00.000Z,yearly,false,"
                  "2024-03-01T09:30:00.000Z,2024-03-01T09:30:00.000Z",
                  "unsubscribed.s@example.com,false,,,true,2024-04-01T09:30:00.000Z,"]),
    "buttondown": ("buttondown-subscribers.csv",
                   "id,email,creation_date,notes,tags,metadata,referrer_url,secondary_id,"
                   "source,type",
                   ["a1,active.b@example.com,2024-05-01T12:00:00Z,,['tech'],{},,1,import,"
                    "regular",
                    "a2,unsubscribed.b@example.com,2024-05-02T12:00:00Z,,[],{},,2,form,"
                    "unsubscribed",
                    "a3,unconfirmed.b@example.com,2024-05-03T12:00:00Z,,\"['tech', 'news']\","
                    "{},,3,form,unactivated",
                    "a4,complained.b@example.com,2024-05-04T12:00:00Z,,[],{},,4,form,"
                    "complained"]),
    "listmonk": ("subscribers.csv",
                 "uuid,email,name,attributes,status,created_at,updated_at",
                 ['u-1,active.l@example.com,Lea,"{""city"": ""Oslo""}",enabled,'
                  "2024-06-01 10:00:00 +0000 UTC,2024-06-01 10:00:00 +0000 UTC",
                  "u-2,unsubscribed.l@example.com,Lou,{},blocklisted,"
                  "2024-06-02 10:00:00 +0000 UTC,2024-06-03 10:00:00 +0000 UTC"]),
    "kit": ("kit-subscribers.csv",
            "first_name,email_address,state,created_at,tags",
            ['Kai,active.k@example.com,active,2024-07-01T00:00:00Z,"[""tech"", ""paid""]"',
             "Kim,unsubscribed.k@example.com,cancelled,2024-07-02T00:00:00Z,",
             "Ken,bounced.k@example.com,bounced,2024-07-03T00:00:00Z,",
             "Kat,unconfirmed.k@example.com,inactive,2024-07-04T00:00:00Z,",
             "Cal,active.kc@example.com,cold,2024-07-05T00:00:00Z,"]),  # confirmed, unengaged
    "beehiiv": ("beehiiv-export.csv",
                "email,First Name,Last Name,status,tier,created_at,stripe_customer_id,"
                "Free Tier,Premium Tier,unsubscribed_at",
                ["active.h@example.com,Hal,Lee,active,free,2023-03-24 10:23:10 UTC,,Yes,No,",
                 "unsubscribed.h@example.com,,,inactive,free,2023-03-24 10:36:48 UTC,,Yes,No,",
                 "unconfirmed.h@example.com,,,pending,free,2023-04-11 14:02:46 UTC,,Yes,No,",
                 "bounced.h@example.com,,,invalid,free,2023-04-11 14:02:46 UTC,,Yes,No,"]),
}
MAILCHIMP_COMMON = ("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,"
                    "CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION")
MAILCHIMP = {  # one file per status, as Mailchimp exports an audience
    "subscribed_members_export_1a2b.csv": (
        f"{MAILCHIMP_COMMON},LAST_CHANGED,LEID,EUID,NOTES,TAGS",
        ['active.m@example.com,Mia,Moss,2,2023-01-05 10:00:00,,2023-01-05 10:01:00,,,,,,,,,'
         '2023-01-05 10:01:00,11,e1,,"""Editors"",""Weekly"""']),
    "unsubscribed_members_export_1a2b.csv": (
        f"{MAILCHIMP_COMMON},UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,"
        "UNSUB_REASON_OTHER,LEID,EUID,NOTES,TAGS",
        ["unsubscribed.m@example.com,Ulf,,1,2023-01-05 10:00:00,,2023-01-05 10:00:00,,,,,,,,,"
         "2023-06-06 12:56:15,,,,,12,e2,,"]),
    "cleaned_members_export_1a2b.csv": (
        f"{MAILCHIMP_COMMON},CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID,LEID,EUID,NOTES,"
        "TAGS",
        ["bounced.m@example.com,Bea,,1,2023-01-05 10:00:00,,2023-01-05 10:00:00,,,,,,,,,"
         '2023-03-23 17:30:05,,,13,e3,,"""Editors"""']),
}


def write_export(folder: Path, name: str, header: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def expected_status(address: str) -> str:
    return address.split(".", 1)[0]


def sent_to(site: Path) -> set[str]:
    folder = site / "outbox" / "what-matters"
    return {unquote(path.stem) for path in folder.glob("*.eml")}


@pytest.mark.parametrize("service", sorted(EXPORTS))
def test_an_export_is_recognised_and_nobody_who_left_is_mailed(site, tmp_path, service):
    name, header, rows = EXPORTS[service]
    path = write_export(tmp_path, name, header, rows)
    addresses = [re.search(r"[\w.]+@example\.com", row).group() for row in rows]

    result = invoke(site, "subscribers", "import", str(path))

    assert result.exit_code == 0, result.output
    assert FORMAT_TITLES[service] in result.output.splitlines()[0]
    listed = statuses(site)
    assert {address: listed[address] for address in addresses} == {
        address: expected_status(address) for address in addresses}
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    mailed = {address for address in addresses if address in sent_to(site)}
    assert mailed == {address for address in addresses if address.startswith("active.")}


FORMAT_TITLES = {"ghost": "Ghost members export", "substack": "Substack subscriber export",
                 "buttondown": "Buttondown subscriber export",
                 "listmonk": "listmonk subscriber export",
                 "kit": "Kit (ConvertKit) subscriber export",
                 "beehiiv": "beehiiv subscriber export"}


def test_mailchimps_subscribed_unsubscribed_and_cleaned_files(site, tmp_path):
    for name, (header, rows) in MAILCHIMP.items():
        result = invoke(site, "subscribers", "import",
                        str(write_export(tmp_path, name, header, rows)))
        assert result.exit_code == 0, result.output
        assert "Mailchimp audience export" in result.output
    listed = statuses(site)
    assert {a: listed[a] for a in ("active.m@example.com", "unsubscribed.m@example.com",
                                   "bounced.m@example.com")} == {
        "active.m@example.com": "active", "unsubscribed.m@example.com": "unsubscribed",
        "bounced.m@example.com": "bounced"}
    invoke(site, "send", "what-matters", "--yes")
    assert "active.m@example.com" in sent_to(site)
    assert not {"unsubscribed.m@example.com", "bounced.m@example.com"} & sent_to(site)


def rows_of_our_file(site: Path) -> dict[str, dict[str, str]]:
    text = (site / "subscribers" / "subscribers.csv").read_text(encoding="utf-8")
    return {row["email"]: row for row in csv.DictReader(io.StringIO(text))}


def test_sign_up_times_names_and_list_valued_tags_are_kept_in_our_columns(site, tmp_path):
    for service in ("ghost", "buttondown", "kit", "beehiiv"):
        name, header, rows = EXPORTS[service]
        invoke(site, "subscribers", "import", str(write_export(tmp_path, name, header, rows)))
    for name, (header, rows) in MAILCHIMP.items():
        invoke(site, "subscribers", "import", str(write_export(tmp_path, name, header, rows)))
    rows = rows_of_our_file(site)
    assert rows["active.g@example.com"]["subscribed_at"] == "2024-01-15T10:00:00.000Z"
    assert rows["active.g@example.com"]["tags"] == "Tech,Weekly"
    assert rows["active.b@example.com"]["tags"] == "tech"  # not the text "['tech']"
    assert rows["unconfirmed.b@example.com"]["tags"] == "tech,news"
    assert rows["active.k@example.com"]["tags"] == "tech,paid"
    assert rows["active.m@example.com"]["tags"] == "Editors,Weekly"
    assert rows["active.m@example.com"]["name"] == "Mia Moss"
    assert rows["active.m@example.com"]["subscribed_at"] == "2023-01-05 10:01:00"
    assert rows["active.h@example.com"]["name"] == "Hal Lee"
    assert set(rows["active.g@example.com"]) == {"email", "name", "status", "tags",
                                                 "subscribed_at"}  # no service bookkeeping


def test_the_summary_says_how_many_arrived_in_each_status(site, tmp_path):
    name, header, rows = EXPORTS["kit"]
    result = invoke(site, "subscribers", "import", str(write_export(tmp_path, name, header, rows)))
    assert result.output.splitlines()[:2] == [
        "kit-subscribers.csv: Kit (ConvertKit) subscriber export, 5 reader(s): active 2, "
        "unsubscribed 1, bounced 1, unconfirmed 1",
        "added 5, updated 0, unchanged 0, skipped 0, invalid 0"]


def test_a_leaver_elsewhere_who_is_active_here_becomes_a_leaver_through_the_journal(site,
                                                                                   tmp_path):
    path = write_export(tmp_path, "members.csv", EXPORTS["ghost"][1],
                        ["9,ada@example.com,Ada,,false,false,,2024-01-15T10:00:00.000Z,,,"])
    result = invoke(site, "subscribers", "import", str(path))
    assert "added 0, updated 1," in result.output
    assert statuses(site)["ada@example.com"] == "unsubscribed"
    assert ",unsubscribed," in (site / "subscribers" / "subscribers.csv").read_text()


def test_an_unconfirmed_reader_in_the_export_never_demotes_one_active_here(site, tmp_path):
    name, header, _ = EXPORTS["kit"]
    path = write_export(tmp_path, name, header,
                        ["Ada,ada@example.com,inactive,2024-07-04T00:00:00Z,"])
    assert "unchanged 1" in invoke(site, "subscribers", "import", str(path)).output
    assert statuses(site)["ada@example.com"] == "active"


def test_a_status_value_the_format_does_not_define_is_reported_not_guessed(site, tmp_path):
    name, header, rows = EXPORTS["listmonk"]
    path = write_export(tmp_path, name, header, [
        *rows, "u-3,odd.l@example.com,Odd,{},suspended,2024-06-02 10:00:00 +0000 UTC,"])
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0
    assert (f"not imported: {path}:4: status 'suspended' is not a listmonk status newsletter "
            "knows") in result.output
    assert "odd.l@example.com" not in statuses(site)


LISTS = [
    ("email,name,Subscribed\nw1@example.com,W,yes\nw2@example.com,X,no\n", "Subscribed"),
    ("E-mail,First name,Opt-In\nw1@example.com,W,Y\n", "Opt-In"),
    ("email,name,status\nw1@example.com,W,enabled\n", "status"),
    ("email,state\nw1@example.com,on\n", "state"),
    # A shop's customers: who accepted marketing mail is a column (Shopify's export)
    ("Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Accepts SMS Marketing\n"
     "1,W,V,w1@example.com,no,no\n", "Accepts Email Marketing"),
    # A contact list with its blocklist flag (Brevo's attributes, as a CSV writes them)
    ("EMAIL;FIRSTNAME;LASTNAME;EMAIL_BLACKLISTED\nw1@example.com;W;V;Yes\n",
     "EMAIL_BLACKLISTED"),
    ("email,name,emailBlacklisted\nw1@example.com,W,true\n", "emailBlacklisted"),
    # When someone left, as a date: leavers are the rows that have one
    ("email,name,unsubscribed_date\nw1@example.com,W,2024-01-05\n", "unsubscribed_date"),
    ("Email,Name,Bounced On\nw1@example.com,W,05/01/2024\n", "Bounced On"),
    ("email,name,Unsubscribed?\nw1@example.com,W,TRUE\n", "Unsubscribed?"),
    ("email,name,Email Marketing\nw1@example.com,W,Unsubscribed\n", "Email Marketing"),
    # WordPress.com's subscribers: Subscribed, Not subscribed, Not confirmed, Not sending
    ("Email,Subscription type,Email subscription\nw1@example.com,Free,Not sending\n",
     "Email subscription"),
    ("email,name,Is Subscribed\nw1@example.com,W,FALSE\n", "Is Subscribed"),
    ("email,Subscribed to newsletter\nw1@example.com,no\n", "Subscribed to newsletter"),
    # A form's answers (Google Forms' sheet): the consent question is the column; its "No"
    # was imported as an active reader
    ("Timestamp,Email Address,Name,Do you want to receive our newsletter?\n"
     "2024/05/01 10:00:00,w1@example.com,W,No\n", "Do you want to receive our newsletter?"),
    ("email,name,I agree to receive emails\nw1@example.com,W,\n", "I agree to receive emails"),
    # When someone opted out, as a date (MailUp's unsubscribers export, a list kept by hand)
    ("E-mail address;OptOut_Date\nw1@example.com;20110122T111244\n", "OptOut_Date"),
    ("Email,Name,Opt-out date\nw1@example.com,W,2024-01-05\n", "Opt-out date"),
    # Mailjet's flag for a contact no campaign may reach
    ("Email,Name,IsExcludedFromCampaigns\nw1@example.com,W,true\n", "IsExcludedFromCampaigns"),
    ("email,name,is_active\nw1@example.com,W,FALSE\n", "is_active"),
    # When someone confirmed a double opt-in: an empty cell never did
    ("email,name,confirmed_at\nw1@example.com,W,\n", "confirmed_at"),
    ("id,email,optInConfirmed,optInTimestamp\n7,w1@example.com,0,\n", "optInConfirmed"),
    ("Email,Name,Email Confirmed\nw1@example.com,W,No\n", "Email Confirmed"),
    ("email,name,opt_in_timestamp\nw1@example.com,W,\n", "opt_in_timestamp"),
    # A shop's customers with a yes/no for the newsletter (0/1, as shop systems export it)
    ("Customer number;E-Mail;First name;Last name;Newsletter\n1;w1@example.com;W;V;0\n",
     "Newsletter"),
    ("Email,Name,Marketing emails\nw1@example.com,W,No\n", "Marketing emails"),
    # A European spreadsheet's own words: German, French, Spanish, Italian, Dutch
    ("E-Mail;Name;Abgemeldet\nw1@example.com;W;ja\n", "Abgemeldet"),
    ("E-mail;Nom;Statut\nw1@example.com;W;désinscrit\n", "Statut"),
    ("E-mail;Nombre;Estado\nw1@example.com;W;baja\n", "Estado"),
    ("E-mail;Nome;Disiscritto\nw1@example.com;W;sì\n", "Disiscritto"),
    ("E-mail;Naam;Afgemeld\nw1@example.com;W;ja\n", "Afgemeld"),
    ("Email,Name,Deleted\nw1@example.com,W,TRUE\n", "Deleted"),
]


@pytest.mark.parametrize("text, column", LISTS, ids=[column for _, column in LISTS])
def test_an_unknown_file_with_a_status_like_column_is_refused_and_nothing_changes(
        site, tmp_path, text, column):
    path = tmp_path / "list.csv"
    path.write_text(text)
    before = {p.name: p.read_bytes() for p in (site / "subscribers").glob("*.csv")}
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 2
    error = result.output.strip()
    assert error.count("\n") == 0 and error.startswith(f"error: {path}")
    assert f"column '{column}'" in error
    assert f"--status-column {shlex.quote(column)} --active-values" in error
    assert {p.name: p.read_bytes() for p in (site / "subscribers").glob("*.csv")} == before


def test_a_column_of_unsubscribe_links_is_no_status(site, tmp_path):
    # Each reader's own unsubscribe link, as some services export it: a link, not a status
    path = tmp_path / "list.csv"
    path.write_text("email,name,Unsubscribe URL\nl1@example.com,L,https://example.com/u/1\n")
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert statuses(site)["l1@example.com"] == "active"


def test_status_column_says_how_to_read_a_file_and_anything_else_is_never_active(site,
                                                                                 tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("email,name,Subscribed\nw1@example.com,W,yes\nw2@example.com,X,no\n"
                    "w3@example.com,Y,\nw4@example.com,Z,bounced\n")
    result = invoke(site, "subscribers", "import", str(path), "--status-column", "subscribed",
                    "--active-values", "YES")
    assert result.exit_code == 0, result.output
    listed = statuses(site)
    assert [listed[f"w{n}@example.com"] for n in range(1, 5)] == [
        "active", "unsubscribed", "unsubscribed", "bounced"]
    assert "Subscribed" not in rows_of_our_file(site)["w1@example.com"]


def test_an_empty_active_value_reads_a_column_of_leaving_dates(site, tmp_path):
    # When each reader left, as a date: an empty cell is the reader still subscribed
    path = tmp_path / "list.csv"
    path.write_text("email,name,unsubscribed_at\nd1@example.com,D,\n"
                    "d2@example.com,E,2024-03-01 10:00:00\n")
    refused = invoke(site, "subscribers", "import", str(path))
    assert refused.exit_code == 2 and "column 'unsubscribed_at'" in refused.output
    result = invoke(site, "subscribers", "import", str(path), "--status-column",
                    "unsubscribed_at", "--active-values", "")
    assert result.exit_code == 0, result.output
    listed = statuses(site)
    assert (listed["d1@example.com"], listed["d2@example.com"]) == ("active", "unsubscribed")


def test_from_forces_a_format_and_says_what_is_missing(site, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("email,name\nw1@example.com,W\n")
    result = invoke(site, "subscribers", "import", str(path), "--from", "substack")
    assert result.exit_code == 2
    assert result.output == (f"error: {path}: no email_disabled column, so this is not a "
                             "Substack subscriber export; check the file, or drop --from\n")
    assert invoke(site, "subscribers", "import", str(path), "--from", "nosuch").exit_code == 2
    name, header, rows = EXPORTS["kit"]
    renamed = write_export(tmp_path, "export.csv", header.replace("state", "status"), rows)
    result = invoke(site, "subscribers", "import", str(renamed), "--from", "convertkit")
    assert result.exit_code == 0 and "Kit (ConvertKit)" in result.output


def test_our_own_file_with_our_status_words_imports_as_before(site, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("email,name,status\nw1@example.com,W,\nw2@example.com,X,unconfirmed\n")
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "list.csv: newsletter subscriber file, 2 reader(s): active 1, unconfirmed 1")
    assert statuses(site)["w2@example.com"] == "unconfirmed"


@pytest.mark.parametrize("name, status", [("weekly-notes-unsubscribed.csv", "unsubscribed"),
                                          ("weekly-notes-bounced.csv", "bounced"),
                                          ("weekly-notes-marked-as-spam.csv", "complained")])
def test_a_file_named_for_leavers_without_a_status_column_never_makes_anyone_active(
        site, tmp_path, name, status):
    # Sendy exports each status to its own "<list>-<status>.csv"; a header added by hand
    path = write_export(tmp_path, name, "name,email", ["Ada,ada@example.com",
                                                       "Nia,new.s@example.com"])
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert f"2 reader(s): {status} 2" in result.output
    assert {a: statuses(site)[a] for a in ("ada@example.com", "new.s@example.com")} == {
        "ada@example.com": status, "new.s@example.com": status}
    invoke(site, "send", "what-matters", "--yes")
    assert not {"ada@example.com", "new.s@example.com"} & sent_to(site)


def test_lists_of_leavers_named_as_people_name_them_never_make_anyone_active(site, tmp_path):
    names = {"Unsubscribe list.csv": "unsubscribed", "old-blacklist.csv": "unsubscribed",
             "opt-outs.csv": "unsubscribed", "Opted out 2024.csv": "unsubscribed",
             "suppression_list.csv": "unsubscribed", "do-not-email.csv": "unsubscribed",
             "hard-bounce-list.csv": "bounced", "spam-reports.csv": "complained",
             "Newsletter - Removed.csv": "unsubscribed", "kit-cancelled.csv": "unsubscribed",
             "Mailchimp archived contacts.csv": "unsubscribed",
             "inactive-subscribers.csv": "unconfirmed",
             # MailerLite's status for readers who marked a campaign as spam
             "mailerlite-junk-subscribers.csv": "complained",
             "Excluded contacts.csv": "unsubscribed", "exclusion_list.csv": "unsubscribed",
             # SendGrid's suppression lists (invalid_emails, blocks); Buttondown's word
             "invalid_emails.csv": "bounced", "undeliverable.csv": "bounced",
             "sendgrid-blocks.csv": "unsubscribed"}
    for number, name in enumerate(names):
        path = write_export(tmp_path, name, "email", [f"left{number}@example.com"])
        assert invoke(site, "subscribers", "import", str(path)).exit_code == 0
    listed = statuses(site)
    assert [listed[f"left{number}@example.com"] for number in range(len(names))] == list(
        names.values())


def test_an_import_says_when_the_files_name_alone_made_its_readers_leave(site, tmp_path):
    """Before: a list tidied in a spreadsheet and saved as 'list_cleaned.csv' made everyone in
    it bounced (Mailchimp's word for bounced addresses), readers active here too, and the
    summary said 'bounced 3' and 'updated 2' without a word of why."""
    path = write_export(tmp_path, "list_cleaned.csv", "email",
                        ["ada@example.com", "grace@example.org", "tidy@example.com"])
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "added 1, updated 2, unchanged 0, skipped 0, invalid 0",
        "3 reader(s) taken as bounced: the file's name says so (no column does); if they are "
        "readers, not leavers, rename the file before importing it"]
    tidied = write_export(tmp_path, "tidied.csv", "email,status",
                          ["tidy@example.com,unsubscribed"])
    assert "the file's name" not in invoke(site, "subscribers", "import", str(tidied)).output


MAILCHIMP_CONTACTS = {  # header, and a row around its address and Email Marketing status
    "audience export": (f"{MAILCHIMP_COMMON},Email Marketing,LAST_CHANGED,LEID,EUID,TAGS",
                        "{address},,,2,2023-01-05 10:00:00,,2023-01-05 10:01:00,,,,,,,,,"
                        "{marketing},2023-01-05,1,e1,"),
    # contacts picked in the contact table and exported: no MEMBER_RATING, OPTIN_TIME, LEID
    "contact table": ("Email Address,First Name,Last Name,Email Marketing,Tags",
                      "{address},Pat,Doe,{marketing},"),
}


@pytest.mark.parametrize("header, row", MAILCHIMP_CONTACTS.values(), ids=MAILCHIMP_CONTACTS)
def test_a_mailchimp_contacts_export_of_every_status_reads_its_email_marketing_column(
        site, tmp_path, header, row):
    path = write_export(tmp_path, "audience_contacts.csv", header, [
        row.format(address=address, marketing=marketing) for address, marketing in (
            ("active.mc@example.com", "Subscribed"),
            ("unsubscribed.mc@example.com", "Unsubscribed"),
            ("bounced.mc@example.com", "Cleaned"),
            ("unconfirmed.mc@example.com", "Non-subscribed"),
            ("ada@example.com", "Unsubscribed"))])
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "Mailchimp audience export, 5 reader(s): active 1, unsubscribed 2, bounced 1, " \
           "unconfirmed 1" in result.output
    listed = statuses(site)
    for address in ("active.mc", "unsubscribed.mc", "bounced.mc", "unconfirmed.mc"):
        assert listed[f"{address}@example.com"] == expected_status(address)
    assert listed["ada@example.com"] == "unsubscribed"
    invoke(site, "send", "what-matters", "--yes")
    assert {"active.mc@example.com"} == {a for a in sent_to(site) if ".mc@" in a or "ada@" in a}


def test_imported_unconfirmed_readers_with_utc_suffixed_times_are_pruned(site, tmp_path):
    name, header, rows = EXPORTS["beehiiv"]  # "2023-04-11 14:02:46 UTC"; listmonk's the same
    invoke(site, "subscribers", "import", str(write_export(tmp_path, name, header, rows)))
    result = invoke(site, "subscribers", "prune", "--unconfirmed-older-than", "7d")
    assert result.exit_code == 0, result.output
    assert "unconfirmed.h@example.com" in result.output
    assert "no readable subscribed_at" not in result.output
    assert "unconfirmed.h@example.com" not in statuses(site)


@pytest.mark.parametrize("service", ["listmonk", "ghost"])
def test_an_export_cut_short_mid_row_reports_that_row_and_imports_the_rest(site, tmp_path,
                                                                            service):
    # A download interrupted mid-row: the last line stops after its first cell
    name, header, rows = EXPORTS[service]
    path = write_export(tmp_path, name, header, [*rows, "u-9"])
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    where = f"not imported: {path}:{len(rows) + 2}: "
    assert [line for line in result.output.splitlines() if line.startswith(where)] == [
        where + ("status '' is not a listmonk status newsletter knows" if service == "listmonk"
                 else "subscribed_to_emails '' is not a ghost status newsletter knows")]
    listed = statuses(site)
    assert all(listed[address] == expected_status(address)
               for address in re.findall(r"[\w.]+@example\.com", "\n".join(rows)))


def test_a_leaver_written_in_our_own_word_leaves_whatever_the_formats_word_for_it(site,
                                                                                   tmp_path):
    # email_address and status, read as Kit's export (--from kit), whose leavers are
    # "cancelled"; this file's are "unsubscribed", and Ada, active here, was reported and left
    # active
    path = write_export(tmp_path, "subscribers-2024.csv", "email_address,status,created_at",
                        ["ada@example.com,unsubscribed,2024-01-01",
                         "bounced.w@example.com,Bounced,2024-01-01",
                         "new.w@example.com,subscribed,2024-01-01"])
    # Without --from, `email_address` and `status` are our own columns (Kit's is `state`):
    # before, any such file was taken for Kit's; now a word that is not our status stops it.
    refused = invoke(site, "subscribers", "import", str(path))
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"error: {path}:4: column 'status' holds 'subscribed', "
                                     "not a newsletter status")
    result = invoke(site, "subscribers", "import", str(path), "--from", "kit")
    assert result.exit_code == 0, result.output
    assert "added 1, updated 1, unchanged 0, skipped 0, invalid 1" in result.output
    assert (f"not imported: {path}:4: status 'subscribed' is not a kit status newsletter "
            "knows") in result.output
    listed = statuses(site)
    assert (listed["ada@example.com"], listed["bounced.w@example.com"]) == (
        "unsubscribed", "bounced")
    assert "new.w@example.com" not in listed  # a word the format lacks is never active


def test_a_tag_whose_name_holds_a_separator_stays_one_tag(site, tmp_path):
    # Mailchimp quotes each tag, so "Paid, annual" is one; it became the tags "Paid" and
    # "annual", and a send to readers tagged "annual" reached this one too
    header, (row,) = MAILCHIMP["subscribed_members_export_1a2b.csv"]
    path = write_export(tmp_path, "subscribed_members_export_9z.csv", header,
                        [row.replace('""Weekly""', '""Paid, annual""')])
    name, header, _ = EXPORTS["kit"]
    kit = write_export(tmp_path, name, header,
                       ['Kai,active.k@example.com,active,2024-07-01T00:00:00Z,'
                        '"[""Gold | VIP"", ""tech""]"'])
    for export in (path, kit):
        assert invoke(site, "subscribers", "import", str(export)).exit_code == 0
    rows = rows_of_our_file(site)
    assert rows["active.m@example.com"]["tags"] == "Editors,Paid annual"
    assert rows["active.k@example.com"]["tags"] == "Gold VIP,tech"
    assert invoke(site, "subscribers", "list", "--tag", "annual").stdout == ""
    assert invoke(site, "subscribers", "list", "--tag", "Paid annual").stdout.startswith(
        "active.m@example.com\t")


def test_from_takes_a_services_name_as_its_brand_writes_it_and_says_did_you_mean(site, tmp_path):
    export = tmp_path / "subscribed_members_export.csv"
    export.write_text("Email Address,First Name\nnew.reader@example.net,New\n")
    capitalised = invoke(site, "subscribers", "import", str(export), "--from", "MailChimp")
    assert capitalised.exit_code == 0, capitalised.output
    assert capitalised.stdout.startswith("subscribed_members_export.csv: Mailchimp")
    mistyped = invoke(site, "subscribers", "import", str(export), "--from", "mailchmp")
    assert mistyped.exit_code == 2
    assert mistyped.stderr.startswith("error: no export format named 'mailchmp'; did you mean "
                                      "mailchimp? --from takes newsletter, mailchimp,")
