"""The subscriber list: messy CSVs read right, every change kept, no row ever lost."""

from __future__ import annotations

import csv
import io
import multiprocessing
import shutil
from pathlib import Path

import pytest

from newsletter.errors import SubscriberError
from newsletter.subscribers import Status, SubscriberStore, export_readers, import_file
from newsletter.subscribers.repeat_filter import RepeatFilter
from newsletter.subscribers.rows import Row

FIXTURES = Path(__file__).parent / "fixtures" / "csv"


def make_store(tmp_path: Path, *fixtures: str, lock_timeout: float = 30) -> SubscriberStore:
    """A store over a subscribers/ folder holding copies of the named fixture files."""
    folder = tmp_path / "subscribers"
    folder.mkdir(exist_ok=True)
    for name in fixtures:
        shutil.copy(FIXTURES / name, folder / name)
    return SubscriberStore(directory=folder, state_dir=tmp_path / ".newsletter",
                           lock_timeout=lock_timeout)


def by_address(store: SubscriberStore) -> dict:
    readers, _ = store.load()
    return {reader.address: reader for reader in readers}


def data_rows(path: Path) -> list[list[str]]:
    """Every non-blank record after the header, cells as written."""
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            if any(cell.strip() for cell in row)][1:]


# -- reading messy files -------------------------------------------------------------------------

def test_spreadsheet_export_with_bom_crlf_and_semicolons_is_read(tmp_path):
    store = make_store(tmp_path, "spreadsheet_export_bom_crlf_semicolons.csv")
    readers = by_address(store)
    assert list(readers) == ["mia@example.com", "noah@example.org"]
    mia = readers["mia@example.com"]
    assert (mia.email, mia.name, mia.status, mia.tags) == ("mia@EXAMPLE.COM", "Mia Wong",
                                                           Status.ACTIVE, ("books",))
    assert mia.extra == {"Referrer": "newsletter-page"}
    assert (mia.source.name, mia.line) == ("spreadsheet_export_bom_crlf_semicolons.csv", 2)
    assert readers["noah@example.org"].line == 4  # the blank line is counted


def test_file_without_header_takes_the_standard_columns(tmp_path):
    readers = by_address(make_store(tmp_path, "no_header.csv"))
    assert list(readers) == ["liam@example.org", "olivia@example.com"]
    assert readers["liam@example.org"].subscribed_at == "2026-01-01"
    assert readers["olivia@example.com"].name == "Olivia"
    assert readers["liam@example.org"].line == 1


def test_blank_lines_and_spaces_around_values_are_ignored(tmp_path):
    store = make_store(tmp_path, "blank_lines_and_spaces.csv")
    readers, problems = store.load()
    assert problems == []
    assert [(r.address, r.name, r.status) for r in readers] == [
        ("ava@example.com", "Ava", Status.ACTIVE), ("ethan@example.net", "Ethan", Status.ACTIVE)]


def test_invalid_rows_are_reported_with_file_and_line_and_skipped_for_sending(tmp_path):
    store = make_store(tmp_path, "invalid_rows.csv")
    readers, problems = store.load()
    assert [r.address for r in readers] == ["lucas@example.com"]
    assert [p.where for p in problems] == ["subscribers/invalid_rows.csv:2",
                                           "subscribers/invalid_rows.csv:3",
                                           "subscribers/invalid_rows.csv:4"]
    assert str(problems[1]) == ("subscribers/invalid_rows.csv:3: no email address; "
                                "fill in the email column or delete the row")
    assert "unknown status 'paused'" in str(problems[2])
    assert [s.address for s in store.active()] == ["lucas@example.com"]
    # An unknown status is never guessed to be active.
    assert "sofia@example.com" in store.suppressed_addresses()


def test_a_file_without_an_email_column_is_one_problem(tmp_path):
    store = make_store(tmp_path, "no_email_column.csv", "no_header.csv")
    readers, problems = store.load()
    assert len(readers) == 2
    assert [str(p) for p in problems] == [
        "subscribers/no_email_column.csv:1: no email column in the header; "
        "name the column holding addresses 'email' (or start the file with an address)"]


def test_a_file_that_is_not_utf8_is_reported_and_left_untouched(tmp_path):
    store = make_store(tmp_path, "not_utf8_latin1.csv", "no_header.csv")
    readers, problems = store.load()
    assert len(readers) == 2
    assert "not UTF-8" in str(problems[0]) and "CSV UTF-8" in str(problems[0])
    before = (store.directory / "not_utf8_latin1.csv").read_bytes()
    assert store.set_status("liam@example.org", Status.UNSUBSCRIBED)
    assert (store.directory / "not_utf8_latin1.csv").read_bytes() == before


