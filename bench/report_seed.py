"""The reports benchmark's data: 1,000,000 tickets over three years and about 5,000,000
task events' worth of report rows, written in bulk with SQL (generate_series) in the shapes
the projection writes, then the pre-aggregated rows made from them by the projection's own
statements, grouped (tests/integration/test_report_aggregates.py proves that gives the
projection's rows)."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime

from tf_projections.report_aggregates import EVERY_AGGREGATE
from tf_system.bootstrap import System

TICKETS = int(os.environ.get("TF_BENCH_TICKETS", "1000000"))
DAYS = 3 * 365
TYPES, WORKFLOWS = 20, 5

# Each workflow's tasks; "software" ones are run by the automation worker.
WORKFLOW_TASKS = [
    [("check-stock", "Check stock", "software"), ("prepare", "Prepare", "human"),
     ("deliver", "Deliver", "human")],
    [("triage", "Triage", "human"), ("fix", "Fix", "human"), ("close-out", "Close-out", "human")],
    [("review", "Review", "human"), ("approve", "Approve", "human")],
    [("import", "Import", "software"), ("check", "Check", "human"), ("reply", "Reply", "human")],
    [("triage", "Triage", "human"), ("reply", "Reply", "human")],
]  # fmt: skip

SEED = [
    # The workflows and their tasks, for the statements below.
    "CREATE TEMP TABLE bench_workflows (w int PRIMARY KEY, tasks jsonb, n int)",
    # Tickets: a skewed mix of 20 types over 5 workflows, created over three years;
    # resolution times log-uniform from 10 minutes to 14 days; 94% done, the rest
    # cancelled or withdrawn; those not closed by now wait on some task.
    """INSERT INTO report_tickets (ticket_id, reference, ticket_type_key, ticket_type_name,
        workflow_key, tasks, created_at, closed_at, resolution, resolution_seconds,
        current_position, current_task, current_status, current_assignee, current_opened_at,
        current_claimed_at)
    SELECT gen_random_uuid(), 'TF-' || (1000 + g), 'type-' || lpad(t::text, 2, '0'),
        'Type ' || t, 'workflow-' || w.w, w.tasks, created,
        CASE WHEN closes THEN created + res END,
        CASE WHEN closes THEN outcome END,
        CASE WHEN closes AND outcome = 'done' THEN extract(epoch FROM res) END,
        CASE WHEN NOT closes THEN pos END,
        CASE WHEN NOT closes THEN w.tasks->pos->>'name' END,
        CASE WHEN NOT closes THEN CASE WHEN r3 < 0.03 THEN 'ERROR' ELSE 'OPEN' END END,
        CASE WHEN NOT closes AND r3 < 0.6 THEN 'staff.' || (r3 * 50)::int END,
        CASE WHEN NOT closes THEN created END,
        CASE WHEN NOT closes AND r3 < 0.6 THEN created + interval '5 minutes' END
    FROM generate_series(1, %(tickets)s) AS g,
        -- g in each value keeps PostgreSQL from drawing them once for every row.
        LATERAL (SELECT (random() ^ 2 * %(types)s + 0 * g)::int %% %(types)s AS t,
                        random() + 0 * g AS r1, random() + 0 * g AS r2,
                        random() + 0 * g AS r3) AS r,
        LATERAL (SELECT %(now)s::timestamptz - (%(days)s * (1 - g::float / %(tickets)s)
                        + r1 / 1000) * interval '1 day' AS created,
                        exp(ln(600) + r2 * ln(86400 * 14 / 600.0)) * interval '1 second' AS res,
                        CASE WHEN r3 < 0.94 THEN 'done' WHEN r3 < 0.98 THEN 'cancelled'
                             ELSE 'withdrawn' END AS outcome) AS c,
        LATERAL (SELECT * FROM bench_workflows WHERE bench_workflows.w = r.t %% %(workflows)s)
            AS w,
        LATERAL (SELECT created + res < %(now)s AS closes, (r1 * w.n)::int %% w.n AS pos) AS s""",
    # Each task of a ticket closed as done was completed in turn over its resolution time.
    """INSERT INTO report_completions (ticket_id, version, position, completed_at, reference,
        ticket_type_key, workflow_key, task_key, task_name, kind, by_id, by_username,
        opened_at, claimed_at, wait_seconds, work_seconds)
    SELECT ticket_id, 2 + 2 * p, p, done, reference, ticket_type_key, workflow_key,
        tasks->p->>'key', tasks->p->>'name', tasks->p->>'kind', gen_random_uuid(), who,
        opened, claimed, extract(epoch FROM claimed - opened), extract(epoch FROM done - claimed)
    FROM report_tickets,
        LATERAL generate_series(0, jsonb_array_length(tasks) - 1) AS p,
        LATERAL (SELECT created_at + (closed_at - created_at) * p / jsonb_array_length(tasks)
                        AS opened,
                        created_at + (closed_at - created_at) * (p + 1)
                        / jsonb_array_length(tasks) AS done, random() AS r) AS t,
        LATERAL (SELECT opened + (done - opened) * r * 0.7 AS claimed,
                        CASE WHEN tasks->p->>'kind' = 'software' THEN 'automation'
                             ELSE 'staff.' || (r * 50)::int END AS who) AS x
    WHERE resolution = 'done'""",
    # Software tasks: each completion was a run; one in ten failed once before.
    """INSERT INTO report_software_runs (ticket_id, version, position, finished_at,
        ticket_type_key, workflow_key, task_key, task_name, failed, seconds)
    SELECT ticket_id, version, position, completed_at, ticket_type_key, workflow_key, task_key,
        task_name, false, work_seconds FROM report_completions WHERE kind = 'software'
    UNION ALL
    SELECT ticket_id, version - 1, position, claimed_at, ticket_type_key, workflow_key,
        task_key, task_name, true, 30 FROM report_completions
    WHERE kind = 'software' AND hashtext(ticket_id::text) %% 10 = 0""",
    """INSERT INTO report_types (ticket_type_key, workflow_key, ticket_type_name, workflow_name)
    SELECT DISTINCT ticket_type_key, workflow_key, ticket_type_name, workflow_key
    FROM report_tickets""",
]


def seed(system: System, now: datetime) -> list[tuple[str, str]]:
    values = {"tickets": TICKETS, "types": TYPES, "workflows": WORKFLOWS, "days": DAYS,
              "now": now}  # fmt: skip
    started = time.perf_counter()
    with system.pool.connection() as conn, conn.transaction():
        conn.execute(SEED[0])
        for w, tasks in enumerate(WORKFLOW_TASKS):
            conn.execute(
                "INSERT INTO bench_workflows VALUES (%s, %s, %s)",
                (w, json.dumps([{"key": k, "name": n, "kind": kind} for k, n, kind in tasks]),
                 len(tasks)),
            )  # fmt: skip
        for statement in SEED[1:]:
            print(f"  seeding: {statement.split('(')[0].strip()[:60]}", file=sys.stderr, flush=True)
            conn.execute(statement, values)
    seeded = time.perf_counter() - started
    # The pre-aggregated rows, by the projection's own statements run over every seeded
    # row at once (tests/integration/test_report_aggregates.py: the same rows as the
    # projection builds event by event).
    with system.pool.connection() as conn:
        conn.execute("SET work_mem = '256MB'")
        for aggregate in EVERY_AGGREGATE:
            print(f"  aggregating: {aggregate.label}", file=sys.stderr, flush=True)
            with conn.transaction():
                conn.execute(aggregate.sql(grouped=True))
    aggregated = time.perf_counter() - started - seeded
    with system.pool.connection() as conn:
        for table in ("report_tickets", "report_completions", "report_software_runs",
                      "report_tallies", "report_durations", "report_types"):  # fmt: skip
            conn.execute(f"VACUUM ANALYZE {table}")  # index-only scans need the visibility map
        counts = dict(
            conn.execute(
                "SELECT 'tickets', count(*) FROM report_tickets"
                " UNION ALL SELECT 'open', count(*) FROM report_tickets WHERE closed_at IS NULL"
                " UNION ALL SELECT 'completions', count(*) FROM report_completions"
                " UNION ALL SELECT 'software runs', count(*) FROM report_software_runs"
                " UNION ALL SELECT 'failed runs', count(*) FROM report_software_runs WHERE failed"
                " UNION ALL SELECT 'tallies', count(*) FROM report_tallies"
                " UNION ALL SELECT 'durations', count(*) FROM report_durations"
            ).fetchall()
        )
        size = conn.execute(
            "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c"
            " WHERE relname LIKE 'report\\_%%' AND relkind = 'r'"
        ).fetchone()
    vacuumed = time.perf_counter() - started - seeded - aggregated
    # A claim and a completion per completed task, and a claim and a failure per failed run.
    task_events = 2 * counts["completions"] + 2 * counts["failed runs"]
    return [
        ("tickets (open now)", f"{counts['tickets']:,} ({counts['open']:,})"),
        ("task events they stand for", f"{task_events:,} (claims, completions, failures)"),
        ("report_completions rows", f"{counts['completions']:,}"),
        ("report_software_runs rows", f"{counts['software runs']:,}"),
        ("report_tallies rows (counts per period and scope)", f"{counts['tallies']:,}"),
        ("report_durations rows (histogram buckets)", f"{counts['durations']:,}"),
        ("report tables, indexes included", str(size[0] if size else "?")),
        ("bulk SQL seed, aggregation, VACUUM ANALYZE",
         f"{seeded:.0f} s, {aggregated:.0f} s, {vacuumed:.0f} s"),
    ]  # fmt: skip
