"""The backlog now: open tickets by the state of the task each waits on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from psycopg import Connection

if TYPE_CHECKING:
    from tf_web.queries.report_filter import ReportFilter

WAITING, IN_PROGRESS, PROBLEM = "Waiting for someone", "In progress", "Problem reported"


@dataclass
class Backlog:
    """Open tickets now, by the state of the task each waits on; ERROR counted apart."""

    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        (WAITING, IN_PROGRESS, PROBLEM), 0))  # fmt: skip
    by_task: dict[str, dict[str, int]] = field(default_factory=dict)
    by_assignee: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def backlog_now(conn: Connection[Any], f: ReportFilter) -> Backlog:
    """Not bound to the date range: the filters only."""
    clauses = ["closed_at IS NULL", *f.filters()]
    backlog = Backlog()
    for task, status, assignee, count in conn.execute(
        "SELECT current_task, current_status, current_assignee, count(*)"  # noqa: S608
        f" FROM report_tickets WHERE {' AND '.join(clauses)} GROUP BY 1, 2, 3",
        f.values(),
    ):
        state = PROBLEM if status == "ERROR" else IN_PROGRESS if assignee else WAITING
        backlog.by_status[state] += count
        row = backlog.by_task.setdefault(task or "—", dict.fromkeys(backlog.by_status, 0))
        row[state] += count
        if assignee:
            person = backlog.by_assignee.setdefault(assignee, {"open": 0, "error": 0})
            person["error" if status == "ERROR" else "open"] += count
    backlog.by_task = dict(sorted(backlog.by_task.items()))
    backlog.by_assignee = dict(sorted(backlog.by_assignee.items()))
    return backlog
