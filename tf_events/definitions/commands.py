"""Commands on definitions: define, revise, archive, restore, and import a whole set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic
from marshmallow import ValidationError

from tf_events.components.store import ComponentRejected, ComponentStore
from tf_events.definitions.aggregate import Definition
from tf_events.definitions.cross_checks import Lookup, cross_check
from tf_events.definitions.format import (
    LAYOUT_SLOTS,
    DefinitionSetSchema,
    Kind,
    flatten_errors,
    parse,
)
from tf_events.errors import DomainError
from tf_events.written import Written

Errors = dict[str, list[str]]


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
        content, errors = parse(kind, raw)
        if not errors:
            errors = cross_check(kind, content, lookup)
        if not errors:
            errors = self._store_layouts(kind, content)
        if errors:
            raise DefinitionInvalid({f"{prefix}{path}": m for path, m in errors.items()})
        return content

    def _store_layouts(self, kind: Kind, content: dict[str, Any]) -> Errors:
        errors: Errors = {}
        stored = {}
        for slot in LAYOUT_SLOTS[kind]:
            layout = content.get("layouts", {}).get(slot)
            if layout is None:
                continue
            try:
                saved = self.components.save(layout["source"])
            except ComponentRejected as rejected:
                errors[f"layouts.{slot}.source"] = rejected.errors["source"]
            else:
                stored[slot] = saved.as_layout(layout["source"])
        content["layouts"] = stored
        return errors

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
        try:
            loaded = DefinitionSetSchema().load(raw)
        except ValidationError as err:
            raise DefinitionInvalid(flatten_errors(err.messages)) from None
        pending: dict[tuple[Kind, str], dict[str, Any]] = {}

        def lookup(kind: Kind, key: str) -> dict[str, Any] | None:
            return pending.get((kind, key)) or self._active_content(kind, key)

        changed: list[Definition] = []
        for group, kind in (
            ("tasks", Kind.TASK),
            ("workflows", Kind.WORKFLOW),
            ("ticket_types", Kind.TICKET_TYPE),
        ):
            for i, item in enumerate(raw.get(group, [])):
                content = self._prepare(kind, item, lookup, prefix=f"{group}.{i}.")
                pending[(kind, content["key"])] = content
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
        first: UUID | None = None
        if loaded["workflows"]:
            first = Definition.create_id(Kind.WORKFLOW.value, loaded["workflows"][0]["key"])
        try:
            return Written.of(first, self.save(*changed))  # type: ignore[attr-defined]
        except IntegrityError:
            raise DomainError(
                "Someone changed these definitions at the same time; import again."
            ) from None
