"""Ticket lists at scale: tickets written in bulk to the event log, the read table rebuilt
from the log, then list page latency for every sort and filter at that size.

The bulk path is app.save without a round trip per ticket: real Ticket aggregates, built
with the arguments submit_ticket passes, their pending events through the app's mapper,
and many tickets per recorder.insert_events call. So the log holds exactly the events
real submissions (and comments) write, and the read table comes from the real projection.

TF_BENCH_TICKETS sets the size (1,000,000 by default); TF_BENCH_EXPLAIN=1 also prints the
plan of each case (auto_explain, with ANALYZE and BUFFERS) to find what is slow.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.persistence import StoredEvent
from psycopg import Connection
from psycopg_pool import ConnectionPool

from bench.common import fresh_system, report, summary
from tests.samples import TICKET_TYPE, definition_set, sample
from tf_events.application import TicketFlower
from tf_events.commands import ImportDefinitionSet, RegisterUser
from tf_events.definitions.aggregate import Definition
from tf_events.definitions.format import Kind
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.data_schema import validate_data
from tf_events.tickets.references import FIRST, PREFIX
from tf_events.tickets.submission import summary_of
from tf_events.tickets.workflow import Person
from tf_events.users import User
from tf_projections.rebuild import rebuild
from tf_projections.status import EVENTS_TABLE
from tf_projections.tickets import TicketsReadModel
from tf_system.bootstrap import System
from tf_web.queries.ticket_list import (
    SORTS,
    Cursor,
    Filters,
    ListQuery,
    Scope,
    State,
    list_tickets,
)

TICKETS = int(os.environ.get("TF_BENCH_TICKETS", "1000000"))
EXPLAIN = os.environ.get("TF_BENCH_EXPLAIN") == "1"
BATCH = 5000  # tickets generated at a time, about 5,250 events
# One insert_events call (one transaction) per megabyte of events, about 1,300 tickets.
CALL_BYTES = 1_000_000
USERS = 2000
COMMENTED = 0.05
VALIDATE_EVERY = 100  # validate_data costs ~120 µs; a sample proves the generated shape
WARM_UP = 3
SAMPLES = 40
DEEP_PAGE = 21

# The sample set has one ticket type; a few more give the type filter something to choose.
TYPE_WEIGHTS = {
    "laptop-request": 4,
    "access-request": 2,
    "phone-request": 2,
    "software-request": 2,
}
ITEMS = {
    "laptop-request": ("laptop", "charger", "screen", "keyboard", "battery", "dock", "mouse"),
    "access-request": ("vpn", "wiki", "repository", "mailbox", "drive", "calendar"),
    "phone-request": ("phone", "sim", "headset", "voicemail", "number"),
    "software-request": ("licence", "editor", "browser", "database", "spreadsheet"),
}
OPENERS = ("new", "broken", "replace", "upgrade", "missing", "slow", "urgent", "second")
TEAMS = ("finance", "sales", "support", "design", "warehouse", "legal", "marketing", "payroll")
FILLER = ("please", "since", "monday", "after", "update", "again", "cannot", "login", "office")
NAMES = ("ana", "bo", "cy", "dana", "eli", "fay", "gus", "hana", "ivo", "jo", "kai", "lea")
COMMON = ("new", "support", "please")  # in about 13%, 26% and 18% of tickets
RARE = ("zeppelin", "quokka", "marzipan", "tamarind", "gazebo", "nebula", "kumquat", "fjord")
RARE_RATE = 1 / 20_000  # about six tickets per rare word at a million

BASE = ListQuery(
    scope=Scope.ALL, state=State.ACTIVE, sort="-created", filters=Filters(), cursor=None, limit=50
)
Build = Callable[[dict[str, str]], ListQuery]  # from a random user, so samples vary

AUTO_EXPLAIN = (
    ("auto_explain.log_analyze", "on"),
    ("auto_explain.log_buffers", "on"),
    ("auto_explain.log_level", "notice"),  # sent to this client, not the server log
    ("auto_explain.log_min_duration", "0"),
)


@dataclass(frozen=True)
class Form:
    """What submit_ticket looks up for a ticket type, here once per type, not per ticket."""

    key: str
    name: str
    fields: list[dict[str, Any]]
    pins: dict[str, Any]  # ticket_type, workflow and tasks, as submit_ticket records them


def _definitions() -> dict[str, Any]:
    definitions = definition_set()
    for key in list(TYPE_WEIGHTS)[1:]:
        name = key.replace("-", " ").capitalize()
        definitions["ticket_types"].append(sample(TICKET_TYPE, key=key, name=name))
    return definitions


def _pinned(definition: Definition) -> dict[str, Any]:
    return {
        "id": str(definition.id),
        "key": definition.key,
        "version": definition.version,
        "name": definition.content["name"],
    }


def _form(app: TicketFlower, key: str) -> Form:
    ticket_type, workflow, fields = app.ticket_form(key, frozenset())
    tasks = []
    for task_key in workflow.content["tasks"]:
        task = app.find_definition(Kind.TASK, task_key)
        assert task is not None
        tasks.append(
            {
                "key": task_key,
                "definition_id": str(task.id),
                "version": task.version,
                "name": task.content["name"],
            }
        )
    pins = {"ticket_type": _pinned(ticket_type), "workflow": _pinned(workflow), "tasks": tasks}
    return Form(key, ticket_type.content["name"], fields, pins)


def _users(rng: random.Random) -> list[dict[str, str]]:
    """Submitters, with the ids registered users of these names would have."""
    names = [f"{rng.choice(NAMES)}.{i}" for i in range(USERS)]
    return [{"id": str(User.create_id(name)), "username": name} for name in names]


def _data(rng: random.Random, form: Form) -> dict[str, str]:
    words = [rng.choice(OPENERS), rng.choice(ITEMS[form.key]), "for", rng.choice(TEAMS)]
    if rng.random() < 0.3:
        words.append(rng.choice(FILLER))
    if rng.random() < RARE_RATE:
        words.append(rng.choice(RARE))
    data = {"summary": " ".join(words)}
    if rng.random() < 0.3:
        vocabulary = FILLER + TEAMS + ITEMS[form.key]
        data["details"] = " ".join(rng.choices(vocabulary, k=rng.randint(5, 30)))
    return data


def _ticket(number: int, form: Form, data: dict[str, str], submitter: dict[str, str]) -> Ticket:
    """The Ticket submit_ticket would make; the event's timestamp is now, so every ticket
    is created (and commented) within this run, which the date filters below allow for."""
    if number % VALIDATE_EVERY == 0:
        clean, errors = validate_data(form.fields, data)
        assert clean == data, errors
    return Ticket.submit(
        submission_key=f"bench:{submitter['id']}:{uuid.uuid4()}",
        reference=f"{PREFIX}{number}",
        data=data,
        submitter=Person.of(submitter),
        summary=summary_of(form.fields, data, form.name),
        channel="bench",
        **form.pins,
    )


def _batches(
    rng: random.Random, forms: list[Form], users: list[dict[str, str]]
) -> Iterator[list[Ticket]]:
    """Tickets BATCH at a time, so a million never sit in memory at once."""
    weights = [TYPE_WEIGHTS[form.key] for form in forms]
    for start in range(FIRST, FIRST + TICKETS, BATCH):
        batch = []
        for number in range(start, min(start + BATCH, FIRST + TICKETS)):
            form = rng.choices(forms, weights)[0]
            ticket = _ticket(number, form, _data(rng, form), rng.choice(users))
            if rng.random() < COMMENTED:  # so "last updated" is not always "created"
                by = rng.choice(users)
                text = " ".join(rng.sample(FILLER, 4))
                ticket.add_comment(by=Person.of(by), text=text, key=f"{by['id']}:bench-{number}")
            batch.append(ticket)
        yield batch


def _calls(stored: list[StoredEvent]) -> Iterator[list[StoredEvent]]:
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


def _write(app: TicketFlower, batches: Iterator[list[Ticket]]) -> tuple[int, int, float, float]:
    """Store the aggregates' pending events as app.save would, many tickets per call.
    Returns (events, calls, seconds in all, seconds inside insert_events)."""
    events, calls, inserting, started = 0, 0, 0.0, time.perf_counter()
    for i, tickets in enumerate(batches, 1):
        stored = [app.mapper.to_stored_event(e) for t in tickets for e in t.collect_events()]
        insert_started = time.perf_counter()
        for call in _calls(stored):
            app.recorder.insert_events(call)
            calls += 1
        inserting += time.perf_counter() - insert_started
        events += len(stored)
        if i % 20 == 0:
            print(f"  wrote {i * BATCH:,} tickets", file=sys.stderr, flush=True)
    return events, calls, time.perf_counter() - started, inserting


def _deep_cursor(pool: ConnectionPool) -> Cursor | None:
    cursor = None
    for _ in range(DEEP_PAGE - 1):
        cursor = list_tickets(pool, replace(BASE, cursor=cursor), None).next
    return cursor


def _cases(
    rng: random.Random, forms: list[Form], deep: Cursor | None, since: date
) -> list[tuple[str, Build]]:
    keys = [form.key for form in forms]
    first_task, second_task = (task["name"] for task in forms[0].pins["tasks"][:2])
    today = datetime.now(UTC).date()

    def where(**filters: Any) -> ListQuery:
        return replace(BASE, filters=Filters(**filters))

    def reference() -> str:
        return f"{PREFIX}{rng.randrange(FIRST, FIRST + TICKETS)}"

    def sorted_by(sort: str) -> Build:
        return lambda u: replace(BASE, sort=sort)

    return [
        ("all active, -created, page 1", lambda u: BASE),
        (f"all active, -created, page {DEEP_PAGE}", lambda u: replace(BASE, cursor=deep)),
        *((f"sort {s}", sorted_by(s)) for key in SORTS for s in (key, f"-{key}")),
        ("my tickets (one submitter's id)", lambda u: replace(BASE, scope=Scope.MINE)),
        ("type", lambda u: where(type=(rng.choice(keys),))),
        ("submitter", lambda u: where(submitter=u["username"])),
        (f"task {first_task!r} (every ticket)", lambda u: where(task=first_task)),
        (f"task {second_task!r} (no ticket)", lambda u: where(task=second_task)),
        ("reference", lambda u: where(reference=reference())),
        ("created within the run's days", lambda u: where(created_from=since, created_to=today)),
        ("updated within the run's days", lambda u: where(updated_from=since, updated_to=today)),
        ("q common word", lambda u: where(q=rng.choice(COMMON))),
        ("q rare word", lambda u: where(q=rng.choice(RARE))),
        ("q two common words", lambda u: where(q=" ".join(rng.sample(COMMON, 2)))),
        ("q common word + type", lambda u: where(q=rng.choice(COMMON), type=(rng.choice(keys),))),
        ("closed view (empty)", lambda u: replace(BASE, state=State.CLOSED)),
    ]


def _latencies(
    pool: ConnectionPool, build: Build, users: list[dict[str, str]], rng: random.Random
) -> tuple[list[float], int]:
    """Seconds per call after the warm-up, and the rows on the last page."""
    samples, rows = [], 0
    for i in range(WARM_UP + SAMPLES):
        user = rng.choice(users)
        query = build(user)
        started = time.perf_counter()
        rows = len(list_tickets(pool, query, uuid.UUID(user["id"])).rows)
        if i >= WARM_UP:
            samples.append(time.perf_counter() - started)
    return samples, rows


def _explain_pool(database_url: str, plans: list[str]) -> ConnectionPool:
    """One connection that sends back the executed plan of every statement it runs."""

    def configure(conn: Connection[Any]) -> None:
        conn.add_notice_handler(lambda notice: plans.append(notice.message_primary or ""))
        conn.execute("LOAD 'auto_explain'")
        for name, value in AUTO_EXPLAIN:
            conn.execute("SELECT set_config(%s, %s, false)", (name, value))

    return ConnectionPool(
        database_url, min_size=1, max_size=1, kwargs={"autocommit": True}, configure=configure
    )


def _setup(
    system: System, rng: random.Random
) -> tuple[list[Form], list[dict[str, str]], list[tuple[str, str]]]:
    """Write the tickets, rebuild the read table; returns forms, users, report rows."""
    app = system.app
    app.handle(ImportDefinitionSet(_definitions(), by="bench"))
    forms = [_form(app, key) for key in TYPE_WEIGHTS]
    users = _users(rng)
    events, calls, seconds, inserting = _write(app, _batches(rng, forms, users))
    with system.pool.connection() as conn:
        conn.execute("SELECT setval('ticket_reference_seq', %s)", (FIRST + TICKETS - 1,))
    print("  rebuilding the tickets read model", file=sys.stderr, flush=True)
    started = time.perf_counter()
    replayed = rebuild(TicketsReadModel, app, system.pool)
    rebuilding = time.perf_counter() - started
    with system.pool.connection() as conn:
        conn.execute("ANALYZE tickets")
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('tickets')),"
            f" pg_size_pretty(pg_total_relation_size('{EVENTS_TABLE}'))"
        ).fetchone()
    assert sizes is not None
    rows = [
        ("bulk write, generate + insert_events", f"{events / seconds:,.0f} events/s"),
        ("  of which inside insert_events", f"{events / inserting:,.0f} events/s"),
        ("events written", f"{events:,} in {calls:,} calls ({seconds:.0f} s)"),
        ("projection rebuild from the log", f"{replayed / rebuilding:,.0f} events/s"),
        ("events replayed", f"{replayed:,} ({rebuilding:.0f} s)"),
        ("tickets table, indexes included", sizes[0]),
        (f"{EVENTS_TABLE} table", sizes[1]),
    ]
    return forms, users, rows


def _explain(
    database_url: str,
    cases: list[tuple[str, Build]],
    users: list[dict[str, str]],
    rng: random.Random,
) -> None:
    plans: list[str] = []
    with _explain_pool(database_url, plans) as pool:
        for label, build in cases:
            plans.clear()
            user = rng.choice(users)
            list_tickets(pool, build(user), uuid.UUID(user["id"]))
            print(f"\n-- plan: {label}\n" + "\n".join(plans))


def run() -> None:
    rng = random.Random(1042)
    since = datetime.now(UTC).date()
    with fresh_system() as system:
        forms, users, setup_rows = _setup(system, rng)
        report(f"ticket_lists: {TICKETS:,} tickets", setup_rows)
        print("  timing list pages", file=sys.stderr, flush=True)
        cases = _cases(rng, forms, _deep_cursor(system.pool), since)
        timings = []
        for label, build in cases:
            samples, rows = _latencies(system.pool, build, users, rng)
            timings.append((label, f"{summary(samples)}, {rows} rows"))
        report("ticket list queries (list_tickets, 50 rows a page)", timings)
        report(
            "ticket list pages over HTTP (Flask app and templates)", _page_timings(system, users)
        )
        if EXPLAIN:
            _explain(system.database_url, cases, users, rng)


PAGES = (
    ("/tickets/mine", "My tickets (a submitter)"),
    ("/tickets/", "All tickets, active, newest first"),
    ("/tickets/?sort=summary", "All tickets by summary"),
    ("/tickets/?sort=-updated&type=phone-request", "phone requests, last updated"),
    ("/tickets/?q=support+please", "search, two common words"),
    (f"/tickets/?q={RARE[0]}", "search, a rare word"),
    ("/tickets/?state=closed", "closed tab"),
)


def _page_timings(system: System, users: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Whole list pages, as the browser asks for them: session, query, template."""
    from tf_projections.users import UsersReadModel
    from tf_web import create_app

    submitter = users[0]["username"]
    system.app.handle(RegisterUser(submitter, "long enough", roles=("ticket_team",)))
    rebuild(UsersReadModel, system.app, system.pool)
    web = create_app(system)
    logging.getLogger("tf_web.requests").setLevel(logging.WARNING)  # not a line per request
    web.config["SESSION_COOKIE_SECURE"] = False  # the test client speaks plain HTTP
    client = web.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed_in = client.post(
        "/login", data={"username": submitter, "password": "long enough", "csrf_token": token}
    )
    assert signed_in.status_code == 302, signed_in.status_code
    rows = []
    for path, label in PAGES:
        samples = []
        for i in range(WARM_UP + SAMPLES):
            started = time.perf_counter()
            response = client.get(path)
            if i >= WARM_UP:
                samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        rows.append((f"{label}  {path}", summary(samples)))
    return rows
