"""Uploading a file through the API, ahead of the ticket that will reference it."""

from __future__ import annotations

from flask import Response, g, jsonify, request

from tf_events.tickets.uploads import DEFAULT_MAX_MB, UploadRejected, UploadTooLarge
from tf_web.api import bp, error, fails_with, field_errors, token_required
from tf_web.api.schemas import UploadOut
from tf_web.extensions import system
from tf_web.request_input import body_limit
from tf_web.tickets.submission import UPLOAD_TOKEN_MAX_AGE, upload_token

MAX_UPLOAD_BYTES = int(DEFAULT_MAX_MB * 1024 * 1024) + 64 * 1024  # the file and its headers


@bp.route("/uploads", methods=["POST"])
@bp.response(201, UploadOut)
@bp.doc(
    requestBody={
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        },
    }
)
@fails_with(413, 422)
@body_limit(MAX_UPLOAD_BYTES)
@token_required()
def upload_file() -> tuple[Response, int]:
    """Store one file (multipart, part `file`) and return a token for a ticket's file field:
    {"upload": "<token>"}, usable by this user only, for a few hours."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return field_errors({"file": ["Send the file as a multipart part named 'file'."]})
    wired = system()
    try:
        ref = wired.uploads.save(upload.stream, upload.filename, DEFAULT_MAX_MB)
    except UploadRejected as rejected:
        status = 413 if isinstance(rejected, UploadTooLarge) else 422
        return error(status, "The file was refused.", errors={"file": [rejected.message]})
    token = upload_token(wired.settings.secret_key, g.api_user.id, ref)
    return jsonify(
        upload=token,
        name=ref["name"],
        size=ref["size"],
        content_type=ref["content_type"],
        expires_in=UPLOAD_TOKEN_MAX_AGE,
    ), 201
