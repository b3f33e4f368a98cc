"""Do the tickets read tables agree with a fresh replay of the event store?

The expected rows are derived from the replayed aggregate, not from the projection's
handlers, so a handler bug, a lost event or a hand-edited row shows up as a difference.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_events.application import TicketFlower
from tf_events.tickets.aggregate import Ticket
from tf_projections.comment_digest import READ_DIGEST, Remembered, digest
from tf_projections.read_model import EVENTS_TABLE
from tf_projections.tickets import TASK_COLUMNS, TICKET_COLUMNS, TicketsReadModel


def expected_ticket_row(ticket: Ticket) -> dict[str, Any]:
    current = ticket.current_task
    return {
        "reference": ticket.reference,
        "number": int(ticket.reference.rsplit("-", 1)[-1]),
        "ticket_type_key": ticket.ticket_type["key"],
        "ticket_type_name": ticket.ticket_type["name"],
        "ticket_type_version": ticket.ticket_type["version"],
        "workflow_key": ticket.workflow["key"],
        "workflow_version": ticket.workflow["version"],
        "status": ticket.status.value,
        "current_task": current.name if current else None,
        "current_task_status": current.status.value if current else None,
        "current_assignee": current.assignee.username if current and current.assignee else None,
        "resolution": ticket.resolution.value if ticket.resolution else None,
        "closed_at": ticket.closed_at,
        "submitter_id": ticket.submitter.id,
        "submitter_username": ticket.submitter.username,
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
            "position": task.position,
            "key": task.key,
            "name": task.name,
            "task_version": task.version,
            "ticket_type_key": ticket.ticket_type["key"],
            "roles": list(task.roles),
            "kind": task.kind.value,
            "status": task.status.value,
            "assignee": task.assignee.username if task.assignee else None,
            "assignee_id": task.assignee.id if task.assignee else None,
            "reason": task.reason,
            "draft": task.draft,
            "opened_at": task.opened_at,
            "claimed_at": task.claimed_at,
            "closed_at": task.closed_at,
        }
        for task in ticket.tasks
    ]


def expected_comment_rows(ticket: Ticket, dated: Mapping[int, datetime]) -> list[dict[str, Any]]:
    return [
        {
            "version": comment["version"],
            "author_id": UUID(comment["by"]["id"]),
            "author_username": comment["by"]["username"],
            "text": comment["text"],
            "created_at": dated[comment["version"]],
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


NO_COMMENTS = digest([])
_EXPECTED_DIGESTS = Remembered()


@dataclass(frozen=True)
class ReadRows:
    position: int | None  # how far into the log the tickets read model had got
    ticket: dict[str, Any] | None
    tasks: list[dict[str, Any]]
    comments_digest: str  # comment_digest.digest of its comment rows


def comment_rows(pool: ConnectionPool, ticket_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT version, author_id, author_username, text, created_at"
            " FROM ticket_comments WHERE ticket_id = %s ORDER BY version",
            (ticket_id,),
        ).fetchall()


def read_rows(pool: ConnectionPool, ticket_id: UUID) -> ReadRows:
    """The ticket's rows and the read model's position, from one snapshot."""
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with conn.cursor() as plain:
            position = TicketsReadModel.position(plain)
        with conn.cursor(row_factory=dict_row) as cur:
            ticket = cur.execute(
                f"SELECT {', '.join(TICKET_COLUMNS)} FROM tickets WHERE id = %s",  # noqa: S608
                (ticket_id,),
            ).fetchone()
            tasks = cur.execute(
                f"SELECT {', '.join(TASK_COLUMNS)} FROM ticket_tasks"  # noqa: S608
                " WHERE ticket_id = %s ORDER BY position",
                (ticket_id,),
            ).fetchall()
        with conn.cursor() as plain:
            comments = plain.execute(READ_DIGEST, (ticket_id,)).fetchone()
    return ReadRows(position, ticket, tasks, comments[0] if comments else "")


def replay_until(
    app: TicketFlower, ticket_id: UUID, position: int | None
) -> tuple[Ticket, dict[int, datetime]] | None:
    """The ticket as its events up to `position` in the log make it, with each version's
    time; None if none of its events is that far back."""
    if position is None:
        return None
    ticket: Ticket | None = None
    dated: dict[int, datetime] = {}
    for notification, event in events_in_log(app, ticket_id):
        if notification > position:
            break
        ticket = event.mutate(ticket)
        dated[event.originator_version] = event.timestamp
    return None if ticket is None else (ticket, dated)


def _newest_position(app: TicketFlower, ticket_id: UUID) -> int:
    with app.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
        row = conn.execute(
            f"SELECT max(notification_id) AS n FROM {EVENTS_TABLE}"  # noqa: S608
            " WHERE originator_id = %s",
            (ticket_id,),
        ).fetchone()
    return row["n"] or 0


def events_in_log(app: TicketFlower, ticket_id: UUID) -> Iterator[tuple[int, Any]]:
    """The ticket's events in order, each with its position in the log."""
    with app.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(
            f"SELECT originator_version, notification_id FROM {EVENTS_TABLE}"  # noqa: S608
            " WHERE originator_id = %s",
            (ticket_id,),
        ).fetchall()
    # The library's connections return dict rows.
    positions = {row["originator_version"]: row["notification_id"] for row in rows}
    for event in app.repository.event_store.get(ticket_id):
        # An event recorded since the positions were read is newer than any position read.
        yield positions.get(event.originator_version, sys.maxsize), event


