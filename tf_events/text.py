"""Text the event store can keep: PostgreSQL text holds no NUL, and psycopg refuses lone
surrogates. Untrusted text (uploads' names, documents, model output) is checked or cleaned
here before it reaches an event."""

from __future__ import annotations

import unicodedata
from typing import Any


def unstorable(text: str) -> str | None:
    """Why `text` cannot be kept, or None when it can. (Faster than a regular expression:
    a search for NUL, and UTF-8 encoding, which only a lone surrogate fails.)"""
    if "\x00" in text:
        return _cannot("a NUL character", 0)
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        return _cannot("a lone surrogate", ord(text[err.start]))
    return None


def _cannot(what: str, code: int) -> str:
    return f"This holds {what} (U+{code:04X}), which cannot be stored."


def clean_text(text: str) -> str:
    """Text PostgreSQL and JSON can hold: no NUL, no lone surrogates, no other controls."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def scrubbed(value: Any) -> Any:
    """Untrusted JSON with every string made storable."""
    if isinstance(value, str):
        return value if unstorable(value) is None else clean_text(value)
    if isinstance(value, list):
        return [scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {scrubbed(str(k)): scrubbed(v) for k, v in value.items()}
    return value
