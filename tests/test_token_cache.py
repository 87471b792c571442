"""Unsubscribe tokens kept between sends, for one secret only."""

from __future__ import annotations

import stat

from sending_support import RecordingProvider, run_send, site_settings, write_readers

from newsletter.message import TokenCache, UnsubscribeTokens, signing_secret


def test_a_kept_token_is_the_token_and_another_secret_never_gets_it(tmp_path):
    made = []

    def make_with(secret):
        def make(addresses):
            made.extend(addresses)
            return UnsubscribeTokens(secret).make_all(addresses)
        return make

    first = TokenCache(tmp_path, "secret-one")
    tokens = first.tokens(["a@example.com", "b@example.com"], make_with("secret-one"))
    first.close()
    again = TokenCache(tmp_path, "secret-one")
    assert again.tokens(["b@example.com", "a@example.com"], make_with("secret-one")) == tokens[::-1]
    again.close()
    assert made == ["a@example.com", "b@example.com"]  # the second time from the file

    other = TokenCache(tmp_path, "secret-two")
    renewed = other.tokens(["a@example.com"], make_with("secret-two"))
    other.close()
    assert renewed == [UnsubscribeTokens("secret-two").make("a@example.com")] != tokens[:1]
    assert stat.S_IMODE((tmp_path / "tokens.db").stat().st_mode) == 0o600
    assert b"secret-one" not in (tmp_path / "tokens.db").read_bytes()


def test_a_tagged_send_keeps_each_readers_token_for_the_next_post(site):
    rows = [f"reader{n}@example.org,Reader {n},active,{'news' if n % 2 else ''}" for n in range(30)]
    write_readers(site, 0)
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags\n" + "\n".join(rows) + "\n")
    settings = site_settings(site)
    provider = RecordingProvider(settings)
    run_send(settings, provider, tags=["news"])
    secret = signing_secret(settings)
    cache = TokenCache(settings.state_dir, secret)
    try:
        kept = dict(cache.db.execute("SELECT address, token FROM tokens"))
    finally:
        cache.close()
    assert len(kept) == len(provider.sent) > 0
    tokens = UnsubscribeTokens(secret)
    assert all(tokens.read(token) == address for address, token in kept.items())
    assert all(m.values["unsubscribe_url"].endswith(kept[m.to_address]) for m in provider.sent)


def test_a_send_to_every_reader_keeps_the_tokens_with_its_readers_only(site):
    """Kept in list_readers.jsonl with the readers, they are not written twice."""
    write_readers(site, 30)
    settings = site_settings(site)
    provider = RecordingProvider(settings)
    run_send(settings, provider)
    assert len(provider.sent) == 30
    cache = TokenCache(settings.state_dir, signing_secret(settings))
    try:
        assert cache.db.execute("SELECT count(*) FROM tokens").fetchone() == (0,)
    finally:
        cache.close()


def test_a_chunk_the_cache_cannot_keep_is_still_sent_and_the_next_is_kept(tmp_path):
    tokens = UnsubscribeTokens("secret")
    made = []

    def make(addresses):
        made.extend(addresses)
        return tokens.make_all(addresses)

    cache = TokenCache(tmp_path, "secret")
    try:
        cache.db.execute("PRAGMA query_only = ON")  # as a read-only folder refuses the write
        chunk = ["a@example.com", "b@example.com"]
        assert cache.tokens(chunk, make) == [tokens.make(a) for a in chunk]
        assert not cache.db.in_transaction  # the failed chunk's transaction is gone
        cache.db.execute("PRAGMA query_only = OFF")
        assert cache.tokens(["b@example.com", "c@example.com"], make) == [
            tokens.make("b@example.com"), tokens.make("c@example.com")]
    finally:
        cache.close()
    assert made == ["a@example.com", "b@example.com", "b@example.com", "c@example.com"]
    again = TokenCache(tmp_path, "secret")
    try:  # the second chunk was kept whole; the first, refused, was not
        assert dict(again.db.execute("SELECT address, token FROM tokens")) == {
            "b@example.com": tokens.make("b@example.com"),
            "c@example.com": tokens.make("c@example.com")}
    finally:
        again.close()


def test_tokens_made_together_are_each_the_token_made_alone_and_read_back():
    tokens = UnsubscribeTokens("secret")
    # Lengths that pad base64 with none, one and two "=", a long one, one not ASCII.
    addresses = ["a@b.co", "ab@b.co", "abc@b.co", "reader12345@example.org", "ü@exämple.com",
                 "x" * 64 + "@" + "d" * 180 + ".com"]
    made = tokens.make_all(addresses)
    assert made == [tokens.make(address) for address in addresses]
    assert [tokens.read(token) for token in made] == addresses
    assert tokens.make_all([]) == []
