"""The JSON schema of the model's tool call, derived from the definition-set marshmallow
schemas, so the model is asked for exactly what an import accepts."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from tf_events.definitions.format import DefinitionSetSchema

TOOL_NAME = "propose_definition_set"


def _string(field: fields.Field) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string"}
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            out["enum"] = list(rule.choices)
        elif isinstance(rule, validate.Equal):
            out["enum"] = [rule.comparable]
        elif isinstance(rule, validate.Regexp):
            out["pattern"] = rule.regex.pattern
        elif isinstance(rule, validate.Length) and rule.max is not None:
            out["maxLength"] = rule.max
    return out


def field_schema(field: fields.Field) -> dict[str, Any]:
    if isinstance(field, fields.Nested):
        nested = field.nested
        schema = nested() if isinstance(nested, type) else nested
        return schema_of(schema)  # type: ignore[arg-type]
    if isinstance(field, fields.List):
        return {"type": "array", "items": field_schema(field.inner)}
    if isinstance(field, fields.Dict):
        values = field.value_field
        return {
            "type": "object",
            "additionalProperties": field_schema(values) if values else {},
        }
    if isinstance(field, fields.Boolean):
        out: dict[str, Any] = {"type": "boolean"}
    elif isinstance(field, fields.Integer):
        out = {"type": "integer"}
    elif isinstance(field, fields.Float | fields.Number):
        out = {"type": "number"}
    else:
        out = _string(field)
    if field.allow_none:
        out["type"] = [out["type"], "null"]
    return out


def schema_of(schema: Schema) -> dict[str, Any]:
    properties = {}
    required = []
    for name, field in schema.fields.items():
        key = field.data_key or name
        properties[key] = field_schema(field)
        description = field.metadata.get("description")
        if description:
            properties[key]["description"] = description
        if field.required:
            required.append(key)
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def tool() -> dict[str, Any]:
    """The one tool the model may call: the reply to the person and the whole draft set."""
    return {
        "type": "function",
        "function": {
            "name": TOOL_NAME,
            "description": "Propose the complete draft definition set and tell the person "
            "what changed.",
            "parameters": {
                "type": "object",
                "properties": {
                    "reply": {
                        "type": "string",
                        "description": "A short answer to the person, in plain words.",
                    },
                    "definition_set": schema_of(DefinitionSetSchema()),
                },
                "required": ["reply", "definition_set"],
                "additionalProperties": False,
            },
        },
    }
