"""`check --online` looks up the From domain's SPF, DKIM and DMARC records: a domain DNS cannot
hold (a label over 63 characters; a name over 255 once ``_dmarc.`` or a DKIM selector is put
before it) is one warning naming it, never a traceback."""

from __future__ import annotations

import json

import pytest
from conftest import invoke
from dns_server import dns_server

LONG_LABEL = "a" * 70 + ".example.com"
LONG_NAME = ".".join(["a" * 60] * 4) + ".com"  # 247 characters: _dmarc.<it> is over 255


@pytest.mark.parametrize("domain, named", [(LONG_LABEL, LONG_LABEL),
                                           (LONG_NAME, f"_dmarc.{LONG_NAME}")])
def test_a_from_domain_dns_cannot_hold_is_one_warning(site, domain, named):
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text().replace(
        'from = "Jane Writer <jane@example.com>"', f'from = "Jane Writer <jane@{domain}>"'))
    with dns_server({}) as dns:
        result = invoke(site, "check", "what-matters", "--online", "--timeout", "2",
                        "--nameserver", dns.address, "--json")
    assert result.exit_code in (0, 1), result.output[-500:]
    [line] = [f"{f['where']}: {f['code']}: {f['message']}"
              for f in json.loads(result.stdout)["findings"] if f["code"].startswith("dns-")
              and "cannot be a DNS name" in f["message"]]
    assert line == (f"newsletter.toml:12: dns-lookup: {named} cannot be a DNS name (each part "
                    "at most 63 characters, 255 in all)")
