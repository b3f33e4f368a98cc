"""Do the report tables agree with a fresh replay of the event store?

The expected rows come from the replayed Ticket aggregate (its tasks' times, who holds
each task, its status and resolution after each event), not from the projection's SQL, so
a wrong duration, a lost completion or a hand-edited count shows up as a difference. The
rows are read from one snapshot together with the read model's position, and the replay
stops there: a read model that is merely behind is not called wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import Connection
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_events.application import TicketFlower
from tf_events.definitions.software import TaskKind
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.workflow import Resolution, Task
from tf_projections.read_model import EVENTS_TABLE
from tf_projections.report_aggregate_agreement import Aggregates, differences, read_aggregates
from tf_projections.reports import AUTOMATION_USERNAME, ReportsReadModel
from tf_projections.ticket_agreement import events_in_log

TICKET_COLUMNS = (
    "reference",
    "ticket_type_key",
    "ticket_type_name",
    "workflow_key",
    "tasks",
    "created_at",
    "closed_at",
    "resolution",
    "resolution_seconds",
    "current_position",
    "current_task",
    "current_status",
    "current_assignee",
    "current_opened_at",
    "current_claimed_at",
)
COMPLETION_COLUMNS = (
    "version",
    "position",
    "completed_at",
    "reference",
    "ticket_type_key",
    "workflow_key",
    "task_key",
    "task_name",
    "kind",
    "by_id",
    "by_username",
    "opened_at",
    "claimed_at",
    "wait_seconds",
    "work_seconds",
)
RUN_COLUMNS = (
    "version",
    "position",
    "finished_at",
    "ticket_type_key",
    "workflow_key",
    "task_key",
    "task_name",
    "failed",
    "seconds",
)


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds()


@dataclass
class Expected:
    """What the report tables should hold for one ticket, from its replay."""

    ticket: dict[str, Any]
    completions: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    kind: tuple[str, str]  # its ticket type and workflow keys
    names: tuple[str, str]  # and their names


def expected_rows(replay: Iterator[Any]) -> Expected | None:
    """Fold the ticket's events into the aggregate, noting each completion and run."""
    ticket: Ticket | None = None
    completions: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    for event in replay:
        ticket = event.mutate(ticket)
        assert ticket is not None
        if isinstance(event, Ticket.TaskCompleted | Ticket.TaskFailed):
            task = ticket.tasks[event.position]
            if isinstance(event, Ticket.TaskCompleted):
                completions.append(_completion(ticket, task, event))
            if task.kind is TaskKind.SOFTWARE and _held_by_automation(task):
                runs.append(_run(ticket, task, event))
    if ticket is None:
        return None
    kind = (ticket.ticket_type["key"], ticket.workflow["key"])
    names = (ticket.ticket_type["name"], ticket.workflow["name"])
    return Expected(_ticket_row(ticket), completions, runs, kind, names)


def _held_by_automation(task: Task) -> bool:
    return task.assignee is not None and task.assignee.username == AUTOMATION_USERNAME


def _ticket_row(ticket: Ticket) -> dict[str, Any]:
    current = ticket.current_task
    done = ticket.resolution is Resolution.DONE
    return {
        "reference": ticket.reference,
        "ticket_type_key": ticket.ticket_type["key"],
        "ticket_type_name": ticket.ticket_type["name"],
        "workflow_key": ticket.workflow["key"],
        "tasks": [{"key": t.key, "name": t.name, "kind": t.kind.value} for t in ticket.tasks],
        "created_at": ticket.created_on,
        "closed_at": ticket.closed_at,
        "resolution": ticket.resolution.value if ticket.resolution else None,
        "resolution_seconds": _seconds(ticket.created_on, ticket.closed_at) if done else None,
        "current_position": current.position if current else None,
        "current_task": current.name if current else None,
        "current_status": current.status.value if current else None,
        "current_assignee": current.assignee.username if current and current.assignee else None,
        "current_opened_at": current.opened_at if current else None,
        "current_claimed_at": current.claimed_at if current else None,
    }


def _completion(ticket: Ticket, task: Task, event: Any) -> dict[str, Any]:
    assert task.assignee is not None  # only the task's assignee completes it
    return {
        "version": event.originator_version,
        "position": task.position,
        "completed_at": task.closed_at,
        "reference": ticket.reference,
        "ticket_type_key": ticket.ticket_type["key"],
        "workflow_key": ticket.workflow["key"],
        "task_key": task.key,
        "task_name": task.name,
        "kind": task.kind.value,
        "by_id": task.assignee.id,
        "by_username": task.assignee.username,
        "opened_at": task.opened_at,
        "claimed_at": task.claimed_at,
        "wait_seconds": _seconds(task.opened_at, task.claimed_at),
        "work_seconds": _seconds(task.claimed_at, task.closed_at),
    }


