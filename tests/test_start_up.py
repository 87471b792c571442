"""What a send loads before its first request: the sending path imports neither requests (with
its character-set detectors) nor filelock, nor the other commands' modules
(docs/performance.md, "A twelfth round"). premailer imports requests itself, so a render that
inlines afresh (a post's first, or after an edit) still loads it; the send that follows uses
the kept inlining, as every later send of the post does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fake_providers import fake_provider, provider_environ  # noqa: F401

NOT_FOR_A_SEND = ("requests", "chardet", "charset_normalizer", "filelock", "newsletter.cli.check",
                  "newsletter.cli.status", "newsletter.cli.subscribers", "newsletter.cli.serve")


@pytest.mark.parametrize("name", ["sendgrid", "postmark", "mailgun"])
def test_a_send_through_an_api_imports_nothing_it_does_not_use(site, fake_provider, name):
    _, server = fake_provider(name)
    environ = {**os.environ, **provider_environ(name), "CI": ""}
    subprocess.run([sys.executable, "-m", "newsletter", "--site", str(site), "send",
                    "what-matters", "--dry-run"], env=environ, check=True, capture_output=True)
    code = ("import sys\nfrom newsletter.cli import main\n"
            f"try:\n    main(['--site', {str(site)!r}, 'send', 'what-matters', '--yes'])\n"
            "except SystemExit as end:\n    print('exit', end.code)\n"
            f"print(sorted(m for m in {NOT_FOR_A_SEND!r} if m in sys.modules))")
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=environ)
    assert "Sent 4, failed 0, in doubt 0, pending 0." in probe.stdout, probe.stderr
    assert probe.stdout.strip().splitlines()[-2:] == ["exit 0", "[]"]
    assert len(server.requests) >= 1  # the readers went to the provider, over HTTP
