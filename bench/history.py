"""History: the auditor's page and the events API on tickets of 100, 1,000 and 10,000 events
(one submission, then comments), at the first, middle and last version, beside the ticket's
own page as the baseline; through the Flask app, in process.

Each process keeps the replays it made (tf_events.tickets.replays), so the figures are for
a ticket whose history that process has shown before; the "first view" rows empty that
memory before every request: the cost of a ticket's first History page in a process."""

from __future__ import annotations

import os
import re
import time
from typing import Any

from bench.common import fresh_system, report, summary
from tests.samples import definition_set
from tf_events.commands import CreateApiToken, ImportDefinitionSet, RegisterUser, SubmitTicket
from tf_events.tickets.workflow import Person
from tf_events.written import Written
from tf_projections.registry import READ_MODELS
from tf_projections.waiting import wait_for
from tf_projections.worker import start_workers

SIZES = [int(n) for n in os.environ.get("TF_BENCH_HISTORY_SIZES", "100,1000,10000").split(",")]
SAMPLES = 20
PASSWORD = "long enough password"
BATCH = 500  # comments saved per transaction while building the ticket


def _ticket_of(app: Any, events: int, auditor: dict[str, str]) -> Any:
    """A ticket with `events` events: its submission, then comments, saved in batches."""
    made = app.handle(
        SubmitTicket(
            submission_key=f"bench-history-{events}",
            ticket_type_key="laptop-request",
            data={"summary": f"A ticket of {events} events"},
            submitter=auditor,
            user_roles=frozenset({"auditor"}),
        )
    )
    ticket = app.get_ticket(made.ticket.id)
    written = made.written
    for start in range(1, events, BATCH):
        for i in range(start, min(start + BATCH, events)):
            ticket.add_comment(Person.of(auditor), f"Comment {i}", key=f"bench:{i}")
        written = Written.of(ticket.id, app.save(ticket))
    return ticket.id, written


def _timed(call: Any) -> list[float]:
    call()  # warm
    samples = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        response = call()
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return samples


def _first_view(app: Any, web: Any, url: str) -> Any:
    app.ticket_replays.clear()
    return web.get(url)


def run() -> None:
    from tf_web import create_app

    with fresh_system() as system:
        app = system.app
        app.handle(ImportDefinitionSet(definition_set(), by="bench"))
        user_id = app.handle(RegisterUser("audrey", PASSWORD, roles=("auditor",))).aggregate_id
        token = app.handle(CreateApiToken(user_id, "bench")).token
        auditor = {"id": str(user_id), "username": "audrey"}
        tickets = {}
        for size in SIZES:
            tickets[size], written = _ticket_of(app, size, auditor)
        workers = start_workers(
            list(READ_MODELS), app.recorder, app.mapper, system.pool, system.database_url
        )
        try:
            wait_for(system.pool, written, timeout=600)
            web = create_app(system).test_client()
            page = web.get("/login").get_data(as_text=True)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            web.post(
                "/login", data={"username": "audrey", "password": PASSWORD, "csrf_token": csrf}
            )
            api = {"Authorization": f"Bearer {token}"}
            rows = []
            for size, ticket_id in tickets.items():
                rows.append(
                    (
                        f"{size:>6} events: ticket page (baseline)",
                        summary(_timed(lambda t=ticket_id: web.get(f"/tickets/{t}"))),
                    ),
                )
                for name, version in (("first", 1), ("middle", size // 2 or 1), ("last", size)):
                    url = f"/tickets/{ticket_id}/history?version={version}"
                    rows.append(
                        (
                            f"{size:>6} events: History, {name} version",
                            summary(_timed(lambda u=url: web.get(u))),
                        ),
                    )
                rows.append(
                    (
                        f"{size:>6} events: History, last version, first view",
                        summary(_timed(lambda u=url: _first_view(app, web, u))),
                    ),
                )
                last_page = (size - 1) // 50 + 1
                for name, number in (("first", 1), ("last", last_page)):
                    url = f"/api/v1/tickets/{ticket_id}/events?page={number}"
                    rows.append(
                        (
                            f"{size:>6} events: events API, {name} page",
                            summary(_timed(lambda u=url: web.get(u, headers=api))),
                        ),
                    )
        finally:
            for worker in workers:
                worker.stop()
            for worker in workers:
                worker.join(timeout=10)
    report("history (Flask app in process, p50/p95 of 20 requests each)", rows)