def _run(ticket: Ticket, task: Task, event: Any) -> dict[str, Any]:
    return {
        "version": event.originator_version,
        "position": task.position,
        "finished_at": ticket.modified_on,
        "ticket_type_key": ticket.ticket_type["key"],
        "workflow_key": ticket.workflow["key"],
        "task_key": task.key,
        "task_name": task.name,
        "failed": isinstance(event, Ticket.TaskFailed),
        "seconds": _seconds(task.claimed_at, ticket.modified_on),
    }


@dataclass
class ReportAgreement:
    checked: int = 0
    differences: dict[str, list[str]] = field(default_factory=dict)

    @property
    def agrees(self) -> bool:
        return not self.differences


def _read(conn: Connection[Any], ticket_id: UUID) -> dict[str, list[dict[str, Any]]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return {
            "report_tickets": cur.execute(
                f"SELECT {', '.join(TICKET_COLUMNS)} FROM report_tickets"  # noqa: S608
                " WHERE ticket_id = %s",
                (ticket_id,),
            ).fetchall(),
            "report_completions": cur.execute(
                f"SELECT {', '.join(COMPLETION_COLUMNS)} FROM report_completions"  # noqa: S608
                " WHERE ticket_id = %s ORDER BY version",
                (ticket_id,),
            ).fetchall(),
            "report_software_runs": cur.execute(
                f"SELECT {', '.join(RUN_COLUMNS)} FROM report_software_runs"  # noqa: S608
                " WHERE ticket_id = %s ORDER BY version",
                (ticket_id,),
            ).fetchall(),
        }


def _ticket_ids(app: TicketFlower, conn: Connection[Any]) -> Iterator[UUID]:
    """Every ticket in the event store, then any report row without one."""
    start = 0
    topic = get_topic(Ticket.Submitted)
    while page := app.recorder.select_notifications(
        start, 5000, topics=[topic], inclusive_of_start=False
    ):
        yield from (notification.originator_id for notification in page)
        start = page[-1].id
    yield from (
        ticket_id
        for (ticket_id,) in conn.execute(
            "SELECT id FROM (SELECT ticket_id AS id FROM report_tickets"  # noqa: S608
            " UNION SELECT ticket_id FROM report_completions"
            " UNION SELECT ticket_id FROM report_software_runs) AS rows WHERE NOT EXISTS"
            f" (SELECT 1 FROM {EVENTS_TABLE} e WHERE e.originator_id = rows.id)"
        )
    )


def check_reports(
    app: TicketFlower,
    pool: ConnectionPool,
    on_progress: Callable[[int], None] = lambda _: None,
) -> ReportAgreement:
    agreement = ReportAgreement()
    aggregates = Aggregates()
    names: dict[tuple[str, str], tuple[str, str]] = {}
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with conn.cursor() as cur:
            position = ReportsReadModel.position(cur) or 0
        for ticket_id in _ticket_ids(app, conn):
            agreement.checked += 1
            replay = (event for n, event in events_in_log(app, ticket_id) if n <= position)
            expected = expected_rows(replay)
            wanted: dict[str, list[dict[str, Any]]] = {
                "report_tickets": [expected.ticket] if expected else [],
                "report_completions": expected.completions if expected else [],
                "report_software_runs": expected.runs if expected else [],
            }
            if expected:
                aggregates.add_ticket(expected.ticket, expected.completions, expected.runs)
                names[expected.kind] = expected.names
            found = [
                f"{table}: read table has {rows!r}, replay gives {wanted[table]!r}"
                for table, rows in _read(conn, ticket_id).items()
                if rows != wanted[table]
            ]
            if found:
                agreement.differences[str(ticket_id)] = found
            on_progress(agreement.checked)
        agreement.differences.update(differences(read_aggregates(conn), aggregates))
        found_names = {
            (type_key, workflow_key): (type_name, workflow_name)
            for type_key, workflow_key, type_name, workflow_name in conn.execute(
                "SELECT ticket_type_key, workflow_key, ticket_type_name, workflow_name"
                " FROM report_types"
            )
        }
    if found_names != names:
        agreement.differences["report_types"] = [
            f"report_types: read table has {found_names!r}, replay gives {names!r}"
        ]
    return agreement