def test_someone_listed_twice_gets_one_email_and_suppression_wins(tmp_path):
    store = make_store(tmp_path, "duplicates_suppression_wins.csv", "no_header.csv")
    (store.directory / "zz_more.csv").write_text("email\nLIAM@example.org\n")
    assert [s.address for s in store.active()] == [
        "zoe@example.com", "liam@example.org", "olivia@example.com"]
    readers = by_address(store)
    assert readers["max@example.com"].status == Status.BOUNCED
    assert not store.is_active("max@example.com")
    assert store.is_active("Zoe@EXAMPLE.com")


def test_repeats_are_caught_even_when_every_key_shares_a_filter_slot(tmp_path, monkeypatch):
    # A filter of 8 slots flags nearly every key: de-duplication must still be exact.
    monkeypatch.setattr(RepeatFilter, "BITS", 3)
    store = make_store(tmp_path)
    readers = [f"r{n}@example.com" for n in range(300)]
    (store.directory / "a.csv").write_text("email\n" + "\n".join(readers + ["R7@EXAMPLE.COM"]))
    (store.directory / "b.csv").write_text("email,status\n" + "\n".join(
        [f"{r},active" for r in readers[::3]] + ["r5@example.com,unsubscribed"]))
    sent = [s.address for s in store.active()]
    assert sent == [r for r in readers if r != "r5@example.com"]


LAYOUTS = {  # header line (None: no header) and the column each generated cell goes to
    "standard.csv": ("email,name,status,tags,subscribed_at",
                     ["email", "name", "status", "tags", "subscribed_at"]),
    "reordered.csv": ("Name,tags,E-mail,Status", ["name", "tags", "email", "status"]),
    "only_email.csv": ("email", ["email"]),
    "extra_column.csv": ("email,name,plan", ["email", "name", "plan"]),
    "twice.csv": ("email,name,email", ["email", "name", "email"]),
    "no_header.csv": (None, ["email", "name", "status", "tags", "subscribed_at"]),
}
ADDRESSES = ["ada{n}@example.com", " Grace{n}@Example.ORG ", "bad{n}", "", "ü{n}@bücher.de",
             "postmaster@x{n}.org", "a{n}@localhost", "b{n}@x.test", "c{n}@xn--bcher-kva.de",
             '"quoted {n}"@example.com', "d{n}@ex--ample.com", "e{n}@EXAMPLE.com."]
CELLS = {"name": ["", " Ada ", "Ó, Brien", "x"], "status": ["", "active", " Active ", "ACTIVE"],
         "tags": ["", "a;b|c", " x , y ", "t"], "subscribed_at": ["", "2026-01-01"],
         "plan": ["", "pro"]}


