"""The dashboard's counts: each one a walk of a partial index, stopped at COUNT_CAP so a
large queue costs no more than a small one ("1000+")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg_pool import ConnectionPool

from tf_web.queries.task_list import Reader

COUNT_CAP = 1000


@dataclass(frozen=True)
class WorkCounts:
    queue: int  # up to COUNT_CAP + 1: more than the cap
    mine: int
    in_error: int
    closed_today: int


def _capped(inner: str) -> str:
    return f"(SELECT count(*) FROM ({inner} LIMIT {COUNT_CAP + 1}) capped)"  # noqa: S608


_QUEUE = _capped(
    "SELECT 1 FROM ticket_tasks WHERE status = 'OPEN' AND assignee_id IS NULL AND kind = 'human'"
    " AND (%(whole)s OR roles = '{}' OR roles && %(roles)s)"
)
_MINE = _capped(
    "SELECT 1 FROM ticket_tasks WHERE assignee_id = %(me)s AND status IN ('OPEN', 'ERROR')"
)
_IN_ERROR = _capped("SELECT 1 FROM ticket_tasks WHERE status = 'ERROR'")
_CLOSED = _capped("SELECT 1 FROM tickets WHERE closed_at >= %(since)s")


def work_counts(pool: ConnectionPool, reader: Reader, day_start: datetime) -> WorkCounts:
    """The queue this reader may claim from, their tasks, the tasks in error, and the
    tickets closed since `day_start`, in one round trip."""
    with pool.connection() as conn:
        row = conn.execute(
            f"SELECT {_QUEUE}, {_MINE}, {_IN_ERROR}, {_CLOSED}",
            {
                "whole": reader.whole_queue,
                "roles": sorted(reader.roles),
                "me": reader.id,
                "since": day_start,
            },
        ).fetchone()
    assert row is not None
    return WorkCounts(*row)
