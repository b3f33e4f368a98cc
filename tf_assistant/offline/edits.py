"""The plain edits the offline generator understands in chat, one per line or sentence:

- rename X to Y                      - make X required / make X optional
- add a date field Z [to task T]     - move X to task T / move X to the form
- split into two tasks / split T into two tasks
- remove X                           - options of X are a, b, c
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tf_assistant.offline.plan import FieldPlan, Plan, Section, TaskPlan, ascii_words
from tf_assistant.offline.types import infer_type, type_named

HELP = (
    "I understand these edits, one per line: “rename X to Y”, “make X required” (or "
    "optional), “add a date field Z” (any type: text, long text, date, email, phone, amount, "
    "quantity, yes/no, choice, file), “move X to task T” (or “to the form”), “split into two "
    "tasks”, “remove X”, “options of X are a, b, c”. You can also upload a document "
    "(Markdown, text, DOCX or PDF) to start again from it."
)
Q = r"[\"'\u201c\u201d\u2018\u2019]?"


class EditNotUnderstood(ValueError):
    pass


def _norm(text: str) -> str:
    return ascii_words(text)


def find_field(plan: Plan, text: str) -> tuple[FieldPlan, list[FieldPlan]]:
    wanted = _norm(re.sub(r"(?i)^(the\s+)?(field\s+)?", "", text).removesuffix(" field"))
    holders = [s.fields for s in plan.sections] + [t.outputs for t in plan.tasks]
    exact, prefix, partial = [], [], []
    for holder in holders:
        for field in holder:
            names = {_norm(field.label), _norm(field.name.replace("_", " "))}
            if wanted in names:
                exact.append((field, holder))
            elif any(n.startswith(f"{wanted} ") for n in names):
                prefix.append((field, holder))
            elif any(wanted in n for n in names):
                partial.append((field, holder))
    # "phone" means "Phone number" sooner than "Recipient's phone"
    found = exact or prefix or partial
    if len(found) == 1:
        return found[0]
    if not found:
        raise EditNotUnderstood(f"There is no field called “{text}”.")
    labels = ", ".join(f"“{f.label}”" for f, _ in found[:5])
    raise EditNotUnderstood(f"“{text}” could mean {labels}; say which.")


def find_task(plan: Plan, text: str) -> TaskPlan:
    wanted = _norm(re.sub(r"(?i)^(the\s+)?(task\s+)?", "", text))
    if wanted.isdigit() and 0 < int(wanted) <= len(plan.tasks):
        return plan.tasks[int(wanted) - 1]
    found = [t for t in plan.tasks if _norm(t.name) == wanted] or [
        t for t in plan.tasks if wanted in _norm(t.name)
    ]
    if len(found) == 1:
        return found[0]
    names = ", ".join(f"“{t.name}”" for t in plan.tasks)
    raise EditNotUnderstood(f"There is no single task called “{text}”; the tasks are {names}.")


def _rename(plan: Plan, m: re.Match[str]) -> str:
    old, new = m.group("old"), m.group("new").strip()[:120]
    if m.group("what") == "task":
        find_task(plan, old).name = new
        return f"Renamed the task “{old}” to “{new}”."
    try:
        field, _ = find_field(plan, old)
    except EditNotUnderstood:
        if m.group("what") == "field":
            raise
        task = find_task(plan, old)
        task.name = new
        return f"Renamed the task “{old}” to “{new}”."
    field.label = new
    return f"Renamed “{old}” to “{new}”."


def _required(plan: Plan, m: re.Match[str]) -> str:
    field, _ = find_field(plan, m.group("field"))
    field.required = m.group("state").lower() == "required"
    return f"“{field.label}” is now {'required' if field.required else 'optional'}."


def _add(plan: Plan, m: re.Match[str]) -> str:
    label = m.group("label").strip()[:120]
    spoken = (m.group("type") or "").strip()
    kind = type_named(spoken) if spoken else infer_type(label)
    if kind is None:
        raise EditNotUnderstood(f"I don't know the field type “{spoken}”.")
    if kind in ("choice", "multi_choice"):
        raise EditNotUnderstood(
            f"Add it as a text field first, then say “options of {label} are a, b, c”."
        )
    field = FieldPlan(name=plan.unique_name(label), label=label, type=kind)
    if m.group("task"):
        find_task(plan, m.group("task")).outputs.append(field)
        return f"Added the {kind.replace('_', ' ')} field “{label}” to the task."
    if not plan.sections:
        plan.sections.append(Section("Details"))
    plan.sections[-1].fields.append(field)
    return f"Added the {kind.replace('_', ' ')} field “{label}” to the form."


def _move(plan: Plan, m: re.Match[str]) -> str:
    field, holder = find_field(plan, m.group("field"))
    target = m.group("target")
    if re.fullmatch(r"(?i)(the\s+)?(form|submission|ticket form)", target.strip()):
        holder.remove(field)
        if not plan.sections:
            plan.sections.append(Section("Details"))
        plan.sections[-1].fields.append(field)
        return f"Moved “{field.label}” to the submission form."
    task = find_task(plan, target)
    holder.remove(field)
    task.outputs.append(field)
    return f"Moved “{field.label}” to the task “{task.name}”."


def _split(plan: Plan, m: re.Match[str]) -> str:
    if m.group("task"):
        task = find_task(plan, m.group("task"))
    elif plan.tasks:
        task = max(plan.tasks, key=lambda t: len(t.outputs))
    else:
        raise EditNotUnderstood("There is no task to split yet.")
    half = (len(task.outputs) + 1) // 2
    second = TaskPlan(f"{task.name} (part 2)"[:120], task.description, task.outputs[half:])
    task.outputs = task.outputs[:half]
    task.name = f"{task.name} (part 1)"[:120]
    plan.tasks.insert(plan.tasks.index(task) + 1, second)
    return f"Split it into “{task.name}” and “{second.name}”."


def _remove(plan: Plan, m: re.Match[str]) -> str:
    field, holder = find_field(plan, m.group("field"))
    holder.remove(field)
    return f"Removed “{field.label}”."


def _options(plan: Plan, m: re.Match[str]) -> str:
    field, _ = find_field(plan, m.group("field"))
    # "a, b and c", "a, b, or c", "a or b": commas first, then the last "and"/"or"
    *first, last = re.split(r",", m.group("options"))
    listed = [*first, *re.split(r"\s+(?:and|or)\s+", re.sub(r"^\s*(and|or)\s+", "", last))]
    options = [o.strip(" .\"'“”") for o in listed]
    options = list(dict.fromkeys(o[:120] for o in options if o))
    if not options:
        raise EditNotUnderstood("Name the options, separated by commas.")
    field.options = options
    if field.type not in ("choice", "multi_choice"):
        field.type = "choice"
    return f"“{field.label}” is now a choice of {', '.join(options)}."


EDITS: tuple[tuple[re.Pattern[str], Callable[[Plan, re.Match[str]], str]], ...] = (
    (
        re.compile(
            rf"^rename (?:the )?(?P<what>field|task)?\s*{Q}(?P<old>.+?){Q} (?:to|as) "
            rf"{Q}(?P<new>.+?){Q}$",
            re.I,
        ),
        _rename,
    ),
    (
        re.compile(
            rf"^make (?:the )?{Q}(?P<field>.+?){Q} (?:field )?(?P<state>required|optional|"
            r"not required)$",
            re.I,
        ),
        _required,
    ),
    (
        re.compile(
            rf"^add (?:a |an |another )?(?P<type>[\w /-]+? )?field (?:called |named )?"
            rf"{Q}(?P<label>.+?){Q}(?: to (?:the )?task {Q}(?P<task>.+?){Q})?$",
            re.I,
        ),
        _add,
    ),
    (
        re.compile(rf"^move {Q}(?P<field>.+?){Q} to (?:task )?{Q}(?P<target>.+?){Q}$", re.I),
        _move,
    ),
    (
        re.compile(rf"^split (?:{Q}(?P<task>.+?){Q} )?into two tasks$", re.I),
        _split,
    ),
    (re.compile(rf"^(?:remove|delete) (?:the )?{Q}(?P<field>.+?){Q}(?: field)?$", re.I), _remove),
    (
        re.compile(
            rf"^(?:the )?options (?:of|for) {Q}(?P<field>.+?){Q} (?:are|:)\s*(?P<options>.+)$",
            re.I,
        ),
        _options,
    ),
)


def instructions(text: str) -> list[str]:
    """Each edit of a message: lines and sentences, without polite padding."""
    parts = re.split(r"\n|;|(?<=[a-z0-9”\"'])\.\s+(?=[A-Z])", text)
    cleaned = []
    for part in parts:
        part = re.sub(r"(?i)^(please|and|then|also|now|can you|could you)[\s,]+", "", part.strip())
        part = re.sub(r"(?i)[\s,]*(please|thanks|thank you)?[.!?]*$", "", part).strip()
        if part:
            cleaned.append(part)
    return cleaned


def apply_edit(plan: Plan, instruction: str) -> str:
    """Apply one edit to `plan`; return what was done, or raise EditNotUnderstood."""
    for pattern, edit in EDITS:
        match = pattern.match(instruction)
        if match:
            return edit(plan, match)
    raise EditNotUnderstood(f"I did not understand “{instruction}”.")
