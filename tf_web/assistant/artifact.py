"""The artifact panel: the draft as a tree with its check errors beside each part, its
layouts compiled for the sandbox with sample values, and what it changes in the current
definitions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from psycopg_pool import ConnectionPool

from tf_events.components.store import ComponentRejected, ComponentStore
from tf_events.definitions.format import Kind, parse
from tf_web.design.diff import Change, changes
from tf_web.design.samples import sample_values
from tf_web.queries.definitions import get_definition
from tf_web.sandbox import store_preview

GROUPS = (("tasks", "task"), ("workflows", "workflow"), ("ticket_types", "ticket_type"))


@dataclass
class Revision:
    kind: str
    key: str
    name: str
    new: bool
    changes: list[Change] = field(default_factory=list)


@dataclass
class Artifact:
    draft: dict[str, Any]
    errors: dict[str, list[str]]
    tree: list[dict[str, Any]]
    previews: dict[str, dict[str, Any]]
    revisions: list[Revision]
    try_key: str | None


def _definitions(draft: dict[str, Any], group: str) -> list[dict[str, Any]]:
    found = draft.get(group)
    return [d for d in found if isinstance(d, dict)] if isinstance(found, list) else []


def build_tree(draft: dict[str, Any]) -> list[dict[str, Any]]:
    """Ticket type → workflow → tasks → fields, each node with its error path."""
    tasks = {t.get("key"): (i, t) for i, t in enumerate(_definitions(draft, "tasks"))}
    workflows = {w.get("key"): (i, w) for i, w in enumerate(_definitions(draft, "workflows"))}
    tree = []
    for i, ticket_type in enumerate(_definitions(draft, "ticket_types")):
        w_index, workflow = workflows.get(ticket_type.get("workflow"), (None, {}))
        fields = {f.get("name"): f for f in workflow.get("fields") or [] if isinstance(f, dict)}
        steps = []
        for j, task_key in enumerate(workflow.get("tasks") or []):
            t_index, task = tasks.get(task_key, (None, {"key": task_key, "name": task_key}))
            steps.append(
                {
                    "name": task.get("name"),
                    "key": task_key,
                    "path": f"tasks.{t_index}" if t_index is not None else None,
                    "link_path": f"workflows.{w_index}.tasks.{j}",
                    "outputs": task.get("outputs") or [],
                }
            )
        tree.append(
            {
                "name": ticket_type.get("name"),
                "key": ticket_type.get("key"),
                "path": f"ticket_types.{i}",
                "form": [
                    fields.get(n, {"name": n, "type": "?"}) for n in ticket_type.get("fields") or []
                ],
                "workflow": {
                    "name": workflow.get("name"),
                    "key": workflow.get("key"),
                    "path": f"workflows.{w_index}" if w_index is not None else None,
                    "tasks": steps,
                },
            }
        )
    return tree


def _preview(
    components: ComponentStore, source: Any, fields: list[dict[str, Any]], mode: str
) -> dict[str, Any] | None:
    if not isinstance(source, str):
        return None
    try:
        code = components.check(source)
    except ComponentRejected:
        return None  # the check's errors already say why, next to the layout
    return {
        "url": url_for("sandbox.preview_frame", sha256=store_preview(code)),
        "state": {
            "fields": fields,
            "values": sample_values(fields),
            "errors": {},
            "context": {"mode": mode},
        },
    }


def _previews(draft: dict[str, Any], components: ComponentStore) -> dict[str, dict[str, Any]]:
    ticket_types = _definitions(draft, "ticket_types")
    if not ticket_types:
        return {}
    ticket_type = ticket_types[0]
    workflow = next(
        (
            w
            for w in _definitions(draft, "workflows")
            if w.get("key") == ticket_type.get("workflow")
        ),
        {},
    )
    specs = [f for f in workflow.get("fields") or [] if isinstance(f, dict) and "name" in f]
    by_name = {f["name"]: f for f in specs}
    form = [by_name[n] for n in ticket_type.get("fields") or [] if n in by_name]
    layouts = ticket_type.get("layouts") or {}
    previews = {}
    for slot, fields in (("input", form), ("display", specs)):
        layout = layouts.get(slot) if isinstance(layouts, dict) else None
        shown = _preview(components, (layout or {}).get("source"), fields, "preview")
        if shown:
            previews[slot] = shown
    return previews


def _comparable(content: dict[str, Any]) -> dict[str, Any]:
    layouts = content.get("layouts") or {}
    return {**content, "layouts": {s: {"source": v.get("source")} for s, v in layouts.items()}}


def _revisions(draft: dict[str, Any], pool: ConnectionPool) -> list[Revision]:
    revisions = []
    for group, kind in GROUPS:
        for definition in _definitions(draft, group):
            key = str(definition.get("key", ""))
            current = get_definition(pool, kind, key)
            if current is None:
                revisions.append(Revision(kind, key, str(definition.get("name", key)), True))
            else:
                loaded, invalid = parse(Kind(kind), definition)
                after = definition if invalid else loaded
                found = changes(_comparable(current.content), _comparable(after))
                if found:
                    revisions.append(Revision(kind, key, current.name, False, found))
    return revisions


def build_artifact(
    draft: dict[str, Any] | None,
    errors: dict[str, list[str]],
    components: ComponentStore,
    pool: ConnectionPool,
    accepted: bool,
) -> Artifact | None:
    if draft is None:
        return None
    ticket_types = _definitions(draft, "ticket_types")
    return Artifact(
        draft=draft,
        errors=errors,
        tree=build_tree(draft),
        previews=_previews(draft, components),
        revisions=[] if accepted else _revisions(draft, pool),
        try_key=str(ticket_types[0].get("key")) if accepted and ticket_types else None,
    )
