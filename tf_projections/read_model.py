"""The base of every read model: event handlers, exactly-once batches, poison events."""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic
from psycopg import Connection, Cursor, sql

from tf_projections.listening import listen

log = logging.getLogger(__name__)

APPLICATION_NAME = "ticketflower"
EVENTS_TABLE = f"{APPLICATION_NAME}_events"  # the event store's table
NOTIFY_CHANNEL = "tf_projection"
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


def channel_of(name: str) -> str:
    """The channel a read model (or follower) NOTIFYs its new positions on: one each, so
    a listener wakes only for the ones it cares about."""
    return f"{NOTIFY_CHANNEL}_{name}"


def listen_to(listener: Connection[Any], names: Iterable[str]) -> None:
    """LISTEN to these read models' channels."""
    listen(listener, [channel_of(name) for name in names])


def wait_for_news(listener: Connection[Any], followers: tuple[str, ...], timeout: float) -> None:
    """Until one of these followers moves its position (its NOTIFY payload starts with its
    name), or `timeout` passes. The listener LISTENs to their channels (`listen_to`)."""
    prefixes = tuple(f"{name}:" for name in followers)
    for note in listener.notifies(timeout=timeout):
        if note.payload.startswith(prefixes):
            return


Handler = Callable[[Any, Cursor[Any], Any], None]
H = TypeVar("H", bound=Handler)


def handles(*event_classes: type) -> Callable[[H], H]:
    """Mark a read model method as the handler of these event classes."""

    def mark(method: H) -> H:
        method._tf_handles = event_classes  # type: ignore[attr-defined]
        return method

    return mark


