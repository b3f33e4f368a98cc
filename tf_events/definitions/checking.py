"""One path from raw definitions to checked content, shared by saving, importing and
checking a draft: the format, the cross-checks, then each layout through the component
store (saved when importing, only compiled when checking), and a software task's code kept
content-addressed beside the layouts (when saving)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import ValidationError

from tf_events.components.ports import Components
from tf_events.components.store import ComponentRejected
from tf_events.definitions.cross_checks import Lookup, cross_check
from tf_events.definitions.format import LAYOUT_SLOTS, DefinitionSetSchema, Kind, parse
from tf_events.errors import Errors, flatten_errors

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
    components: Callable[[], Components],
    *,
    save: bool,
    prefix: str = "",
) -> tuple[dict[str, Any], Errors]:
    """Return (content, errors by path). Content is {} when the format itself failed.
    With `save`, layouts and code are written to the component store (asked for only when
    there is something to keep); without, layouts are only compiled, nothing written."""
    content, errors = parse(kind, raw)
    if not errors:
        errors = cross_check(kind, content, lookup)
    if not errors:
        errors = _place_layouts(kind, content, components, save)
    if not errors and save and content.get("code"):
        content["code_sha256"] = components().save_code(content["code"]).sha256
    return content, {f"{prefix}{path}": messages for path, messages in errors.items()}


def _place_layouts(
    kind: Kind, content: dict[str, Any], components: Callable[[], Components], save: bool
) -> Errors:
    errors: Errors = {}
    placed = {}
    for slot in LAYOUT_SLOTS[kind]:
        layout = content.get("layouts", {}).get(slot)
        if layout is None:
            continue
        source = layout["source"]
        try:
            if save:
                placed[slot] = components().save(source).as_layout(source)
            else:
                components().check(source)
                placed[slot] = {"source": source}
        except ComponentRejected as rejected:
            errors[f"layouts.{slot}.source"] = rejected.errors["source"]
    content["layouts"] = placed
    return errors


def prepare_definition_set(
    raw: Mapping[str, Any], lookup: Lookup, components: Callable[[], Components], *, save: bool
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
                kind, item, set_first, components, save=save, prefix=f"{group}.{i}."
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
    return prepare_definition_set(raw, lookup, lambda: components, save=False)[1]
