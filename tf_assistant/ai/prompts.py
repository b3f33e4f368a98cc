"""The prompts, kept as files in the package; the example is a demo definition set."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from string import Template

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"
EXAMPLE = Path(__file__).resolve().parents[2] / "tf_system" / "demo_definitions"


@cache
def system_prompt() -> str:
    example = json.loads((EXAMPLE / "customer-support.json").read_text())
    for group in ("tasks", "workflows", "ticket_types"):
        for definition in example.get(group, []):
            definition.pop("layouts", None)
    return Template((PROMPTS / "system.md").read_text()).substitute(
        format=(PROMPTS / "format.md").read_text(),
        example=json.dumps(example, indent=1, ensure_ascii=False),
    )
