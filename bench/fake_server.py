"""Run one fake provider API in its own process, for bench_providers.py.

    python bench/fake_server.py postmark KEY LATENCY_SECONDS

Prints the base URL, serves until stdin closes. ``GET /_stats`` reports requests, bytes
received and readers accepted. No spec validation and no recorded bodies: counting only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_providers import start_fake  # noqa: E402


def main() -> None:
    name, key, latency = sys.argv[1], sys.argv[2], float(sys.argv[3])
    server = start_fake(name, key, validate=False, latency=latency)
    server.record = False
    print(server.url, flush=True)
    sys.stdin.read()
    server.close()


if __name__ == "__main__":
    main()
