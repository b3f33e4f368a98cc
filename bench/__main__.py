"""Run benchmarks: `python -m bench [users ...]` (all by default)."""

from __future__ import annotations

import os
import sys

# Registrations measure the event store, not the password hash; the production hash cost
# is measured and printed on its own.
os.environ.setdefault("TF_ARGON2_PROFILE", "CHEAPEST")

BENCHMARKS = (
    "users",
    "definitions",
    "tickets",
    "ticket_lists",
    "faults",
    "pages",
    "history",
    "assistant",
    "tasks",
    "automation",
    "assignment",
    "reports",
    "notifications",
    "webhooks",
)


def main(names: list[str]) -> None:
    import importlib

    for name in names or BENCHMARKS:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        importlib.import_module(f"bench.{name}").run()


main(sys.argv[1:])
