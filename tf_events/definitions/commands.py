"""Commands on definitions: define, revise, archive, restore, and import a whole set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from tf_events.components.store import ComponentStore
from tf_events.definitions.aggregate import Definition
from tf_events.definitions.checking import (
    Errors,
    check_definition_set,
    prepare_definition,
    prepare_definition_set,
)
from tf_events.definitions.cross_checks import Lookup
from tf_events.definitions.format import Kind
from tf_events.errors import DomainError
from tf_events.written import Written


class DefinitionInvalid(DomainError):
    """The definition breaks the format or a cross-check; `errors` are keyed by path."""

    def __init__(self, errors: Errors) -> None:
        first = next(iter(errors.items()))
        super().__init__(f"{first[0]}: {first[1][0]}")
        self.errors = errors


class DefinitionNotFound(DomainError):
    pass


class DefinitionCommands:
    """Mixed into the TicketFlower application."""

    components: ComponentStore

    # -- reading the write side ------------------------------------------------------

    def find_definition(
        self, kind: Kind, key: str, version: int | None = None
    ) -> Definition | None:
        try:
            return self.repository.get(  # type: ignore[attr-defined]
                Definition.create_id(kind.value, key), version=version
            )
        except AggregateNotFoundError:
            return None

    def _definition(self, kind: Kind, key: str) -> Definition:
        definition = self.find_definition(kind, key)
        if definition is None:
            raise DefinitionNotFound(f"There is no {kind.value.replace('_', ' ')} '{key}'.")
        return definition

    def _active_content(self, kind: Kind, key: str) -> dict[str, Any] | None:
        found = self.find_definition(kind, key)
        return None if found is None or found.archived else found.content

    # -- preparing content -------------------------------------------------------------

    def _prepare(
        self, kind: Kind, raw: Mapping[str, Any], lookup: Lookup, prefix: str = ""
    ) -> dict[str, Any]:
        content, errors = prepare_definition(kind, raw, lookup, self._save_layout, prefix)
        if errors:
            raise DefinitionInvalid(errors)
        return content

    def _save_layout(self, source: str) -> dict[str, str]:
        return self.components.save(source).as_layout(source)

    def check_definition_set(self, raw: Mapping[str, Any]) -> Errors:
        """What importing `raw` would refuse, against the active definitions; saves nothing."""
        return check_definition_set(raw, self.components, self._active_content)

    # -- commands ----------------------------------------------------------------------

    def define(self, kind: Kind, raw: Mapping[str, Any], *, by: str) -> Written:
        """Create a new definition; its key must be new for its kind."""
        content = self._prepare(kind, raw, self._active_content)
        definition = Definition(kind=kind.value, key=content["key"], content=content, by=by)
        try:
            return Written.of(definition.id, self.save(definition))  # type: ignore[attr-defined]
        except IntegrityError:
            raise DefinitionInvalid(
                {"key": [f"A {kind.value.replace('_', ' ')} '{content['key']}' already exists."]}
            ) from None

    def revise_definition(
        self, kind: Kind, key: str, raw: Mapping[str, Any], *, by: str
    ) -> Written:
        """Save a new version. The key stays; an unchanged definition makes no version."""
        definition = self._definition(kind, key)
        content = self._prepare(kind, {**raw, "key": key}, self._active_content)
        if content != definition.content:
            definition.revise(content=content, by=by)
        return Written.of(definition.id, self.save(definition))  # type: ignore[attr-defined]

    def archive_definition(self, kind: Kind, key: str, *, by: str) -> Written:
        definition = self._definition(kind, key)
        if not definition.archived:
            definition.archive(by=by)
        return Written.of(definition.id, self.save(definition))  # type: ignore[attr-defined]

    def restore_definition(self, kind: Kind, key: str, *, by: str) -> Written:
        definition = self._definition(kind, key)
        if definition.archived:
            definition.restore(by=by)
        return Written.of(definition.id, self.save(definition))  # type: ignore[attr-defined]

    def restore_component_files(self) -> int:
        """Re-create, from the sources recorded in the log, any component file that is
        missing (a new host, a lost disk). Returns how many were re-created."""
        topics = [get_topic(Definition.Created), get_topic(Definition.Revised)]
        restored, start = 0, 0
        while page := self.recorder.select_notifications(  # type: ignore[attr-defined]
            start, 500, topics=topics, inclusive_of_start=False
        ):
            for notification in page:
                event = self.mapper.to_domain_event(notification)  # type: ignore[attr-defined]
                for layout in event.content.get("layouts", {}).values():
                    restored += self.components.restore(layout["source"])
            start = page[-1].id
        return restored

    def import_definition_set(self, raw: Mapping[str, Any], *, by: str) -> Written:
        """Create or revise every definition of a set, all or nothing, in one transaction."""
        changed, first = self._definitions_to_import(raw, by=by)
        return Written.of(first, self._save_together(changed))

    def _definitions_to_import(
        self, raw: Mapping[str, Any], *, by: str
    ) -> tuple[list[Definition], UUID | None]:
        """The new and revised Definition aggregates an import of `raw` makes, unsaved,
        and the id of its first workflow."""
        prepared, errors = prepare_definition_set(raw, self._active_content, self._save_layout)
        if errors:
            raise DefinitionInvalid(errors)
        changed: list[Definition] = []
        for kind, content in prepared:
            existing = self.find_definition(kind, content["key"])
            if existing is None:
                changed.append(
                    Definition(kind=kind.value, key=content["key"], content=content, by=by)
                )
            elif existing.content != content or existing.archived:
                if existing.archived:
                    existing.restore(by=by)
                if existing.content != content:
                    existing.revise(content=content, by=by)
                changed.append(existing)
        workflows = [content["key"] for kind, content in prepared if kind is Kind.WORKFLOW]
        first = Definition.create_id(Kind.WORKFLOW.value, workflows[0]) if workflows else None
        return changed, first

    def _save_together(self, aggregates: list[Any]) -> Any:
        try:
            return self.save(*aggregates)  # type: ignore[attr-defined]
        except IntegrityError:
            raise DomainError(
                "Someone changed these definitions at the same time; import again."
            ) from None
