"""Tickets' replays kept in memory between requests, so the auditor's history decodes each
stored event once per process instead of once per page view.

Stored events never change, so a replay up to version N stays true for ever: each request
asks the store only for the events after N (one indexed query) and extends the replay with
them. Nothing here is read from the read tables, so the history and the agreement check
stay independent of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from uuid import UUID

from eventsourcing.application import Application

from tf_events.tickets.history import Labels, Replay, extended


class Replays:
    """The most recently used replays, holding at most `max_events` events in all (about
    2 KB each: 20,000 take some 40 MB in each web process)."""

    def __init__(self, max_events: int = 20_000) -> None:
        self.max_events = max_events
        self._replays: OrderedDict[UUID, Replay] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, app: Application, ticket_id: UUID, labels_of: Labels) -> Replay | None:
        """The ticket's replay up to its newest event; None if it has no events."""
        with self._lock:
            replay = self._replays.get(ticket_id)
        after = replay.latest if replay else None
        newer = list(app.repository.event_store.get(ticket_id, gt=after))
        if newer:
            replay = extended(replay, newer, labels_of)
            self._keep(ticket_id, replay)
        return replay

    def clear(self) -> None:
        with self._lock:
            self._replays.clear()
            self._held = 0

    def _keep(self, ticket_id: UUID, replay: Replay) -> None:
        with self._lock:
            held = self._replays.get(ticket_id)
            if held is not None and held.latest >= replay.latest:
                return  # another request got further meanwhile
            self._held += replay.latest - (held.latest if held else 0)
            self._replays[ticket_id] = replay
            self._replays.move_to_end(ticket_id)
            while self._held > self.max_events and len(self._replays) > 1:
                _, dropped = self._replays.popitem(last=False)
                self._held -= dropped.latest
