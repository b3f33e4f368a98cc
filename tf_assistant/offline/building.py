"""A Plan as a `ticketflower.definition-set/1` set, and a set back as a Plan (so chat
edits work on any draft, whoever generated it)."""

from __future__ import annotations

from typing import Any

from tf_assistant.layout import display_layout, input_layout, sections_of
from tf_assistant.offline.plan import FieldPlan, Plan, Section, TaskPlan, slug
from tf_events.assistant.generator import Draft
from tf_events.definitions.format import SET_FORMAT

CHOICE_TYPES = ("choice", "multi_choice")
DEFAULT_TASK = TaskPlan(
    name="Handle the request",
    description="Someone on the team reads the request, does what it asks and closes it.",
)


def field_spec(field: FieldPlan) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": field.name,
        "type": field.type,
        "label": field.label,
        "required": field.required,
        "help": field.help,
    }
    if field.type in CHOICE_TYPES:
        spec["options"] = list(field.options)
    return spec


def build_set(plan: Plan) -> Draft:
    key = slug(plan.title)
    title = plan.title[:120]
    tasks = plan.tasks or [DEFAULT_TASK]
    task_keys: list[str] = []
    for task in tasks:
        task_key, n = f"{key}-{slug(task.name, 20)}", 2
        while task_key in task_keys:
            task_key, n = f"{key}-{slug(task.name, 17)}-{n}", n + 1
        task_keys.append(task_key)
    form = [field_spec(f) for f in plan.form_fields]
    sections = [
        {"title": s.title, "names": [f.name for f in s.fields]} for s in plan.sections if s.fields
    ]
    steps = [{"name": t.name, "outputs": [f.name for f in t.outputs]} for t in tasks]
    money = [f.name for f in plan.all_fields if f.type == "number"]
    return {
        "format": SET_FORMAT,
        "tasks": [
            {
                "key": task_key,
                "name": task.name,
                "description": task.description,
                "inputs": form,
                "outputs": [field_spec(f) for f in task.outputs],
            }
            for task_key, task in zip(task_keys, tasks, strict=True)
        ],
        "workflows": [
            {
                "key": key,
                "name": title,
                "description": plan.description,
                "fields": [field_spec(f) for f in plan.all_fields],
                "tasks": task_keys,
            }
        ],
        "ticket_types": [
            {
                "key": key,
                "name": title,
                "description": plan.description,
                "workflow": key,
                "fields": [f.name for f in plan.form_fields],
                "layouts": {
                    "input": {"source": input_layout(title, plan.description, sections)},
                    "display": {"source": display_layout(title, sections, steps, money)},
                },
            }
        ],
    }


def _field(spec: dict[str, Any]) -> FieldPlan:
    return FieldPlan(
        name=str(spec.get("name", "")),
        label=str(spec.get("label", spec.get("name", ""))),
        type=str(spec.get("type", "text")),
        required=bool(spec.get("required", False)),
        options=[str(o) for o in spec.get("options") or []],
        help=str(spec.get("help") or ""),
    )


def plan_of(draft: Draft) -> Plan:
    """Read a set back into a Plan: its first ticket type, that workflow and its tasks."""
    ticket_type = (draft.get("ticket_types") or [{}])[0]
    workflows = {w.get("key"): w for w in draft.get("workflows") or []}
    workflow: dict[str, Any] = workflows.get(ticket_type.get("workflow")) or next(
        iter(workflows.values()), {}
    )
    by_name = {f["name"]: _field(f) for f in workflow.get("fields") or [] if "name" in f}
    plan = Plan(
        title=str(ticket_type.get("name") or workflow.get("name") or "New request"),
        description=str(ticket_type.get("description") or workflow.get("description") or ""),
    )
    form_names = [n for n in ticket_type.get("fields") or [] if n in by_name]
    source = ((ticket_type.get("layouts") or {}).get("input") or {}).get("source", "")
    placed: set[str] = set()
    for section in sections_of(source) or []:
        names = [n for n in section["names"] if n in form_names and n not in placed]
        placed.update(names)
        plan.sections.append(Section(section["title"], [by_name[n] for n in names]))
    rest = [by_name[n] for n in form_names if n not in placed]
    if rest:
        plan.sections.append(Section("Details", rest))
    tasks = {t.get("key"): t for t in draft.get("tasks") or []}
    for task_key in workflow.get("tasks") or []:
        task = tasks.get(task_key, {})
        outputs = [by_name.get(o.get("name"), _field(o)) for o in task.get("outputs") or []]
        plan.tasks.append(
            TaskPlan(str(task.get("name") or task_key), str(task.get("description", "")), outputs)
        )
    return plan
