"""Read rows copied in bulk beside the ones the projection made from real events.

Writing a million tickets' five million events takes the better part of an hour on the
shared machine, so the bench writes a sample through the event log (the rebuild figure
comes from it) and copies each ticket's rows `copies - 1` times beside it: new ids, the
reference numbers left free after it, the same dates a second later each. Each copy lives
the same life as its original, so the table keeps the sample's shape (types, statuses,
tasks, dates over three years). The copies have no events: the agreement check samples the
originals (the bench's database is dropped at the end).
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection

from tf_events.tickets.references import FIRST, PREFIX
from tf_projections.tickets import TASK_COLUMNS, TICKET_COLUMNS

_DATES = ("created_at", "updated_at", "closed_at", "opened_at", "claimed_at")


def _copied(columns: tuple[str, ...]) -> tuple[str, str]:
    """The column list and what each copy's value is."""
    values = {
        "reference": f"'{PREFIX}' || (number + k)",
        "number": "number + k",
        **{c: f"{c} + make_interval(secs => k)" for c in _DATES},
    }
    return ", ".join(columns), ", ".join(values.get(c, c) for c in columns)


def copy_rows(conn: Connection[Any], copies: int) -> int:
    """Copy every ticket (and its task rows); returns the tickets made. The secondary
    indexes are made again afterwards, as a rebuild does (faster than row by row)."""
    if copies < 2:
        return 0
    indexes = conn.execute(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
        " JOIN pg_class c ON c.oid = x.indexrelid"
        " WHERE x.indrelid IN ('tickets'::regclass, 'ticket_tasks'::regclass)"
        " AND NOT x.indisprimary AND NOT x.indisunique"
    ).fetchall()
    with conn.transaction():
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        columns, values = _copied(TICKET_COLUMNS)
        made = conn.execute(
            f"INSERT INTO tickets (id, {columns})"
            f" SELECT md5(id::text || k)::uuid, {values}"
            " FROM tickets CROSS JOIN generate_series(1, %s) AS k",
            (copies - 1,),
        ).rowcount
        columns, values = _copied(TASK_COLUMNS)
        conn.execute(
            f"INSERT INTO ticket_tasks (ticket_id, {columns})"
            f" SELECT md5(ticket_id::text || k)::uuid, {values}"
            " FROM ticket_tasks CROSS JOIN generate_series(1, %s) AS k",
            (copies - 1,),
        )
        for _, definition in indexes:
            conn.execute(definition)
    return made


def originals(conn: Connection[Any], copies: int, count: int) -> list[Any]:
    """A random sample of the tickets that have events."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT id FROM tickets WHERE (number - %s) %% %s = 0 ORDER BY random() LIMIT %s",
            (FIRST, max(copies, 1), count),
        )
    ]
