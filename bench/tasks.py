"""Tasks: the work queue page over HTTP (gunicorn as in the Procfile) at 1,000,000 tickets
with 100,000 tasks waiting in the queue, beside the "My tickets" page of the same run.

The read rows are written in bulk with SQL, not through the event log: the pages read
only the read tables, and a million tickets worked through their tasks by events would
take far longer than the pages' timing. So `ticketflower projections check` does not
apply to this database (the log holds only the users). The shape is a working business's:
80% of tickets closed, created over three years, 50 ticket types of two tasks each,
200 team members holding tasks, a tenth of the task definitions open to designers only.

TF_BENCH_TASK_TICKETS sets the size (1,000,000 by default; a tenth of the tickets wait
in the queue). `run()` calls each part; `queue_page()` is the page timing.
"""

from __future__ import annotations

import os
import re
import sys
import time

import requests

from bench.common import (
    free_port,
    fresh_system,
    procfile_env,
    report,
    start_process,
    stop_process,
    summary,
    wait_healthy,
)
from tf_events.commands import CreateApiToken, RegisterUser
from tf_projections.rebuild import rebuild
from tf_projections.users import UsersReadModel
from tf_system.bootstrap import System

TICKETS = int(os.environ.get("TF_BENCH_TASK_TICKETS", "1000000"))
TYPES = 50
MEMBERS = 200
WARM_UP = 5
SAMPLES = int(os.environ.get("TF_BENCH_TASK_SAMPLES", "200"))
DEEP_PAGE = 20
PASSWORD = "long enough password"
TARGET_MS = 30

# Every fifth ticket is still open; of those, by (g / 5) % 20: 0-9 wait in the queue,
# 10-18 are held by a team member, 19 has a problem reported. Its current task is its
# first or second (g % 2); who holds it is a hash of g. Ticket g was created
# (g / TICKETS) of the way through 3 years.
_TICKETS = """
INSERT INTO tickets (id, reference, number, ticket_type_key, ticket_type_name,
    ticket_type_version, workflow_key, workflow_version, status, current_task,
    current_task_status, current_assignee, resolution, closed_at, submitter_id,
    submitter_username, summary, data, channel, created_at, updated_at, version)
SELECT md5('ticket' || g)::uuid, 'TF-' || (1000 + g), 1000 + g,
    'type-' || (g %% 50), 'Ticket type ' || (g %% 50), 1, 'flow-' || (g %% 50), 1,
    CASE WHEN g %% 5 <> 0 THEN 'COMPLETED'
         WHEN g %% 2 = 1 OR (g / 5) %% 20 >= 10 THEN 'IN_PROCESS' ELSE 'NOT_STARTED' END,
    CASE WHEN g %% 5 = 0 THEN 'Task ' || (g %% 50) || '.' || (g %% 2) END,
    CASE WHEN g %% 5 = 0 THEN CASE WHEN (g / 5) %% 20 = 19 THEN 'ERROR' ELSE 'OPEN' END END,
    CASE WHEN g %% 5 = 0 AND (g / 5) %% 20 >= 10 THEN (%(names)s::text[])[m] END,
    CASE WHEN g %% 5 <> 0 THEN 'done' END,
    CASE WHEN g %% 5 <> 0 THEN created + interval '2 days' END,
    md5('user' || (g %% 2000))::uuid, 'user-' || (g %% 2000),
    'Request number ' || g, jsonb_build_object('summary', 'Request number ' || g),
    'bench', created,
    created + CASE WHEN g %% 5 <> 0 THEN interval '2 days' ELSE interval '1 hour' END,
    5
FROM generate_series(1, %(tickets)s) g,
    LATERAL (SELECT now() - interval '3 years' * (1 - g::float8 / %(tickets)s)
                    - interval '3 hours' AS created,
                    (hashint4(g) & 255) %% 200 + 1 AS m) c
"""
# Two tasks a ticket, as the ticket's row above says they stand.
_TASKS = """
INSERT INTO ticket_tasks (ticket_id, position, key, name, task_version, ticket_type_key,
    roles, status, assignee, assignee_id, reason, opened_at, claimed_at, closed_at)
SELECT md5('ticket' || g)::uuid, p, 'task-' || (g %% 50) || '-' || p,
    'Task ' || (g %% 50) || '.' || p, 1, 'type-' || (g %% 50),
    CASE WHEN g %% 50 < 5 THEN ARRAY['designer'] ELSE ARRAY['ticket_team'] END,
    s.status,
    CASE WHEN s.status IN ('OPEN', 'ERROR') AND held THEN (%(names)s::text[])[m] END,
    CASE WHEN s.status IN ('OPEN', 'ERROR') AND held THEN (%(ids)s::uuid[])[m] END,
    CASE WHEN s.status = 'ERROR' THEN 'Not in stock' END,
    CASE WHEN s.status <> 'PENDING' THEN created + interval '1 hour' * (p + 1) END,
    CASE WHEN s.status <> 'PENDING' AND (held OR s.status = 'CLOSED')
         THEN created + interval '1 hour' * (p + 1) END,
    CASE WHEN s.status = 'CLOSED' THEN created + interval '1 day' * (p + 1) END
FROM generate_series(1, %(tickets)s) g, generate_series(0, 1) p,
    LATERAL (SELECT now() - interval '3 years' * (1 - g::float8 / %(tickets)s)
                    - interval '3 hours' AS created,
                    g %% 5 = 0 AND (g / 5) %% 20 >= 10 AS held,
                    (hashint4(g) & 255) %% 200 + 1 AS m) c,
    LATERAL (SELECT CASE
        WHEN g %% 5 <> 0 OR p < g %% 2 THEN 'CLOSED'
        WHEN p > g %% 2 THEN 'PENDING'
        WHEN (g / 5) %% 20 = 19 THEN 'ERROR'
        ELSE 'OPEN' END AS status) s
"""


