"""The Definition aggregate: every change is a new version; archived, never deleted."""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid.UUID("0b7d7f36-5a52-4f0c-93e4-2c4c0f5f3d10")


class Definition(Aggregate):
    """A task, workflow or ticket-type definition. Its aggregate version is its version:
    a ticket pins (id, version) and can always read that version back."""

    @staticmethod
    @lru_cache(maxsize=4096)  # asked for every definition of every submission
    def create_id(kind: str, key: str) -> uuid.UUID:
        # The key decides the id, so two definitions of one key collide on the event
        # table's primary key even when created at the same moment.
        return uuid.uuid5(_NAMESPACE, f"{kind}:{key}")

    @event("Created")
    def __init__(self, kind: str, key: str, content: dict[str, Any], by: str) -> None:
        self.kind = kind
        self.key = key
        self.content = content
        self.archived = False

    @event("Revised")
    def revise(self, content: dict[str, Any], by: str) -> None:
        self.content = content

    @event("Archived")
    def archive(self, by: str) -> None:
        self.archived = True

    @event("Restored")
    def restore(self, by: str) -> None:
        self.archived = False
