"""The tickets read tables: one row per ticket, one per task instance, one per comment.

Every value comes from the events as the Ticket aggregate recorded them (statuses, the
task a completion opens): the handlers copy facts, they do not apply workflow rules. They
change rows in memory (TicketRows), which a batch reads and writes back at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Connection, Cursor

from tf_events.tickets.aggregate import Ticket
from tf_projections.read_model import ReadModel, handles
from tf_projections.ticket_rows import Row, TicketRows

# The tickets table's columns, as the projection writes them and the agreement check
# compares them (the id and the generated search column aside).
TICKET_COLUMNS = (
    "reference",
    "number",
    "ticket_type_key",
    "ticket_type_name",
    "ticket_type_version",
    "workflow_key",
    "workflow_version",
    "status",
    "current_task",
    "current_task_status",
    "current_assignee",
    "resolution",
    "closed_at",
    "submitter_id",
    "submitter_username",
    "summary",
    "data",
    "channel",
    "created_at",
    "updated_at",
    "version",
)
TASK_COLUMNS = (
    "position",
    "key",
    "name",
    "task_version",
    "ticket_type_key",
    "roles",
    "kind",
    "status",
    "assignee",
    "assignee_id",
    "reason",
    "draft",
    "opened_at",
    "claimed_at",
    "closed_at",
)

COMMENT_COLUMNS = ("version", "author_id", "author_username", "text", "created_at")
Event = Any  # one of Ticket's event classes


class TicketsReadModel(ReadModel):
    name = "tickets"
    schema_file = "tickets.sql"
    tables = ("tickets", "ticket_tasks", "ticket_comments")

    def apply_events(
        self, conn: Connection[Any], cur: Cursor[Any], events: Sequence[tuple[str, Any]]
    ) -> None:
        rows = TicketRows(TICKET_COLUMNS, TASK_COLUMNS, COMMENT_COLUMNS)
        submitted = {e.originator_id for _, e in events if isinstance(e, Ticket.Submitted)}
        rows.load(cur, (e.originator_id for _, e in events if e.originator_id not in submitted))
        for attr, event in events:
            getattr(self, attr)(rows, event)
        rows.save(cur)

    @handles(Ticket.Submitted)
    def ticket_submitted(self, rows: TicketRows, event: Ticket.Submitted) -> None:
        tasks = event.tasks
        current = next((t for t in tasks if t["status"] == "OPEN"), None)
        ticket = {
            "id": event.originator_id,
            "reference": event.reference,
            "number": int(event.reference.split("-")[-1]),
            "ticket_type_key": event.ticket_type["key"],
            "ticket_type_name": event.ticket_type["name"],
            "ticket_type_version": event.ticket_type["version"],
            "workflow_key": event.workflow["key"],
            "workflow_version": event.workflow["version"],
            "status": event.status,
            "current_task": current["name"] if current else None,
            "current_task_status": current["status"] if current else None,
            "current_assignee": None,
            "resolution": None,
            "closed_at": None,
            "submitter_id": event.submitter["id"],
            "submitter_username": event.submitter["username"],
            "summary": event.summary,
            "data": event.data,
            "channel": event.channel,
            "created_at": event.timestamp,
            "updated_at": event.timestamp,
            "version": event.originator_version,
        }
        rows.add(
            ticket,
            [
                {
                    "ticket_id": event.originator_id,
                    "position": position,
                    "key": task["key"],
                    "name": task["name"],
                    "task_version": task["version"],
                    "ticket_type_key": event.ticket_type["key"],
                    "roles": task["roles"],
                    "kind": task["kind"],
                    "status": task["status"],
                    "assignee": None,
                    "assignee_id": None,
                    "reason": None,
                    "draft": None,
                    "opened_at": event.timestamp if task["status"] == "OPEN" else None,
                    "claimed_at": None,
                    "closed_at": None,
                }
                for position, task in enumerate(tasks)
            ],
        )

    @handles(Ticket.CommentAdded)
    def comment_added(self, rows: TicketRows, event: Event) -> None:
        rows.comments.append(
            {
                "ticket_id": event.originator_id,
                "version": event.originator_version,
                "author_id": event.by["id"],
                "author_username": event.by["username"],
                "text": event.text,
                "created_at": event.timestamp,
            }
        )
        ticket = rows.ticket(event.originator_id)
        ticket.update(updated_at=event.timestamp, version=event.originator_version)

    @handles(Ticket.TaskClaimed)
    def task_claimed(self, rows: TicketRows, event: Event) -> None:
        _task(rows, event, assignee=event.by, claimed_at=event.timestamp, reason=None)
        _sync(rows, event, event.status)

    @handles(Ticket.TaskAssigned)
    def task_assigned(self, rows: TicketRows, event: Event) -> None:
        _task(
            rows, event, status="OPEN", assignee=event.to, claimed_at=event.timestamp, reason=None
        )
        _sync(rows, event, event.status)

    @handles(Ticket.TaskReleased)
    def task_released(self, rows: TicketRows, event: Event) -> None:
        _task(rows, event, assignee=None, claimed_at=None, reason=event.reason or None)
        _sync(rows, event)

    @handles(Ticket.TaskDraftSaved)
    def draft_saved(self, rows: TicketRows, event: Event) -> None:
        _task(rows, event, draft=event.values)
        ticket = rows.ticket(event.originator_id)
        ticket.update(updated_at=event.timestamp, version=event.originator_version)

    @handles(Ticket.TaskCompleted)
    def task_completed(self, rows: TicketRows, event: Event) -> None:
        _task(rows, event, status="CLOSED", closed_at=event.timestamp, draft=None)
        if event.opens is not None:
            _task(rows, event, position=event.opens, status="OPEN", opened_at=event.timestamp)
        ticket = rows.ticket(event.originator_id)
        ticket["data"] = {**ticket["data"], **event.outputs}
        _sync(rows, event, event.status, current=event.opens)
        if event.status == "COMPLETED":
            ticket.update(resolution="done", closed_at=event.timestamp)

    @handles(Ticket.TaskFailed)
    def task_failed(self, rows: TicketRows, event: Event) -> None:
        _task(rows, event, status="ERROR", reason=event.reason)
        _sync(rows, event)

    @handles(Ticket.TaskReopened)
    def task_reopened(self, rows: TicketRows, event: Event) -> None:
        _task(rows, event, status="OPEN", assignee=None, claimed_at=None)
        _sync(rows, event)

    @handles(Ticket.ClosedEarly)
    def closed_early(self, rows: TicketRows, event: Event) -> None:
        for task in rows.tasks_of(event.originator_id):
            if task["status"] in ("OPEN", "ERROR"):
                task.update(status="CLOSED", closed_at=event.timestamp, reason=event.resolution)
        _sync(rows, event, "COMPLETED", current=None)
        ticket = rows.ticket(event.originator_id)
        ticket.update(resolution=event.resolution, closed_at=event.timestamp)


def _task(rows: TicketRows, event: Event, *, position: int | None = None, **changes: Any) -> None:
    if "assignee" in changes:
        who = changes.pop("assignee")
        changes["assignee"] = who["username"] if who else None
        changes["assignee_id"] = who["id"] if who else None
    task = rows.task(event.originator_id, event.position if position is None else position)
    if task is None:
        raise LookupError(f"ticket {event.originator_id} has no task {position}")
    task.update(changes)


def _sync(
    rows: TicketRows, event: Event, status: str | None = None, *, current: int | None = -1
) -> None:
    """Bump the ticket's version, set its status if the event changed it, and copy its
    current task's columns (by default the task the event acted on)."""
    ticket: Row = rows.ticket(event.originator_id)
    if status is not None:
        ticket["status"] = status
    ticket.update(updated_at=event.timestamp, version=event.originator_version)
    task = rows.task(event.originator_id, event.position if current == -1 else current)
    ticket["current_task"] = task["name"] if task else None
    ticket["current_task_status"] = task["status"] if task else None
    ticket["current_assignee"] = task["assignee"] if task else None
