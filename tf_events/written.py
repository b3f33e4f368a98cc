"""What a command returns: where its events landed in the log, so readers can wait."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Recording


@dataclass(frozen=True)
class Written:
    aggregate_id: UUID | None
    positions: tuple[tuple[int, str], ...]  # (notification id, topic)

    @classmethod
    def of(cls, aggregate_id: UUID | None, recordings: Sequence[Recording]) -> Written:
        return cls(
            aggregate_id,
            tuple((r.notification.id, r.notification.topic) for r in recordings),
        )
