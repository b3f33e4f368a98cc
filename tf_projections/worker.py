"""Projection workers: one thread per read model, following the log through LISTEN/NOTIFY."""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg
from eventsourcing.persistence import ApplicationRecorder, Mapper
from psycopg_pool import ConnectionPool

from tf_projections.read_model import ReadModel, advisory_key

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0


class ProjectionWorker:
    """Applies each event of one read model's topics exactly once, in log order.

    A session advisory lock makes sure only one worker per read model runs anywhere.
    """

    def __init__(
        self,
        model: ReadModel,
        recorder: ApplicationRecorder,
        pool: ConnectionPool,
        database_url: str,
    ) -> None:
        self.model = model
        self.recorder = recorder
        self.pool = pool
        self.database_url = database_url
        self._stopping = threading.Event()
        self._subscription: Any = None
        self.thread = threading.Thread(target=self._run, name=f"projection-{model.name}")

    def start(self) -> ProjectionWorker:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._subscription is not None:
            self._subscription.stop()

    def join(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._follow()
            except Exception:
                log.exception("projection %s failed; retrying", self.model.name)
                self._stopping.wait(RETRY_SECONDS)

    def _follow(self) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as lock_conn:
            key = advisory_key(f"worker:{self.model.name}")
            while not lock_conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:  # type: ignore[index]
                log.info("another worker runs projection %s; waiting", self.model.name)
                if self._stopping.wait(RETRY_SECONDS):
                    return
            with lock_conn.cursor() as cur:
                position = self.model.position(cur)
            subscription = self.recorder.subscribe(gt=position, topics=self.model.topics())
            self._subscription = subscription
            with subscription:
                if self._stopping.is_set():
                    return
                for notification in subscription:
                    with self.pool.connection() as conn, conn.transaction():
                        self.model.apply_batch(conn, [notification])
                    if self._stopping.is_set():
                        return


def start_workers(
    models: list[type[ReadModel]],
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    pool: ConnectionPool,
    database_url: str,
) -> list[ProjectionWorker]:
    return [
        ProjectionWorker(model(mapper), recorder, pool, database_url).start() for model in models
    ]
