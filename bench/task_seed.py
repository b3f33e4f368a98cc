"""The tasks benchmark's data: read rows for a million tickets written with SQL.

The pages read only the read tables, and a million tickets worked through their tasks
by events would take far longer than the timing itself, so the rows are written straight
into the tables (the users alone go through the event log). The indexes are dropped for
the load and built again after it, as a bulk load is done.
"""

from __future__ import annotations

import os
import sys
import time

from tf_events.commands import CreateApiToken, RegisterUser
from tf_projections.rebuild import rebuild
from tf_projections.users import UsersReadModel
from tf_system.bootstrap import System

TICKETS = int(os.environ.get("TF_BENCH_TASK_TICKETS", "1000000"))
MEMBERS = 200
PASSWORD = "long enough password"
TABLES = ("tickets", "ticket_tasks")

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
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
            " AND indexname NOT LIKE '%%_pkey' AND indexname NOT LIKE '%%_key'",
            (list(TABLES),),
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        print(f"  writing {TICKETS:,} ticket rows", file=sys.stderr, flush=True)
        conn.execute(_TICKETS, params)
        print(f"  writing {2 * TICKETS:,} task rows", file=sys.stderr, flush=True)
        conn.execute(_TASKS, params)
        print(f"  building {len(indexes)} indexes", file=sys.stderr, flush=True)
        for _, definition in indexes:
            conn.execute(definition)
        for table in TABLES:
            conn.execute(f"ANALYZE {table}")
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
