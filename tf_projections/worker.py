"""Projection workers: one thread per read model, following the log through LISTEN/NOTIFY."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, Mapper, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql
from psycopg_pool import ConnectionPool

from tf_projections.read_model import ReadModel, advisory_key

log = logging.getLogger(__name__)

# After losing the database the worker starts again at once, then less and less often if
# it stays away: a dropped connection costs milliseconds, a long outage no busy loop.
RETRY_SECONDS = 0.1
MAX_RETRY_SECONDS = 2.0
# Errors that mean the database went away, rather than a bug: logged without a traceback.
CONNECTION_ERRORS = (psycopg.OperationalError, OperationalError, InterfaceError)
BATCH_SIZE = 500
IDLE_RECHECK_SECONDS = 1.0


class ProjectionWorker:
    """Applies each event of one read model's topics exactly once, in log order.

    A session advisory lock makes sure only one worker per read model runs anywhere.
    It LISTENs before its first read, so an event committed in between is never missed
    (the library's subscription starts both at once and can miss one until the next).
    """

    def __init__(
        self,
        model: ReadModel,
        recorder: PostgresApplicationRecorder,
        pool: ConnectionPool,
        database_url: str,
    ) -> None:
        self.model = model
        self.recorder = recorder
        self.pool = pool
        self.database_url = database_url
        self._stopping = threading.Event()
        self._last_read = 0.0
        self.thread = threading.Thread(target=self._run, name=f"projection-{model.name}")

    def start(self) -> ProjectionWorker:
        self.thread.start()
        return self

    @property
    def _channel(self) -> str:
        return self.recorder.channel_name

    def stop(self) -> None:
        self._stopping.set()
        try:  # wake the listener now rather than at its next idle re-check
            with self.pool.connection() as conn:
                conn.execute("SELECT pg_notify(%s, 'stop')", (self._channel,))
        except Exception:  # noqa: BLE001 - it still stops at the re-check
            log.debug("could not wake projection %s", self.model.name)

    def join(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)

    def _run(self) -> None:
        self._retry_delay = RETRY_SECONDS
        while not self._stopping.is_set():
            try:
                self._follow()
            except CONNECTION_ERRORS as exc:
                log.warning("projection %s lost the database (%s); retrying", self.model.name, exc)
                self._stopping.wait(self._retry_delay)
                self._retry_delay = min(self._retry_delay * 2, MAX_RETRY_SECONDS)
            except Exception:
                log.exception("projection %s failed; retrying", self.model.name)
                self._stopping.wait(MAX_RETRY_SECONDS)

    def _follow(self) -> None:
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as listener:
            key = advisory_key(f"worker:{self.model.name}")
            while not listener.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:  # type: ignore[index]
                log.info("another worker runs projection %s; waiting", self.model.name)
                if self._stopping.wait(MAX_RETRY_SECONDS):
                    return
            listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            with listener.cursor() as cur:
                position = self.model.position(cur) or 0
            self._retry_delay = RETRY_SECONDS  # connected: the next failure retries at once
            topics = self.model.topics()
            while not self._stopping.is_set():
                # Read only up to the log's head as it is now, and remember having read
                # that far even when none of it is ours: a read model whose events are
                # rare (users, definitions) would otherwise scan every event since its
                # last one on each wake, a cost that grows with the log. Safe because the
                # recorder's table lock commits notification ids in order: no gap below
                # the head is filled in later.
                head = self.recorder.max_notification_id() or 0
                if head > position:
                    batch = self.recorder.select_notifications(
                        position, BATCH_SIZE, stop=head, topics=topics, inclusive_of_start=False
                    )
                    if batch:
                        with self.pool.connection() as conn, conn.transaction():
                            self.model.apply_batch(conn, batch)
                    if len(batch) == BATCH_SIZE:
                        position = batch[-1].id
                        continue
                    position = head
                self._wait_for_commits(listener)

    def _wait_for_commits(self, listener: psycopg.Connection[Any]) -> None:
        """Until a commit after the last read (or the idle re-check, to notice a stop).

        Each commit NOTIFYs once: the ones that came while this worker was busy are all
        answered by one read. A model that nobody's request waits for reads at most every
        `min_read_interval` while the log is busy, so a burst of writes is applied in a
        few large batches instead of competing with the writers event by event.
        """
        for _ in listener.notifies(timeout=IDLE_RECHECK_SECONDS, stop_after=1):
            pass
        interval = self.model.min_read_interval
        if interval:
            self._stopping.wait(max(0.0, self._last_read + interval - time.monotonic()))
            self._last_read = time.monotonic()
        for _ in listener.notifies(timeout=0):
            pass


def start_workers(
    models: list[type[ReadModel]],
    recorder: PostgresApplicationRecorder,
    mapper: Mapper[Any],
    pool: ConnectionPool,
    database_url: str,
) -> list[ProjectionWorker]:
    return [
        ProjectionWorker(model(mapper), recorder, pool, database_url).start() for model in models
    ]
