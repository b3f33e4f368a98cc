"""The base of every process: a log follower whose handlers send commands.

It is followed exactly like a read model (same worker, batches, position and poison
events), with one difference: a command cannot join the position's transaction, so a
handler may run again after a crash. Every command a process sends must therefore be safe
to send twice (it checks the state it acts on and does nothing the second time).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from eventsourcing.persistence import Notification
from psycopg import Connection, Cursor

from tf_projections.read_model import EVENTS_TABLE, ReadModel
from tf_projections.worker import CONNECTION_ERRORS

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


class NotYet(Exception):
    """What the handler needs is not there yet (a read table is behind): the batch is
    tried again later and the position does not move."""


class Process(ReadModel):
    """Subclasses set `name` and mark handlers with @handles; a handler gets the cursor,
    the event and its notification id. Its tracking table is created by
    schema/processes.sql, not rebuilt: a process is never replayed from the start."""

    schema_file: ClassVar[str] = ""
    tables: ClassVar[tuple[str, ...]] = ()

    def __init__(self, app: TicketFlower) -> None:
        super().__init__(app.mapper)
        self.app = app

    def _apply_one(self, cur: Cursor[Any], notification: Notification) -> None:
        attr = self._handlers.get(notification.topic)
        if attr is not None:
            event = self.mapper.to_domain_event(notification)
            getattr(self, attr)(cur, event, notification.id)

    def _apply_all(
        self, conn: Connection[Any], cur: Cursor[Any], todo: Sequence[Notification]
    ) -> int:
        # A lost database or a read table behind is no fault of the event: let the worker
        # retry the batch. Anything else sets the event aside, as a read model does.
        failed = 0
        for notification in todo:
            try:
                with conn.transaction():
                    self._apply_one(cur, notification)
            except (NotYet, *CONNECTION_ERRORS):
                raise
            except Exception:  # noqa: BLE001
                self._record_failure(cur, notification)
                failed += 1
        return failed


def wait_until_read(
    cur: Cursor[Any], model: type[ReadModel], position: int, timeout: float = 10.0
) -> None:
    """Wait until `model`'s tables show every event of theirs before `position` (its own
    position moves only on its own topics), or raise NotYet."""
    deadline = time.monotonic() + timeout
    while _unapplied_before(cur, model, position):
        if time.monotonic() > deadline:
            raise NotYet(f"read model {model.name} has not reached {position} yet")
        time.sleep(0.05)


def _unapplied_before(cur: Cursor[Any], model: type[ReadModel], position: int) -> bool:
    row = cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM {EVENTS_TABLE}"  # noqa: S608 - a constant name
        " WHERE notification_id > %s AND notification_id < %s AND topic = ANY(%s))",
        (model.position(cur) or 0, position, list(model.topics())),
    ).fetchone()
    return bool(row and row[0])