def seed(system: System) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Users through the event log; tickets and tasks in bulk with SQL. Returns report
    rows and a few values the timed pages ask for."""
    app = system.app
    for name, roles in (("tess", ("ticket_team",)), ("dora", ("dispatcher",))):
        app.handle(RegisterUser(name, PASSWORD, roles=roles))
    for n in range(1, MEMBERS):
        app.handle(RegisterUser(f"member-{n}", PASSWORD, roles=("ticket_team",)))
    token, _ = app.handle(CreateApiToken(app.user_id_for("tess"), "bench"))
    rebuild(UsersReadModel, app, system.pool)
    with system.pool.connection() as conn:
        members = conn.execute(
            "SELECT id, username FROM users WHERE 'ticket_team' = ANY(roles)"
            " ORDER BY username = 'tess' DESC, username"
        ).fetchall()
        ids, names = [row[0] for row in members], [row[1] for row in members]
        params = {"tickets": TICKETS, "ids": ids, "names": names}
        started = time.perf_counter()
        print(f"  writing {TICKETS:,} ticket rows", file=sys.stderr, flush=True)
        conn.execute(_TICKETS, params)
        print(f"  writing {2 * TICKETS:,} task rows", file=sys.stderr, flush=True)
        conn.execute(_TASKS, params)
        conn.execute("ANALYZE tickets")
        conn.execute("ANALYZE ticket_tasks")
        seconds = time.perf_counter() - started
        counts = conn.execute(
            "SELECT count(*) FILTER (WHERE status = 'OPEN' AND assignee_id IS NULL),"
            " count(*) FILTER (WHERE status = 'OPEN' AND assignee_id IS NULL"
            "   AND 'ticket_team' = ANY(roles)),"
            " count(*) FILTER (WHERE status = 'ERROR'),"
            " count(*) FILTER (WHERE assignee_id = %s AND status IN ('OPEN', 'ERROR'))"
            " FROM ticket_tasks",
            (ids[0],),
        ).fetchone()
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('ticket_tasks'))")
        sizes = size.fetchone()
    assert counts is not None and sizes is not None
    rows = [
        (
            "read rows written with SQL",
            f"{TICKETS:,} tickets, {2 * TICKETS:,} tasks ({seconds:.0f} s)",
        ),
        ("tasks in the queue", f"{counts[0]:,} (open to tess's roles: {counts[1]:,})"),
        ("tasks with a problem reported", f"{counts[2]:,}"),
        ("tasks assigned to tess", f"{counts[3]:,}"),
        ("ticket_tasks table, indexes included", sizes[0]),
    ]
    # Open tickets are those with g % 5 = 0: a type and a task they reach.
    return rows, {"type": "type-15", "task": "task-35-1", "token": token}


def _session(base: str, username: str) -> requests.Session:
    http = requests.Session()
    login = http.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token is not None
    signed_in = http.post(
        f"{base}/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.status_code
    return http


def _timed(http: requests.Session, url: str) -> tuple[list[float], int]:
    """Seconds per GET after the warm-up, and the size of the last answer."""
    samples, size = [], 0
    for i in range(WARM_UP + SAMPLES):
        started = time.perf_counter()
        response = http.get(url, timeout=30)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        if i >= WARM_UP:
            samples.append(elapsed)
        size = len(response.content)
    return samples, size


def _deep_link(http: requests.Session, base: str, path: str) -> str:
    """The address of page DEEP_PAGE + 1, following each page's Next link."""
    url = f"{base}{path}"
    for _ in range(DEEP_PAGE):
        found = re.search(r'rel="next" href="([^"]+)"', http.get(url, timeout=30).text)
        assert found is not None, "the queue ended early"
        url = base + found.group(1).replace("&amp;", "&")
    return url


