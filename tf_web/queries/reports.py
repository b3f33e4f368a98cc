"""The reports' figures, read from the report tables only (tf_projections.reports).

Each query takes a ReportFilter: a range of UTC days and, optionally, ticket types and
workflows. Values from the request only ever travel as query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from psycopg import Connection
from psycopg_pool import ConnectionPool

from tf_projections.reports import AUTOMATION_USERNAME
from tf_web.queries.backlog import Backlog, backlog_now
from tf_web.queries.completions import CompletionPage, completions


@dataclass(frozen=True)
class ReportFilter:
    start: date  # the first day, included
    end: date  # the last day, included
    types: tuple[str, ...] = ()
    workflows: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> ReportFilter:
        """The same number of days just before: what the figures are compared with."""
        return replace(
            self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(1)
        )

    def where(self, column: str, *, on_days: bool = False) -> tuple[str, dict[str, Any]]:
        """The range (on a day or a timestamp column) and the filters, as SQL and values."""
        if on_days:
            clauses = [f"{column} BETWEEN %(start)s AND %(end)s"]
            values: dict[str, Any] = {"start": self.start, "end": self.end}
        else:
            clauses = [f"{column} >= %(start)s AND {column} < %(end)s"]
            values = {"start": _midnight(self.start), "end": _midnight(self.end + timedelta(1))}
        return " AND ".join([*clauses, *self.filters()]), {**values, **self.values()}

    def filters(self) -> list[str]:
        return [
            clause
            for clause, wanted in (
                ("ticket_type_key = ANY(%(types)s)", self.types),
                ("workflow_key = ANY(%(workflows)s)", self.workflows),
            )
            if wanted
        ]

    def values(self) -> dict[str, Any]:
        return {"types": list(self.types), "workflows": list(self.workflows)}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


# -- tickets per day -------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    created: int
    closed: int
    backlog: int  # open at the end of the day


def daily(conn: Connection[Any], f: ReportFilter) -> list[Day]:
    """Every day of the range, with none left out for having no tickets."""
    where, values = f.where("day", on_days=True)
    before = [*f.filters(), "day < %(start)s"]
    row = conn.execute(
        "SELECT coalesce(sum(created - closed), 0) FROM report_daily"  # noqa: S608
        f" WHERE {' AND '.join(before)}",
        values,
    ).fetchone()
    backlog = int(row[0]) if row else 0
    counts = {
        day: (int(created), int(closed))
        for day, created, closed in conn.execute(
            "SELECT day, sum(created), sum(closed) FROM report_daily"  # noqa: S608
            f" WHERE {where} GROUP BY day",
            values,
        )
    }
    days = []
    for offset in range(f.days):
        day = f.start + timedelta(offset)
        created, closed = counts.get(day, (0, 0))
        backlog += created - closed
        days.append(Day(day, created, closed, backlog))
    return days


# -- times -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Times:
    """Median and 90th percentile, in seconds (None: nothing to measure)."""

    count: int
    median: float | None
    p90: float | None


_PERCENTILES = "percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {})"


def _times(count: int, percentiles: list[float] | None) -> Times:
    median, p90 = percentiles or (None, None)
    return Times(int(count), median, p90)


def resolution_times(conn: Connection[Any], f: ReportFilter) -> dict[str, Times]:
    """Per ticket type key: created → closed, for tickets closed as done in the range."""
    where, values = f.where("closed_at")
    return {
        key: _times(count, percentiles)
        for key, count, percentiles in conn.execute(
            "SELECT ticket_type_key, count(*),"  # noqa: S608
            f" {_PERCENTILES.format('resolution_seconds')} FROM report_tickets"
            f" WHERE resolution = 'done' AND {where} GROUP BY 1 ORDER BY 1",
            values,
        )
    }


@dataclass(frozen=True)
class TaskTimes:
    task: str
    waiting: Times  # opened → claimed (or assigned)
    working: Times  # claimed → done


def task_times(conn: Connection[Any], f: ReportFilter) -> list[TaskTimes]:
    where, values = f.where("completed_at")
    return [
        TaskTimes(task, _times(count, waiting), _times(count, working))
        for task, count, waiting, working in conn.execute(
            "SELECT task_name, count(*),"  # noqa: S608
            f" {_PERCENTILES.format('wait_seconds')}, {_PERCENTILES.format('work_seconds')}"
            f" FROM report_completions WHERE {where} GROUP BY 1 ORDER BY 1",
            values,
        )
    ]


def overall_resolution(conn: Connection[Any], f: ReportFilter) -> Times:
    where, values = f.where("closed_at")
    row = conn.execute(
        f"SELECT count(*), {_PERCENTILES.format('resolution_seconds')}"  # noqa: S608
        f" FROM report_tickets WHERE resolution = 'done' AND {where}",
        values,
    ).fetchone()
    return _times(*row) if row else Times(0, None, None)


# -- who did what ----------------------------------------------------------------------


@dataclass(frozen=True)
class Throughput:
    person: str
    completed: int


def throughput(conn: Connection[Any], f: ReportFilter) -> list[Throughput]:
    """Tasks completed per person (the automation worker's runs are under software)."""
    where, values = f.where("completed_at")
    return [
        Throughput(person, int(count))
        for person, count in conn.execute(
            "SELECT by_username, count(*) FROM report_completions"  # noqa: S608
            f" WHERE by_username <> %(automation)s AND {where}"
            " GROUP BY 1 ORDER BY 2 DESC, 1",
            {**values, "automation": AUTOMATION_USERNAME},
        )
    ]


@dataclass(frozen=True)
class SoftwareRuns:
    task: str
    runs: int
    failures: int
    median_seconds: float | None


def software_runs(conn: Connection[Any], f: ReportFilter) -> list[SoftwareRuns]:
    where, values = f.where("finished_at")
    return [
        SoftwareRuns(task, int(runs), int(failures), median)
        for task, runs, failures, median in conn.execute(
            "SELECT task_name, count(*), count(*) FILTER (WHERE failed),"  # noqa: S608
            " percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)"
            f" FROM report_software_runs WHERE {where} GROUP BY 1 ORDER BY 1",
            values,
        )
    ]


# -- everything on the page ------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    created: int
    closed: int
    completed: int
    resolution: Times


def period(conn: Connection[Any], f: ReportFilter) -> Period:
    """A range's totals, for the comparison with the one before."""
    where, values = f.where("day", on_days=True)
    created, closed = conn.execute(
        "SELECT coalesce(sum(created), 0), coalesce(sum(closed), 0)"  # noqa: S608
        f" FROM report_daily WHERE {where}",
        values,
    ).fetchone() or (0, 0)
    where, values = f.where("completed_at")
    row = conn.execute(
        f"SELECT count(*) FROM report_completions WHERE {where}",  # noqa: S608
        values,
    ).fetchone()
    completed = int(row[0]) if row else 0
    return Period(int(created), int(closed), completed, overall_resolution(conn, f))


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
        # A year of completions is about a million durations to sort for the percentiles:
        # in memory, not on disk (the default 4 MB spills).
        conn.execute("SET LOCAL work_mem = '64MB'")
        return Report(
            filter=f,
            names=names(conn),
            days=daily(conn, f),
            now=period(conn, f),
            before=period(conn, f.previous),
            resolution=resolution_times(conn, f),
            tasks=task_times(conn, f),
            backlog=backlog_now(conn, f),
            people=throughput(conn, f),
            software=software_runs(conn, f),
            completions=completions(conn, f, after),
        )
