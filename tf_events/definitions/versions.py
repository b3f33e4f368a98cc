"""Definition versions, read once per process: a version never changes, so the pinned
ticket type, workflow and task versions of a submission come from memory, not from a
replay of the event store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.persistence import ApplicationRecorder

from tf_events.definitions.aggregate import Definition
from tf_events.definitions.format import Kind

CACHED_VERSIONS = 2048


@dataclass(frozen=True)
class DefinitionVersion:
    """A definition as it was at one version. Read it; never change its content."""

    id: UUID
    kind: str
    key: str
    version: int
    content: dict[str, Any]
    archived: bool


# The newest version of an aggregate, by its id (None if it has no events). A port: the
# library's recorder can answer, but fetches the whole newest event to do it.
LatestVersion = Callable[[UUID], int | None]


class DefinitionVersions:
    def __init__(self, repository: Repository[UUID], recorder: ApplicationRecorder) -> None:
        self._repository = repository
        self.latest_version: LatestVersion = self._newest_stored(recorder)
        # Misses raise inside the cache, so a version asked for too early is not
        # remembered as missing.
        self._cached = lru_cache(maxsize=CACHED_VERSIONS)(self._load)

    def at_id(self, definition_id: UUID, version: int) -> DefinitionVersion | None:
        try:
            return self._cached(definition_id, version)
        except LookupError:
            return None

    def current(self, kind: Kind, key: str) -> DefinitionVersion | None:
        """The latest version: its number from the newest stored event, its content from
        memory once it has been read."""
        definition_id = Definition.create_id(kind.value, key)
        version = self.latest_version(definition_id)
        return None if version is None else self.at_id(definition_id, version)

    @staticmethod
    def _newest_stored(recorder: ApplicationRecorder) -> LatestVersion:
        def latest(originator_id: UUID) -> int | None:
            newest = recorder.select_events(originator_id, desc=True, limit=1)
            return newest[0].originator_version if newest else None

        return latest

    def at(self, kind: Kind, key: str, version: int) -> DefinitionVersion | None:
        return self.at_id(Definition.create_id(kind.value, key), version)

    def _load(self, definition_id: UUID, version: int) -> DefinitionVersion:
        try:
            definition: Definition = self._repository.get(definition_id, version=version)
        except AggregateNotFoundError:
            raise LookupError(definition_id) from None
        if definition.version != version:
            raise LookupError(definition_id)  # a version the definition has not reached
        return DefinitionVersion(
            definition.id,
            definition.kind,
            definition.key,
            definition.version,
            definition.content,
            definition.archived,
        )
