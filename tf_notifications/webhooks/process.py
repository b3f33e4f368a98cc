"""The webhooks' part of the notifications process: the follower that queues deliveries
as events arrive, and senders that POST them (started beside email's)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from tf_notifications.webhooks.follower import WebhookFollower
from tf_notifications.webhooks.guard import Resolver, system_resolver
from tf_notifications.webhooks.sender import FIRST_BACKOFF_SECONDS, Sender
from tf_projections.worker import ProjectionWorker
from tf_system.bootstrap import System


@dataclass
class Webhooks:
    follower: ProjectionWorker
    senders: list[Sender]

    def stop(self, timeout: float = 10) -> None:
        self.follower.stop()
        for sender in self.senders:
            sender.stop()
        self.follower.join(timeout)
        for sender in self.senders:
            sender.join(timeout)


def start_webhooks(
    system: System,
    concurrency: int = 1,
    *,
    resolve: Resolver = system_resolver,
    first_backoff: float = FIRST_BACKOFF_SECONDS,
) -> Webhooks:
    """Several processes may run this, on several machines: one follows the log (an
    advisory lock elects it), every sender leases deliveries with SKIP LOCKED."""
    follower = ProjectionWorker(
        WebhookFollower(system.app.mapper), system.app.recorder, system.pool, system.database_url
    ).start()
    senders = [
        Sender(
            system.app,
            system.pool,
            system.database_url,
            resolve=resolve,
            first_backoff=first_backoff,
        ).start()
        for _ in range(concurrency)
    ]
    return Webhooks(follower, senders)


def wait_for_deliveries(pool: ConnectionPool, timeout: float) -> None:
    """Block until every delivery is settled: delivered, given up or skipped, none waiting
    for a retry (for tests and benchmarks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with pool.connection() as conn:
            busy = conn.execute(
                "SELECT count(*) FROM webhook_deliveries WHERE status IN ('pending', 'sending')"
            ).fetchone()
        if busy and busy[0] == 0:
            return
        time.sleep(0.05)
    raise TimeoutError("webhook deliveries still pending")
