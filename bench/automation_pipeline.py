"""Software tasks end to end, with the Procfile's `projections` and `automation` processes:
tickets whose first step is a software task are submitted; the figures are software tasks
done per second at the default concurrency, and the time from the task opening (the
submission) to its completion showing in the read tables. Then `projections check`."""

from __future__ import annotations

import os
import time
import uuid

from bench.common import (
    fresh_system,
    procfile_env,
    report,
    start_process,
    stop_process,
    summary,
)
from tf_events.commands import ImportDefinitionSet, SubmitTicket
from tf_projections.ticket_agreement import check_all
from tf_system.bootstrap import System

TICKETS = int(os.environ.get("TF_BENCH_SOFTWARE_TASKS", "200"))
LATENCY_SAMPLES = 30
TOTAL = "def run(inputs):\n    return {'total': round(inputs['price'] * inputs['qty'], 2)}\n"


def _definitions() -> dict:
    number = {"type": "number", "required": True}
    return {
        "format": "ticketflower.definition-set/1",
        "tasks": [
            {
                "key": "total",
                "name": "Work out the total",
                "kind": "software",
                "code": TOTAL,
                "inputs": [
                    {"name": "price", "label": "Price", **number},
                    {"name": "qty", "label": "Quantity", **number},
                ],
                "outputs": [{"name": "total", "label": "Total", **number}],
            }
        ],
        "workflows": [
            {
                "key": "order",
                "name": "Order",
                "fields": [
                    {"name": "price", "label": "Price", **number},
                    {"name": "qty", "label": "Quantity", **number},
                    {"name": "total", "label": "Total", "type": "number"},
                ],
                "tasks": ["total"],
            }
        ],
        "ticket_types": [
            {"key": "order", "name": "Order", "workflow": "order", "fields": ["price", "qty"]}
        ],
    }


def _submit(system: System, i: int) -> uuid.UUID:
    return system.app.handle(
        SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="order",
            data={"price": 4.5, "qty": i % 7 + 1},
            submitter={"id": str(uuid.uuid4()), "username": "bench"},
            user_roles=frozenset(),
        )
    ).ticket.id


def _closed(system: System, waiting: list[uuid.UUID]) -> list[uuid.UUID]:
    with system.pool.connection() as conn:
        rows = conn.execute(
            "SELECT id FROM tickets WHERE status = 'COMPLETED' AND id = ANY(%s)", (waiting,)
        ).fetchall()
    return [row[0] for row in rows]


def _shown(system: System, submitted: dict[uuid.UUID, float]) -> dict[uuid.UUID, float]:
    """When each ticket's completion first showed in the read table (polled every 5 ms)."""
    shown: dict[uuid.UUID, float] = {}
    deadline = time.perf_counter() + 300
    while len(shown) < len(submitted) and time.perf_counter() < deadline:
        found = _closed(system, [t for t in submitted if t not in shown])
        now = time.perf_counter()
        shown.update((ticket, now) for ticket in found)
        time.sleep(0.005)
    return shown


def pipeline() -> None:
    with fresh_system() as system:
        system.app.handle(ImportDefinitionSet(_definitions(), by="bench"))
        env = procfile_env(system.database_url, 0)
        processes = [start_process(name, env) for name in ("projections", "automation")]
        try:
            _shown(system, {_submit(system, -1): time.perf_counter()})  # warm up
            # Throughput: a burst, done as fast as the runners go.
            started = time.perf_counter()
            burst = {_submit(system, i): time.perf_counter() for i in range(TICKETS)}
            submitting = max(burst.values()) - started
            done = _shown(system, burst)
            rate = len(done) / (max(done.values(), default=started) - started)
            # Latency: one at a time, so no task waits behind another.
            lags = []
            for i in range(LATENCY_SAMPLES):
                ticket = _submit(system, i)
                opened = time.perf_counter()
                shown = _shown(system, {ticket: opened})
                lags += [shown[ticket] - opened] if ticket in shown else []
        finally:
            for process in processes:
                stop_process(process)
        agreement = check_all(system.app, system.pool)
        report(
            "automation: software tasks end to end (projections + automation processes)",
            [
                (
                    f"software tasks done per second (concurrency "
                    f"{system.settings.automation_concurrency})",
                    f"{rate:.1f}/s ({len(done)} of {TICKETS} done)",
                ),
                ("baseline: the submissions alone", f"{TICKETS / submitting:.1f}/s"),
                ("task open -> completion visible, one at a time", summary(lags)),
                (
                    "projections check",
                    f"{agreement.checked} tickets, "
                    + ("agree" if agreement.agrees else f"{len(agreement.differences)} DISAGREE"),
                ),
                ("load average (1 min)", f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"),
            ],
        )