def advisory_key(text: str) -> int:
    """A stable signed 64-bit key for pg_advisory locks."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


@dataclass(frozen=True)
class Applied:
    applied: int
    failed: int
    position: int | None


class ReadModel:
    """Subclasses set `name`, `schema_file` and `tables`, and mark handlers with @handles.

    Handlers must derive every value from the event (never now() or random), so that a
    rebuild from the log gives the same rows.
    """

    name: ClassVar[str]
    schema_file: ClassVar[str]
    # Handlers that never look at a statement's result (rowcount, rows) may be pipelined:
    # a batch's statements then go out without waiting for each other's replies.
    pipelined: ClassVar[bool] = False
    # Whether a write's read-your-writes wait includes this read model (reports do not:
    # they must never slow a submission down).
    waits_for_writes: ClassVar[bool] = True
    # Seconds between reads of the log while it is busy (0: read on every commit). For
    # what no request waits for, so that busy writers are not slowed by it.
    min_read_interval: ClassVar[float] = 0.0
    tables: ClassVar[tuple[str, ...]]
    _handlers: ClassVar[dict[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        for attr in dir(cls):
            for event_class in getattr(getattr(cls, attr), "_tf_handles", ()):
                cls._handlers[get_topic(event_class)] = attr

    @classmethod
    def topics(cls) -> tuple[str, ...]:
        return tuple(sorted(cls._handlers))

    @classmethod
    def tracking_table(cls) -> str:
        return f"{cls.name}_tracking"

    @classmethod
    def schema_sql(cls) -> str:
        return (SCHEMA_DIR / "read" / cls.schema_file).read_text()

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper

    # -- applying events -------------------------------------------------------------

    def apply_batch(
        self, conn: Connection[Any], notifications: Sequence[Notification], *, live: bool = True
    ) -> Applied:
        """Apply notifications in the caller's transaction and advance the position.

        Live tables: takes the projection's transaction lock first, so a worker and a
        rebuild's final swap never interleave, and tells waiting readers the new position.
        Either way it skips what an earlier transaction already applied.
        """
        with conn.cursor() as cur:
            if live:
                cur.execute(
                    "SELECT pg_advisory_xact_lock(%s)", (advisory_key(f"apply:{self.name}"),)
                )
            position = self.position(cur)
            todo = [n for n in notifications if position is None or n.id > position]
            if not todo:
                return Applied(0, 0, position)
            failed = self._apply_all(conn, cur, todo)
            last = todo[-1].id
            self.record_position(cur, last, notify=live)
            return Applied(len(todo) - failed, failed, last)

    def record_position(self, cur: Cursor[Any], position: int, *, notify: bool = True) -> None:
        cur.execute(
            sql.SQL(
                "INSERT INTO {t} (application_name, notification_id) VALUES (%s, %s)"
                " ON CONFLICT (application_name) DO UPDATE"
                " SET notification_id = EXCLUDED.notification_id"
            ).format(t=sql.Identifier(self.tracking_table())),
            (APPLICATION_NAME, position),
        )
        if notify:
            cur.execute(
                "SELECT pg_notify(%s, %s)", (channel_of(self.name), f"{self.name}:{position}")
            )

    def _apply_all(
        self, conn: Connection[Any], cur: Cursor[Any], todo: Sequence[Notification]
    ) -> int:
        # Fast path: the whole batch under one savepoint; on any failure, redo it one
        # event per savepoint so only the poison events are set aside.
        try:
            with conn.transaction():
                self.apply_events(conn, cur, self._decoded(todo))
            return 0
        except Exception:  # noqa: BLE001 - any handler error makes the event poison
            if len(todo) == 1:
                self._record_failure(cur, todo[0])
                return 1
        failed = 0
        for notification in todo:
            try:
                with conn.transaction():
                    self.apply_events(conn, cur, self._decoded([notification]))
            except Exception:  # noqa: BLE001
                self._record_failure(cur, notification)
                failed += 1
        return failed

    def _decoded(self, notifications: Sequence[Notification]) -> list[tuple[str, Any]]:
        """The events this model handles, each with the name of its handler."""
        return [
            (attr, self.mapper.to_domain_event(notification))
            for notification in notifications
            if (attr := self._handlers.get(notification.topic)) is not None
        ]

    def apply_events(
        self, conn: Connection[Any], cur: Cursor[Any], events: Sequence[tuple[str, Any]]
    ) -> None:
        """Run each event's handler on the cursor. A model may apply a batch at once
        instead; a failure anywhere makes the caller retry the events one by one."""
        with conn.pipeline() if self.pipelined else nullcontext():
            for attr, event in events:
                getattr(self, attr)(cur, event)

    def _record_failure(self, cur: Cursor[Any], notification: Notification) -> None:
        error = traceback.format_exc(limit=5)
        log.error(
            "projection %s set aside poison event %s (%s): %s",
            self.name,
            notification.id,
            notification.topic,
            error.strip().splitlines()[-1],
        )
        cur.execute(
            "INSERT INTO projection_failures"
            " (projection, notification_id, originator_id, originator_version, topic, error)"
            " VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (projection, notification_id) DO UPDATE SET error = EXCLUDED.error",
            (
                self.name,
                notification.id,
                str(notification.originator_id),
                notification.originator_version,
                notification.topic,
                error,
            ),
        )

    # -- state ---------------------------------------------------------------------

    @classmethod
    def position(cls, cur: Cursor[Any]) -> int | None:
        row = cur.execute(
            sql.SQL("SELECT notification_id FROM {t} WHERE application_name = %s").format(
                t=sql.Identifier(cls.tracking_table())
            ),
            (APPLICATION_NAME,),
        ).fetchone()
        return None if row is None else int(row[0])

    @classmethod
    def schema_hash(cls) -> str:
        """A hash of the schema's statements: editing a comment or spacing changes nothing."""
        statements = " ".join(re.sub(r"--[^\n]*", "", cls.schema_sql()).split())
        return hashlib.sha256(statements.encode()).hexdigest()

    @classmethod
    def schema_is_current(cls, cur: Cursor[Any]) -> bool:
        row = cur.execute(
            "SELECT schema_hash FROM read_model_schemas WHERE projection = %s", (cls.name,)
        ).fetchone()
        return row is not None and row[0] == cls.schema_hash()

    def create_tables(self, cur: Cursor[Any]) -> None:
        cur.execute(self.schema_sql())
        cur.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {t} ("
                " application_name text PRIMARY KEY, notification_id bigint NOT NULL)"
            ).format(t=sql.Identifier(self.tracking_table()))
        )

    def record_schema(self, cur: Cursor[Any]) -> None:
        cur.execute(
            "INSERT INTO public.read_model_schemas (projection, schema_hash) VALUES (%s, %s)"
            " ON CONFLICT (projection) DO UPDATE SET schema_hash = EXCLUDED.schema_hash",
            (self.name, self.schema_hash()),
        )


def schema_files() -> Iterable[Path]:
    return sorted((SCHEMA_DIR / "read").glob("*.sql"))
