"""Turning a submission (fields and files) into ticket data, shared by pages and API.

A file field of ticket data holds only a reference the server made: to a file uploaded in
this very request, or one named by an upload token the server handed to this same user
(after `POST /api/v1/uploads`, or when a form came back with errors). The size and type in
it are what the server measured; whatever a client says of a file is never taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage, MultiDict

from tf_events.definitions.format import FieldType
from tf_events.tickets.uploads import (
    DEFAULT_MAX_MB,
    MAX_FILES_PER_TICKET,
    UploadRejected,
    UploadStore,
    UploadTooLarge,
)

# Whole-request bound for ticket forms (the app's default is smaller).
MAX_SUBMISSION_BYTES = 26 * 1024 * 1024
# Long enough to mend a form after lunch; short enough that a leaked token soon dies.
UPLOAD_TOKEN_MAX_AGE = 4 * 60 * 60
NOT_AN_UPLOAD = (
    'Attach the file in this request, or give {"upload": "<token>"} with a token from'
    " POST /api/v1/uploads."
)


def _signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="tf-upload")


def upload_token(secret: str, user_id: UUID, ref: dict[str, Any]) -> str:
    """A signed, short-lived token naming an upload already stored, usable only by the user
    who uploaded it."""
    return _signer(secret).dumps({"user": str(user_id), "ref": ref})


def _from_token(secret: str, user_id: UUID, token: str) -> dict[str, Any]:
    try:
        signed = _signer(secret).loads(token, max_age=UPLOAD_TOKEN_MAX_AGE)
    except SignatureExpired:
        raise UploadRejected("This upload has expired: attach the file again.") from None
    except BadSignature:
        raise UploadRejected("This is not an upload of yours: attach the file again.") from None
    if not isinstance(signed, dict) or signed.get("user") != str(user_id):
        raise UploadRejected("This is not an upload of yours: attach the file again.")
    return signed["ref"]


@dataclass
class FormInput:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    too_large: bool = False  # answer 413 rather than 422
    attached: int = 0


@dataclass
class Uploads:
    """What a request may attach to file fields, and who is attaching."""

    files: MultiDict[str, FileStorage]
    store: UploadStore
    secret: str
    user_id: UUID


def _attach(result: FormInput, spec: dict[str, Any], uploads: Uploads, token: str | None) -> None:
    """Put the field's file reference into `result`: the file sent under the field's name,
    else the upload that `token` names, else nothing."""
    name = spec["name"]
    upload = uploads.files.get(name)
    fresh = upload is not None and bool(upload.filename)
    if not fresh and not token:
        return
    if result.attached >= MAX_FILES_PER_TICKET:
        result.errors[name] = [f"At most {MAX_FILES_PER_TICKET} files per ticket."]
        return
    result.attached += 1
    limit = spec.get("max_size_mb") or DEFAULT_MAX_MB
    try:
        if fresh:
            ref = uploads.store.save(upload.stream, upload.filename or "", limit)  # type: ignore[union-attr]
        else:
            ref = _from_token(uploads.secret, uploads.user_id, token or "")
            if ref["size"] > limit * 1024 * 1024:
                raise UploadTooLarge(f"'{ref['name']}' is larger than {limit:g} MB.")
    except UploadRejected as rejected:
        result.errors[name] = [rejected.message]
        result.too_large |= isinstance(rejected, UploadTooLarge)
        return
    result.data[name] = ref


def form_data(
    fields: list[dict[str, Any]], form: MultiDict[str, str], uploads: Uploads
) -> FormInput:
    """A web form's values by field name, with its files stored and referenced (a form
    that came back with errors carries its earlier uploads as `<field>__kept` tokens)."""
    result = FormInput()
    for spec in fields:
        name, kind = spec["name"], spec["type"]
        if kind == FieldType.MULTI_CHOICE:
            result.data[name] = form.getlist(name)
        elif kind == FieldType.BOOLEAN:
            result.data[name] = form.get(name, "false")
        elif kind == FieldType.FILE:
            _attach(result, spec, uploads, form.get(f"{name}__kept"))
        elif name in form:
            result.data[name] = form.get(name, "")
    return result


def api_data(fields: list[dict[str, Any]], data: Mapping[str, Any], uploads: Uploads) -> FormInput:
    """A program's JSON data, with each file field's value made by the server: from a file
    part named after the field, or from {"upload": "<token>"}. Anything else a program puts
    in a file field (a hash, a name, a size) is refused."""
    result = FormInput(data=dict(data))
    file_fields = {spec["name"] for spec in fields if spec["type"] == FieldType.FILE}
    for name in uploads.files:
        if name not in file_fields:
            result.errors[name] = ["There is no file field by this name."]
    for spec in fields:
        if spec["type"] != FieldType.FILE:
            continue
        name = spec["name"]
        value = result.data.pop(name, None)
        if value is None:
            token = None
        elif isinstance(value, dict) and list(value) == ["upload"]:
            token = value["upload"] if isinstance(value["upload"], str) else None
            if token is None:
                result.errors[name] = [NOT_AN_UPLOAD]
                continue
        else:
            result.errors[name] = [NOT_AN_UPLOAD]
            continue
        _attach(result, spec, uploads, token)
    return result
