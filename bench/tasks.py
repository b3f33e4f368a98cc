"""Tasks: the work queue page over HTTP (gunicorn as in the Procfile) at 1,000,000 tickets
with 100,000 tasks waiting in the queue, beside the "My tickets" page of the same run;
and the queries under each page on their own, to tell the database's share from the rest.

The read rows are written with SQL (see bench/task_seed.py), so `ticketflower projections
check` does not apply to this database. TF_BENCH_TASK_TICKETS sets the size, and
TF_BENCH_EXPLAIN=1 prints each query's executed plan. `run()` calls each part;
`queue_page()` is the page timing.
"""

from __future__ import annotations

import os
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from datetime import time as clock
from typing import Any

import requests
from psycopg_pool import ConnectionPool

from bench.common import (
    explain_pool,
    free_port,
    fresh_system,
    procfile_env,
    report,
    start_process,
    stop_process,
    summary,
    wait_healthy,
)
from bench.task_seed import PASSWORD, TICKETS, seed
from bench.task_throughput import claims_and_completions
from tf_events.policy import Actor
from tf_system.bootstrap import System
from tf_web.queries.task_list import Age, TaskQuery, View, list_tasks
from tf_web.queries.ticket_list import Filters, ListQuery, Scope, list_tickets
from tf_web.queries.work_counts import work_counts
from tf_web.task_lists.access import reader_for

WARM_UP = 5
SAMPLES = int(os.environ.get("TF_BENCH_TASK_SAMPLES", "200"))
EXPLAIN = os.environ.get("TF_BENCH_EXPLAIN") == "1"
DEEP_PAGE = 20
TARGET_MS = 30


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


Query = Callable[[ConnectionPool], Any]


def _query_cases(system: System, picks: dict[str, str]) -> list[tuple[str, Query]]:
    app, now = system.app, datetime.now(UTC)
    tess = reader_for(Actor(app.user_id_for("tess"), frozenset({"ticket_team"})), View.QUEUE)
    dora = reader_for(Actor(app.user_id_for("dora"), frozenset({"dispatcher"})), View.QUEUE)
    deep = TaskQuery()
    for _ in range(DEEP_PAGE):
        deep = replace(deep, cursor=list_tasks(system.pool, deep, tess, now).next)
    midnight = datetime.combine(now.date(), clock.min, tzinfo=UTC)

    def tasks(query: TaskQuery, reader: Any = tess) -> Query:
        return lambda pool: list_tasks(pool, query, reader, now)

    return [
        ("queue, page 1", tasks(TaskQuery())),
        (f"queue, page {DEEP_PAGE + 1}", tasks(deep)),
        ("queue, one ticket type", tasks(TaskQuery(types=(picks["type"],)))),
        ("queue, one task", tasks(TaskQuery(task=picks["task"]))),
        ("queue, waiting over a month", tasks(TaskQuery(older_than=Age.MONTH))),
        ("queue, dispatcher (whole queue)", tasks(TaskQuery(), dora)),
        ("my tasks", tasks(TaskQuery(view=View.MINE))),
        ("problems", tasks(TaskQuery(view=View.ALL, statuses=("ERROR",)), dora)),
        ("dashboard counts", lambda pool: work_counts(pool, tess, midnight)),
        (
            "ticket list, assignee = tess",
            lambda pool: list_tickets(
                pool, ListQuery(scope=Scope.ALL, filters=Filters(assignee="tess")), uuid.uuid4()
            ),
        ),
    ]


def queue_queries(system: System, picks: dict[str, str]) -> list[tuple[str, str]]:
    """p50/p95 of the query under each page, called directly (no HTTP, no template)."""
    rows = []
    for label, query in _query_cases(system, picks):
        samples = []
        for i in range(WARM_UP + SAMPLES):
            started = time.perf_counter()
            query(system.pool)
            if i >= WARM_UP:
                samples.append(time.perf_counter() - started)
        rows.append((label, summary(samples)))
    if EXPLAIN:
        plans: list[str] = []
        with explain_pool(system.database_url, plans) as pool:
            for label, query in _query_cases(system, picks):
                plans.clear()
                query(pool)
                print(f"\n-- plan: {label}\n" + "\n".join(plans))
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
        report(
            "tasks: the queries alone (in-process, 50 rows a page)", queue_queries(system, picks)
        )
    claims_and_completions()  # its own fresh system: claims, completions, the race
