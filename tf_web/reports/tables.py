"""Every table of the reports page, defined once: the page shows it beside its chart, the
CSV export writes it and the API returns it, so the three always carry the same numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tf_web.queries.backlog import IN_PROGRESS, PROBLEM, WAITING
from tf_web.queries.completions import Completion
from tf_web.queries.reports import Report, Times


class Duration(float):
    """Seconds: the page says "3 h 20 min", CSV and JSON give the number."""


class Change(float):
    """A share of the period before: the page says "+20%", CSV and JSON give 0.2."""


def duration(seconds: float | None) -> Duration | None:
    return None if seconds is None else Duration(round(seconds, 3))


def say_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def say(value: Any) -> str:
    """A cell as the page shows it."""
    if value is None:
        return "—"
    if isinstance(value, Duration):
        return say_duration(value)
    if isinstance(value, Change):
        return f"{value:+.0%}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def plain(value: Any) -> Any:
    """A cell for CSV and JSON: numbers stay numbers, times are ISO 8601."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Duration | Change):
        return float(value)
    return value


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [
            {c.key: plain(v) for c, v in zip(self.columns, row, strict=True)} for row in self.rows
        ]


def _cols(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(key, label) for key, label in pairs)


def _times(t: Times) -> tuple[Duration | None, Duration | None]:
    return duration(t.median), duration(t.p90)


def _change(now: float | None, before: float | None) -> Change | None:
    if now is None or before is None or before == 0:
        return None
    return Change(round((now - before) / before, 4))


def comparison(r: Report) -> Table:
    now, before = r.now, r.before
    rows: list[tuple[Any, ...]] = [
        ("Tickets created", now.created, before.created, _change(now.created, before.created)),
        ("Tickets closed", now.closed, before.closed, _change(now.closed, before.closed)),
        ("Tasks completed", now.completed, before.completed,
         _change(now.completed, before.completed)),
        ("Median resolution time", duration(now.resolution.median),
         duration(before.resolution.median),
         _change(now.resolution.median, before.resolution.median)),
    ]  # fmt: skip
    return Table(
        "comparison",
        "This period and the one before",
        _cols(("figure", "Figure"), ("period", "This period"), ("previous", "Period before"),
              ("change", "Change")),
        rows,
    )  # fmt: skip


def daily(r: Report) -> Table:
    return Table(
        "daily",
        "Tickets per day",
        _cols(("day", "Day"), ("created", "Created"), ("closed", "Closed"),
              ("open", "Open at day's end")),
        [(d.day, d.created, d.closed, d.backlog) for d in r.days],
    )  # fmt: skip


def resolution(r: Report) -> Table:
    return Table(
        "resolution",
        "Resolution time per ticket type",
        _cols(("ticket_type", "Ticket type"), ("closed", "Closed as done"),
              ("median", "Median"), ("p90", "90th percentile")),
        [(r.names.types.get(key, key), t.count, *_times(t)) for key, t in r.resolution.items()],
    )  # fmt: skip


def tasks(r: Report) -> Table:
    return Table(
        "tasks",
        "Time per task",
        _cols(("task", "Task"), ("completed", "Completed"),
              ("waiting_median", "Waiting for claim: median"),
              ("waiting_p90", "Waiting for claim: 90th pct."),
              ("working_median", "Claim to done: median"),
              ("working_p90", "Claim to done: 90th pct.")),
        [(t.task, t.waiting.count, *_times(t.waiting), *_times(t.working)) for t in r.tasks],
    )  # fmt: skip


def backlog_by_status(r: Report) -> Table:
    return Table(
        "backlog-by-status",
        "Open tickets now, by status",
        _cols(("status", "Status"), ("tickets", "Tickets")),
        list(r.backlog.by_status.items()),
    )


def backlog_by_task(r: Report) -> Table:
    return Table(
        "backlog-by-task",
        "Open tickets now, by current task",
        _cols(("task", "Current task"), ("waiting", WAITING), ("in_progress", IN_PROGRESS),
              ("problem", PROBLEM)),
        [(task, c[WAITING], c[IN_PROGRESS], c[PROBLEM]) for task, c in r.backlog.by_task.items()],
    )  # fmt: skip


def backlog_by_assignee(r: Report) -> Table:
    return Table(
        "backlog-by-assignee",
        "Open tickets now, by assignee",
        _cols(("assignee", "Assignee"), ("open", "Open"), ("problem", PROBLEM)),
        [(who, c["open"], c["error"]) for who, c in r.backlog.by_assignee.items()],
    )


def people(r: Report) -> Table:
    return Table(
        "people",
        "Tasks completed per person",
        _cols(("person", "Person"), ("completed", "Tasks completed")),
        [(p.person, p.completed) for p in r.people],
    )


def software(r: Report) -> Table:
    return Table(
        "software",
        "Software task runs",
        _cols(("task", "Software task"), ("runs", "Runs"), ("failures", "Failures"),
              ("median", "Median run time")),
        [(s.task, s.runs, s.failures, duration(s.median_seconds)) for s in r.software],
    )  # fmt: skip


COMPLETION_COLUMNS = _cols(
    ("completed_at", "When"), ("reference", "Ticket"), ("task", "Task"), ("by", "Who"),
    ("waited", "Waited"), ("took", "Took"),
)  # fmt: skip


def completion_row(c: Completion) -> tuple[Any, ...]:
    return (c.completed_at, c.reference, c.task_name, c.by_username,
            duration(c.wait_seconds), duration(c.work_seconds))  # fmt: skip


def completions(rows: Iterable[Completion]) -> Table:
    return Table(
        "completions", "Completed actions", COMPLETION_COLUMNS, [completion_row(c) for c in rows]
    )


def all_tables(r: Report) -> dict[str, Table]:
    made: list[Table] = [
        comparison(r), daily(r), resolution(r), tasks(r), backlog_by_status(r),
        backlog_by_task(r), backlog_by_assignee(r), people(r), software(r),
        completions(r.completions.rows),
    ]  # fmt: skip
    return {table.name: table for table in made}


# The tables one may ask for by name (CSV, API); "completions" is paged, so it is apart.
NAMES: tuple[str, ...] = (
    "comparison", "daily", "resolution", "tasks", "backlog-by-status", "backlog-by-task",
    "backlog-by-assignee", "people", "software", "completions",
)  # fmt: skip
