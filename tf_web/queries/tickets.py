"""Queries over the tickets read tables (and the ticket types a user may submit)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

from tf_web.queries.definitions import DefinitionRow, list_definitions


@dataclass(frozen=True)
class TicketRow:
    id: UUID
    reference: str
    number: int
    ticket_type_key: str
    ticket_type_name: str
    ticket_type_version: int
    workflow_key: str
    workflow_version: int
    status: str
    current_task: str | None
    current_task_status: str | None
    current_assignee: str | None
    resolution: str | None
    closed_at: datetime | None
    submitter_id: UUID
    submitter_username: str
    summary: str
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    version: int
    channel: str = "web"  # "public": sent through a published form by someone who is no user


@dataclass(frozen=True)
class CommentRow:
    version: int
    author_username: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class TaskRow:
    position: int  # from 0; pages and the API number tasks from 1
    key: str
    name: str
    task_version: int
    status: str
    assignee: str | None
    assignee_id: UUID | None
    reason: str | None
    roles: list[str]
    kind: str  # human, or software (claimed only by the automation worker)
    draft: dict[str, Any] | None
    closed_at: datetime | None

    @property
    def number(self) -> int:
        return self.position + 1


# What a page reads of a ticket: the row's fields, by name (one list, the dataclass).
COLUMNS = ", ".join(f.name for f in fields(TicketRow))
TASK_COLUMNS = ", ".join(f.name for f in fields(TaskRow))


def ticket_types_for(pool: ConnectionPool, roles: frozenset[str]) -> list[DefinitionRow]:
    """Active ticket types open to every user or to one of these roles."""
    return [
        row
        for row in list_definitions(pool, "ticket_type", include_archived=False)
        if not row.roles or set(row.roles) & roles
    ]


def get_ticket(pool: ConnectionPool, ticket_id: UUID) -> TicketRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(TicketRow)) as cur:
        return cur.execute(
            f"SELECT {COLUMNS} FROM tickets WHERE id = %s",  # noqa: S608 - constant columns
            (ticket_id,),
        ).fetchone()


def ticket_tasks(pool: ConnectionPool, ticket_id: UUID) -> list[TaskRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(TaskRow)) as cur:
        return cur.execute(
            f"SELECT {TASK_COLUMNS} FROM ticket_tasks"  # noqa: S608 - constant columns
            " WHERE ticket_id = %s ORDER BY position",
            (ticket_id,),
        ).fetchall()


def ticket_task(pool: ConnectionPool, ticket_id: UUID, position: int) -> TaskRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(TaskRow)) as cur:
        return cur.execute(
            f"SELECT {TASK_COLUMNS} FROM ticket_tasks"  # noqa: S608 - constant columns
            " WHERE ticket_id = %s AND position = %s",
            (ticket_id, position),
        ).fetchone()


def ticket_comments(pool: ConnectionPool, ticket_id: UUID) -> list[CommentRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(CommentRow)) as cur:
        return cur.execute(
            "SELECT version, author_username, text, created_at FROM ticket_comments"
            " WHERE ticket_id = %s ORDER BY version",
            (ticket_id,),
        ).fetchall()


def get_ticket_type_exists(pool: ConnectionPool, key: str) -> bool:
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT 1 FROM definitions WHERE kind = 'ticket_type' AND key = %s AND NOT archived",
            (key,),
        ).fetchone()
    return row is not None


def filter_choices_of(
    pool: ConnectionPool, submitter_id: UUID
) -> tuple[list[tuple[str, str]], list[str]]:
    """The ticket types (key, name) and current tasks among one person's own tickets."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT DISTINCT ticket_type_key, ticket_type_name, current_task FROM tickets"
            " WHERE submitter_id = %s",
            (submitter_id,),
        ).fetchall()
    types = sorted({(key, name) for key, name, _ in rows}, key=lambda t: (t[1], t[0]))
    return types, sorted({task for _, _, task in rows if task is not None})


def filter_choices_all(pool: ConnectionPool) -> tuple[list[tuple[str, str]], list[str]]:
    """Every ticket type (key, name), archived last, and every task name: what those who
    see every ticket may filter by. Names only: the definitions' content is not read."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT kind, key, name FROM definitions WHERE kind IN ('ticket_type', 'task')"
            " ORDER BY archived, lower(name)"
        ).fetchall()
    types = [(key, name) for kind, key, name in rows if kind == "ticket_type"]
    return types, sorted({name for kind, _, name in rows if kind == "task"})
