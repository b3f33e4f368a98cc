"""The rows of the tickets one batch of events touches: read once, changed in memory by the
handlers, written back at once.

A statement per event kept the server busy with round trips (a rebuild made about 5,000
events/s); a batch now costs a few statements whatever its size: one read of the tickets
it continues, then delete and COPY of every touched row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

Row = dict[str, Any]


class TicketRows:
    def __init__(
        self,
        ticket_columns: tuple[str, ...],
        task_columns: tuple[str, ...],
        comment_columns: tuple[str, ...],
    ) -> None:
        self.columns = {
            "tickets": ("id", *ticket_columns),
            "ticket_tasks": ("ticket_id", *task_columns),
            "ticket_comments": ("ticket_id", *comment_columns),
        }
        self.tickets: dict[UUID, Row] = {}
        self.tasks: dict[UUID, list[Row]] = {}
        self.comments: list[Row] = []
        self.loaded: list[UUID] = []  # rows already in the tables: replaced on save

    def load(self, cur: Cursor[Any], ids: Iterable[UUID]) -> None:
        """Read the rows of tickets made before this batch."""
        wanted = [i for i in set(ids) if i not in self.tickets]
        if not wanted:
            return
        with cur.connection.cursor(row_factory=dict_row) as rows:
            for row in rows.execute(self._select("tickets", "id"), (wanted,)):
                self.tickets[row["id"]] = row
            for row in rows.execute(
                self._select("ticket_tasks", "ticket_id", "position"), (wanted,)
            ):
                self.tasks.setdefault(row["ticket_id"], []).append(row)
        self.loaded += [i for i in wanted if i in self.tickets]

    def add(self, ticket: Row, tasks: list[Row]) -> None:
        if ticket["id"] in self.tickets:
            raise ValueError(f"ticket {ticket['id']} is already recorded")
        self.tickets[ticket["id"]] = ticket
        self.tasks[ticket["id"]] = tasks

    def ticket(self, ticket_id: UUID) -> Row:
        """The ticket's row (KeyError for a ticket never submitted: a poison event)."""
        return self.tickets[ticket_id]

    def task(self, ticket_id: UUID, position: int | None) -> Row | None:
        tasks = self.tasks.get(ticket_id, [])
        return tasks[position] if position is not None and 0 <= position < len(tasks) else None

    def tasks_of(self, ticket_id: UUID) -> list[Row]:
        return self.tasks.get(ticket_id, [])

    def save(self, cur: Cursor[Any]) -> None:
        if self.loaded:
            cur.execute("DELETE FROM ticket_tasks WHERE ticket_id = ANY(%s)", (self.loaded,))
            cur.execute("DELETE FROM tickets WHERE id = ANY(%s)", (self.loaded,))
        self._copy(cur, "tickets", self.tickets.values())
        self._copy(cur, "ticket_tasks", (t for tasks in self.tasks.values() for t in tasks))
        self._copy(cur, "ticket_comments", self.comments)

    def _select(self, table: str, key: str, *order: str) -> sql.Composed:
        return sql.SQL("SELECT {columns} FROM {table} WHERE {key} = ANY(%s){order}").format(
            columns=sql.SQL(", ").join(map(sql.Identifier, self.columns[table])),
            table=sql.Identifier(table),
            key=sql.Identifier(key),
            order=sql.SQL(" ORDER BY {}").format(
                sql.SQL(", ").join(map(sql.Identifier, (key, *order)))
            )
            if order
            else sql.SQL(""),
        )

    def _copy(self, cur: Cursor[Any], table: str, rows: Iterable[Row]) -> None:
        rows = list(rows)
        if not rows:
            return
        columns = self.columns[table]
        statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
            table=sql.Identifier(table), columns=sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with cur.copy(statement) as copy:
            for row in rows:
                copy.write_row([_storable(row[c]) for c in columns])


def _storable(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict) else value
