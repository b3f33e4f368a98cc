"""Sample values for previews: what a filled-in form could hold, per field type."""

from __future__ import annotations

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


def sample_value(field: dict[str, Any]) -> Any:
    kind = field["type"]
    options = field.get("options") or []
    samples: dict[str, Any] = {
        "text": f"Sample {field.get('label', field['name']).lower()}",
        "long_text": "A longer sample text,\nover two lines.",
        "number": field.get("min") if field.get("min") is not None else 42.5,
        "integer": int(field["min"]) if field.get("min") is not None else 3,
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