def test_a_send_streams_exactly_the_readers_and_problems_a_row_by_row_check_finds(tmp_path,
                                                                                 monkeypatch):
    # active() builds plain rows' Subscribers straight from their cells (PlainRows); every
    # other row goes through Row.to_subscriber(). Both must give the same readers and problems.
    store = make_store(tmp_path)
    number = 0
    for file_name, (header, columns) in LAYOUTS.items():
        lines = [header] if header else []
        for index in range(60):
            values = {name: CELLS[name][index % len(CELLS[name])]
                      for name in columns if name in CELLS}
            values["email"] = ADDRESSES[index % len(ADDRESSES)].format(n=number)
            number += 1
            cells = [values.get(name, "") for name in columns]
            cells = cells[:index % 7 + 1]  # some records lack trailing cells
            lines.append(",".join(f'"{cell}"' if "," in cell else cell for cell in cells))
        (store.directory / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected, expected_problems = [], []
    for item in store.scan():
        if isinstance(item, SubscriberError):
            expected_problems.append(str(item))
        elif item.active:
            expected.append(item)
    checked_rows = []
    to_subscriber = Row.to_subscriber
    monkeypatch.setattr(Row, "to_subscriber",
                        lambda row: checked_rows.append(row) or to_subscriber(row))
    problems: list[SubscriberError] = []
    readers = list(store.active(problems))
    assert readers == expected
    assert [str(problem) for problem in problems] == expected_problems
    assert len(readers) > 100 and len(problems) > 50
    from_rows = len(checked_rows) - len(problems)
    assert 20 < from_rows < len(readers) - 20  # both paths were taken


def test_a_send_reads_one_version_of_each_file_and_sees_later_unsubscribes(tmp_path):
    store = make_store(tmp_path, "no_header.csv")
    stream = store.active()
    first = next(stream)
    other = SubscriberStore(directory=store.directory, state_dir=store.state_dir)
    other.add("newcomer@example.org")
    other.set_status("olivia@example.com", Status.UNSUBSCRIBED)
    # The stream keeps the version it opened; the per-batch check sees the change.
    assert [first.address, *(s.address for s in stream)] == ["liam@example.org",
                                                            "olivia@example.com"]
    assert "olivia@example.com" in store.suppressed_addresses()


def test_is_active_sees_a_change_made_by_another_process(tmp_path):
    sender = make_store(tmp_path, "no_header.csv")
    assert sender.is_active("olivia@example.com")
    other = SubscriberStore(directory=sender.directory, state_dir=sender.state_dir)
    other.set_status("olivia@example.com", Status.UNSUBSCRIBED)
    assert not sender.is_active("olivia@example.com")
    assert "olivia@example.com" in sender.suppressed_addresses()


# -- writing ---------------------------------------------------------------------------------------

def test_set_status_changes_one_line_and_keeps_bom_crlf_delimiter_and_columns(tmp_path):
    store = make_store(tmp_path, "spreadsheet_export_bom_crlf_semicolons.csv")
    path = store.directory / "spreadsheet_export_bom_crlf_semicolons.csv"
    before = path.read_bytes()
    assert store.set_status("NOAH@example.org", Status.UNSUBSCRIBED, reason="one-click")
    after = path.read_bytes()
    assert after == before.replace(b"noah@example.org;Noah;;", b"noah@example.org;Noah;unsubscribed;")
    assert not store.set_status("noah@example.org", "unsubscribed")  # idempotent
    assert path.read_bytes() == after


def test_suppressing_an_unlisted_address_leaves_a_suppression_record(tmp_path):
    store = make_store(tmp_path, "no_header.csv")
    assert store.set_status("ghost@example.com", Status.COMPLAINED)
    assert by_address(store)["ghost@example.com"].status == Status.COMPLAINED
    assert not store.set_status("nobody@example.com", Status.ACTIVE)


def test_headerless_file_stays_headerless(tmp_path):
    store = make_store(tmp_path, "no_header.csv")
    store.set_status("olivia@example.com", Status.BOUNCED)
    assert (store.directory / "no_header.csv").read_text() == (
        "liam@Example.Org,Liam,active,,2026-01-01\nolivia@example.com,Olivia,bounced\n")


def test_add_writes_subscribers_csv_with_a_header_and_never_resubscribes_silently(tmp_path):
    store = make_store(tmp_path, "quoted_tags_and_unknown_columns.csv")
    assert store.add("New.Reader@Example.NET", "New Reader", ["a", "b"])
    assert not store.add("new.reader@example.net")
    lines = (store.directory / "subscribers.csv").read_text().splitlines()
    assert lines[0] == "email,name,status,tags,subscribed_at"
    assert lines[1].startswith('New.Reader@example.net,New Reader,active,"a,b",')
    store.set_status("new.reader@example.net", Status.UNSUBSCRIBED)
    with pytest.raises(SubscriberError, match="is unsubscribed") as caught:
        store.add("new.reader@example.net")
    assert caught.value.where == "subscribers/subscribers.csv:2"
    assert store.add("new.reader@example.net", resubscribe=True)
    assert store.is_active("new.reader@example.net")


def test_round_trip_of_add_remove_import_keeps_every_row_and_unknown_column(tmp_path):
    names = ["quoted_tags_and_unknown_columns.csv", "invalid_rows.csv",
             "spreadsheet_export_bom_crlf_semicolons.csv"]
    store = make_store(tmp_path, *names)
    before = {name: data_rows(store.directory / name) for name in names}
    store.add("added@example.com")
    store.set_status("ella@example.com", Status.UNSUBSCRIBED)
    store.set_status("ella@example.com", Status.ACTIVE)
    imported = tmp_path / "import.csv"
    imported.write_text("email,name,tags\nmia@example.com,,new-tag\nfresh@example.org,Fresh,\n")
    import_file(store, imported)
    for name in names:
        after = data_rows(store.directory / name)
        assert len(after) == len(before[name])
        for old, new in zip(before[name], after):
            assert new[0] == old[0] and new[-1] == old[-1]
    assert data_rows(store.directory / "quoted_tags_and_unknown_columns.csv") == \
        before["quoted_tags_and_unknown_columns.csv"]
    assert data_rows(store.directory / "invalid_rows.csv") == before["invalid_rows.csv"]
    assert by_address(store)["mia@example.com"].tags == ("books", "new-tag")
    assert by_address(store)["ella@example.com"].extra == {"city": "Oslo",
                                                           "notes": 'likes "quotes"'}


def test_import_merges_without_resubscribing_unless_asked(tmp_path):
    store = make_store(tmp_path, "duplicates_suppression_wins.csv")
    store.set_status("zoe@example.com", Status.UNSUBSCRIBED)
    incoming = tmp_path / "export.csv"
    incoming.write_text("email,name,status,city\n"
                        "zoe@example.com,Zoe,active,\n"        # unsubscribed here: skipped
                        "max@example.com,Max,active,\n"        # bounced here: skipped
                        "kai@example.com,Kai,,Lima\n"          # new
                        "kai@example.com,Kai,,Lima\n"          # twice in the file
                        "broken@,Broken,,\n"                   # invalid
                        "rae@example.com,Rae,complained,\n")   # new suppression record
    summary = import_file(store, incoming)
    assert (summary.added, summary.updated, summary.unchanged, summary.repeated,
            summary.skipped) == (2, 0, 0, 1, 2)
    assert [p.where for p in summary.problems] == [f"{incoming}:6"]
    readers = by_address(store)
    assert readers["kai@example.com"].extra == {"city": "Lima"}
    assert readers["rae@example.com"].status == Status.COMPLAINED
    assert readers["zoe@example.com"].status == Status.UNSUBSCRIBED
    summary = import_file(store, incoming, resubscribe=True)
    assert summary.updated == 2
    assert store.is_active("zoe@example.com") and store.is_active("max@example.com")


def test_export_writes_one_row_per_reader_with_the_status_after_suppression(tmp_path):
    store = make_store(tmp_path, "duplicates_suppression_wins.csv")
    out = io.StringIO()
    assert export_readers(store, out, Status.BOUNCED) == 1
    assert out.getvalue() == "email,name,status,tags,subscribed_at\nmax@example.com,Max,bounced,,\n"


def test_a_writer_waits_for_the_lock_then_gives_up_with_a_clear_error(tmp_path):
    store = make_store(tmp_path, "no_header.csv", lock_timeout=0.2)
    with store.transaction():  # holds the list's lock
        with pytest.raises(SubscriberError, match="stayed locked"):
            store.add("late@example.com")
    assert store.add("late@example.com")


def _hammer(directory: str, state_dir: str, worker: int, count: int) -> None:
    store = SubscriberStore(directory=Path(directory), state_dir=Path(state_dir), lock_timeout=120)
    for n in range(count):
        store.set_status(f"reader{worker * count + n}@example.com", Status.UNSUBSCRIBED)
        store.add(f"new{worker}-{n}@example.org", name=f"New {worker}-{n}")


def test_concurrent_writers_from_several_processes_lose_no_row(tmp_path):
    workers, count = 4, 15
    folder = tmp_path / "subscribers"
    folder.mkdir()
    readers = workers * count + 20
    (folder / "subscribers.csv").write_text(
        "email,name,status,city\n"
        + "".join(f"reader{i}@example.com,Reader {i},active,City {i}\n" for i in range(readers)))
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_hammer,
                                 args=(str(folder), str(tmp_path / ".newsletter"), w, count))
                 for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0
    rows = data_rows(folder / "subscribers.csv")
    assert len(rows) == readers + workers * count
    assert rows[:readers] == [
        [f"reader{i}@example.com", f"Reader {i}",
         "unsubscribed" if i < workers * count else "active", f"City {i}"]
        for i in range(readers)]
    added = {row[0] for row in rows[readers:]}
    assert added == {f"new{w}-{n}@example.org" for w in range(workers) for n in range(count)}
    assert not list(folder.glob(".*.tmp"))


