"""One path from raw definitions to checked content, shared by saving, importing and
checking a draft: the format, the cross-checks, then each layout through the component
store (saved when importing, only compiled when checking)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import ValidationError

from tf_events.components.ports import Components
from tf_events.components.store import ComponentRejected
from tf_events.definitions.cross_checks import Lookup, cross_check
from tf_events.definitions.format import LAYOUT_SLOTS, DefinitionSetSchema, Kind, parse
from tf_events.errors import Errors, flatten_errors

# Turns a layout's source into what the content records; raises ComponentRejected.
PlaceLayout = Callable[[str], dict[str, str]]
SET_GROUPS = (
    ("tasks", Kind.TASK),
    ("workflows", Kind.WORKFLOW),
    ("ticket_types", Kind.TICKET_TYPE),
)


def nothing_exists(kind: Kind, key: str) -> dict[str, Any] | None:
    return None


def prepare_definition(
    kind: Kind,
    raw: Mapping[str, Any],
    lookup: Lookup,
    place_layout: PlaceLayout,
    prefix: str = "",
) -> tuple[dict[str, Any], Errors]:
    """Return (content, errors by path). Content is {} when the format itself failed."""
    content, errors = parse(kind, raw)
    if not errors:
        errors = cross_check(kind, content, lookup)
    if not errors:
        errors = _place_layouts(kind, content, place_layout)
    return content, {f"{prefix}{path}": messages for path, messages in errors.items()}


def _place_layouts(kind: Kind, content: dict[str, Any], place_layout: PlaceLayout) -> Errors:
    errors: Errors = {}
    placed = {}
    for slot in LAYOUT_SLOTS[kind]:
        layout = content.get("layouts", {}).get(slot)
        if layout is None:
            continue
        try:
            placed[slot] = place_layout(layout["source"])
        except ComponentRejected as rejected:
            errors[f"layouts.{slot}.source"] = rejected.errors["source"]
    content["layouts"] = placed
    return errors


def prepare_definition_set(
    raw: Mapping[str, Any], lookup: Lookup, place_layout: PlaceLayout
) -> tuple[list[tuple[Kind, dict[str, Any]]], Errors]:
    """Prepare every definition of a set in dependency order (tasks, workflows, ticket
    types): later ones see earlier ones of the same set. Returns (prepared, all errors)."""
    try:
        DefinitionSetSchema().load(raw)
    except ValidationError as err:
        return [], flatten_errors(err.messages)
    pending: dict[tuple[Kind, str], dict[str, Any]] = {}

    def set_first(kind: Kind, key: str) -> dict[str, Any] | None:
        return pending.get((kind, key)) or lookup(kind, key)

    prepared: list[tuple[Kind, dict[str, Any]]] = []
    errors: Errors = {}
    for group, kind in SET_GROUPS:
        for i, item in enumerate(raw.get(group, [])):
            content, found = prepare_definition(
                kind, item, set_first, place_layout, prefix=f"{group}.{i}."
            )
            if content:  # well-formed: later definitions may refer to it
                pending[(kind, content["key"])] = content
            if found:
                errors.update(found)
            else:
                prepared.append((kind, content))
    return prepared, errors


def check_definition_set(
    raw: Mapping[str, Any], components: Components, lookup: Lookup = nothing_exists
) -> Errors:
    """Everything an import would check — format, cross-checks, each layout compiled by
    esbuild with only `react` importable — without saving or writing anything.
    `lookup` gives the active definitions the set may refer to; by default none."""

    def compile_only(source: str) -> dict[str, str]:
        components.check(source)
        return {"source": source}

    return prepare_definition_set(raw, lookup, compile_only)[1]
