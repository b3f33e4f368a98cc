"""Projection workers: one thread per read model, woken by the process's LogWatcher when
events of its topics are committed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, Mapper, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg_pool import ConnectionPool

from tf_projections.log_watcher import LogWatcher, Subscription
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

    A session advisory lock makes sure only one worker per read model runs anywhere (and
    applying takes a transaction lock, so even two at once would not apply twice). The
    watcher LISTENs before its first read, so an event committed in between is never
    missed (the library's subscription starts both at once and can miss one until the next).
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
        self._subscription: Subscription | None = None
        self.thread = threading.Thread(target=self._run, name=f"projection-{model.name}")

    def start(self) -> ProjectionWorker:
        self.thread.start()
        return self

    @property
    def _channel(self) -> str:
        return self.recorder.channel_name

    def stop(self) -> None:
        self._stopping.set()
        if self._subscription is not None:  # now rather than at the idle re-check
            self._subscription.wake()

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
        # This connection only holds the lock: the process's LogWatcher does the listening.
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as holder:
            key = advisory_key(f"worker:{self.model.name}")
            while not holder.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:  # type: ignore[index]
                log.info("another worker runs projection %s; waiting", self.model.name)
                if self._stopping.wait(MAX_RETRY_SECONDS):
                    return
            with holder.cursor() as cur:
                position = self.model.position(cur) or 0
            self._retry_delay = RETRY_SECONDS  # connected: the next failure retries at once
            topics = self.model.topics()
            subscription = LogWatcher.subscribe_to(self.database_url, self._channel, topics)
            self._subscription = subscription
            try:
                while not self._stopping.is_set():
                    news = subscription.take(IDLE_RECHECK_SECONDS)
                    if news is None:
                        holder.execute("SELECT 1")  # notices a lost connection, and lock
                        continue
                    while news is not None and not self._stopping.is_set():
                        position = self._read(position, topics, *news)
                        news = self._while_busy(subscription.take(0))
            finally:
                subscription.close()

    def _read(self, position: int, topics: Sequence[str], first: int, head: int) -> int:
        """Apply our events from the first new one up to the head the watcher saw (never
        again over a stretch of the log with none of ours); returns the new position."""
        position = max(position, first - 1)
        while position < head and not self._stopping.is_set():
            batch = self.recorder.select_notifications(
                position,
                BATCH_SIZE,
                stop=head,
                topics=topics,
                inclusive_of_start=False,
            )
            if batch:
                with self.pool.connection() as conn, conn.transaction():
                    self.model.apply_batch(conn, batch)
            position = batch[-1].id if len(batch) == BATCH_SIZE else head
        return position

    def _while_busy(self, news: tuple[int, int] | None) -> tuple[int, int] | None:
        """News that came while this worker was applying means a busy log. A model that
        nobody's request waits for then lets it pile up for `min_read_interval`, so a
        burst of writes is applied in a few large batches instead of competing with the
        writers event by event; on a quiet log it reads each commit at once."""
        interval = self.model.min_read_interval
        if news is None or not interval or self._subscription is None:
            return news
        self._stopping.wait(interval)
        more = self._subscription.take(0)
        return (news[0], more[1]) if more else news


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
