"""The reports' figures, read from the report tables only (tf_projections.reports).

Each query takes a ReportFilter: a range of UTC days and, optionally, ticket types and
workflows. Values from the request only ever travel as query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from psycopg import Connection
from psycopg_pool import ConnectionPool

from tf_projections.report_grains import EPOCH, percentile
from tf_projections.reports import AUTOMATION_USERNAME
from tf_web.queries.backlog import Backlog, backlog_now
from tf_web.queries.completions import CompletionPage, completions
from tf_web.queries.report_facts import Facts, Histogram, read_facts
from tf_web.queries.report_filter import ReportFilter

# -- tickets per day -------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    created: int
    closed: int
    backlog: int  # open at the end of the day


def daily(conn: Connection[Any], f: ReportFilter) -> list[Day]:
    """Every day of the range, with none left out for having no tickets."""
    before = replace(f, start=EPOCH, end=f.start - timedelta(1))
    rows, values = before.over("report_tallies", "what, n", "what IN ('created', 'closed')")
    row = conn.execute(
        "SELECT coalesce(sum(CASE WHEN what = 'created' THEN n ELSE -n END), 0)"  # noqa: S608
        f" FROM ({rows}) AS r",
        values,
    ).fetchone()
    backlog = int(row[0]) if row else 0
    counts: dict[tuple[date, str], int] = {
        (day, what): int(n)
        for day, what, n in conn.execute(
            "SELECT period, what, n FROM report_tallies"  # noqa: S608
            f" WHERE what IN ('created', 'closed') AND {f.scope()} AND grain = 1"
            " AND period BETWEEN %(start)s AND %(end)s",
            {**f.values(), "start": f.start, "end": f.end},
        )
    }
    days = []
    for offset in range(f.days):
        day = f.start + timedelta(offset)
        created, closed = counts.get((day, "created"), 0), counts.get((day, "closed"), 0)
        backlog += created - closed
        days.append(Day(day, created, closed, backlog))
    return days


# -- times -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Times:
    """Median and 90th percentile, in seconds (None: nothing to measure), each the mean of
    the log-scale bucket holding the nearest-rank value (report_grains.py)."""

    count: int
    median: float | None
    p90: float | None


def _times(histogram: Histogram) -> Times:
    count = sum(n for _, n, _ in histogram)
    return Times(count, percentile(histogram, 0.5), percentile(histogram, 0.9))


def resolution_times(conn: Connection[Any], f: ReportFilter) -> dict[str, Times]:
    """Per ticket type key: created → closed, for tickets closed as done in the range;
    under '' all of them together."""
    return _resolution_times(read_facts(conn, f, ("resolution",), ()))


def _resolution_times(facts: Facts) -> dict[str, Times]:
    return {
        subject: _times(h)
        for (measure, subject), h in sorted(facts.histograms.items())
        if measure == "resolution"
    }


@dataclass(frozen=True)
class TaskTimes:
    task: str
    waiting: Times  # opened → claimed (or assigned)
    working: Times  # claimed → done


def task_times(conn: Connection[Any], f: ReportFilter) -> list[TaskTimes]:
    return _task_times(read_facts(conn, f, ("wait", "work"), ()))


def _task_times(facts: Facts) -> list[TaskTimes]:
    tasks = sorted({task for measure, task in facts.histograms if measure in ("wait", "work")})
    return [
        TaskTimes(task, *(_times(facts.histograms.get((m, task), [])) for m in ("wait", "work")))
        for task in tasks
    ]


# -- who did what ----------------------------------------------------------------------


@dataclass(frozen=True)
class Throughput:
    person: str
    completed: int


def throughput(conn: Connection[Any], f: ReportFilter) -> list[Throughput]:
    """Tasks completed per person (the automation worker's runs are under software)."""
    return _throughput(read_facts(conn, f, (), ("completed",)))


def _throughput(facts: Facts) -> list[Throughput]:
    counts = facts.by_subject("completed")
    return [
        Throughput(person, n)
        for person, n in sorted(counts.items(), key=lambda c: (-c[1], c[0]))
        if person != AUTOMATION_USERNAME
    ]


@dataclass(frozen=True)
class SoftwareRuns:
    task: str
    runs: int
    failures: int
    median_seconds: float | None


def software_runs(conn: Connection[Any], f: ReportFilter) -> list[SoftwareRuns]:
    return _software_runs(read_facts(conn, f, ("run",), ("failed",)))


def _software_runs(facts: Facts) -> list[SoftwareRuns]:
    failures = facts.by_subject("failed")
    runs = {task: _times(h) for (measure, task), h in facts.histograms.items() if measure == "run"}
    return [
        SoftwareRuns(task, times.count, failures.get(task, 0), times.median)
        for task, times in sorted(runs.items())
    ]


@dataclass(frozen=True)
class Period:
    created: int
    closed: int
    completed: int
    resolution: Times


def period(conn: Connection[Any], f: ReportFilter) -> Period:
    """A range's totals, for the comparison with the one before."""
    return _period(read_facts(conn, f, ("resolution",), ("created", "closed", "completed"), ""))


def _period(facts: Facts) -> Period:
    overall = _times(facts.histograms.get(("resolution", ""), []))
    return Period(facts.total("created"), facts.total("closed"), facts.total("completed"),
                  overall)  # fmt: skip


# -- everything on the page ------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """Ticket types and workflows by key, as the newest tickets named them."""

    types: dict[str, str]
    workflows: dict[str, str]


def names(conn: Connection[Any]) -> Names:
    rows = conn.execute(
        "SELECT ticket_type_key, workflow_key, ticket_type_name, workflow_name FROM report_types"
    ).fetchall()
    return Names(
        types={type_key: type_name for type_key, _, type_name, _ in rows},
        workflows={workflow_key: workflow_name for _, workflow_key, _, workflow_name in rows},
    )


@dataclass(frozen=True)
class Report:
    filter: ReportFilter
    names: Names
    days: list[Day]
    now: Period
    before: Period
    resolution: dict[str, Times]
    tasks: list[TaskTimes]
    backlog: Backlog
    people: list[Throughput]
    software: list[SoftwareRuns]
    completions: CompletionPage


def report(pool: ConnectionPool, f: ReportFilter, after: str | None = None) -> Report:
    """Every figure of the reports page, read from one snapshot."""
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # A few hundred index rows per query: starting parallel workers or compiling with
        # JIT (which the planner's estimates over many spans ask for) costs more than that.
        conn.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        conn.execute("SET LOCAL jit = off")
        facts = read_facts(conn, f)
        resolution = _resolution_times(facts)
        resolution.pop("", None)  # every type together: the comparison's figure
        return Report(
            filter=f,
            names=names(conn),
            days=daily(conn, f),
            now=_period(facts),
            before=period(conn, f.previous),
            resolution=resolution,
            tasks=_task_times(facts),
            backlog=backlog_now(conn, f),
            people=_throughput(facts),
            software=_software_runs(facts),
            completions=completions(conn, f, after),
        )
