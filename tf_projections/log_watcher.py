"""One watcher of the event log per process: it LISTENs for commits, reads the ids and
topics each commit added (one small query), and wakes only the workers whose topics came.

Before it, every worker of a process held its own LISTEN connection and queried the log
on every commit: with eight read models that was eight wake-ups and sixteen queries per
submission, most of them for models the submission does not concern.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, ClassVar

import psycopg

from tf_projections.listening import keep_listening
from tf_projections.read_model import EVENTS_TABLE

# Without a commit, the log is read again now and then anyway: a safety net that costs
# one query a second.
IDLE_SECONDS = 1.0
PAGE = 10_000


class Subscription:
    """What one worker is told: that events of its topics came, from which id, and the
    head of the log to read up to."""

    def __init__(self, watcher: LogWatcher, topics: Iterable[str]) -> None:
        self.watcher = watcher
        self.topics = frozenset(topics)
        # The lowest id of ours not yet taken; 0: read from your own position (at start).
        self.first: int | None = 0
        self.woken = False
        # Its own condition on the watcher's lock: a commit wakes only the workers it
        # concerns, not every worker of the process.
        self.ready = threading.Condition(watcher.lock)

    def take(self, timeout: float) -> tuple[int, int] | None:
        """Wait until events of ours came (or `wake`), up to `timeout`; then the first id
        of ours and the head to read up to, or None if none came."""
        with self.ready:
            if self.first is None and not self.woken:
                self.ready.wait_for(lambda: self.first is not None or self.woken, timeout)
            self.woken = False
            if self.first is None:
                return None
            first, self.first = self.first, None
            return first, self.watcher.head

    def wake(self) -> None:
        """Return from `take` at once (a worker stopping)."""
        with self.ready:
            self.woken = True
            self.ready.notify()

    def close(self) -> None:
        self.watcher.unsubscribe(self)


class LogWatcher:
    _shared: ClassVar[dict[tuple[str, str], LogWatcher]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def subscribe_to(cls, database_url: str, channel: str, topics: Iterable[str]) -> Subscription:
        """A subscription to this process's watcher of this log, started if need be."""
        with cls._shared_lock:
            watcher = cls._shared.get((database_url, channel))
            if watcher is None:
                watcher = cls._shared[(database_url, channel)] = cls(database_url, channel)
            return watcher.subscribe(topics)

    def __init__(self, database_url: str, channel: str) -> None:
        self.database_url = database_url
        self.channel = channel
        self.head = 0
        self.lock = threading.Lock()
        self.subscriptions: list[Subscription] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="log-watcher", daemon=True)
        self._thread.start()

    def subscribe(self, topics: Iterable[str]) -> Subscription:
        subscription = Subscription(self, topics)
        with self.lock:
            self.subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._shared_lock, self.lock:
            if subscription in self.subscriptions:
                self.subscriptions.remove(subscription)
            if not self.subscriptions:  # the last one out stops the watcher
                self._stopping.set()
                if self._shared.get((self.database_url, self.channel)) is self:
                    del self._shared[(self.database_url, self.channel)]

    def _run(self) -> None:
        keep_listening(
            self.database_url, [self.channel], self._follow, self._stopping, who="the log watcher"
        )

    def _follow(self, conn: psycopg.Connection[Any]) -> None:
        if not self.head:  # the workers catch up from their own positions
            self._start_at(self._head(conn))
        while not self._stopping.is_set():
            self._read(conn)  # after LISTEN: no commit slips between
            for _ in conn.notifies(timeout=IDLE_SECONDS, stop_after=1):
                pass
            for _ in conn.notifies(timeout=0):  # one read answers them all
                pass

    def _start_at(self, head: int) -> None:
        with self.lock:
            self.head = head
            for subscription in self.subscriptions:
                subscription.first = 0
                subscription.ready.notify()

    @staticmethod
    def _head(conn: psycopg.Connection[Any]) -> int:
        head = f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}"  # noqa: S608
        row = conn.execute(head).fetchone()
        return int(row[0]) if row else 0

    def _read(self, conn: psycopg.Connection[Any]) -> None:
        """The ids and topics committed since the last read. One statement sees a prefix
        of the log with no gap to be filled later: the recorder's table lock makes ids
        commit in order."""
        while rows := conn.execute(
            f"SELECT notification_id, topic FROM {EVENTS_TABLE}"  # noqa: S608 - a constant name
            " WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
            (self.head, PAGE),
        ).fetchall():
            firsts: dict[str, int] = {}
            for notification_id, topic in rows:
                firsts.setdefault(topic, notification_id)
            with self.lock:
                self.head = rows[-1][0]
                for subscription in self.subscriptions:
                    ours = [firsts[t] for t in subscription.topics & firsts.keys()]
                    if ours and subscription.first is None:
                        subscription.first = min(ours)
                        subscription.ready.notify()
            if len(rows) < PAGE:
                return
