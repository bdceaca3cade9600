"""`make bench`: run every benchmark in turn and print its figures."""

from __future__ import annotations

import asyncio
import importlib
import sys

BENCHMARKS = [
    "bench.login",
    "bench.event_hop",
    "bench.bus",
    "bench.sync",
    "bench.sync_load",
    "bench.provider_scale",
    "bench.client_list",
    "bench.revision_date",
    "bench.sessions",
    "bench.portal",
    "bench.imports",
    "bench.idle",
]


def main() -> None:
    chosen = sys.argv[1:] or BENCHMARKS
    for name in chosen:
        module = importlib.import_module(name if name.startswith("bench.") else f"bench.{name}")
        asyncio.run(module.main())


if __name__ == "__main__":
    main()
