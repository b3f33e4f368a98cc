"""The event store's recorder: the library's, inserting without psycopg's pipeline mode, and
trying once more when PostgreSQL drops a connection mid-call.

In pipeline mode one large insert never returns: with about 400 KB of events in one save
(a definition set with several layouts, say) the pipeline's sync waits forever (seen with
psycopg 3.3.9 on a unix socket). The same statements in plain mode take a few more round
trips and always return. Same table lock, same NOTIFY, same single transaction.

The library retries every call ten times, 0.2 s apart, on any operational error, a pool
timeout included: with the database down, a request hung for ten pool timeouts. Here a
call is tried once more, on a fresh connection, only when its connection was lost; a pool
timeout (the database is unreachable) fails at once, and the web answers 503.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql
from psycopg_pool import PoolTimeout

F = TypeVar("F", bound=Callable[..., Any])


def connection_lost(exc: BaseException) -> bool:
    """An error of the library's wrappers that a fresh connection may not repeat."""
    return isinstance(exc, OperationalError | InterfaceError) and not isinstance(
        exc.__cause__, PoolTimeout
    )


def once_more_if_connection_lost(method: F) -> F:
    """Reads only: running them twice is harmless. The pool has already replaced the
    lost connection and its siblings (tf_system.pools)."""
    method = inspect.unwrap(method)  # without the library's own retry

    @wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not connection_lost(exc):
                raise
        return method(*args, **kwargs)

    return call  # type: ignore[return-value]


INSERT_FUNCTION = "tf_insert_events"


@dataclass(frozen=True)
class Announcement:
    """Recording an event whose topic starts with `topic_prefix` NOTIFYs `channel` in the
    same transaction (other processes hear of it at the commit, never before and never
    not at all), then calls `here` (this process, after the commit)."""

    topic_prefix: str
    channel: str
    here: Callable[[], None]


class UnpipelinedApplicationRecorder(PostgresApplicationRecorder):
    announcements: tuple[Announcement, ...] = ()

    select_events = once_more_if_connection_lost(PostgresApplicationRecorder.select_events)
    select_notifications = once_more_if_connection_lost(
        PostgresApplicationRecorder.select_notifications
    )
    max_notification_id = once_more_if_connection_lost(
        PostgresApplicationRecorder.max_notification_id
    )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = self._insert_or_find(stored_events, **kwargs)
        for announcement in self._announced(stored_events):
            announcement.here()
        return ids

    def _insert_or_find(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        try:
            return self._insert_once(stored_events, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not connection_lost(exc):
                raise
        # The lost connection may have committed before it dropped (the reply to COMMIT
        # never came). Then the primary key (originator id, version) refuses the same
        # events again, so nothing is ever stored twice; and finding exactly our events
        # stored means the first try did commit, which is success, not a conflict.
        try:
            return self._insert_once(stored_events, **kwargs)
        except IntegrityError:
            ids = self._ids_if_already_stored(stored_events)
            if ids is None:
                raise
            return ids

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._create_insert_function())

    def _create_insert_function(self) -> sql.Composed:
        """One statement records events as the library's plain path does (lock the table so
        ids commit in order, NOTIFY the log's channel, insert) plus the announcements."""
        return sql.SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}"
            "(events {schema}.{event_type}[], channels text[]) RETURNS SETOF bigint"
            " LANGUAGE plpgsql AS $body$ BEGIN"
            " SET LOCAL lock_timeout = '{lock_timeout}s';"
            " LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;"
            " NOTIFY {channel};"
            " PERFORM pg_notify(announced, '') FROM unnest(channels) AS announced;"
            " RETURN QUERY INSERT INTO {schema}.{table}"
            " (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state FROM unnest(events)"
            " RETURNING notification_id;"
            " END $body$"
        ).format(
            schema=sql.Identifier(self.datastore.schema),
            function=sql.Identifier(INSERT_FUNCTION),
            event_type=sql.Identifier(self.stored_event_type_name),
            lock_timeout=sql.SQL(str(self.datastore.lock_timeout)),
            table=sql.Identifier(self.events_table_name),
            channel=sql.Identifier(self.channel_name),
        )

    def _insert_once(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if stored_events and all(value is None for value in kwargs.values()):  # no tracking
            return self._insert_in_one_statement(stored_events)
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            for announcement in self._announced(stored_events):  # sent at the commit
                curs.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(announcement.channel)))
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _insert_in_one_statement(self, stored_events: Sequence[StoredEvent]) -> list[int]:
        """The same transaction as the plain path, in one round trip instead of six (begin,
        lock, notify, insert, commit), so the table lock is held only while PostgreSQL
        inserts, not while a busy web process gets round to its next statement."""
        events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        channels = [a.channel for a in self._announced(stored_events)]
        statement = sql.SQL("SELECT * FROM {schema}.{function}(%s, %s)").format(
            schema=sql.Identifier(self.datastore.schema), function=sql.Identifier(INSERT_FUNCTION)
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            rows = curs.execute(statement, (events, channels), prepare=True).fetchall()
        return [row[INSERT_FUNCTION] for row in rows]

    def _announced(self, stored_events: Sequence[StoredEvent]) -> list[Announcement]:
        return [
            announcement
            for announcement in self.announcements
            if any(event.topic.startswith(announcement.topic_prefix) for event in stored_events)
        ]

    def _ids_if_already_stored(self, stored_events: Sequence[StoredEvent]) -> list[int] | None:
        """The notification ids of these very events (same bytes), or None if any differs."""
        query = sql.SQL(
            "SELECT state, notification_id FROM {table}"
            " WHERE originator_id = %s AND originator_version = %s"
        ).format(table=sql.Identifier(self.datastore.schema, self.events_table_name))
        ids = []
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            for event in stored_events:
                row = curs.execute(
                    query, (event.originator_id, event.originator_version)
                ).fetchone()
                if row is None or bytes(row["state"]) != event.state:
                    return None
                ids.append(int(row["notification_id"]))
        return ids
