"""The fast path of address normalisation never disagrees with email-validator."""

from __future__ import annotations

import random
import string

import pytest
from email_validator import EmailNotValidError, validate_email

from newsletter.errors import SubscriberError
from newsletter.addresses import fast_normalised, normalise_address, normalised_key
from newsletter.subscribers.rows import row_key

ATEXT = string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~"
LOCALS = [
    "jane", "Jane.Doe", "j.d+news", "JANE+Tag.Two", "a", "x" * 64, "x" * 65, ".jane", "jane.",
    "ja..ne", '"jane doe"', '"jane"', "jane doe", "jané", "ja\u0301ne", "Postmaster", "postmaster",
    "INFO", "Www", "ab(c)", "a<b", "o'brien", "{x}|~", "user@host", "", "-", "-a-", "1",
    "\u00e9l\u00e8ve", "a\tb", "a\\b", "a,b", "sales.team", "marketing+x",
]
DOMAINS = [
    "example.com", "EXAMPLE.COM", "Mail.Example.Org", "example", "a.b", "a.b1c", "example.123",
    "example.c0m", "1.2.3.4", "[1.2.3.4]", "[IPv6:::1]", "printer.local", "box.localhost",
    "site.test", "x.invalid", "in-addr.arpa", "onion", "hidden.onion", "test", "local",
    "xn--bcher-kva.de", "XN--BCHER-KVA.DE", "bücher.de", "BÜCHER.de", "ab--cd.com", "a--b.com",
    "xn--a.com", "-lead.com", "trail-.com", "mid-dle.com", "a-.b", "a.-b", ".example.com",
    "example.com.", "example..com", "exa_mple.com", "ex ample.com", "example.com-",
    "l" * 63 + ".com", "l" * 64 + ".com", ".".join(["a" * 60] * 4) + ".com",
    ".".join(["b" * 49] * 5) + ".io", "example.co.uk", "ÉXAMPLE.com", "example.ｃｏｍ",
    "example。com", "sub.test.com", "testing.test", "mylocal.com", "localhost.com", "example.c",
    "x.example-", "0.0", "a.1a", "ex\u200bample.com",
]


def generated(count: int, seed: int) -> list[str]:
    """Random addresses built from the pieces above and from random characters."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.4:
            local, domain = rng.choice(LOCALS), rng.choice(DOMAINS)
        else:
            plain = rng.random() < 0.6  # mostly the shape real lists hold, then anything
            local_chars = string.ascii_letters + string.digits + ".+-_" if plain else ATEXT + '.."é '
            label_chars = string.ascii_letters + string.digits + ("-" if plain else "-_")
            local = "".join(rng.choice(local_chars) for _ in range(rng.randint(0, 20 if plain else 70)))
            labels = ["".join(rng.choice(label_chars) for _ in range(rng.randint(0, 20 if plain else 66)))
                      for _ in range(rng.randint(1, 5))]
            labels[-1] = rng.choice([labels[-1], "com", "ORG", "local", "test", "42", "xn--p1ai"])
            domain = ".".join(labels)
        address = f"{local}@{domain}"
        if rng.random() < 0.05:
            address = address.replace("@", "@@" if rng.random() < 0.5 else "")
        if rng.random() < 0.05:
            address = f"  {address}\t"
        out.append(address)
    return out


def validator(address: str) -> str | None:
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def ours(address: str) -> str | None:
    try:
        return normalise_address(address)
    except SubscriberError:
        return None


@pytest.mark.parametrize("address", [f"{l}@{d}" for l in LOCALS[:20] for d in DOMAINS])
def test_fixed_tricky_addresses_agree(address):
    fast = fast_normalised(address)
    assert fast is None or fast == validator(address)
    assert ours(address) == validator(address)


def test_generated_addresses_agree_and_most_plain_ones_take_the_fast_path():
    addresses = generated(20_000, seed=20260101)
    fast_taken = 0
    for address in addresses:
        expected = validator(address)
        fast = fast_normalised(address.strip())
        if fast is not None:
            fast_taken += 1
            assert fast == expected, address
        assert ours(address) == expected, address
    assert fast_taken > 2_000  # the comparison covered the fast path, not only the fallback


def test_plain_addresses_keep_the_local_part_and_lower_the_domain():
    assert fast_normalised("Jane.Doe+news@Mail.Example.ORG") == "Jane.Doe+news@mail.example.org"
    assert fast_normalised("postmaster@example.com") is None  # email-validator lower-cases it
    assert fast_normalised("jane@bücher.de") is None
    assert fast_normalised("jane@printer.local") is None


def test_the_cheap_row_key_is_the_key_of_every_valid_address():
    # Suppression and de-duplication compare row_key() of raw rows with Subscriber.key.
    for address in generated(20_000, seed=7) + [f"{l}@{d}" for l in LOCALS for d in DOMAINS]:
        if validator(address) is not None:
            assert row_key(address) == normalised_key(address), address
