"""What a command returns: where its events landed in the log, so readers can wait."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Recording


@dataclass(frozen=True)
class Written:
    aggregate_id: UUID | None
    positions: tuple[tuple[int, str], ...]  # (notification id, topic)

    @property
    def written(self) -> Written:
        """Every command result has `.written`; a bare Written is its own."""
        return self

    @classmethod
    def of(cls, aggregate_id: UUID | None, recordings: Sequence[Recording]) -> Written:
        return cls(
            aggregate_id,
            tuple((r.notification.id, r.notification.topic) for r in recordings),
        )


class Result(Protocol):
    """What every command handler returns: at least where its events landed."""

    @property
    def written(self) -> Written: ...
