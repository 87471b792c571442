"""A site copied without what its links point to: the repository's example site copied with
`cp -r` keeps ``templates`` as a link to ``newsletter/scaffold/templates``, which the copy left
behind. Every command names the link and where it points, and says what works (remove it, and
init writes the folder); none calls it a file, keeps it as if it were one, or sends the writer
to an init that cannot write through it."""

from __future__ import annotations

import shutil

from conftest import invoke

LINKED = "../elsewhere/templates"


def _templates_linked_to_nothing(site):
    shutil.rmtree(site / "templates")
    (site / "templates").symlink_to(LINKED)


def test_a_templates_link_to_nothing_is_named_by_check_send_and_preview(site):
    _templates_linked_to_nothing(site)
    expected = (f"the folder is a link to {LINKED}, which does not exist; remove the link, "
                "then run `newsletter init` to write the templates there")
    for command in (("check", "what-matters"), ("send", "what-matters", "--yes"),
                    ("preview", "what-matters")):
        result = invoke(site, *command)
        assert result.exit_code == 2, result.output
        assert expected in result.output, result.output
        assert result.output.startswith("error: templates: "), result.output
        assert "restore it" not in result.output
    assert not (site / "outbox").exists()


def test_init_names_a_templates_link_to_nothing_and_writes_once_it_is_removed(site):
    _templates_linked_to_nothing(site)
    result = invoke(site, "init")
    assert result.exit_code == 2
    assert (f"error: {site / 'templates'}: is a link to {LINKED}, which does not exist; remove "
            "the link (or restore what it points to), then run newsletter init again"
            ) in result.output
    assert "is a file" not in result.output
    (site / "templates").unlink()  # what the line says to do
    assert invoke(site, "init").exit_code == 0
    assert invoke(site, "check", "what-matters").exit_code in (0, 1)


def test_a_settings_file_linked_to_nothing_is_not_kept_as_if_it_were_there(tmp_path):
    site = tmp_path / "blog"
    site.mkdir()
    (site / "newsletter.toml").symlink_to("../settings/newsletter.toml")
    result = invoke(site, "init")
    assert result.exit_code == 2
    assert (f"error: {site / 'newsletter.toml'}: is a link to ../settings/newsletter.toml, which "
            "does not exist; remove the link (or restore what it points to), then run "
            "newsletter init again") in result.output
    assert "kept    newsletter.toml" not in result.output
