"""The tickets read tables: one row per ticket, one per task instance, one per comment."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from tf_events.tickets.aggregate import Ticket
from tf_projections.read_model import ReadModel, handles


class TicketsReadModel(ReadModel):
    name = "tickets"
    schema_file = "tickets.sql"
    tables = ("tickets", "ticket_tasks", "ticket_comments")
    pipelined = True

    @handles(Ticket.Submitted)
    def ticket_submitted(self, cur: Cursor[Any], event: Ticket.Submitted) -> None:
        tasks = event.tasks
        cur.execute(
            "INSERT INTO tickets (id, reference, number, ticket_type_key, ticket_type_name,"
            " ticket_type_version, workflow_key, workflow_version, status, current_task,"
            " current_task_status, submitter_id, submitter_username, summary, data, channel,"
            " created_at, updated_at, version)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.reference,
                int(event.reference.split("-")[-1]),
                event.ticket_type["key"],
                event.ticket_type["name"],
                event.ticket_type["version"],
                event.workflow["key"],
                event.workflow["version"],
                "IN_PROCESS",
                tasks[0]["name"] if tasks else None,
                "OPEN" if tasks else None,
                event.submitter["id"],
                event.submitter["username"],
                event.summary,
                Jsonb(event.data),
                event.channel,
                event.timestamp,
                event.timestamp,
                event.originator_version,
            ),
        )
        cur.executemany(  # one round trip for all the task rows (pipelined)
            "INSERT INTO ticket_tasks (ticket_id, position, key, name, task_version, status)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    event.originator_id,
                    position,
                    task["key"],
                    task["name"],
                    task["version"],
                    "OPEN" if position == 0 else "PENDING",
                )
                for position, task in enumerate(tasks)
            ],
        )

    @handles(Ticket.CommentAdded)
    def comment_added(self, cur: Cursor[Any], event: Ticket.CommentAdded) -> None:
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
        cur.execute(
            "UPDATE tickets SET updated_at = %s, version = %s WHERE id = %s",
            (event.timestamp, event.originator_version, event.originator_id),
        )
