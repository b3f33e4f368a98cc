"""Read-your-writes: wait until the read models that care about a write have applied it.

Workers NOTIFY after each commit, so a waiter wakes within a millisecond or two instead of
polling on the library's 100 ms floor.
"""

from __future__ import annotations

import logging
import sys
import threading
from time import monotonic
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from tf_events.written import Written
from tf_projections.listening import keep_listening
from tf_projections.read_model import ReadModel, channel_of, listen_to
from tf_projections.registry import READ_MODELS
from tf_projections.status import last_event_id

log = logging.getLogger(__name__)


class ProjectionsLagging(TimeoutError):
    pass


def targets_of(
    written: Written, models: tuple[type[ReadModel], ...] = READ_MODELS
) -> dict[type[ReadModel], int]:
    """For each read model that handles one of the written events and that writes wait
    for, the id to reach."""
    targets: dict[type[ReadModel], int] = {}
    for model in models:
        if not model.waits_for_writes:
            continue
        topics = set(model.topics())
        ids = [nid for nid, topic in written.positions if topic in topics]
        if ids:
            targets[model] = max(ids)
    return targets


def wait_for(pool: ConnectionPool, written: Written, timeout: float) -> None:
    """Block until every concerned read model shows `written`, or raise ProjectionsLagging.

    Holds a pool connection while it waits: for scripts and tests. The web uses one
    PositionWatcher per process instead."""
    wait_for_positions(pool, targets_of(written), timeout)


def wait_for_positions(
    pool: ConnectionPool, targets: dict[type[ReadModel], int], timeout: float
) -> None:
    """Block until each read model has reached its position, or raise ProjectionsLagging."""
    if not targets:
        return
    deadline = monotonic() + timeout
    with pool.connection() as conn:
        # LISTEN before the first check, so no NOTIFY between check and wait is missed.
        listen_to(conn, [model.name for model in targets])
        try:
            while True:
                with conn.cursor() as cur:
                    behind = [
                        m.name for m, target in targets.items() if (m.position(cur) or 0) < target
                    ]
                if not behind:
                    return
                remaining = deadline - monotonic()
                if remaining <= 0:
                    raise ProjectionsLagging(f"read models still behind: {', '.join(behind)}")
                for _ in conn.notifies(timeout=remaining, stop_after=1):
                    pass
        finally:
            conn.execute("UNLISTEN *")


def wait_until_caught_up(
    pool: ConnectionPool, models: tuple[type[ReadModel], ...], timeout: float
) -> None:
    """Block until each read model has applied every event of its own written so far: for
    tests and benchmarks that read a model no write waits for (reports)."""
    with pool.connection() as conn, conn.cursor() as cur:
        targets = {model: last for model in models if (last := last_event_id(cur, model.topics()))}
    wait_for_positions(pool, targets, timeout)


class PositionWatcher:
    """One LISTEN connection per process that follows every read model's position, so
    any number of waiting requests hold no database connection while they wait.

    It is also a breaker: once a wait times out, the read models it waited for are known
    to be behind (their worker is down or far behind), and nobody waits for them again
    until they pass the position that wait missed. Without it, while a worker was down
    every write held a web thread for the whole timeout.
    """

    def __init__(
        self, database_url: str, models: tuple[type[ReadModel], ...] = READ_MODELS
    ) -> None:
        self.database_url = database_url
        self.models = models
        self._positions: dict[str, int] = {}
        # Read model name -> the position a wait timed out on; gone once it is reached.
        self._behind: dict[str, int] = {}
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def _ensure_started(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._follow, name="projection-positions", daemon=True
                )
                self._thread.start()

    def _follow(self) -> None:
        channels = [channel_of(m.name) for m in self.models if m.waits_for_writes]
        keep_listening(
            self.database_url, channels, self._track, self._stopping, who="the position watcher"
        )

    def _track(self, conn: psycopg.Connection[Any]) -> None:
        with conn.cursor() as cur:  # after LISTEN: nothing slips between
            for model in self.models:
                self._advance(model.name, model.position(cur) or 0)
        while not self._stopping.is_set():
            for note in conn.notifies(timeout=0.25):  # re-checks the stop flag
                name, _, position = note.payload.partition(":")
                if position.isdigit():
                    self._advance(name, int(position))

    def _advance(self, name: str, position: int) -> None:
        with self._changed:
            if position > self._positions.get(name, -1):
                self._positions[name] = position
                if position >= self._behind.get(name, sys.maxsize):
                    del self._behind[name]
                    log.info("read model %s caught up; read-your-writes waits again", name)
                self._changed.notify_all()

    def wait_for(self, written: Written, timeout: float) -> None:
        """Block until every concerned read model shows `written`, or raise ProjectionsLagging:
        after `timeout`, or at once for a read model known to be behind."""
        targets = {m.name: t for m, t in targets_of(written, self.models).items()}
        if not targets:
            return
        self._ensure_started()
        deadline = monotonic() + timeout
        with self._changed:
            while behind := [n for n, t in targets.items() if self._positions.get(n, -1) < t]:
                if known := [n for n in behind if n in self._behind]:
                    raise ProjectionsLagging(f"read models known to be behind: {', '.join(known)}")
                remaining = deadline - monotonic()
                if remaining <= 0:
                    for name in behind:
                        self._behind[name] = targets[name]
                    log.warning(
                        "read models %s missed read-your-writes; not waiting for them until"
                        " they catch up",
                        ", ".join(behind),
                    )
                    self._changed.notify_all()  # the other waiters for them stop too
                    raise ProjectionsLagging(f"read models still behind: {', '.join(behind)}")
                self._changed.wait(remaining)

    def close(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
