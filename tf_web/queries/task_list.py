"""The task lists: the work queue, one person's tasks, and every active task by status,
oldest first, paged by keyset over (opened_at, ticket_id, position).

Each view walks one partial index of ticket_tasks (schema/read/tickets.sql); the ticket's
reference and summary come from one primary-key lookup per row of the page. Values from
the request only ever travel as query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

from tf_web.queries.page_token import DAMAGED, pack, unpack

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class View(StrEnum):
    QUEUE = "queue"  # open, nobody holds it
    MINE = "mine"  # assigned to the reader
    ALL = "all"  # every active task (open or in error)


# The statuses a task list can show: the active ones, which the partial indexes hold.
ACTIVE_STATUSES = ("OPEN", "ERROR")


class Age(StrEnum):
    """ "Waiting longer than": the choices of the age filter."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def span(self) -> timedelta:
        return AGE_SPANS[self]

    @property
    def label(self) -> str:
        return f"Waiting over a {self.value}" if self is not Age.HOUR else "Waiting over an hour"


AGE_SPANS = {
    Age.HOUR: timedelta(hours=1),
    Age.DAY: timedelta(days=1),
    Age.WEEK: timedelta(weeks=1),
    Age.MONTH: timedelta(days=30),
}


@dataclass(frozen=True)
class TaskCursor:
    """Where a page starts: the key of the row just outside it."""

    opened_at: datetime
    ticket_id: UUID
    position: int
    backwards: bool = False  # True: the rows before this one (the previous page)

    def encode(self) -> str:
        return pack(
            [self.opened_at.isoformat(), str(self.ticket_id), self.position, self.backwards]
        )

    @classmethod
    def decode(cls, token: str) -> TaskCursor:
        """Read a cursor; ValueError with a message for the user for anything else."""
        opened_at, ticket_id, position, backwards = unpack(token, 4)
        try:
            if not isinstance(position, int) or isinstance(position, bool):
                raise TypeError("position")
            opened = datetime.fromisoformat(opened_at)
            if opened.tzinfo is None:
                raise ValueError("no time zone")
            return cls(opened, UUID(str(ticket_id)), position, bool(backwards))
        except (ValueError, TypeError) as error:
            raise ValueError(DAMAGED) from error


@dataclass(frozen=True)
class TaskQuery:
    view: View = View.QUEUE
    statuses: tuple[str, ...] = ()  # mine and all: any of these (none: every active one)
    types: tuple[str, ...] = ()  # ticket type keys
    task: str | None = None  # a task key
    older_than: Age | None = None
    cursor: TaskCursor | None = None
    limit: int = PAGE_SIZE


@dataclass(frozen=True)
class Reader:
    """Who reads the list: the queue narrows to the tasks open to their roles, unless
    they see the whole queue (dispatchers, admins)."""

    id: UUID
    roles: frozenset[str] = frozenset()
    whole_queue: bool = False


@dataclass(frozen=True)
class TaskListRow:
    ticket_id: UUID
    position: int
    key: str
    name: str
    status: str
    roles: list[str]
    assignee: str | None
    assignee_id: UUID | None
    reason: str | None
    opened_at: datetime
    ticket_type_key: str
    reference: str
    summary: str
    ticket_type_name: str
    ticket_version: int

    @property
    def number(self) -> int:
        """The task's number on its ticket, as pages and URLs count (from 1)."""
        return self.position + 1


@dataclass(frozen=True)
class TaskPage:
    rows: list[TaskListRow]
    query: TaskQuery
    next: TaskCursor | None
    previous: TaskCursor | None


# Each view's condition, written as its partial index is, so the planner uses it.
_VIEWS = {
    View.QUEUE: "k.status = 'OPEN' AND k.assignee_id IS NULL AND k.kind = 'human'",
    View.MINE: "k.assignee_id = %s AND k.status IN ('OPEN', 'ERROR')",
    View.ALL: "k.status IN ('OPEN', 'ERROR')",
}
_COLUMNS = (
    "k.ticket_id, k.position, k.key, k.name, k.status, k.roles, k.assignee, k.assignee_id,"
    " k.reason, k.opened_at, k.ticket_type_key, t.reference, t.summary, t.ticket_type_name,"
    " t.version AS ticket_version"
)


