"""What text and JSON the system can keep: the one rule every piece of input passes.

PostgreSQL text and jsonb cannot hold NUL, and psycopg cannot encode a lone UTF-16 surrogate
(JSON's "\\ud800" escape makes one): input holding either would be accepted, then refused by
the database or a projection, a 500 or a poison event. Every other character is kept, the
other control characters included: PostgreSQL and JSON hold them, and text pasted from a
word processor carries some (U+000B is Word's line break); refusing them would lose it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tf_events.text import unstorable

MAX_JSON_DEPTH = 64
FieldErrors = dict[str, list[str]]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnstorableInput(Exception):
    """Input that cannot be kept, with messages by field name; `status` 400 for a request
    that is malformed as a whole (JSON nested too deeply)."""

    def __init__(self, errors: FieldErrors, status: int = 422) -> None:
        super().__init__(errors)
        self.errors = errors
        self.status = status


def printable_name(name: str) -> str:
    """A field name fit to echo back in an error, whatever it holds."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def json_errors(value: Any) -> FieldErrors:
    """Messages by dotted path ("data.summary", "outputs.0.name") for every string (key or
    value) that cannot be kept and every number that is not finite. Walks without recursion
    and raises UnstorableInput(status=400) past MAX_JSON_DEPTH levels."""
    errors: FieldErrors = {}
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if why := unstorable(item):
                errors.setdefault(path or "(body)", []).append(why)
        elif isinstance(item, float) and not math.isfinite(item):
            errors.setdefault(path or "(body)", []).append("Give a finite number.")
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise too_deep()
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                name = f"{path}.{printable_name(str(key))}" if path else printable_name(str(key))
                if isinstance(key, str) and (why := unstorable(key)):
                    errors.setdefault(name, []).append(f"The name of this field: {why}")
                stack.append((child, name, depth + 1))
    return dict(sorted(errors.items()))


def too_deep() -> UnstorableInput:
    return UnstorableInput(
        {"(body)": [f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep."]}, status=400
    )


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """Parse JSON that the system can keep: ValueError when it is not JSON, UnstorableInput
    when it nests too deeply or holds what cannot be stored."""
    try:
        value = json.loads(data, **kwargs)
    except RecursionError:  # nested far past MAX_JSON_DEPTH: the parser gave up first
        raise too_deep() from None
    errors = json_errors(value)
    if errors:
        raise UnstorableInput(errors)
    return value
