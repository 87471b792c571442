"""A full disk and read-only folders: one line and exit 2, nothing lost, nothing in doubt that
was never handed over, no partial file left (issue 23, item 6).

Before, sign-ups answered 500 with a traceback per request on a full disk; `subscribers add`,
`import`, `list`, `send` and `serve` crashed on a read-only ``subscribers/`` or ``.newsletter/``;
and after the outbox ran out of room, `send` left 200 readers in doubt though 177 of their
messages were never written, and left ``.tmp`` files. How the disks are made (a read-only bind
mount, a tiny tmpfs; chmod where the suite does not run as root): tests/disk_limits.py.
"""

from __future__ import annotations

import requests
from conftest import invoke, run_cli
from disk_limits import read_only, tiny_disk
from sending_support import ledger_states, site_settings, write_readers
from signup_support import configure_signup, confirm_path, emails_to, settle, sign_up
from signup_support import signup_endpoint

HINT = ("make sure the site's folders (subscribers/, .newsletter/, the outbox) are writable and "
        "the disk has room, then run the command again: nothing was lost")
POST = "what-matters"


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and line.endswith(HINT)
    return line


def no_temp_files(folder) -> bool:
    return not [path for path in folder.rglob("*") if path.name.endswith(".tmp")]


def test_a_read_only_subscribers_folder_is_one_line_for_every_edit(site, tmp_path):
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    export = tmp_path / "export.csv"
    export.write_text("email,name\nnew.one@example.com,New One\n")
    with read_only(site / "subscribers"):
        for command in (("subscribers", "add", "z@example.com"),
                        ("subscribers", "remove", "ada@example.com"),
                        ("subscribers", "import", str(export))):
            line = one_error_line(invoke(site, *command))
            assert line.startswith("error: subscribers/subscribers.csv: Read-only file system;")
        assert invoke(site, "subscribers", "list").exit_code == 0  # reading needs no writing
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_a_read_only_state_folder_is_one_line_for_every_command(site):
    invoke(site, "subscribers", "list")  # .newsletter/ and its files exist, as on a used site
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    with read_only(site / ".newsletter"):
        for command in (("subscribers", "add", "z@example.com"),
                        ("subscribers", "import", str(site / "subscribers" / "subscribers.csv")),
                        ("send", POST, "--yes"), ("send", "--due")):
            one_error_line(invoke(site, *command))
        listed = invoke(site, "subscribers", "list")  # reading needs no writing
        assert listed.exit_code == 0 and "ada@example.com" in listed.stdout
        served = run_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": "s" * 32},
                         timeout=60)
    assert served.returncode == 2 and "Traceback" not in served.stderr
    assert served.stderr.strip().splitlines()[-1].endswith(HINT)
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before
    assert not (site / "outbox").exists()  # nothing was sent


