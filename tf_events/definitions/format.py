"""The definition format: what a designer, an import file or a generator must provide.

One marshmallow schema per kind, and one for a whole definition set. Errors come back
keyed by dotted paths ("fields.2.name") so pages and the API can put each next to its field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from tf_events.definitions.code_check import check_code
from tf_events.definitions.software import TaskKind, software_fields, tidy_software
from tf_events.errors import Errors, Invalid, NotFound, flatten_errors
from tf_events.tickets.assignment import AssignmentRule
from tf_events.users import Role

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
SET_FORMAT = "ticketflower.definition-set/1"


def required_text(max_length: int) -> list[validate.Validator]:
    """An empty required text says "Required.", a long one says how long it may be."""
    return [
        validate.Length(min=1, error="Required."),
        validate.Length(max=max_length, error="At most {max} characters."),
    ]


class DefinitionInvalid(Invalid):
    """The definition breaks the format or a cross-check; `errors` are keyed by path."""

    def __init__(self, errors: Errors) -> None:
        path, messages = next(iter(errors.items()))
        super().__init__(f"{path}: {messages[0]}", errors=errors)


class DefinitionNotFound(NotFound):
    pass


class Kind(StrEnum):
    TASK = "task"
    WORKFLOW = "workflow"
    TICKET_TYPE = "ticket_type"


# The kinds by the names addresses use for them (/design/ticket-types, /api/v1/...).
KINDS = {"tasks": Kind.TASK, "workflows": Kind.WORKFLOW, "ticket-types": Kind.TICKET_TYPE}


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    URL = "url"
    PHONE = "phone"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    FILE = "file"


TEXT_TYPES = {FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.URL, FieldType.PHONE}
NUMBER_TYPES = {FieldType.NUMBER, FieldType.INTEGER}
CHOICE_TYPES = {FieldType.CHOICE, FieldType.MULTI_CHOICE}
REFERENCE_TYPES = ("document", "link", "file", "image", "video", "other")
LAYOUT_SLOTS = {
    Kind.TASK: ("input", "display"),
    Kind.WORKFLOW: ("display",),
    Kind.TICKET_TYPE: ("input", "display"),
}


class Strict(Schema):
    class Meta:
        unknown = RAISE  # a typo in an import file is an error, not silently dropped


class FieldSpecSchema(Strict):
    name = fields.String(
        required=True,
        validate=validate.Regexp(
            IDENTIFIER, error="Use a lower-case identifier: letters, digits and '_'."
        ),
    )
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in FieldType]))
    label = fields.String(required=True, validate=required_text(120))
    required = fields.Boolean(load_default=False)
    help = fields.String(load_default="", validate=validate.Length(max=500))
    options = fields.List(fields.String(validate=required_text(120)), load_default=list)
    min = fields.Float(load_default=None, allow_none=True)
    max = fields.Float(load_default=None, allow_none=True)
    min_length = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100_000)
    )
    max_length = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=100_000)
    )
    max_size_mb = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0.001, max=25)
    )

    @validates_schema
    def check_limits(self, data: dict[str, Any], **_: Any) -> None:
        kind = FieldType(data["type"])
        errors: dict[str, list[str]] = {}
        options = data.get("options") or []
        if kind in CHOICE_TYPES:
            if not options:
                errors["options"] = ["A choice field needs at least one option."]
            elif len(set(options)) != len(options):
                errors["options"] = ["Options must be different from each other."]
        elif options:
            errors["options"] = ["Only choice fields have options."]
        if kind not in NUMBER_TYPES:
            for name in ("min", "max"):
                if data.get(name) is not None:
                    errors[name] = ["Only number fields have a minimum or maximum."]
        elif None not in (data.get("min"), data.get("max")) and data["min"] > data["max"]:
            errors["max"] = ["The maximum is below the minimum."]
        if kind not in TEXT_TYPES:
            for name in ("min_length", "max_length"):
                if data.get(name) is not None:
                    errors[name] = ["Only text fields have length limits."]
        elif None not in (data.get("min_length"), data.get("max_length")) and (
            data["min_length"] > data["max_length"]
        ):
            errors["max_length"] = ["The maximum length is below the minimum."]
        if kind is not FieldType.FILE and data.get("max_size_mb") is not None:
            errors["max_size_mb"] = ["Only file fields have a size limit."]
        if errors:
            raise ValidationError(errors)


class ReferenceSchema(Strict):
    uri = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=2000),
            validate.Regexp(
                r"^(https?://|mailto:|/)\S+$",
                error="Use a web address (https://…), a mailto: address, or a path.",
            ),
        ],
    )
    type = fields.String(required=True, validate=validate.OneOf(REFERENCE_TYPES))


class LayoutSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # exports carry sha256 and path; they are recomputed on import

    source = fields.String(required=True, validate=validate.Length(min=1))


def _unique_names(items: list[Any], attr: str | None, path: str) -> dict[str, Any]:
    seen: set[str] = set()
    errors: dict[str, Any] = {}
    for i, item in enumerate(items):
        name = item[attr] if attr else item
        if name in seen:
            errors.setdefault(path, {})[i] = (
                {attr: [f"'{name}' is used twice."]} if attr else [f"'{name}' is listed twice."]
            )
        seen.add(name)
    return errors


class DefinitionSchema(Strict):
    kind: Kind
    key = fields.String(
        required=True,
        validate=validate.Regexp(
            KEY, error="Use 2 to 63 lower-case letters, digits or '-', like 'it-request'."
        ),
    )
    name = fields.String(required=True, validate=required_text(120))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    references = fields.List(fields.Nested(ReferenceSchema), load_default=list)
    roles = fields.List(
        fields.String(validate=validate.OneOf([r.value for r in Role])),
        load_default=list,
        metadata={"description": "Who may use it; empty means every signed-in user."},
    )
    layouts = fields.Dict(
        keys=fields.String(), values=fields.Nested(LayoutSchema), load_default=dict
    )

    @validates_schema
    def check_layout_slots(self, data: dict[str, Any], **_: Any) -> None:
        slots = LAYOUT_SLOTS[self.kind]
        wrong = [slot for slot in data.get("layouts", {}) if slot not in slots]
        if wrong:
            raise ValidationError(
                {"layouts": [f"Unknown layout '{wrong[0]}'; use {' or '.join(slots)}."]}
            )

    @post_load
    def tidy(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["roles"] = sorted(set(data.get("roles", [])))
        return data


class TaskSchema(DefinitionSchema.from_dict(software_fields())):  # type: ignore[misc]
    kind = Kind.TASK
    inputs = fields.List(fields.Nested(FieldSpecSchema), load_default=list)
    outputs = fields.List(fields.Nested(FieldSpecSchema), load_default=list)
    assignment = fields.String(
        load_default=AssignmentRule.MANUAL.value,
        validate=validate.OneOf(
            [r.value for r in AssignmentRule],
            error="Choose manual, round_robin or least_busy.",
        ),
        metadata={
            "description": "Who gets the task when it opens: manual (it waits in the queue"
            " for a claim or a dispatcher), round_robin (the team member given this task"
            " least recently) or least_busy (the one holding the fewest open tasks), among"
            " active team members who may do it and are not away."
        },
    )

    @validates_schema
    def check_names(self, data: dict[str, Any], **_: Any) -> None:
        errors = {
            **_unique_names(data.get("inputs", []), "name", "inputs"),
            **_unique_names(data.get("outputs", []), "name", "outputs"),
        }
        if errors:
            raise ValidationError(errors)

    @validates_schema(skip_on_field_errors=False)  # say everything wrong at once
    def check_code(self, data: dict[str, Any], **_: Any) -> None:
        software = data.get("kind") == TaskKind.SOFTWARE
        if software and not data.get("code", "").strip():
            raise ValidationError({"code": ["A software task needs its code."]})
        if software and not (checked := check_code(data["code"])).ok:
            raise ValidationError({"code": [str(problem) for problem in checked.errors]})
        if software and data.get("assignment", "manual") != "manual":
            raise ValidationError(
                {"assignment": ["The automation worker does a software task: leave it manual."]}
            )
        if not software:
            extra = [name for name in ("code", "limits", "retries") if data.get(name)]
            if extra:
                raise ValidationError({name: ["Only software tasks have this."] for name in extra})

    @post_load
    def tidy_software(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return tidy_software(data)


class WorkflowSchema(DefinitionSchema):
    kind = Kind.WORKFLOW
    fields_ = fields.List(
        fields.Nested(FieldSpecSchema), data_key="fields", attribute="fields", load_default=list
    )
    tasks = fields.List(
        fields.String(validate=validate.Regexp(KEY, error="Not a task key.")),
        required=True,
        validate=validate.Length(min=1, error="A workflow needs at least one task."),
    )

    @validates_schema
    def check_names(self, data: dict[str, Any], **_: Any) -> None:
        errors = _unique_names(data.get("fields", []), "name", "fields")
        if errors:
            raise ValidationError(errors)


class TicketTypeSchema(DefinitionSchema):
    kind = Kind.TICKET_TYPE
    workflow = fields.String(
        required=True, validate=validate.Regexp(KEY, error="Not a workflow key.")
    )
    fields_ = fields.List(
        fields.String(validate=validate.Regexp(IDENTIFIER, error="Not a field name.")),
        data_key="fields",
        attribute="fields",
        load_default=list,
    )
    # What a ticket's one-line summary says: a field's name, or a short template such as
    # "{product}: {problem}". Empty: the first text field the submitter filled.
    summary = fields.String(
        load_default="",
        validate=[
            validate.Length(max=200),
            validate.Regexp(
                r"^[^{}]*(\{[a-z][a-z0-9_]{0,62}\}[^{}]*)*$",
                error="Use field names in braces, as in {{product}}: {{problem}}.",
            ),
        ],
    )

    @validates_schema
    def check_names(self, data: dict[str, Any], **_: Any) -> None:
        errors = _unique_names(data.get("fields", []), None, "fields")
        if errors:
            raise ValidationError(errors)


SCHEMAS: dict[Kind, type[DefinitionSchema]] = {
    Kind.TASK: TaskSchema,
    Kind.WORKFLOW: WorkflowSchema,
    Kind.TICKET_TYPE: TicketTypeSchema,
}


class DefinitionSetSchema(Strict):
    format = fields.String(required=True, validate=validate.Equal(SET_FORMAT))
    tasks = fields.List(fields.Nested(TaskSchema), load_default=list)
    workflows = fields.List(fields.Nested(WorkflowSchema), load_default=list)
    ticket_types = fields.List(fields.Nested(TicketTypeSchema), load_default=list)


def parse(kind: Kind, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Return (normalised content, {}) or ({}, errors by dotted path)."""
    try:
        return SCHEMAS[kind]().load(raw), {}
    except ValidationError as err:
        return {}, flatten_errors(err.messages)
