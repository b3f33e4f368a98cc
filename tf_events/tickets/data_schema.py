"""A marshmallow schema built from a definition's fields: how submitted ticket data is
checked, whatever form or program sent it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from tf_events.definitions.format import FieldType
from tf_events.errors import errors_by_field
from tf_events.tickets.uploads import ALLOWED_TYPES, display_name

DEFAULT_MAX_LENGTH = {FieldType.TEXT: 500, FieldType.LONG_TEXT: 20_000}
PHONE = r"^\+?[0-9][0-9 ()\-./]{3,30}$"


def _plain_file_name(name: str) -> None:
    if name != display_name(name):
        raise ValidationError("Not a plain file name.")


class FileRef(Schema):
    """An upload already stored by content hash: the ticket holds only this reference,
    which the web layer makes from the upload itself (never from a client's claims)."""

    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    name = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=255), _plain_file_name],
    )
    size = fields.Integer(required=True, validate=validate.Range(min=0))
    content_type = fields.String(required=True, validate=validate.OneOf(sorted(ALLOWED_TYPES)))


def _length(spec: dict[str, Any], kind: FieldType) -> list[validate.Validator]:
    low = spec.get("min_length")
    high = spec.get("max_length") or DEFAULT_MAX_LENGTH.get(kind, 500)
    if low and spec.get("required"):
        low = max(low, 1)
    return [validate.Length(min=low, max=high)]


def _range(spec: dict[str, Any]) -> list[validate.Validator]:
    if spec.get("min") is None and spec.get("max") is None:
        return []
    return [validate.Range(min=spec.get("min"), max=spec.get("max"))]


def _field(spec: dict[str, Any]) -> fields.Field:
    kind = FieldType(spec["type"])
    required = bool(spec.get("required"))
    common: dict[str, Any] = {"required": required, "allow_none": not required}
    if required:
        common["error_messages"] = {
            "required": "This field is required.",
            "null": "This field is required.",
        }
    options = spec.get("options") or []
    match kind:
        case FieldType.TEXT | FieldType.LONG_TEXT:
            return fields.String(validate=_length(spec, kind), **common)
        case FieldType.EMAIL:
            return fields.Email(validate=_length(spec, kind), **common)
        case FieldType.URL:
            return fields.Url(schemes={"http", "https"}, validate=_length(spec, kind), **common)
        case FieldType.PHONE:
            return fields.String(
                validate=[
                    validate.Regexp(PHONE, error="Not a valid phone number."),
                    *_length(spec, kind),
                ],
                **common,
            )
        case FieldType.NUMBER:
            return fields.Float(allow_nan=False, validate=_range(spec), **common)
        case FieldType.INTEGER:
            return fields.Integer(strict=False, validate=_range(spec), **common)
        case FieldType.BOOLEAN:
            return fields.Boolean(
                truthy={True, "true", "on", "yes", "1"},
                falsy={False, "false", "off", "no", "0"},
                load_default=False,
                required=False,
                allow_none=False,
            )
        case FieldType.DATE:
            return fields.Date(**common)
        case FieldType.DATETIME:
            return fields.DateTime(**common)
        case FieldType.CHOICE:
            return fields.String(validate=validate.OneOf(options), **common)
        case FieldType.MULTI_CHOICE:
            return fields.List(
                fields.String(validate=validate.OneOf(options)),
                validate=validate.Length(min=1 if required else 0, error="Choose at least one."),
                **common,
            )
        case FieldType.FILE:
            return fields.Nested(FileRef, **common)
    raise ValueError(kind)


def _blank_to_none(data: Mapping[str, Any], specs: list[dict[str, Any]]) -> dict[str, Any]:
    """Forms send "" for an empty input: treat it as absent, not as a value."""
    cleaned: dict[str, Any] = {}
    for spec in specs:
        name = spec["name"]
        if name not in data:
            continue
        value = data[name]
        if value == "" or (value == [] and spec["type"] != FieldType.MULTI_CHOICE):
            value = None
        if isinstance(value, str) and spec["type"] not in (FieldType.LONG_TEXT,):
            value = value.strip() or None
        if value is None and spec["type"] == FieldType.BOOLEAN:
            continue
        cleaned[name] = value
    return cleaned


# Schemas by their fields, built once: building one (its class, then deep copies of its
# fields) cost more than checking a submission with it. A schema keeps no state between
# loads, so threads share it.
_SCHEMAS: dict[str, Schema] = {}
MAX_SCHEMAS = 512


def _schema(specs: list[dict[str, Any]]) -> Schema:
    key = json.dumps(specs, sort_keys=True, default=str)
    schema = _SCHEMAS.get(key)
    if schema is None:
        if len(_SCHEMAS) >= MAX_SCHEMAS:
            _SCHEMAS.clear()
        fields_ = {spec["name"]: _field(spec) for spec in specs}
        schema = _SCHEMAS[key] = Schema.from_dict(fields_)(unknown=EXCLUDE)
    return schema


def validate_data(
    specs: list[dict[str, Any]], data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Return (clean JSON-able data, {}) or ({}, messages by field name). Unknown keys are
    refused: a program that misspells a field hears about it."""
    unknown = sorted(set(data) - {spec["name"] for spec in specs})
    schema = _schema(specs)
    try:
        loaded = schema.load(_blank_to_none(data, specs))
        errors: dict[str, list[str]] = {}
    except ValidationError as err:
        loaded = {}
        errors = errors_by_field(err.normalized_messages())
    for name in unknown:
        errors[name] = ["There is no such field on this form."]
    if errors:
        return {}, errors
    dumped = {k: v for k, v in schema.dump(loaded).items() if v is not None}
    if too_much := too_much_text(dumped):
        return {}, too_much
    return dumped, {}


# A ticket's words are indexed for search in one tsvector, which PostgreSQL caps at 1 MB: past
# it the ticket could not be projected at all. 250,000 characters of the most varied words
# make about 600 KB (measured), and no form needs more.
MAX_TEXT_PER_TICKET = 250_000


def too_much_text(data: Mapping[str, Any]) -> dict[str, list[str]]:
    sizes = {name: len(json.dumps(value, ensure_ascii=False)) for name, value in data.items()}
    if sum(sizes.values()) <= MAX_TEXT_PER_TICKET:
        return {}
    largest = max(sizes, key=sizes.__getitem__)
    message = f"The ticket holds more than {MAX_TEXT_PER_TICKET:,} characters in all: shorten this."
    return {largest: [message]}
