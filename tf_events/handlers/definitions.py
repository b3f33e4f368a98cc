"""Handlers of the definition commands: define, revise, archive, restore, import a set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from marshmallow import ValidationError

from tf_events import commands as c
from tf_events.components.store import ComponentRejected
from tf_events.definitions.aggregate import Definition
from tf_events.definitions.cross_checks import Lookup, cross_check
from tf_events.definitions.format import (
    LAYOUT_SLOTS,
    DefinitionInvalid,
    DefinitionNotFound,
    DefinitionSetSchema,
    Kind,
    parse,
)
from tf_events.errors import Conflict, Errors, flatten_errors
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def _definition(app: TicketFlower, kind: Kind, key: str) -> Definition:
    """The aggregate itself, fresh from the store, for a command to change."""
    definition = app.find_definition(kind, key)
    if definition is None:
        raise DefinitionNotFound(f"There is no {kind.value.replace('_', ' ')} '{key}'.")
    return definition


def _active_content(app: TicketFlower) -> Lookup:
    def lookup(kind: Kind, key: str) -> dict[str, Any] | None:
        found = app.definitions.current(kind, key)
        return None if found is None or found.archived else found.content

    return lookup


def _prepare(
    app: TicketFlower, kind: Kind, raw: Mapping[str, Any], lookup: Lookup, prefix: str = ""
) -> dict[str, Any]:
    content, errors = parse(kind, raw)
    if not errors:
        errors = cross_check(kind, content, lookup)
    if not errors:
        errors = _store_layouts(app, kind, content)
    if errors:
        raise DefinitionInvalid({f"{prefix}{path}": m for path, m in errors.items()})
    return content


def _store_layouts(app: TicketFlower, kind: Kind, content: dict[str, Any]) -> Errors:
    errors: Errors = {}
    stored = {}
    for slot in LAYOUT_SLOTS[kind]:
        layout = content.get("layouts", {}).get(slot)
        if layout is None:
            continue
        try:
            saved = app.components.save(layout["source"])
        except ComponentRejected as rejected:
            errors[f"layouts.{slot}.source"] = rejected.errors["source"]
        else:
            stored[slot] = saved.as_layout(layout["source"])
    content["layouts"] = stored
    return errors


def define(app: TicketFlower, cmd: c.Define) -> Written:
    """Create a new definition; its key must be new for its kind."""
    content = _prepare(app, cmd.kind, cmd.raw, _active_content(app))
    definition = Definition(kind=cmd.kind.value, key=content["key"], content=content, by=cmd.by)
    try:
        return Written.of(definition.id, app.save(definition))
    except IntegrityError:
        raise DefinitionInvalid(
            {"key": [f"A {cmd.kind.value.replace('_', ' ')} '{content['key']}' already exists."]}
        ) from None


def revise_definition(app: TicketFlower, cmd: c.ReviseDefinition) -> Written:
    """Save a new version. The key stays; an unchanged definition makes no version."""
    definition = _definition(app, cmd.kind, cmd.key)
    content = _prepare(app, cmd.kind, {**cmd.raw, "key": cmd.key}, _active_content(app))
    if content != definition.content:
        definition.revise(content=content, by=cmd.by)
    return Written.of(definition.id, app.save(definition))


def archive_definition(app: TicketFlower, cmd: c.ArchiveDefinition) -> Written:
    definition = _definition(app, cmd.kind, cmd.key)
    if not definition.archived:
        definition.archive(by=cmd.by)
    return Written.of(definition.id, app.save(definition))


def restore_definition(app: TicketFlower, cmd: c.RestoreDefinition) -> Written:
    definition = _definition(app, cmd.kind, cmd.key)
    if definition.archived:
        definition.restore(by=cmd.by)
    return Written.of(definition.id, app.save(definition))


def import_definition_set(app: TicketFlower, cmd: c.ImportDefinitionSet) -> Written:
    """Create or revise every definition of a set, all or nothing, in one transaction."""
    try:
        loaded = DefinitionSetSchema().load(cmd.raw)
    except ValidationError as err:
        raise DefinitionInvalid(flatten_errors(err.messages)) from None
    pending: dict[tuple[Kind, str], dict[str, Any]] = {}
    active = _active_content(app)

    def lookup(kind: Kind, key: str) -> dict[str, Any] | None:
        return pending.get((kind, key)) or active(kind, key)

    changed: list[Definition] = []
    for group, kind in (
        ("tasks", Kind.TASK),
        ("workflows", Kind.WORKFLOW),
        ("ticket_types", Kind.TICKET_TYPE),
    ):
        for i, item in enumerate(cmd.raw.get(group, [])):
            content = _prepare(app, kind, item, lookup, prefix=f"{group}.{i}.")
            pending[(kind, content["key"])] = content
            existing = app.find_definition(kind, content["key"])
            if existing is None:
                changed.append(
                    Definition(kind=kind.value, key=content["key"], content=content, by=cmd.by)
                )
            elif existing.content != content or existing.archived:
                if existing.archived:
                    existing.restore(by=cmd.by)
                if existing.content != content:
                    existing.revise(content=content, by=cmd.by)
                changed.append(existing)
    first: UUID | None = None
    if loaded["workflows"]:
        first = Definition.create_id(Kind.WORKFLOW.value, loaded["workflows"][0]["key"])
    try:
        return Written.of(first, app.save(*changed))
    except IntegrityError:
        raise Conflict(
            "Someone changed these definitions at the same time; import again."
        ) from None
