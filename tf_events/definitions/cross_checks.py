"""Rules that span definitions: a workflow's tasks exist and agree with its fields; a
ticket type's workflow exists and has the fields its form collects."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tf_events.definitions.format import Kind

# Looks up the current content of a definition by kind and key (None if missing/archived).
Lookup = Callable[[Kind, str], dict[str, Any] | None]
Errors = dict[str, list[str]]


def _field_types(workflow: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["type"] for f in workflow.get("fields", [])}


def check_workflow(workflow: dict[str, Any], lookup: Lookup) -> Errors:
    errors: Errors = {}
    types = _field_types(workflow)
    for i, task_key in enumerate(workflow["tasks"]):
        task = lookup(Kind.TASK, task_key)
        if task is None:
            errors[f"tasks.{i}"] = [f"There is no active task '{task_key}'."]
            continue
        problems = []
        for side in ("inputs", "outputs"):
            for spec in task.get(side, []):
                have = types.get(spec["name"])
                if have is None:
                    problems.append(
                        f"Task '{task_key}' {side[:-1]} '{spec['name']}' is not a field of "
                        f"this workflow."
                    )
                elif have != spec["type"]:
                    problems.append(
                        f"Task '{task_key}' {side[:-1]} '{spec['name']}' is {spec['type']}, "
                        f"but the workflow field is {have}."
                    )
        if problems:
            errors[f"tasks.{i}"] = problems
    return errors


def check_ticket_type(ticket_type: dict[str, Any], lookup: Lookup) -> Errors:
    workflow = lookup(Kind.WORKFLOW, ticket_type["workflow"])
    if workflow is None:
        return {"workflow": [f"There is no active workflow '{ticket_type['workflow']}'."]}
    types = _field_types(workflow)
    errors = {
        f"fields.{i}": [f"'{name}' is not a field of workflow '{ticket_type['workflow']}'."]
        for i, name in enumerate(ticket_type.get("fields", []))
        if name not in types
    }
    collected = set(ticket_type.get("fields", []))
    if stray := [name for name in summary_names(ticket_type) if name not in collected]:
        errors["summary"] = [f"The form does not collect {', '.join(stray)}."]
    return errors


def summary_names(ticket_type: dict[str, Any]) -> list[str]:
    """The fields a ticket type's summary names: "{a}: {b}" names a and b; "a" names a."""
    template = ticket_type.get("summary", "")
    return re.findall(r"\{(\w+)\}", template) if "{" in template else [t for t in [template] if t]


CHECKS: dict[Kind, Callable[[dict[str, Any], Lookup], Errors]] = {
    Kind.WORKFLOW: check_workflow,
    Kind.TICKET_TYPE: check_ticket_type,
}


def cross_check(kind: Kind, content: dict[str, Any], lookup: Lookup) -> Errors:
    check = CHECKS.get(kind)
    return check(content, lookup) if check else {}