def _statement(query: TaskQuery, reader: Reader, now: datetime) -> tuple[sql.Composed, list[Any]]:
    clauses = [sql.SQL(_VIEWS[query.view])]
    params: list[Any] = [reader.id] if query.view is View.MINE else []

    def add(clause: str, *values: Any) -> None:
        clauses.append(sql.SQL(clause))
        params.extend(values)

    if query.view is View.QUEUE and not reader.whole_queue:
        # The policy's "open to these roles" (tf_events.policy.open_to), as SQL.
        add("(k.roles = '{}' OR k.roles && %s)", sorted(reader.roles))
    if query.statuses and query.view is not View.QUEUE:
        add("k.status = ANY(%s)", list(query.statuses))
    if len(query.types) == 1:  # walks its index in order; ANY() would sort every match
        add("k.ticket_type_key = %s", query.types[0])
    elif query.types:
        add("k.ticket_type_key = ANY(%s)", list(query.types))
    if query.task:
        add("k.key = %s", query.task)
    if query.older_than:
        add("k.opened_at < %s", now - query.older_than.span)
    cursor = query.cursor
    backwards = cursor is not None and cursor.backwards
    if cursor is not None:
        op = "<" if backwards else ">"
        add(f"(k.opened_at, k.ticket_id, k.position) {op} (%s, %s, %s)", cursor.opened_at,
            cursor.ticket_id, cursor.position)  # fmt: skip
    direction = sql.SQL("DESC" if backwards else "ASC")
    statement = sql.SQL(
        "SELECT {columns} FROM ticket_tasks k JOIN tickets t ON t.id = k.ticket_id"
        " WHERE {where} ORDER BY k.opened_at {d}, k.ticket_id {d}, k.position {d} LIMIT %s"
    ).format(columns=sql.SQL(_COLUMNS), where=sql.SQL(" AND ").join(clauses), d=direction)
    params.append(query.limit + 1)  # one more than a page: is there another one?
    return statement, params


def list_tasks(pool: ConnectionPool, query: TaskQuery, reader: Reader, now: datetime) -> TaskPage:
    """One page of tasks, oldest first, and cursors to the pages either side."""
    statement, params = _statement(query, reader, now)
    with pool.connection() as conn, conn.cursor(row_factory=class_row(TaskListRow)) as cur:
        rows = cur.execute(statement, params).fetchall()
    cursor = query.cursor
    backwards = cursor is not None and cursor.backwards
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    if backwards:
        rows.reverse()
    if not rows:
        return TaskPage(rows, query, None, None)

    def at(row: TaskListRow, before: bool) -> TaskCursor:
        return TaskCursor(row.opened_at, row.ticket_id, row.position, before)

    has_next = more if not backwards else True
    has_previous = more if backwards else cursor is not None
    return TaskPage(
        rows,
        query,
        next=at(rows[-1], False) if has_next else None,
        previous=at(rows[0], True) if has_previous else None,
    )


@dataclass(frozen=True)
class TeamMember:
    id: UUID
    username: str
    display_name: str
    roles: list[str] = field(default_factory=list)


def active_team(pool: ConnectionPool) -> list[TeamMember]:
    """Active members of the ticket team: whom a dispatcher may hand a task to (each task
    narrows them further by its roles, through the policy)."""
    with pool.connection() as conn, conn.cursor(row_factory=class_row(TeamMember)) as cur:
        return cur.execute(
            "SELECT id, username, display_name, roles FROM users"
            " WHERE active AND 'ticket_team' = ANY(roles) ORDER BY username"
        ).fetchall()


def filter_choices(pool: ConnectionPool) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The ticket types and tasks (key, name) the filters offer, in one round trip and
    without the definitions' content."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT kind, key, name FROM definitions WHERE kind IN ('ticket_type', 'task')"
            " ORDER BY archived, lower(name)"
        ).fetchall()
    return (
        [(key, name) for kind, key, name in rows if kind == "ticket_type"],
        [(key, name) for kind, key, name in rows if kind == "task"],
    )