def differences(
    app: TicketFlower,
    pool: ConnectionPool,
    ticket_id: UUID,
    replayed_already: tuple[Ticket, Mapping[int, datetime]] | None = None,
) -> list[str]:
    """What the read tables say differently from a replay of this ticket's events.

    The replay stops where the read model had got to, so a read model that is merely
    behind (the worker has not applied the newest event yet) is not called wrong. A replay
    of every event made already (the auditor's history) serves when the read model has
    got past the ticket's newest event.
    """
    read = read_rows(pool, ticket_id)
    if replayed_already is not None and _newest_position(app, ticket_id) <= (read.position or 0):
        replayed: tuple[Ticket, Mapping[int, datetime]] | None = replayed_already
    else:
        replayed = replay_until(app, ticket_id, read.position)
    if replayed is None:
        if read.ticket or read.tasks or read.comments_digest != NO_COMMENTS:
            return ["the read tables hold rows for a ticket the event store does not have"]
        return []
    ticket, dated = replayed
    if read.ticket is None:
        return ["the event store holds this ticket; the tickets table has no row for it"]
    expected = expected_ticket_row(ticket)
    found = [
        f"tickets.{name}: read table has {read.ticket[name]!r}, replay gives {expected[name]!r}"
        for name in TICKET_COLUMNS
        if read.ticket[name] != expected[name]
    ]
    tasks = expected_task_rows(ticket)
    if read.tasks != tasks:
        found.append(f"ticket_tasks: read table has {read.tasks!r}, replay gives {tasks!r}")
    if read.comments_digest != _EXPECTED_DIGESTS.of(
        ticket, lambda: expected_comment_rows(ticket, dated)
    ):  # the rows themselves are the judge; the digests only spare reading them
        rows, comments = comment_rows(pool, ticket_id), expected_comment_rows(ticket, dated)
        if rows != comments:
            found.append(f"ticket_comments: read table has {rows!r}, replay gives {comments!r}")
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
                "SELECT id FROM (SELECT id FROM tickets UNION SELECT ticket_id FROM ticket_tasks"  # noqa: S608
                " UNION SELECT ticket_id FROM ticket_comments) AS rows WHERE NOT EXISTS"
                f" (SELECT 1 FROM {EVENTS_TABLE} e WHERE e.originator_id = rows.id)"
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
