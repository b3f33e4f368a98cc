"""Sample values for previews: what a filled-in form could hold, per field type."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

GENERIC_FIELDS = [
    {
        "name": "summary",
        "type": "text",
        "label": "Summary",
        "required": True,
        "help": "",
        "options": [],
    },
    {
        "name": "details",
        "type": "long_text",
        "label": "Details",
        "required": False,
        "help": "",
        "options": [],
    },
]


def _least(field: dict[str, Any], otherwise: float) -> float:
    """The field's minimum when it has a usable one (a form being edited may hold text)."""
    try:
        least = float(field["min"]) if field.get("min") not in (None, "") else otherwise
    except (TypeError, ValueError):
        return otherwise
    return least if math.isfinite(least) and abs(least) < 1e15 else otherwise


def sample_value(field: dict[str, Any]) -> Any:
    kind = field.get("type", "text")
    options = field.get("options") or []
    samples: dict[str, Any] = {
        "text": f"Sample {str(field.get('label') or field.get('name', '')).lower()}",
        "long_text": "A longer sample text,\nover two lines.",
        "number": _least(field, 42.5),
        "integer": int(_least(field, 3)),
        "boolean": True,
        "date": date.today().isoformat(),
        "datetime": datetime.now().replace(microsecond=0, second=0).isoformat(timespec="minutes"),
        "email": "sam@example.com",
        "url": "https://example.com/",
        "phone": "+1 555 0100",
        "choice": options[0] if options else "",
        "multi_choice": options[:2],
        "file": {"name": "example.pdf", "size": 48213, "content_type": "application/pdf"},
    }
    return samples.get(kind, "")


def sample_values(fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {field["name"]: sample_value(field) for field in fields}
