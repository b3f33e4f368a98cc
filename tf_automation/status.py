"""What the automation worker is doing: runs in flight, the queue, failures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_projections.read_model import EVENTS_TABLE


@dataclass(frozen=True)
class AutomationStatus:
    running: int
    due: int  # queued and due now: the queue's depth
    retrying: int  # queued for a later retry
    failed: int
    done: int
    position: int  # how far the follower has read the log
    head: int
    recent_failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def lag(self) -> int:
        return self.head - self.position

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "lag": self.lag}


def automation_status(pool: ConnectionPool) -> AutomationStatus:
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        counts = cur.execute(
            "SELECT"
            " count(*) FILTER (WHERE status = 'running' AND lease_until > now()) AS running,"
            " count(*) FILTER (WHERE status IN ('queued', 'running') AND due_at <= now()"
            "   AND coalesce(lease_until, due_at) <= now()) AS due,"
            " count(*) FILTER (WHERE status = 'queued' AND due_at > now()) AS retrying,"
            " count(*) FILTER (WHERE status = 'failed') AS failed,"
            " count(*) FILTER (WHERE status = 'done') AS done"
            " FROM automation_runs"
        ).fetchone()
        position = cur.execute(
            "SELECT coalesce(max(notification_id), 0) AS n FROM automation_tracking"
        ).fetchone()
        head = cur.execute(
            f"SELECT coalesce(max(notification_id), 0) AS n FROM {EVENTS_TABLE}"  # noqa: S608 - constant
        ).fetchone()
        failures = cur.execute(
            "SELECT reference, task_name, attempts, last_error, updated_at"
            " FROM automation_runs WHERE status = 'failed' ORDER BY updated_at DESC LIMIT 5"
        ).fetchall()
    assert counts is not None and position is not None and head is not None
    return AutomationStatus(
        **counts, position=position["n"], head=head["n"], recent_failures=failures
    )
