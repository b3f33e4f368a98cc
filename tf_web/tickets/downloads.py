"""Sending a ticket's file back: only a file the ticket references, under a name and type
fit for the headers whatever was stored (older tickets may hold a client's own claims)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, abort, send_file

from tf_events.tickets.uploads import ALLOWED_TYPES, UploadStore, display_name


def send_upload(data: Mapping[str, Any], sha256: str, store: UploadStore) -> Response:
    """The file `sha256` as an attachment, if the ticket's `data` references it; else 404."""
    ref = next(
        (v for v in data.values() if isinstance(v, dict) and v.get("sha256") == sha256), None
    )
    if ref is None:
        abort(404)
    path = store.path(sha256)
    if not path.is_file():
        abort(404)
    content_type = ref.get("content_type")
    return send_file(
        path,
        mimetype=content_type if content_type in ALLOWED_TYPES else "application/octet-stream",
        as_attachment=True,
        download_name=display_name(str(ref.get("name") or "")),
        max_age=0,
    )