def test_an_import_onto_a_full_disk_leaves_the_list_whole_and_no_partial_file(site, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("email,name\n" + "".join(f"r{n}@example.com,Reader {n}\n"
                                               for n in range(5000)))
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    with tiny_disk(site / "subscribers", 64):
        result = invoke(site, "subscribers", "import", str(export))
        assert no_temp_files(site / "subscribers")
    line = one_error_line(result)
    assert line.startswith("error: subscribers/subscribers.csv: No space left on device;")
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_an_export_onto_a_full_disk_keeps_the_earlier_export_and_names_its_file(site, tmp_path):
    """Before: the export was cut mid-row, over last week's whole one, and the error told to
    check the site's folders. A file that looks like the list but lacks most of it is the
    worst kind of backup."""
    write_readers(site, 5000)
    folder = tmp_path / "backups"
    with tiny_disk(folder, 64):
        (folder / "list.csv").write_text("email,name,status,tags,subscribed_at\n")
        before = (folder / "list.csv").read_bytes()
        result = invoke(site, "subscribers", "export", "--out", str(folder / "list.csv"))
        assert result.exit_code == 2 and no_temp_files(folder)
        assert (folder / "list.csv").read_bytes() == before
        assert result.stderr == (f"error: {folder / 'list.csv'}: cannot be written (No space "
                                 "left on device); check that its folder exists and may be "
                                 "written and that the disk has room; no file was changed\n")
        result = invoke(site, "subscribers", "export", "--out", str(folder / "new.csv"))
        assert result.exit_code == 2 and not (folder / "new.csv").exists()


def test_a_send_onto_a_full_state_folder_leaves_no_partial_file_to_eat_the_room(site):
    """The roster of readers a send builds in .newsletter/ was left as .roster.db.PID.tmp when
    the disk filled: a new one each run, each taking the room the next run needed."""
    write_readers(site, 300)
    with tiny_disk(site / ".newsletter", 16):
        for _ in range(2):
            one_error_line(invoke(site, "send", POST, "--yes"))
            assert no_temp_files(site / ".newsletter")
    assert not (site / "outbox").exists()


def test_a_full_outbox_leaves_unwritten_readers_pending_never_in_doubt(site):
    addresses = write_readers(site, 250)
    toml = site / "newsletter.toml"  # one batch at a time: which batches fit is then certain
    toml.write_text(toml.read_text().replace('name = "outbox"\n',
                                             'name = "outbox"\nconcurrency = 1\n', 1))
    settings = site_settings(site)
    outbox = site / "outbox"
    with tiny_disk(outbox, 15_000):  # room for about 140 of the 250 messages (106 KB each)
        first = invoke(site, "send", POST, "--yes")
        assert no_temp_files(outbox)
        written = {path.stem for path in (outbox / POST).glob("*.eml")}
    assert first.exit_code == 1
    assert "the outbox could not write outbox/what-matters/" in first.stderr
    assert "No space left on device" in first.stderr and "Traceback" not in first.stderr
    states = ledger_states(settings, f"/posts/{POST}")
    assert 0 < len(written) < len(addresses)
    assert {address for address, state in states.items() if state == "sent"} == written
    assert "in_doubt" not in states.values()
    assert set(states.values()) <= {"sent", "pending"}

    again = invoke(site, "send", POST, "--yes")  # room was made: the rest goes, once
    assert again.exit_code == 0, again.output
    files = sorted(path.name for path in (outbox / POST).glob("*.eml"))
    assert files == sorted(f"{address}.eml" for address in addresses)


def test_sign_ups_on_a_full_disk_are_asked_to_try_again_not_a_500(site):
    configure_signup(site)
    state = site / ".newsletter"
    invoke(site, "subscribers", "list")
    with tiny_disk(state, 1024), signup_endpoint(site) as (base, app):
        sign_up(base, "early@example.com")
        settle(app)
        link = base + confirm_path(emails_to(site, "early@example.com")[0])
        filler = state / "filler"
        with filler.open("wb", buffering=0) as handle:  # the rest of the disk, taken by another
            try:
                while True:
                    handle.write(b"\0" * 65536)  # unbuffered: nothing left to flush at close
            except OSError:
                pass
        full = [sign_up(base, "late@example.com"),
                requests.post(base + "/subscribe", json={"email": "late@example.com",
                                                          "elapsed": 5000}),
                requests.post(link, data={"confirm": "yes"})]
        filler.unlink()
        later = sign_up(base, "late@example.com")
    for answer in full:
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "60"
        assert "try again in a minute" in answer.text
    assert later.status_code == 200


def test_init_on_a_full_disk_leaves_no_part_written_file_for_the_next_init_to_keep(tmp_path):
    """init on a disk that filled up as it wrote left the file it was writing cut short (an
    empty templates/confirm.html), and init run again once there was room kept it ("exists;
    not changed"), so every sign-up's confirmation email was made from an empty template."""
    def write_blog(root):
        (root / "content" / "posts").mkdir(parents=True)
        (root / "hugo.toml").write_text('baseURL = "https://full.example.org/"\ntitle = "Full"\n')
        (root / "content" / "posts" / "a.md").write_text(
            "---\ntitle: A\ndate: 2026-01-01\n---\n\nA.\n")
        return root

    fresh = write_blog(tmp_path / "fresh")
    assert invoke(fresh, "init").exit_code == 0
    root = tmp_path / "blog"
    with tiny_disk(root, 12):
        write_blog(root)
        result = invoke(root, "init")
    assert result.exit_code == 2
    assert "No space left on device" in result.output and "Traceback" not in result.output
    written = [path.relative_to(root) for path in root.rglob("*") if path.is_file()]
    assert all((root / name).read_bytes() == (fresh / name).read_bytes() for name in written)

    assert invoke(root, "init").exit_code == 0
    made = sorted(path.relative_to(fresh) for path in fresh.rglob("*") if path.is_file())
    assert sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file()) == made
    assert all((root / name).read_bytes() == (fresh / name).read_bytes() for name in made)


