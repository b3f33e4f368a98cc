"""Do the tickets read tables agree with a fresh replay of the event store?

The expected rows are derived from the replayed aggregate, not from the projection's
handlers, so a handler bug, a lost event or a hand-edited row shows up as a difference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_events.application import TicketFlower
from tf_events.tickets.aggregate import TASK_OPEN, Ticket

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
    "submitter_id",
    "submitter_username",
    "summary",
    "data",
    "channel",
    "created_at",
    "updated_at",
    "version",
)


def expected_ticket_row(ticket: Ticket) -> dict[str, Any]:
    current = next((task for task in ticket.tasks if task["status"] == TASK_OPEN), None)
    return {
        "reference": ticket.reference,
        "number": int(ticket.reference.rsplit("-", 1)[-1]),
        "ticket_type_key": ticket.ticket_type["key"],
        "ticket_type_name": ticket.ticket_type["name"],
        "ticket_type_version": ticket.ticket_type["version"],
        "workflow_key": ticket.workflow["key"],
        "workflow_version": ticket.workflow["version"],
        "status": ticket.status,
        "current_task": current["name"] if current else None,
        "current_task_status": current["status"] if current else None,
        "submitter_id": UUID(ticket.submitter["id"]),
        "submitter_username": ticket.submitter["username"],
        "summary": ticket.summary,
        "data": ticket.data,
        "channel": ticket.channel,
        "created_at": ticket.created_on,
        "updated_at": ticket.modified_on,
        "version": ticket.version,
    }


def expected_task_rows(ticket: Ticket) -> list[dict[str, Any]]:
    return [
        {
            "position": i,
            "key": task["key"],
            "name": task["name"],
            "task_version": task["version"],
            "status": task["status"],
            "assignee": task["assignee"],
        }
        for i, task in enumerate(ticket.tasks)
    ]


def expected_comment_rows(ticket: Ticket) -> list[dict[str, Any]]:
    return [
        {
            "version": comment["version"],
            "author_id": UUID(comment["by"]["id"]),
            "author_username": comment["by"]["username"],
            "text": comment["text"],
        }
        for comment in ticket.comments
    ]


@dataclass
class Agreement:
    checked: int = 0
    differences: dict[UUID, list[str]] = field(default_factory=dict)

    @property
    def agrees(self) -> bool:
        return not self.differences


def differences(app: TicketFlower, pool: ConnectionPool, ticket_id: UUID) -> list[str]:
    """What the read tables say differently from a replay of this ticket's events."""
    try:
        ticket = app.get_ticket(ticket_id)
    except AggregateNotFoundError:
        ticket = None
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            f"SELECT {', '.join(TICKET_COLUMNS)} FROM tickets WHERE id = %s",  # noqa: S608
            (ticket_id,),
        ).fetchone()
        tasks = cur.execute(
            "SELECT position, key, name, task_version, status, assignee FROM ticket_tasks"
            " WHERE ticket_id = %s ORDER BY position",
            (ticket_id,),
        ).fetchall()
        comments = cur.execute(
            "SELECT version, author_id, author_username, text FROM ticket_comments"
            " WHERE ticket_id = %s ORDER BY version",
            (ticket_id,),
        ).fetchall()
    if ticket is None:
        return ["the read tables hold a ticket the event store does not"] if row else []
    if row is None:
        return ["the event store holds this ticket; the tickets table has no row for it"]
    expected = expected_ticket_row(ticket)
    found = [
        f"tickets.{name}: read table has {row[name]!r}, replay gives {expected[name]!r}"
        for name in TICKET_COLUMNS
        if row[name] != expected[name]
    ]
    for table, rows, wanted in (
        ("ticket_tasks", tasks, expected_task_rows(ticket)),
        ("ticket_comments", comments, expected_comment_rows(ticket)),
    ):
        if rows != wanted:
            found.append(f"{table}: read table has {rows!r}, replay gives {wanted!r}")
    return found


def ticket_ids(app: TicketFlower, pool: ConnectionPool) -> Iterator[UUID]:
    """Every ticket in the event store, then any row of the read table without one."""
    start = 0
    topic = get_topic(Ticket.Submitted)
    while page := app.recorder.select_notifications(
        start, 5000, topics=[topic], inclusive_of_start=False
    ):
        yield from (notification.originator_id for notification in page)
        start = page[-1].id
    with pool.connection() as conn:
        yield from (
            ticket_id
            for (ticket_id,) in conn.execute(
                "SELECT id FROM tickets t WHERE NOT EXISTS"
                " (SELECT 1 FROM ticketflower_events e WHERE e.originator_id = t.id)"
            )
        )


def check_all(
    app: TicketFlower,
    pool: ConnectionPool,
    on_progress: Callable[[int], None] = lambda _: None,
) -> Agreement:
    agreement = Agreement()
    for ticket_id in ticket_ids(app, pool):
        agreement.checked += 1
        if found := differences(app, pool, ticket_id):
            agreement.differences[ticket_id] = found
        on_progress(agreement.checked)
    return agreement
