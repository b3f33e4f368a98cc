"""Definition versions, read once per process: a version never changes, so the pinned
ticket type, workflow and task versions of a submission come from memory, not from a
replay of the event store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


# The newest version of each of these aggregates, by id (absent: no events). A port: the
# library's recorder can answer, but one aggregate at a time and fetching its whole newest
# event to do it; PostgreSQL answers for many from the primary key in one round trip.
LatestVersions = Callable[[Sequence[UUID]], dict[UUID, int]]


class DefinitionVersions:
    def __init__(self, repository: Repository[UUID], recorder: ApplicationRecorder) -> None:
        self._repository = repository
        self.latest_versions: LatestVersions = self._newest_stored(recorder)
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
        return self.current_many([(kind, key)])[(kind, key)]

    def current_many(
        self, wanted: Sequence[tuple[Kind, str]]
    ) -> dict[tuple[Kind, str], DefinitionVersion | None]:
        """The latest versions of several definitions, with one look at the store."""
        ids = {pair: Definition.create_id(pair[0].value, pair[1]) for pair in wanted}
        latest = self.latest_versions(list(ids.values()))
        return {
            pair: self.at_id(definition_id, latest[definition_id])
            if definition_id in latest
            else None
            for pair, definition_id in ids.items()
        }

    @staticmethod
    def _newest_stored(recorder: ApplicationRecorder) -> LatestVersions:
        def latest(originator_ids: Sequence[UUID]) -> dict[UUID, int]:
            found = {}
            for originator_id in originator_ids:
                newest = recorder.select_events(originator_id, desc=True, limit=1)
                if newest:
                    found[originator_id] = newest[0].originator_version
            return found

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