def test_a_file_where_the_state_folder_goes_is_one_line_for_every_command(site):
    """Before: a file named .newsletter (a stray `touch`, a sync tool's conflict copy) made
    `send` and `subscribers add` end in a FileExistsError traceback, `send` with exit 1."""
    (site / ".newsletter").write_text("")
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    for command in (("subscribers", "add", "z@example.com"), ("send", POST, "--yes"),
                    ("send", "--due")):
        result = invoke(site, *command)
        assert result.exit_code == 2, result.output
        assert result.stderr == ("error: .newsletter: a file where newsletter keeps a folder; "
                                 "move it aside (or remove it), then run the command again\n")
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before
    assert not (site / "outbox").exists()  # nothing was sent


def test_a_preview_onto_a_full_disk_leaves_every_file_it_wrote_whole(site, tmp_path):
    """Before: the disk filling up as the preview's pages were written left an empty
    preview/<post>/index.html (and a cut-short email.html on a smaller disk), a page that opened
    blank in the browser with nothing said about it."""
    roomy = tmp_path / "roomy"
    assert invoke(site, "preview", POST, "--out", str(roomy)).exit_code == 0
    whole = {path.relative_to(roomy): path.read_bytes() for path in roomy.rglob("*")
             if path.is_file()}
    failed = 0
    for kilobytes in (8, 16, 32, 64, 128, 256):  # the disk fills at one file or another
        out = tmp_path / f"disk-{kilobytes}"
        with tiny_disk(out, kilobytes):
            result = invoke(site, "preview", POST, "--out", str(out))
        written = {path.relative_to(out): path.read_bytes() for path in out.rglob("*")
                   if path.is_file()}
        assert no_temp_files(out)
        for name, data in written.items():
            if name.suffix in (".html", ".txt") or name.parent.name == "images":
                assert data == whole[name], f"{kilobytes} KB: {name} is not whole"
            else:  # message.eml: its Date, Message-ID and MIME boundaries are the moment's
                assert len(data) == len(whole[name]), f"{kilobytes} KB: {name} cut short"
        if result.exit_code != 0:
            failed += 1
            assert result.exit_code == 2 and "Traceback" not in result.output
            [line] = [line for line in result.stderr.splitlines() if line.startswith("error")]
            assert "(No space left on device); free some space there" in line
    assert failed >= 2  # the test saw the disk fill, at more than one place


def test_list_edits_onto_a_full_state_folder_say_so_and_work_once_there_is_room(site):
    """Before: `subscribers add` and `remove` on a full .newsletter/ called the empty journal
    "not a suppression journal" and said to restore it from a backup (exit 1), when all it
    lacked was room."""
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    with tiny_disk(site / ".newsletter", 4):
        for command in (("subscribers", "add", "z@example.com"),
                        ("subscribers", "remove", "ada@example.com")):
            line = one_error_line(invoke(site, *command))
            assert "disk is full" in line and "backup" not in line
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before
    assert invoke(site, "subscribers", "remove", "ada@example.com").exit_code == 0
    assert invoke(site, "subscribers", "list", "--status", "unsubscribed").stdout.count(
        "ada@example.com") == 1
