"""The Reports page at scale: 1,000,000 tickets and about 5,000,000 task events.

The report tables are seeded in bulk with SQL (generate_series), not through the event
log: writing and replaying that many events takes the better part of an hour on this
machine, and the page reads only these tables. The per-ticket rows have the shapes the
projection writes (tests/integration/test_reports.py checks the projection against a
hand-worked history); the pre-aggregated rows the page reads are then made from them by
the projection's own statements, grouped (tests/integration/test_report_aggregates.py
proves that gives the projection's rows).

Then the page is timed through gunicorn (the Procfile's `web`) for several ranges and
filters, beside a static file and the dashboard on the same session, and the queries
behind it on their own. TF_BENCH_TICKETS changes the size.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from psycopg_pool import ConnectionPool

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
from tf_events.commands import RegisterUser
from tf_projections.rebuild import rebuild
from tf_projections.report_aggregates import EVERY_AGGREGATE
from tf_projections.users import UsersReadModel
from tf_system.bootstrap import System
from tf_web.queries.reports import ReportFilter
from tf_web.queries.reports import report as report_query

TICKETS = int(os.environ.get("TF_BENCH_TICKETS", "1000000"))
DAYS = 3 * 365
TYPES, WORKFLOWS = 20, 5
WARM_UP, SAMPLES = 3, 30
TARGET_MS = 100

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


def _seed(system: System, now: datetime) -> list[tuple[str, str]]:
    import json

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


def _cases(now: datetime) -> list[tuple[str, dict[str, Any]]]:
    today = now.date()

    def days(n: int, end: Any = today, **more: Any) -> dict[str, Any]:
        return {"start": (end - timedelta(days=n - 1)).isoformat(), "end": end.isoformat(),
                **more}  # fmt: skip

    return [
        ("last 30 days (the default)", {}),
        ("last 7 days", days(7)),
        ("last 90 days", days(90)),
        ("last 366 days (the longest range)", days(366)),
        ("30 days two years ago", days(30, today - timedelta(days=730))),
        ("last 30 days, the commonest type", {"type": "type-00"}),
        ("last 30 days, a rare type", {"type": "type-19"}),
        ("last 30 days, one workflow", {"workflow": "workflow-1"}),
        ("last 366 days, the commonest type", days(366, type="type-00")),
        ("last 366 days, two workflows", days(366, workflow=["workflow-0", "workflow-3"])),
    ]  # fmt: skip


def _filter(args: dict[str, Any], now: datetime) -> ReportFilter:
    from werkzeug.datastructures import MultiDict

    from tf_web.reports.args import parse_report_args

    multi = MultiDict()
    for key, value in args.items():
        for one in value if isinstance(value, list) else [value]:
            multi.add(key, one)
    return parse_report_args(multi)[0]


def _query_timings(pool: ConnectionPool, now: datetime) -> list[tuple[str, str]]:
    rows = []
    for label, args in _cases(now):
        f = _filter(args, now)
        samples = []
        for i in range(WARM_UP + SAMPLES):
            started = time.perf_counter()
            report_query(pool, f)
            if i >= WARM_UP:
                samples.append(time.perf_counter() - started)
        rows.append((label, summary(samples)))
    return rows


def _sign_in(system: System, base: str) -> requests.Session:
    system.app.handle(RegisterUser("reporter", "long enough", roles=("ticket_team",)))
    rebuild(UsersReadModel, system.app, system.pool)
    session = requests.Session()
    login = session.get(f"{base}/login").text
    token = login.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed_in = session.post(
        f"{base}/login",
        data={"username": "reporter", "password": "long enough", "csrf_token": token},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.status_code
    return session


def _times(session: requests.Session, url: str, params: Any = None) -> list[float]:
    samples = []
    for i in range(WARM_UP + SAMPLES):
        started = time.perf_counter()
        response = session.get(url, params=params, allow_redirects=False)
        if i >= WARM_UP:
            samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, params, response.status_code)
    return samples


def _page_timings(system: System, now: datetime) -> tuple[list[tuple[str, str]], float]:
    port = free_port()
    web = start_process("web", procfile_env(system.database_url, port))
    base = f"http://127.0.0.1:{port}"
    worst = 0.0
    try:
        wait_healthy(base)
        session = _sign_in(system, base)
        rows = [
            ("baseline: a static file, /static/style.css",
             summary(_times(session, f"{base}/static/style.css"))),
            ("baseline: the dashboard, /", summary(_times(session, f"{base}/"))),
        ]  # fmt: skip
        for label, args in _cases(now):
            samples = _times(session, f"{base}/reports/", args)
            worst = max(worst, sorted(samples)[int(0.95 * (len(samples) - 1))])
            rows.append((label, summary(samples)))
        page = session.get(f"{base}/reports/").text
        after = page.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        rows.append(
            ("last 30 days, completed actions page 2", summary(_times(session, base + after)))
        )
        started = time.perf_counter()
        lines = session.get(f"{base}/reports/completions.csv").content.count(b"\n") - 1
        rows.append(("CSV of every completion, last 30 days (not a page)",
                     f"{time.perf_counter() - started:.2f} s, {lines:,} rows"))  # fmt: skip
        return rows, worst
    finally:
        stop_process(web)


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} (2 cores shared with other work)"


def run() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    with fresh_system() as system:
        report(f"reports: seeded, {_load()}", _seed(system, now))
        print("  timing the reports page", file=sys.stderr, flush=True)
        pages, worst = _page_timings(system, now)
        verdict = "meets" if worst * 1000 <= TARGET_MS else "misses"
        pages.append((f"target: p95 <= {TARGET_MS} ms for every case",
                      f"{verdict} it (worst p95 {worst * 1000:.1f} ms)"))  # fmt: skip
        report(f"the Reports page over HTTP (gunicorn, whole page), {_load()}", pages)
        report(
            f"the queries behind the page (one snapshot, every figure), {_load()}",
            _query_timings(system.pool, now),
        )
