"""`newsletter serve`: one-click unsubscribe, sign-ups and provider webhooks, under waitress."""

from __future__ import annotations

import click

from newsletter.cli import pass_site
from newsletter.cli.stopping import serve_until_stopped

# Against slow clients when serve faces the network itself (--host 0.0.0.0): waitress's own
# defaults keep 100 connections, each while it sends a byte every 120 s, so 100 silent sockets
# held every slot. 1,000 connections (poll(): select() stops at 1,024 descriptors), a
# connection silent for 20 s hung up (looked for every 5 s). A proxy's idle keep-alive
# connection that is hung up is opened again; a reader's request never waits 20 s between bytes.
SLOW_CLIENT_LIMITS = {"connection_limit": 1000, "asyncore_use_poll": True,
                      "channel_timeout": 20, "cleanup_interval": 5}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep 127.0.0.1 behind a reverse proxy.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
# 8, not waitress's 4: the writes of requests answered at once share a commit (one fsync for
# them all), so a burst of one-click unsubscribes costs less CPU each with more in flight.
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Requests handled at once.")
@pass_site
def serve(site, host: str, port: int, threads: int) -> None:
    """Serve one-click unsubscribes, sign-ups and provider webhooks.

    \b
      newsletter serve               # on 127.0.0.1:8080 until stopped: your proxy's upstream
      newsletter serve --port 8081   # another port (0: any free one)

    It answers the unsubscribe URL, sign-ups and /webhooks/<provider>. The unsubscribe path
    is the one in email.unsubscribe_url; sign-ups arrive at signup.path and are confirmed at
    the path of signup.confirm_url ([signup] in newsletter.toml). Run it behind a reverse
    proxy that terminates HTTPS (docs/unsubscribes.md). Needs NEWSLETTER_SECRET, the secret
    the newsletters were signed with.
    """
    import logging
    from urllib.parse import urlsplit

    from waitress.server import create_server

    from newsletter.errors import NewsletterError
    from newsletter.preview import is_loopback, server_url
    from newsletter.web import MAX_WEBHOOK_BODY, NewsletterApp

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # waitress warns "Task queue depth is N" on every request that waits for a free thread: a
    # burst of unsubscribes printed a line each and spent an eighth of serve's CPU on them.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # psycopg's pool warns of every reconnection it tries while the database restarts (two
    # lines each) and every connection it drops; each request it fails says so in one line.
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    if not is_loopback(host) and _names_an_address(host):
        logging.getLogger(__name__).warning(
            "--host %s takes requests from other machines, in plain HTTP: keep 127.0.0.1 behind "
            "a reverse proxy that terminates HTTPS (in a container, list the proxy's address "
            "in signup.trusted_proxies)", host)
    app = NewsletterApp(site.settings)
    try:
        # waitress itself refuses (413) anything larger than the largest body we accept.
        # X-Forwarded-For reaches the app, which believes it only from signup.trusted_proxies.
        server = create_server(app, host=host, port=port, threads=threads,
                               max_request_body_size=MAX_WEBHOOK_BODY, ident="newsletter",
                               clear_untrusted_proxy_headers=False, **SLOW_CLIENT_LIMITS)
    except (OSError, ValueError) as error:  # the port is taken, the host is no address here
        app.close()
        raise NewsletterError(f"cannot listen on {host} port {port} "
                              f"({getattr(error, 'strerror', None) or error})",
                              hint="choose another --port or --host, or stop what is using it"
                              ) from None
    address = server_url(server, host, port).rstrip("/")  # an IPv6 host in brackets
    path = urlsplit(site.settings.email.unsubscribe_url).path
    click.echo(f"Serving {address}{path} and {address}/webhooks/<provider> (Ctrl-C to stop)")
    signup = site.settings.signup
    if app.signups is not None:
        confirm = urlsplit(signup.confirm_url).path
        if site.settings.provider.name == "outbox":  # fine to try out; readers get nothing
            logging.getLogger(__name__).warning(
                "the provider is the outbox: confirmation emails are written to %s/"
                "signup-confirm/, not sent; set [provider] in newsletter.toml before readers "
                "sign up", site.settings.provider.directory)
        click.echo(f"Sign-ups at {address}{signup.path}, confirmed at {address}{confirm}")
    app.start()
    try:
        serve_until_stopped(server)
    finally:
        app.close()  # changes not folded yet stay in the journal, in effect, for the next fold


def _names_an_address(host: str) -> bool:
    """Whether ``host`` resolves (one that does not is for the bind to refuse, in one line)."""
    import socket

    try:
        return bool(socket.getaddrinfo(host, None))
    except (OSError, UnicodeError):
        return False


COMMANDS = [serve]
