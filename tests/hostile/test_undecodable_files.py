"""Undecodable files: one line naming the file, exit 2, and nothing changed.

Before, a newsletter.toml that is not UTF-8 gave a traceback and exit 1, and `subscribers
import` of a file that is not UTF-8 text said "not imported" but exited 0.
"""

from __future__ import annotations

import zlib

import pytest
from conftest import invoke


def list_bytes(site) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "subscribers").glob("*.csv"))}


def test_a_latin1_settings_file_is_one_line_naming_its_line_and_exit_2(site):
    path = site / "newsletter.toml"
    path.write_bytes(path.read_bytes().replace(b'title = "Example Notes"',
                                               "title = \"Café Notes\"".encode("latin-1")))
    line = path.read_bytes().split(b"\n").index('title = "Café Notes"'.encode("latin-1")) + 1

    result = invoke(site, "posts")

    assert result.exit_code == 2
    assert result.output == (f"error: newsletter.toml:{line}: not UTF-8 text (byte 0xe9); "
                             "save the file as UTF-8\n")


def test_a_binary_settings_file_and_a_folder_in_its_place_are_one_line_each(site):
    (site / "newsletter.toml").write_bytes(zlib.compress(b"not settings at all" * 100))
    binary = invoke(site, "posts")
    (site / "newsletter.toml").unlink()
    (site / "newsletter.toml").mkdir()
    folder = invoke(site, "posts")

    assert binary.exit_code == folder.exit_code == 2
    assert binary.output.startswith("error: newsletter.toml:1: not UTF-8 text (byte 0x")
    assert folder.output.startswith("error: ") and folder.output.count("\n") == 1
    assert "newsletter.toml: is not a regular file (a FIFO, a device or a folder)" in folder.output


def test_a_settings_file_saved_with_a_bom_loads(site):
    path = site / "newsletter.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # Windows Notepad's "UTF-8 with BOM"

    assert invoke(site, "posts").exit_code == 0


IMPORTS = {
    "latin-1": "email,name\njörg@example.com,Jörg Müller\n".encode("latin-1"),
    "binary": zlib.compress(b"ann@example.com," * 200),
    "bad bytes after good rows": b"email,name\nnew1@example.com,New\nnew2@example.com,N\n"
                                 b"new3@example.com,\xff\xfe\xfd\n",
}


@pytest.mark.parametrize("content", IMPORTS.values(), ids=IMPORTS)
def test_importing_an_undecodable_file_exits_2_and_leaves_the_list_as_it_was(site, tmp_path,
                                                                              content):
    before = list_bytes(site)
    incoming = tmp_path / "incoming.csv"
    incoming.write_bytes(content)

    result = invoke(site, "subscribers", "import", str(incoming))

    assert result.exit_code == 2
    assert result.output.startswith(f"error: {incoming}") and result.output.count("\n") == 1
    assert "not UTF-8 text" in result.output
    assert list_bytes(site) == before
    assert not list((site / "subscribers").glob("*.tmp*"))


@pytest.mark.parametrize("codec, byte", [("cp1252", "0xe9"), ("mac_roman", "0x8e")])
def test_a_spreadsheet_saved_in_its_legacy_encoding_is_refused_naming_the_line(
        site, tmp_path, codec, byte):
    # Excel's "CSV (Comma delimited)" on Windows, "CSV (Macintosh)" on a Mac: the first
    # accented name is thousands of rows in, past the first block read
    rows = [f"reader{n}@example.com,Reader {n}" for n in range(3000)]
    incoming = tmp_path / "readers.csv"
    incoming.write_bytes("\r\n".join(["email,name", *rows, "rene@example.com,René"])
                         .encode(codec))
    before = list_bytes(site)

    result = invoke(site, "subscribers", "import", str(incoming))

    assert result.exit_code == 2
    assert result.output == (f"error: {incoming}:3002: not UTF-8 text (byte {byte}); save it "
                             "as 'CSV UTF-8' from your spreadsheet\n")
    assert list_bytes(site) == before
