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
behind it on their own. TF_BENCH_TICKETS changes the size; TF_BENCH_REPORTS_DB=name seeds
into a database of that name and keeps it, and a later run with the same name reuses it.
"""

from __future__ import annotations

import contextlib
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
    kept_system,
    procfile_env,
    report,
    start_process,
    stop_process,
    summary,
    wait_healthy,
)
from bench.report_seed import seed
from tf_events.commands import RegisterUser
from tf_events.errors import UsernameTaken
from tf_projections.rebuild import rebuild
from tf_projections.users import UsersReadModel
from tf_system.bootstrap import System
from tf_web.queries.reports import ReportFilter
from tf_web.queries.reports import report as report_query

WARM_UP, SAMPLES = 3, 30
TARGET_MS = 100


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
    with contextlib.suppress(UsernameTaken):  # a kept database has it from an earlier run
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


def _seeded(system: System) -> datetime | None:
    """When a kept database was seeded (None: not yet)."""
    with system.pool.connection() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_seeded (at timestamptz NOT NULL)")
        row = conn.execute("SELECT max(at) FROM bench_seeded").fetchone()
    return row[0] if row else None


def run() -> None:
    kept = os.environ.get("TF_BENCH_REPORTS_DB")
    with kept_system(kept) if kept else fresh_system() as system:
        now = (_seeded(system) if kept else None) or datetime.now(UTC).replace(microsecond=0)
        if kept and _seeded(system):
            seeded_at = f"{kept}, seeded {now:%Y-%m-%d %H:%M} UTC"
            report(f"reports: reused, {_load()}", [("TF_BENCH_REPORTS_DB", seeded_at)])
        else:
            report(f"reports: seeded, {_load()}", seed(system, now))
            if kept:
                with system.pool.connection() as conn:
                    conn.execute("INSERT INTO bench_seeded VALUES (%s)", (now,))
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
