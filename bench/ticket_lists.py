"""Ticket lists at scale: three years of tickets (bench/ticket_seed.py) written to the event
log, the read tables rebuilt from the log by the real projection, then every list page over
HTTP (gunicorn, as in the Procfile) and the list query behind each sort and filter.

Baselines from the same run: reading and decoding the log without applying it (under the
rebuild), and a static file over the same HTTP session (under every page).

TF_BENCH_TICKETS sets the size (1,000,000 by default); TF_BENCH_EVENT_TICKETS how many of
them are written as events (100,000; the rest are read rows copied beside them, see
bench/ticket_copies.py); TF_BENCH_EXPLAIN=1 also prints the plan of each query case
(auto_explain, with ANALYZE and BUFFERS) to find what is slow.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from eventsourcing.persistence import StoredEvent
from psycopg_pool import ConnectionPool

from bench import ticket_seed as seed
from bench.common import (
    LeanClient,
    explain_pool,
    free_port,
    fresh_system,
    procfile_env,
    report,
    signed_in_headers,
    start_process,
    stop_process,
    summary,
)
from bench.ticket_copies import copy_rows, originals
from tf_events.application import TicketFlower
from tf_events.commands import ImportDefinitionSet, RegisterUser
from tf_events.tickets.references import FIRST, PREFIX
from tf_projections.read_model import EVENTS_TABLE
from tf_projections.rebuild import rebuild
from tf_projections.ticket_agreement import differences
from tf_projections.tickets import TicketsReadModel
from tf_projections.users import UsersReadModel
from tf_system.bootstrap import System
from tf_web.queries.ticket_list import Filters, ListQuery, Scope, State, list_tickets

TICKETS = int(os.environ.get("TF_BENCH_TICKETS", "1000000"))
# Tickets written as events; each is copied in the read tables up to TICKETS (ticket_copies).
COPIES = max(1, TICKETS // int(os.environ.get("TF_BENCH_EVENT_TICKETS", "100000")))
EXPLAIN = os.environ.get("TF_BENCH_EXPLAIN") == "1"
CALL_BYTES = 1_000_000  # one insert_events call (one transaction) per megabyte of events
DECODE_SAMPLE = 200_000  # events read and decoded for the rebuild's baseline
AGREEMENT_SAMPLE = 500  # tickets compared with a replay of their events
WARM_UP = 3
SAMPLES = 100  # a p95 of 40 was their second slowest: one stall away from a spike

BASE = ListQuery(scope=Scope.ALL, state=State.ACTIVE, sort="-created", limit=50)
Build = Callable[[], ListQuery]


def _calls(stored: Iterator[StoredEvent]) -> Iterator[list[StoredEvent]]:
    """The events in runs of at most CALL_BYTES of state."""
    call: list[StoredEvent] = []
    size = 0
    for event in stored:
        if call and size + len(event.state) > CALL_BYTES:
            yield call
            call, size = [], 0
        call.append(event)
        size += len(event.state)
    if call:
        yield call


def _write(app: TicketFlower, history: seed.History) -> list[tuple[str, str]]:
    """Store the history's events as app.save would, many tickets per call."""
    events = calls = 0
    inserting, started = 0.0, time.perf_counter()
    for call in _calls(history.events()):
        insert_started = time.perf_counter()
        app.recorder.insert_events(call)
        inserting += time.perf_counter() - insert_started
        events += len(call)
        calls += 1
        if calls % 500 == 0:
            print(f"  wrote {history.tickets:,} tickets", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    return [
        ("bulk write, generate + insert_events", f"{events / seconds:,.0f} events/s"),
        ("  of which inside insert_events", f"{events / inserting:,.0f} events/s"),
        ("events written", f"{events:,} in {calls:,} calls ({seconds:.0f} s)"),
    ]


def _decode_rate(app: TicketFlower) -> float:
    """Events/s read from the log and decoded, applying nothing: the floor under a rebuild."""
    started, decoded, start = time.perf_counter(), 0, 0
    topics = TicketsReadModel.topics()
    while decoded < DECODE_SAMPLE and (
        page := app.recorder.select_notifications(start, 2000, topics=topics)
    ):
        for notification in page:
            app.mapper.to_domain_event(notification)
        decoded += len(page)
        start = page[-1].id + 1
    return decoded / (time.perf_counter() - started)


def _setup(system: System, rng: random.Random, now: datetime) -> list[tuple[str, str]]:
    app = system.app
    app.handle(ImportDefinitionSet(seed.definitions(), by="bench"))
    who = seed.Population(
        submitters=seed.people("", seed.SUBMITTERS, rng),
        staff=seed.people("staff", seed.STAFF),
        dispatchers=seed.people("dispatcher", seed.DISPATCHERS),
    )
    history = seed.History(app, rng, seed.forms(app), who, TICKETS // COPIES, now, COPIES)
    rows = _write(app, history)
    print("  rebuilding the tickets read model", file=sys.stderr, flush=True)
    started = time.perf_counter()
    replayed = rebuild(TicketsReadModel, app, system.pool)
    rebuilding = time.perf_counter() - started
    rows += [
        ("projection rebuild from the log", f"{replayed / rebuilding:,.0f} events/s"),
        ("  baseline: read + decode the log only", f"{_decode_rate(app):,.0f} events/s"),
        ("events replayed", f"{replayed:,} ({rebuilding:.0f} s)"),
    ]
    with system.pool.connection() as conn:
        started = time.perf_counter()
        copied = copy_rows(conn, COPIES)
        rows.append(
            (
                f"read rows copied in bulk ({COPIES} per ticket with events)",
                f"{copied:,} tickets ({time.perf_counter() - started:.0f} s)",
            )
        )
        last = FIRST + (TICKETS // COPIES) * COPIES - 1
        conn.execute("SELECT setval('ticket_reference_seq', %s)", (last,))
        conn.execute("ANALYZE tickets")
        conn.execute("ANALYZE ticket_tasks")
        shapes = conn.execute(
            "SELECT status, coalesce(resolution, current_task_status), count(*) FROM tickets"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('tickets')),"
            f" pg_size_pretty(pg_total_relation_size('{EVENTS_TABLE}'))"
        ).fetchone()
    assert sizes is not None
    rows += [(f"tickets {status}, {what}", f"{count:,}") for status, what, count in shapes]
    rows += [("tickets table, indexes included", sizes[0]), (f"{EVENTS_TABLE} table", sizes[1])]
    return rows


def _agreement(system: System, rng: random.Random) -> tuple[str, str]:
    """The read tables beside a replay of each sampled ticket's events (tickets with
    events: copies have none)."""
    with system.pool.connection() as conn:
        ids = originals(conn, COPIES, AGREEMENT_SAMPLE)
    wrong = [ticket_id for ticket_id in ids if differences(system.app, system.pool, ticket_id)]
    verdict = "agrees" if not wrong else f"{len(wrong)} differ, e.g. {wrong[0]}"
    return (f"agreement check, {len(ids)} sampled tickets", verdict)


def _cases(rng: random.Random, now: datetime) -> list[tuple[str, Build]]:
    def where(state: State = State.ACTIVE, **filters: Any) -> Build:
        return lambda: replace(BASE, state=state, filters=Filters(**filters))

    def sorted_by(sort: str, state: State = State.ACTIVE) -> Build:
        return lambda: replace(BASE, sort=sort, state=state)

    def reference() -> ListQuery:
        number = rng.randrange(FIRST, FIRST + TICKETS)
        return replace(BASE, filters=Filters(reference=f"{PREFIX}{number}"))

    def a_type() -> str:
        return f"{rng.choice(seed.NOUNS)}-request"

    today = now.date()
    return [
        *((f"active, sort {s}", sorted_by(s)) for key in SORTS_KEYS for s in (key, f"-{key}")),
        *((f"closed, sort {s}", sorted_by(s, State.CLOSED)) for s in ("-created", "-updated")),
        ("active, type (any of 50)", lambda: where(type=(a_type(),))()),
        ("closed, type (any of 50)", lambda: where(State.CLOSED, type=(a_type(),))()),
        ("active, task Triage", where(task="Triage")),
        ("active, task Close-out", where(task="Close-out")),
        ("active, status IN_PROCESS", where(status=("IN_PROCESS",))),
        ("reference", reference),
        ("active, created in the last 30 days", where(created_from=today - timedelta(days=30))),
        ("closed, updated in a week 2 years ago", where(
            State.CLOSED, updated_from=today - timedelta(days=730),
            updated_to=today - timedelta(days=723))),
        ("active, q common word", lambda: where(q=rng.choice(seed.COMMON))()),
        ("active, q rare word", lambda: where(q=rng.choice(seed.RARE))()),
        ("closed, q rare word", lambda: where(State.CLOSED, q=rng.choice(seed.RARE))()),
        ("active, q two common words", lambda: where(q=" ".join(rng.sample(seed.COMMON, 2)))()),
    ]  # fmt: skip


SORTS_KEYS = ("reference", "type", "summary", "status", "task", "submitter", "created", "updated")


def _query_timings(pool: ConnectionPool, cases: list[tuple[str, Build]]) -> list[tuple[str, str]]:
    rows = []
    for label, build in cases:
        samples, found = [], 0
        for i in range(WARM_UP + SAMPLES):
            query = build()
            started = time.perf_counter()
            found = len(list_tickets(pool, query, None).rows)
            if i >= WARM_UP:
                samples.append(time.perf_counter() - started)
        rows.append((label, f"{summary(samples)}, {found} rows"))
    return rows


def _explain(database_url: str, cases: list[tuple[str, Build]]) -> None:
    plans: list[str] = []
    with explain_pool(database_url, plans) as pool:
        for label, build in cases:
            plans.clear()
            list_tickets(pool, build(), None)
            print(f"\n-- plan: {label}\n" + "\n".join(plans))


def _pages(now: datetime, submitter: str) -> list[tuple[str, str]]:
    today = now.date()
    return [
        ("/tickets/mine", "My tickets (a submitter)"),
        ("/tickets/", "All tickets, active, newest first"),
        *((f"/tickets/?sort={s}", f"active, by {s}") for k in SORTS_KEYS for s in (k, f"-{k}")),
        ("/tickets/?state=closed", "Closed tab, newest first"),
        ("/tickets/?state=closed&sort=-updated", "Closed tab, recently updated"),
        ("/tickets/?state=closed&sort=summary", "Closed tab, by summary"),
        ("/tickets/?type=website-request", "the rarest type"),
        ("/tickets/?sort=-updated&type=laptop-request", "the commonest type, last updated"),
        ("/tickets/?state=closed&type=website-request", "Closed, the rarest type"),
        ("/tickets/?task=Triage", "current task Triage"),
        ("/tickets/?task=Close-out", "current task Close-out"),
        ("/tickets/?status=IN_PROCESS", "status In progress"),
        (f"/tickets/?submitter={submitter}", "one submitter"),
        (f"/tickets/?reference={PREFIX}{FIRST + TICKETS // 3}", "one reference"),
        (f"/tickets/?created_from={today - timedelta(days=30)}", "created in the last 30 days"),
        (f"/tickets/?state=closed&created_to={today - timedelta(days=700)}", "Closed, created"
         " before two years ago"),
        ("/tickets/?q=support+please", "search, two common words"),
        (f"/tickets/?q={seed.RARE[0]}", "search, a rare word"),
        (f"/tickets/?state=closed&q={seed.RARE[1]}", "Closed, search, a rare word"),
        ("/tickets/?state=closed&q=support", "Closed, search, a common word"),
    ]  # fmt: skip


def _page_timings(system: System, now: datetime) -> list[tuple[str, str]]:
    """Whole list pages from gunicorn, as the browser asks for them: session, query,
    template, HTTP; beside a static file on the same connection."""
    submitter = "ana.0"
    system.app.handle(RegisterUser(submitter, "long enough", roles=("ticket_team",)))
    rebuild(UsersReadModel, system.app, system.pool)
    port = free_port()
    web = start_process("web", procfile_env(system.database_url, port))
    base = f"http://127.0.0.1:{port}"
    try:
        session = requests.Session()
        login = _when_up(session, f"{base}/login")
        token = login.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed_in = session.post(
            f"{base}/login",
            data={"username": submitter, "password": "long enough", "csrf_token": token},
            allow_redirects=False,
        )
        assert signed_in.status_code == 302, signed_in.status_code
        browser = LeanClient(base, signed_in_headers(session))
        try:
            floor = summary(_times(browser, "/static/style.css"))
            rows = [("baseline: a static file, /static/style.css", floor)]
            for path, label in _pages(now, submitter):
                rows.append((f"{label}  {path}", summary(_times(browser, path))))
            return rows
        finally:
            browser.close()
    finally:
        stop_process(web)


def _when_up(session: requests.Session, url: str) -> str:
    """The page once gunicorn answers. (Not /healthz: it counts how far each read model
    is behind the log, which takes more than its half second here, where the bench wrote
    the log without running the other read models.)"""
    deadline = time.monotonic() + 120
    while True:
        try:
            response = session.get(url, timeout=5)
            if response.status_code == 200:
                return response.text
        except (requests.ConnectionError, requests.Timeout):
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def _times(browser: LeanClient, path: str) -> list[float]:
    samples = []
    for i in range(WARM_UP + SAMPLES):
        started = time.perf_counter()
        status, _ = browser.request("GET", path)
        if i >= WARM_UP:
            samples.append(time.perf_counter() - started)
        assert status == 200, (path, status)
    return samples


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} (2 cores shared with other work)"


def run() -> None:
    rng = random.Random(1042)
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    with fresh_system() as system:
        setup_rows = _setup(system, rng, now)
        report(f"ticket_lists: {TICKETS:,} tickets, {_load()}", setup_rows)
        print("  timing list pages", file=sys.stderr, flush=True)
        cases = _cases(rng, now)
        report(f"list pages over HTTP (gunicorn), {_load()}", _page_timings(system, now))
        report(
            f"list queries (list_tickets, 50 rows), {_load()}", _query_timings(system.pool, cases)
        )
        report("read tables after the benchmark", [_agreement(system, rng)])
        if EXPLAIN:
            _explain(system.database_url, cases)
