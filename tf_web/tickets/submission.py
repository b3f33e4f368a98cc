"""Turning a submitted form (fields and files) into ticket data, shared by pages and API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import FileStorage, MultiDict

from tf_events.definitions.format import FieldType
from tf_events.tickets.uploads import (
    MAX_FILES_PER_TICKET,
    UploadRejected,
    UploadStore,
    UploadTooLarge,
)

# Whole-request bound for ticket forms (the app's default is smaller).
MAX_SUBMISSION_BYTES = 26 * 1024 * 1024


def _kept(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="tf-kept-upload")


def keep_token(secret: str, ref: dict[str, Any]) -> str:
    """A signed token for an upload already stored, so a form that failed validation
    does not make the person attach the file again."""
    return _kept(secret).dumps(ref)


@dataclass
class FormInput:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    too_large: bool = False  # answer 413 rather than 422


def form_data(
    fields: list[dict[str, Any]],
    form: MultiDict[str, str],
    files: MultiDict[str, FileStorage],
    uploads: UploadStore,
    secret: str,
) -> FormInput:
    """Values by field name, with uploads stored and replaced by their references."""
    result = FormInput()
    data, errors = result.data, result.errors
    attached = 0
    for spec in fields:
        name, kind = spec["name"], spec["type"]
        if kind == FieldType.MULTI_CHOICE:
            data[name] = form.getlist(name)
        elif kind == FieldType.BOOLEAN:
            data[name] = form.get(name, "false")
        elif kind == FieldType.FILE:
            upload = files.get(name)
            if upload is not None and upload.filename:
                attached += 1
                if attached > MAX_FILES_PER_TICKET:
                    errors[name] = [f"At most {MAX_FILES_PER_TICKET} files per ticket."]
                    continue
                try:
                    data[name] = uploads.save(
                        upload.stream, upload.filename, spec.get("max_size_mb")
                    )
                except UploadRejected as rejected:
                    errors[name] = [rejected.message]
                    result.too_large |= isinstance(rejected, UploadTooLarge)
            elif form.get(f"{name}__kept"):
                try:
                    data[name] = _kept(secret).loads(form[f"{name}__kept"])
                except BadSignature:
                    errors[name] = ["Attach the file again."]
        elif name in form:
            data[name] = form.get(name, "")
    return result
