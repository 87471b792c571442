"""reStructuredText posts that try to reach past the post: an ``include`` of a file of the
machine, a ``raw`` directive's ``:file:`` or ``:url:``, blocks nested thousands deep. Nothing
of the machine is mailed, and what cannot be read is one line naming the file."""

from __future__ import annotations

from generator_sites import fill_in_settings, write_files

from conftest import invoke

CONF = 'SITENAME = "Fen"\nSITEURL = "https://fen.example.org"\nPATH = "content"\n'
HEAD = "Reaching Out\n############\n\n:date: 2026-02-01\n\nA line of the post.\n\n"


def _site(tmp_path, body: str):
    secret = tmp_path / "secret.txt"
    secret.write_text("THE-SECRET-LINE\n")
    root = write_files(tmp_path / "blog", {"pelicanconf.py": CONF,
                                           "content/reach.rst": HEAD + body.format(secret)})
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root)
    return root


def test_an_include_or_a_raw_file_or_url_mails_nothing_of_the_machine(tmp_path):
    root = _site(tmp_path, ".. include:: {0}\n\n.. raw:: html\n   :file: {0}\n\n"
                           ".. raw:: html\n   :url: file://{0}\n\n.. literalinclude:: {0}\n")
    invoke(root, "preview", "reach")
    for name in ("email.html", "email.txt"):
        shown = (root / "preview" / "reach" / name)
        assert not shown.exists() or "THE-SECRET-LINE" not in shown.read_text()
    assert "THE-SECRET-LINE" not in invoke(root, "check", "reach").output


def test_blocks_nested_thousands_deep_are_one_line_naming_the_file(tmp_path):
    root = _site(tmp_path, "".join(" " * depth + "x\n\n" for depth in range(1, 500)))
    result = invoke(root, "preview", "reach")
    assert result.exit_code != 0
    assert result.stderr.startswith("error: content/reach.rst:")
    assert "nested too deeply" in result.stderr and "Traceback" not in result.output