def queue_page(system: System, picks: dict[str, str]) -> list[tuple[str, str]]:
    """p50/p95 of the queue pages over HTTP, the "My tickets" page first as the baseline."""
    port = free_port()
    web = start_process("web", procfile_env(system.database_url, port))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        tess, dora = _session(base, "tess"), _session(base, "dora")
        cases: list[tuple[str, requests.Session, str]] = [
            ("baseline: My tickets (none)", tess, f"{base}/tickets/mine"),
            ("work queue, page 1", tess, f"{base}/tasks/queue"),
            (f"work queue, page {DEEP_PAGE + 1}", tess, _deep_link(tess, base, "/tasks/queue")),
            ("work queue, one ticket type", tess, f"{base}/tasks/queue?type={picks['type']}"),
            ("work queue, one task", tess, f"{base}/tasks/queue?task={picks['task']}"),
            ("work queue, waiting over a month", tess, f"{base}/tasks/queue?older_than=month"),
            ("work queue, dispatcher (assign menus)", dora, f"{base}/tasks/queue"),
            ("my tasks", tess, f"{base}/tasks/mine"),
            ("problems reported", dora, f"{base}/tasks/problems"),
            ("dashboard (the four counts)", tess, f"{base}/"),
            ("ticket list, Assigned to me", tess, f"{base}/tickets/?assignee=tess"),
        ]
        rows: list[tuple[str, str]] = []
        for label, http, url in cases:
            print(f"  timing {label}", file=sys.stderr, flush=True)
            samples, size = _timed(http, url)
            rows.append((label, f"{summary(samples)}, {size / 1024:.0f} KiB"))
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {picks['token']}"
        samples, size = _timed(api, f"{base}/api/v1/tasks?view=queue")
        rows.append(("GET /api/v1/tasks?view=queue", f"{summary(samples)}, {size / 1024:.0f} KiB"))
    finally:
        stop_process(web)
    return rows


def run() -> None:
    with fresh_system() as system:
        setup, picks = seed(system)
        report(f"tasks: {TICKETS:,} tickets, read rows seeded with SQL", setup)
        report(
            f"tasks: queue pages over HTTP (gunicorn, {SAMPLES} sequential GETs; target p95"
            f" <= {TARGET_MS} ms)",
            queue_page(system, picks),
        )
