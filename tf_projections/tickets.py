"""The tickets read tables: one row per ticket, one per task instance, one per comment.

Every value comes from the events as the Ticket aggregate recorded them (statuses, the
task a completion opens): the handlers copy facts, they do not apply workflow rules.
"""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from tf_events.tickets.aggregate import Ticket
from tf_projections.read_model import ReadModel, handles

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

_INSERT_TICKET = (
    f"INSERT INTO tickets (id, {', '.join(TICKET_COLUMNS)})"  # noqa: S608 - constant columns
    f" VALUES ({', '.join(['%s'] * (len(TICKET_COLUMNS) + 1))})"
)
# The ticket's current task, copied from that task's row after the row was updated. Which
# task is current the event says: the one it acted on, or the one a completion opened.
_SYNC_CURRENT = (
    "UPDATE tickets t SET status = coalesce(%s, t.status), updated_at = %s, version = %s,"
    " (current_task, current_task_status, current_assignee) = ("
    "   SELECT name, status, assignee FROM ticket_tasks WHERE ticket_id = t.id AND position = %s"
    " ) WHERE t.id = %s"
)


class TicketsReadModel(ReadModel):
    name = "tickets"
    schema_file = "tickets.sql"
    tables = ("tickets", "ticket_tasks", "ticket_comments")
    pipelined = True

    @handles(Ticket.Submitted)
    def ticket_submitted(self, cur: Cursor[Any], event: Ticket.Submitted) -> None:
        tasks = event.tasks
        current = next((t for t in tasks if t["status"] == "OPEN"), None)
        row = {
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
            "data": Jsonb(event.data),
            "channel": event.channel,
            "created_at": event.timestamp,
            "updated_at": event.timestamp,
            "version": event.originator_version,
        }
        cur.execute(_INSERT_TICKET, (event.originator_id, *(row[c] for c in TICKET_COLUMNS)))
        cur.executemany(  # one round trip for all the task rows (pipelined)
            "INSERT INTO ticket_tasks (ticket_id, position, key, name, task_version,"
            " ticket_type_key, roles, kind, status, opened_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    event.originator_id,
                    position,
                    task["key"],
                    task["name"],
                    task["version"],
                    event.ticket_type["key"],
                    task["roles"],
                    task["kind"],
                    task["status"],
                    event.timestamp if task["status"] == "OPEN" else None,
                )
                for position, task in enumerate(tasks)
            ],
        )

    @handles(Ticket.CommentAdded)
    def comment_added(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO ticket_comments"
            " (ticket_id, version, author_id, author_username, text, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.originator_version,
                event.by["id"],
                event.by["username"],
                event.text,
                event.timestamp,
            ),
        )
        self._touch(cur, event)

    @handles(Ticket.TaskClaimed)
    def task_claimed(self, cur: Cursor[Any], event: Any) -> None:
        self._task(cur, event, assignee=event.by, claimed_at=event.timestamp, reason=None)
        self._sync(cur, event, event.status)

    @handles(Ticket.TaskAssigned)
    def task_assigned(self, cur: Cursor[Any], event: Any) -> None:
        self._task(
            cur, event, status="OPEN", assignee=event.to, claimed_at=event.timestamp, reason=None
        )
        self._sync(cur, event, event.status)

    @handles(Ticket.TaskReleased)
    def task_released(self, cur: Cursor[Any], event: Any) -> None:
        self._task(cur, event, assignee=None, claimed_at=None, reason=event.reason or None)
        self._sync(cur, event)

    @handles(Ticket.TaskDraftSaved)
    def draft_saved(self, cur: Cursor[Any], event: Any) -> None:
        self._task(cur, event, draft=Jsonb(event.values))
        self._touch(cur, event)

    @handles(Ticket.TaskCompleted)
    def task_completed(self, cur: Cursor[Any], event: Any) -> None:
        self._task(cur, event, status="CLOSED", closed_at=event.timestamp, draft=None)
        if event.opens is not None:
            self._task(
                cur, event, position=event.opens, status="OPEN", opened_at=event.timestamp
            )
        cur.execute(
            "UPDATE tickets SET data = data || %s WHERE id = %s",
            (Jsonb(event.outputs), event.originator_id),
        )
        self._sync(cur, event, event.status, current=event.opens)
        if event.status == "COMPLETED":
            self._closed(cur, event, "done")

    @handles(Ticket.TaskFailed)
    def task_failed(self, cur: Cursor[Any], event: Any) -> None:
        self._task(cur, event, status="ERROR", reason=event.reason)
        self._sync(cur, event)

    @handles(Ticket.TaskReopened)
    def task_reopened(self, cur: Cursor[Any], event: Any) -> None:
        self._task(cur, event, status="OPEN", assignee=None, claimed_at=None)
        self._sync(cur, event)

    @handles(Ticket.ClosedEarly)
    def closed_early(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE ticket_tasks SET status = 'CLOSED', closed_at = %s, reason = %s"
            " WHERE ticket_id = %s AND status IN ('OPEN', 'ERROR')",
            (event.timestamp, event.resolution, event.originator_id),
        )
        self._sync(cur, event, "COMPLETED", current=None)
        self._closed(cur, event, event.resolution)

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def _task(
        cur: Cursor[Any], event: Any, *, position: int | None = None, **changes: Any
    ) -> None:
        if "assignee" in changes:
            who = changes.pop("assignee")
            changes["assignee"] = who["username"] if who else None
            changes["assignee_id"] = who["id"] if who else None
        assignments = ", ".join(f"{column} = %s" for column in changes)
        cur.execute(
            f"UPDATE ticket_tasks SET {assignments}"  # noqa: S608 - column names are ours
            " WHERE ticket_id = %s AND position = %s",
            (
                *changes.values(),
                event.originator_id,
                event.position if position is None else position,
            ),
        )

    @staticmethod
    def _sync(
        cur: Cursor[Any], event: Any, status: str | None = None, *, current: int | None = -1
    ) -> None:
        """Bump the ticket's version, set its status if the event changed it, and copy
        its current task's columns (by default the task the event acted on)."""
        cur.execute(
            _SYNC_CURRENT,
            (
                status,
                event.timestamp,
                event.originator_version,
                event.position if current == -1 else current,
                event.originator_id,
            ),
        )

    @staticmethod
    def _closed(cur: Cursor[Any], event: Any, resolution: str) -> None:
        cur.execute(
            "UPDATE tickets SET resolution = %s, closed_at = %s WHERE id = %s",
            (resolution, event.timestamp, event.originator_id),
        )

    @staticmethod
    def _touch(cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE tickets SET updated_at = %s, version = %s WHERE id = %s",
            (event.timestamp, event.originator_version, event.originator_id),
        )
