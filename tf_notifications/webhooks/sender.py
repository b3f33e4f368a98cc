"""The webhook sender: lease a due delivery, check where its hook points now, POST it
signed, record the attempt, and retry with exponential backoff until it gives up.

A delivery is sent at least once: a sender that dies mid-POST loses its lease and another
sends it again, with the same `webhook-id` so the receiver can tell.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_events.application import TicketFlower
from tf_events.errors import NotFound
from tf_notifications.webhooks.guard import Resolver, TargetRefused, check_target, system_resolver
from tf_notifications.webhooks.posting import TIMEOUT_SECONDS, Reply, post
from tf_notifications.webhooks.service import get_webhook
from tf_notifications.webhooks.signing import headers
from tf_projections.read_model import listen_to, wait_for_news

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# 4, 8, 16 and 32 minutes between the five attempts: they span about an hour.
FIRST_BACKOFF_SECONDS = 240.0
LEASE_SECONDS = TIMEOUT_SECONDS * 3 + 15
IDLE_SECONDS = 0.5
# Whose new positions wake this sender: the delivery follower as it queues deliveries,
# and the hooks' read model (a test send).
NEWS_FROM = ("webhook_deliveries", "webhooks")


@dataclass(frozen=True)
class Lease:
    delivery_id: uuid.UUID
    hook_id: uuid.UUID
    body: str
    attempts: int  # counting this one


def backoff(attempt: int, first: float = FIRST_BACKOFF_SECONDS) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    return float(first * 2 ** (attempt - 1))


class Sender:
    """One sender thread; run several for concurrency, on as many machines as wanted."""

    def __init__(
        self,
        app: TicketFlower,
        pool: ConnectionPool,
        database_url: str | None = None,
        *,
        resolve: Resolver = system_resolver,
        first_backoff: float = FIRST_BACKOFF_SECONDS,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.app, self.pool, self.database_url = app, pool, database_url
        self.resolve, self.first_backoff, self.timeout = resolve, first_backoff, timeout
        self.name = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name=f"webhooks-{self.name}")

    def start(self) -> Sender:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()

    def join(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                with self._listener() as listener:
                    while not self._stopping.is_set():
                        if not self.send_one():
                            self._idle(listener)
            except Exception:
                log.exception("webhook sender %s failed; going on", self.name)
                self._stopping.wait(IDLE_SECONDS)

    def _listener(self) -> AbstractContextManager[psycopg.Connection[Any] | None]:
        if self.database_url is None:
            return nullcontext()
        listener = psycopg.connect(self.database_url, autocommit=True, connect_timeout=5)
        listen_to(listener, NEWS_FROM)
        return listener

    def _idle(self, listener: psycopg.Connection[Any] | None) -> None:
        """Wait for the follower to queue deliveries (it notifies as its position moves),
        or re-check now and then: a retry falls due, a lease runs out."""
        if listener is None:
            self._stopping.wait(IDLE_SECONDS)
            return
        wait_for_news(listener, NEWS_FROM, IDLE_SECONDS)

    # -- one delivery ----------------------------------------------------------------

    def send_one(self) -> bool:
        """Lease the most overdue delivery and attempt it; False when nothing is due."""
        lease = self._lease()
        if lease is None:
            return False
        started = datetime.now(UTC)
        try:
            reply = self._attempt(lease)
        except NotFound:
            self._finish(lease, "skipped", "The webhook no longer exists.")
            return True
        if reply is None:
            self._finish(lease, "skipped", "The webhook is disabled.")
            return True
        self._record(lease, started, reply)
        return True

    def _lease(self) -> Lease | None:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                "UPDATE webhook_deliveries d SET status = 'sending', attempts = d.attempts + 1,"
                " sender = %s, lease_until = now() + make_interval(secs => %s),"
                " updated_at = now()"
                " WHERE id = ("
                "   SELECT id FROM webhook_deliveries"
                "   WHERE status IN ('pending', 'sending')"
                "     AND coalesce(lease_until, due_at) <= now() AND due_at <= now()"
                "   ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED"
                " ) RETURNING id, hook_id, body, attempts",
                (self.name, LEASE_SECONDS),
            ).fetchone()
        if row is None:
            return None
        return Lease(row["id"], row["hook_id"], row["body"], row["attempts"])

    def _attempt(self, lease: Lease) -> Reply | None:
        hook = get_webhook(self.app, lease.hook_id)  # the secret is read from the log only
        if not hook.enabled:
            return None
        started = time.monotonic()
        try:  # checked again now: what the host resolves to may have changed
            target = check_target(hook.url, hook.allow_private, self.resolve)
        except TargetRefused as refused:
            return Reply(None, "", f"Refused: {refused.message}", time.monotonic() - started)
        body = lease.body.encode()
        sent = headers(hook.secret, str(lease.delivery_id), int(time.time()), body)
        return post(target, sent, body, self.timeout)

    def _record(self, lease: Lease, started: datetime, reply: Reply) -> None:
        if reply.ok:
            status, due_in = "delivered", 0.0
        elif lease.attempts < MAX_ATTEMPTS:
            status, due_in = "pending", backoff(lease.attempts, self.first_backoff)
        else:
            status, due_in = "failed", 0.0
        result = str(reply.status_code) if reply.status_code else (reply.error or "failed")
        with self.pool.connection() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO webhook_attempts (delivery_id, attempt, started_at, seconds,"
                " status_code, error, response) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                (
                    lease.delivery_id,
                    lease.attempts,
                    started,
                    reply.seconds,
                    reply.status_code,
                    reply.error,
                    reply.response or None,
                ),
            )
            self._set(conn, lease, status, result[:500], due_in)

    def _finish(self, lease: Lease, status: str, why: str) -> None:
        with self.pool.connection() as conn:
            self._set(conn, lease, status, why, 0.0)

    def _set(
        self, conn: psycopg.Connection[Any], lease: Lease, status: str, result: str, due_in: float
    ) -> None:
        conn.execute(
            "UPDATE webhook_deliveries SET status = %s, last_result = %s, lease_until = NULL,"
            " due_at = now() + make_interval(secs => %s), updated_at = now()"
            " WHERE id = %s AND sender = %s",
            (status, result, due_in, lease.delivery_id, self.name),
        )
