"""Handlers of the definition commands: define, revise, archive, restore, import a set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from tf_events import commands as c
from tf_events.definitions.aggregate import Definition
from tf_events.definitions.checking import prepare_definition, prepare_definition_set
from tf_events.definitions.cross_checks import Lookup
from tf_events.definitions.format import DefinitionInvalid, DefinitionNotFound, Kind
from tf_events.errors import Conflict
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def _definition(app: TicketFlower, kind: Kind, key: str) -> Definition:
    """The aggregate itself, fresh from the store, for a command to change."""
    definition = app.find_definition(kind, key)
    if definition is None:
        raise DefinitionNotFound(f"There is no {kind.value.replace('_', ' ')} '{key}'.")
    return definition


def _prepare(
    app: TicketFlower, kind: Kind, raw: Mapping[str, Any], lookup: Lookup
) -> dict[str, Any]:
    content, errors = prepare_definition(kind, raw, lookup, lambda: app.components, save=True)
    if errors:
        raise DefinitionInvalid(errors)
    return content


def define(app: TicketFlower, cmd: c.Define) -> Written:
    """Create a new definition; its key must be new for its kind."""
    content = _prepare(app, cmd.kind, cmd.raw, app.active_content)
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
    content = _prepare(app, cmd.kind, {**cmd.raw, "key": cmd.key}, app.active_content)
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
    changed, first = definitions_to_import(app, cmd.raw, by=cmd.by)
    return Written.of(first, save_together(app, changed))


def definitions_to_import(
    app: TicketFlower, raw: Mapping[str, Any], *, by: str
) -> tuple[list[Definition], UUID | None]:
    """The new and revised Definition aggregates an import of `raw` makes, unsaved (so
    another command may save them with its own aggregates), and its first workflow's id."""
    prepared, errors = prepare_definition_set(
        raw, app.active_content, lambda: app.components, save=True
    )
    if errors:
        raise DefinitionInvalid(errors)
    changed: list[Definition] = []
    for kind, content in prepared:
        existing = app.find_definition(kind, content["key"])
        if existing is None:
            changed.append(Definition(kind=kind.value, key=content["key"], content=content, by=by))
        elif existing.content != content or existing.archived:
            if existing.archived:
                existing.restore(by=by)
            if existing.content != content:
                existing.revise(content=content, by=by)
            changed.append(existing)
    workflows = [content["key"] for kind, content in prepared if kind is Kind.WORKFLOW]
    first = Definition.create_id(Kind.WORKFLOW.value, workflows[0]) if workflows else None
    return changed, first


def save_together(app: TicketFlower, aggregates: Sequence[Any]) -> Any:
    """Save in one transaction; a concurrent change to any of them refuses them all."""
    try:
        return app.save(*aggregates)
    except IntegrityError:
        raise Conflict(
            "Someone changed these definitions at the same time; import again."
        ) from None