def test_an_unsubscribe_takes_in_a_file_with_a_repeated_column(tmp_path):
    # Two columns a spreadsheet calls "Status" and "status" (or "Email" and "E-mail"): every
    # reader reads the later cell, so a change written to the earlier one would be ignored
    # and the reader, told "you are unsubscribed", would be mailed again.
    store = make_store(tmp_path)
    (store.directory / "export.csv").write_text(
        "Email,Status,Name,status\n"
        "ann@example.com,,Ann,active\n", encoding="utf-8")
    assert [s.address for s in store.active()] == ["ann@example.com"]
    assert store.set_status("ann@example.com", Status.UNSUBSCRIBED)
    assert list(store.active()) == []
    assert not store.is_active("ann@example.com")
    assert by_address(store)["ann@example.com"].status == Status.UNSUBSCRIBED


def test_a_file_with_two_email_columns_is_changed_where_it_is_read(tmp_path):
    store = make_store(tmp_path)
    (store.directory / "export.csv").write_text(
        "Email,Name,E-mail\nold@example.com,Ann,ann@example.com\n", encoding="utf-8")
    assert [s.address for s in store.active()] == ["ann@example.com"]
    assert not store.add("ann@example.com")  # already active: no second row
    assert data_rows(store.directory / "subscribers.csv") == []
