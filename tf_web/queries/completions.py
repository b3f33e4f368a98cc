"""Completed actions: every task completion of a range, newest first, paged by keyset;
and all of them at once for the CSV export."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

if TYPE_CHECKING:
    from tf_web.queries.report_filter import ReportFilter

COMPLETIONS_PAGE = 25


@dataclass(frozen=True)
class Completion:
    ticket_id: UUID
    version: int
    reference: str
    task_name: str
    by_username: str
    completed_at: datetime
    wait_seconds: float | None
    work_seconds: float | None


COMPLETION_COLUMNS = (
    "ticket_id, version, reference, task_name, by_username, completed_at, wait_seconds,"
    " work_seconds"
)


def encode_cursor(row: Completion) -> str:
    raw = json.dumps([row.completed_at.isoformat(), str(row.ticket_id), row.version])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, UUID, int]:
    """ValueError for anything but a cursor this module made."""
    try:
        at, ticket_id, version = json.loads(
            base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        )
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None or not isinstance(version, int):
            raise ValueError
        return moment, UUID(ticket_id), version
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise ValueError("This page link is damaged; start from the newest.") from error


@dataclass(frozen=True)
class CompletionPage:
    rows: list[Completion]
    next: str | None  # the cursor of the next (older) page


def completions(
    conn: Connection[Any], f: ReportFilter, after: str | None = None,
    limit: int = COMPLETIONS_PAGE,
) -> CompletionPage:  # fmt: skip
    """Newest first, a page at a time (keyset: a page never shifts as work goes on)."""
    where, values = f.where("completed_at")
    if after:
        at, ticket_id, version = decode_cursor(after)
        where += " AND (completed_at, ticket_id, version) < (%(at)s, %(id)s, %(version)s)"
        values.update(at=at, id=ticket_id, version=version)
    with conn.cursor(row_factory=class_row(Completion)) as cur:
        rows = cur.execute(
            f"SELECT {COMPLETION_COLUMNS} FROM report_completions WHERE {where}"  # noqa: S608
            " ORDER BY completed_at DESC, ticket_id DESC, version DESC LIMIT %(limit)s",
            {**values, "limit": limit + 1},
        ).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    return CompletionPage(rows, encode_cursor(rows[-1]) if more else None)


def all_completions(pool: ConnectionPool, f: ReportFilter) -> Iterator[Completion]:
    """Every completion of the range, newest first, streamed (the CSV export)."""
    where, values = f.where("completed_at")
    with (
        pool.connection() as conn,
        conn.transaction(),
        conn.cursor("report_completions", row_factory=class_row(Completion)) as cur,
    ):
        cur.execute(
            f"SELECT {COMPLETION_COLUMNS} FROM report_completions WHERE {where}"  # noqa: S608
            " ORDER BY completed_at DESC, ticket_id DESC, version DESC",
            values,
        )
        yield from cur
