"""The demo's past weeks: real tickets with past times, which the reports show and the
agreement check accepts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from tf_projections.rebuild import rebuild
from tf_projections.report_agreement import check_reports
from tf_projections.reports import ReportsReadModel
from tf_system.demo import seed_demo
from tf_system.demo_history import seed_demo_history
from tf_web.queries import reports as q
from tf_web.queries.report_filter import ReportFilter


def test_the_demo_has_weeks_of_tickets_created_and_closed_for_the_reports(system, settings):
    seed_demo(replace(settings, demo_mode=True))
    rebuild(ReportsReadModel, system.app, system.pool)
    today = datetime.now(UTC).date()
    last_30 = ReportFilter(today - timedelta(29), today)
    with system.pool.connection() as conn:
        days = q.daily(conn, last_30)
        now, before = q.period(conn, last_30), q.period(conn, last_30.previous)
        tasks = q.task_times(conn, last_30)
        people = q.throughput(conn, last_30)
        software = q.software_runs(conn, last_30)
    busy_days = [d for d in days if d.created and d.closed]
    assert len(busy_days) >= 10  # tickets came and went on most working days
    assert now.created >= 40 and now.closed >= 30 and before.closed >= 30
    # Claimed within minutes to hours, done in minutes: office times, not zero or years.
    assert now.resolution.median is not None and 600 < now.resolution.median < 3 * 86400
    software_steps = {"Price the order", "Issue asset tags"}  # the automation takes them at once
    assert all(60 < t.waiting.median < 86400 for t in tasks if t.task not in software_steps)
    assert all(t.waiting.median < 60 for t in tasks if t.task in software_steps)
    assert {p.person for p in people} == {"tess", "dana", "dora"}
    # The flower orders' pricing and the equipment's asset tags ran in the sandbox.
    assert {s.task for s in software} >= {"Price the order"}
    assert all(s.runs >= 1 and 0 < s.median_seconds < 30 for s in software)
    agreement = check_reports(system.app, system.pool)
    assert agreement.agrees, agreement.differences


def test_the_history_is_the_same_on_every_run_and_never_doubled(system, settings):
    seed_demo(replace(settings, demo_mode=True))
    before = system.app.recorder.max_notification_id()
    assert seed_demo_history(system.app, system.sandbox) == 0
    assert system.app.recorder.max_notification_id() == before
    # Another day's run adds that day's tickets only, and keeps the earlier ones.
    assert seed_demo_history(system.app, system.sandbox, today=date.today() + timedelta(1)) < 10
