"""A tiny DNS server on 127.0.0.1 for tests: TXT, A and AAAA records from dicts, NXDOMAIN for
the rest."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

ADDRESS_TYPES = {dns.rdatatype.A: ("A", "."), dns.rdatatype.AAAA: ("AAAA", ":")}


class DnsServer:
    """What the server was asked, for assertions."""

    def __init__(self, address: str):
        self.address = address  # "127.0.0.1:port", as --nameserver takes it
        self.queries: list[str] = []


@contextmanager
def dns_server(txt: dict[str, list[str]], *, silent: bool = False,
               addresses: dict[str, list[str]] | None = None) -> Iterator[DnsServer]:
    """Serve ``txt`` (name -> TXT strings) and ``addresses`` (name -> IPv4 and IPv6 addresses)
    over UDP; ``silent`` answers nothing at all."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.05)
    server = DnsServer(f"127.0.0.1:{sock.getsockname()[1]}")
    records = {name.lower().rstrip("."): values for name, values in txt.items()}
    ips = {name.lower().rstrip("."): values for name, values in (addresses or {}).items()}
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, client = sock.recvfrom(4096)
            except socket.timeout:
                continue
            query = dns.message.from_wire(data)
            question = query.question[0]
            name = question.name.to_text().rstrip(".").lower()
            server.queries.append(name)
            if silent:
                continue
            response = dns.message.make_response(query)
            if name not in records and name not in ips:
                response.set_rcode(dns.rcode.NXDOMAIN)
            elif question.rdtype == dns.rdatatype.TXT and name in records:
                response.answer.append(dns.rrset.from_text(
                    question.name, 300, "IN", "TXT", *(_quoted(value) for value in records[name])))
            elif question.rdtype in ADDRESS_TYPES:
                kind, mark = ADDRESS_TYPES[question.rdtype]
                found = [ip for ip in ips.get(name, []) if mark in ip]
                if found:
                    response.answer.append(dns.rrset.from_text(question.name, 300, "IN", kind,
                                                               *found))
            sock.sendto(response.to_wire(), client)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def _quoted(value: str) -> str:
    """One TXT record as zone-file text: strings of at most 255 characters, quoted."""
    return " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255)) or '""'
