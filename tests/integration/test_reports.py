"""The reports' figures against the hand-worked history in tests/report_history.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.report_history import END, START, record_history
from tf_projections.rebuild import rebuild
from tf_projections.report_agreement import check_reports
from tf_projections.reports import ReportsReadModel
from tf_projections.waiting import wait_for_positions
from tf_web.queries import completions as c
from tf_web.queries import reports as q
from tf_web.queries.backlog import IN_PROGRESS, PROBLEM, WAITING, backlog_now
from tf_web.queries.reports import ReportFilter, Times

RANGE = ReportFilter(START, END)
H = 3600.0


@pytest.fixture
def history(system):
    """The history applied by a rebuild from the log: the same path as a live worker."""
    record_history(system.app)
    rebuild(ReportsReadModel, system.app, system.pool)
    return system.pool


def figures(pool, query, f=RANGE, *args):
    with pool.connection() as conn:
        return query(conn, f, *args)


def test_tickets_created_and_closed_per_day_and_the_backlog_at_each_days_end(history):
    days = figures(history, q.daily)
    assert [(d.day.day, d.created, d.closed, d.backlog) for d in days] == [
        (1, 0, 1, 1),  # G and H were open before; H cancelled
        (2, 1, 1, 1),
        (3, 1, 1, 1),
        (4, 1, 1, 1),
        (5, 2, 0, 3),
        (6, 1, 0, 4),
        (7, 0, 0, 4),
    ]
    repairs = figures(history, q.daily, ReportFilter(START, END, types=("repair",)))
    assert [d.backlog for d in repairs] == [0, 0, 0, 0, 1, 2, 2]


def test_resolution_time_counts_tickets_closed_as_done(history):
    # A: 4 h, B: 4 h 20 min; C withdrawn and H cancelled are not resolutions. Both fall in
    # the quarter-octave bucket [2^13.75, 2^14) s = [13777, 16384) s, so the median (A,
    # rank 1) and the 90th percentile (B, rank 2) both read as their mean, 4 h 10 min:
    # within a bucket's width (19%) of each.
    resolution = figures(history, q.resolution_times)
    assert resolution == {"flower-order": Times(2, 4 * H + 600, 4 * H + 600),
                          "": Times(2, 4 * H + 600, 4 * H + 600)}  # fmt: skip
    assert abs(15000 / (4 * H) - 1) < 0.19 and abs(15000 / (4 * H + 1200) - 1) < 0.19


def test_time_per_task_from_open_to_claim_and_from_claim_to_done(history):
    times = {t.task: (t.waiting, t.working) for t in figures(history, q.task_times)}
    # Nearest rank: of two values the median is the smaller, the 90th percentile the
    # larger; each here is alone in its bucket (or equal to its neighbour), so exact.
    assert times == {
        # A waited 30 min and took 1 h; B waited 1 h (assigned) and took 20 min.
        "Prepare": (Times(2, 1800, H), Times(2, 1200, H)),
        # A: 2 h then 30 min; B: opened 09:20, claimed for good 11:20, done 12:20.
        "Deliver": (Times(2, 2 * H, 2 * H), Times(2, 1800, H)),
        # E's second run: opened 12:00, claimed 13:05, done a minute later.
        "Diagnose": (Times(1, 3900, 3900), Times(1, 60, 60)),
    }


def test_the_backlog_now_by_task_status_and_assignee_with_errors_apart(history):
    backlog = figures(history, backlog_now)
    assert backlog.by_status == {WAITING: 2, IN_PROGRESS: 1, PROBLEM: 1}
    assert backlog.by_task == {
        "Diagnose": {WAITING: 0, IN_PROGRESS: 0, PROBLEM: 1},
        "Fix": {WAITING: 1, IN_PROGRESS: 0, PROBLEM: 0},
        "Prepare": {WAITING: 1, IN_PROGRESS: 1, PROBLEM: 0},
    }
    assert backlog.by_assignee == {"automation": {"open": 0, "error": 1},
                                   "tess": {"open": 1, "error": 0}}  # fmt: skip
    orders = figures(history, backlog_now, ReportFilter(START, END, workflows=("orders",)))
    assert orders.by_status == {WAITING: 1, IN_PROGRESS: 1, PROBLEM: 0}


def test_throughput_per_person_leaves_the_automation_worker_to_software(history):
    people = [(p.person, p.completed) for p in figures(history, q.throughput)]
    assert people == [("ravi", 2), ("tess", 2)]


def test_software_runs_failures_and_median_run_time(history):
    # E: failed after 2 min, then done in 1 min; F: failed after 1 min: the median of
    # 60, 60, 120 s is 60 s.
    assert figures(history, q.software_runs) == [q.SoftwareRuns("Diagnose", 3, 2, 60)]


def test_completed_actions_newest_first_a_page_at_a_time(history):
    first = figures(history, c.completions, RANGE, None, 2)
    assert [(c.reference, c.task_name, c.by_username) for c in first.rows] == [
        ("TF-2007", "Diagnose", "automation"),
        ("TF-2004", "Deliver", "tess"),
    ]
    second = figures(history, c.completions, RANGE, first.next, 2)
    third = figures(history, c.completions, RANGE, second.next, 2)
    assert [(c.reference, c.task_name, c.work_seconds) for c in second.rows + third.rows] == [
        ("TF-2004", "Prepare", 1200),
        ("TF-2003", "Deliver", 1800),
        ("TF-2003", "Prepare", 3600),
    ]
    assert third.next is None


def test_a_period_is_compared_with_the_one_before(history):
    assert figures(history, q.period) == q.Period(6, 4, 5, Times(2, 4 * H + 600, 4 * H + 600))
    assert figures(history, q.period, RANGE.previous) == q.Period(2, 0, 0, Times(0, None, None))
    assert RANGE.previous == ReportFilter(date(2026, 10, 25), date(2026, 10, 31))
    assert RANGE.previous.days == RANGE.days == 7
    assert START - timedelta(1) == RANGE.previous.end


def test_the_live_worker_builds_rows_that_agree_with_a_replay(system, workers):
    position = record_history(system.app)
    wait_for_positions(system.pool, {ReportsReadModel: position}, 10)
    assert figures(system.pool, q.software_runs) == [q.SoftwareRuns("Diagnose", 3, 2, 60)]
    agreement = check_reports(system.app, system.pool)
    assert agreement.checked == 8
    assert agreement.agrees, agreement.differences


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("UPDATE report_tallies SET n = n + 1 WHERE what = 'created' AND period = '2026-11-05'",
         "report_tallies"),
        ("DELETE FROM report_durations WHERE measure = 'wait' AND grain = 64", "report_durations"),
        ("UPDATE report_completions SET work_seconds = 1 WHERE task_name = 'Deliver'",
         "report_completions"),
        ("DELETE FROM report_software_runs WHERE failed", "report_software_runs"),
        ("UPDATE report_tickets SET current_assignee = 'eve' WHERE reference = 'TF-2006'",
         "report_tickets"),
    ],
)  # fmt: skip
def test_an_edited_report_row_is_a_difference(system, history, sql, named):
    with system.pool.connection() as conn:
        conn.execute(sql)
    agreement = check_reports(system.app, system.pool)
    assert named in " ".join(" ".join(found) for found in agreement.differences.values())
