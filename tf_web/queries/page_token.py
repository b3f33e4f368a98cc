"""A page link's cursor as an opaque token: JSON, base64 without padding. One way to
write and read it for every keyset-paged list."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from tf_web import storable

DAMAGED = "This page link is damaged; start from the first page."


def pack(parts: list[Any]) -> str:
    raw = json.dumps(parts, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def unpack(token: str, length: int) -> list[Any]:
    """The parts of a token made by `pack`; ValueError with a message for the user if it
    is not a list of `length` parts."""
    try:
        parts = storable.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, TypeError, storable.UnstorableInput) as error:
        raise ValueError(DAMAGED) from error
    if not isinstance(parts, list) or len(parts) != length:
        raise ValueError(DAMAGED)
    return parts
