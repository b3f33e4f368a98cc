"""What the admin pages read: hooks (the read table), deliveries and their attempts (the
sender's own tables), and the one write a page makes here, queueing a test event."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from psycopg.rows import class_row, dict_row
from psycopg_pool import ConnectionPool

from tf_notifications.webhooks.kinds import TEST_KIND
from tf_projections.read_model import channel_of

DELIVERIES_PER_PAGE = 50


@dataclass
class HookRow:
    id: uuid.UUID
    name: str
    url: str
    ticket_types: list[str]
    event_kinds: list[str]
    allow_private: bool
    enabled: bool
    created_by: str
    created_at: datetime
    updated_at: datetime
    secret_rotated_at: datetime | None
    version: int
    last_result: str | None = None
    last_status: str | None = None


@dataclass
class DeliveryRow:
    id: uuid.UUID
    kind: str
    reference: str | None
    status: str
    attempts: int
    due_at: datetime
    created_at: datetime
    last_result: str | None
    attempt_rows: list[dict[str, Any]] = field(default_factory=list)


_HOOK = (
    "SELECT h.*, d.last_result, d.status AS last_status FROM webhooks h LEFT JOIN LATERAL ("
    " SELECT last_result, status FROM webhook_deliveries WHERE hook_id = h.id AND attempts > 0"
    " ORDER BY updated_at DESC LIMIT 1) d ON true"
)


def list_hooks(pool: ConnectionPool) -> list[HookRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(HookRow)) as cur:
        return cur.execute(f"{_HOOK} ORDER BY lower(h.name), h.id").fetchall()


def get_hook(pool: ConnectionPool, hook_id: uuid.UUID) -> HookRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(HookRow)) as cur:
        return cur.execute(f"{_HOOK} WHERE h.id = %s", (hook_id,)).fetchone()


def list_deliveries(
    pool: ConnectionPool, hook_id: uuid.UUID, before: datetime | None = None
) -> list[DeliveryRow]:
    """The newest deliveries of a hook (older than `before`), each with every attempt."""
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        found = cur.execute(
            "SELECT id, kind, reference, status, attempts, due_at, created_at, last_result"
            " FROM webhook_deliveries WHERE hook_id = %s AND (%s::timestamptz IS NULL"
            " OR created_at < %s) ORDER BY created_at DESC, id LIMIT %s",
            (hook_id, before, before, DELIVERIES_PER_PAGE),
        ).fetchall()
        deliveries = [DeliveryRow(**row) for row in found]
        attempts = cur.execute(
            "SELECT delivery_id, attempt, started_at, seconds, status_code, error, response"
            " FROM webhook_attempts WHERE delivery_id = ANY(%s) ORDER BY attempt",
            ([d.id for d in deliveries],),
        ).fetchall()
    by_id = {d.id: d for d in deliveries}
    for attempt in attempts:
        by_id[attempt["delivery_id"]].attempt_rows.append(attempt)
    return deliveries


def queue_test_delivery(pool: ConnectionPool, hook_id: uuid.UUID, by: str) -> uuid.UUID:
    """A `webhook.test` event for this hook alone, sent like any delivery (signed, retried).
    It comes from a button, not the log, so it has an id of its own."""
    delivery_id = uuid.uuid4()
    now = datetime.now(UTC)
    body = json.dumps(
        {
            "type": TEST_KIND,
            "timestamp": now.isoformat(),
            "data": {"webhook_id": str(hook_id), "sent_by": by},
        },
        separators=(",", ":"),
    )
    with pool.connection() as conn, conn.transaction():
        conn.execute(
            "INSERT INTO webhook_deliveries (id, hook_id, kind, body, status, due_at,"
            " created_at) VALUES (%s, %s, %s, %s, 'pending', %s, %s)",
            (delivery_id, hook_id, TEST_KIND, body, now, now),
        )
        conn.execute(
            "SELECT pg_notify(%s, %s)", (channel_of("webhooks"), f"webhooks:test:{delivery_id}")
        )
    return delivery_id
