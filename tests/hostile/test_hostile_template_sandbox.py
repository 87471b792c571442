"""A site's templates changed by a pull request: `check` runs on it (CI, the pre-commit hook),
so a template must never run a command. The templates are rendered in Jinja2's sandbox
(newsletter/render/template_files.py): one reaching into Python is refused in one line naming
its file and line, nothing is sent, and honest templates render as before.

Before, ``{{ cycler.__init__.__globals__.os.system(...) }}`` in templates/email.txt ran the
command on every `check`, `preview` and `send`, and `check` said "nothing found".
"""

from __future__ import annotations

import pytest
from conftest import run_cli

REACHES = {
    "globals": "{{ cycler.__init__.__globals__.os.system('touch PLANTED') }}",
    "subclasses": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
                  "{% if c.__name__ == 'Popen' %}{{ c(['touch', 'PLANTED']) }}{% endif %}{% endfor %}",
}


def _edit_template(site, name: str, line: str) -> None:
    template = site / "templates" / name
    template.write_text(line + "\n" + template.read_text())


@pytest.mark.parametrize("reach", sorted(REACHES))
def test_a_template_reaching_into_python_runs_nothing_and_is_one_line(site, tmp_path, reach):
    planted = tmp_path / "planted"
    _edit_template(site, "email.txt", REACHES[reach].replace("PLANTED", str(planted)))

    checked = run_cli(site, "check", "what-matters")
    sent = run_cli(site, "send", "what-matters", "--yes")

    assert not planted.exists()
    assert checked.returncode == 2
    [line] = [line for line in checked.stdout.splitlines() if line.startswith("error:")]
    assert line.startswith("error: templates/email.txt:1: render-failed: access to attribute ")
    assert line.endswith("is unsafe; a template shows the values newsletter gives it "
                         "(docs/rendering.md): remove what reaches past them")
    assert sent.returncode == 2 and "Traceback" not in sent.stderr
    assert not (site / "outbox").exists()

