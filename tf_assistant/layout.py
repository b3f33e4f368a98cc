"""The layout generator: an input form and a display component for a ticket type, in the
demo forms' style, from its fields grouped into sections. Also used when a model gives
fields but no layout. Values enter the source only as JSON literals."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "layouts"
ACCENT = "#0f766e"
SECTIONS_LINE = re.compile(r"^const SECTIONS = (\[.*\]);$", re.M)


@cache
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text()


def _js(value: Any) -> str:
    # ensure_ascii also escapes U+2028/2029, which end a line in older JavaScript
    return json.dumps(value, ensure_ascii=True)


def _constants(pairs: dict[str, Any]) -> str:
    return "\n".join(f"const {name} = {_js(value)};" for name, value in pairs.items())


def input_layout(
    title: str, intro: str, sections: list[dict[str, Any]], submit_label: str = "Send"
) -> str:
    """`sections`: [{"title": …, "names": [field names]}] in the form's order."""
    constants = _constants(
        {
            "ACCENT": ACCENT,
            "KICKER": "New request",
            "TITLE": title,
            "INTRO": intro,
            "SUBMIT_LABEL": submit_label,
            "SECTIONS": sections,
        }
    )
    return _template("input_form.jsx").replace("/*@CONSTANTS@*/", constants)


def display_layout(
    title: str,
    sections: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    money: list[str] = (),  # type: ignore[assignment]
) -> str:
    """`steps`: [{"name": task name, "outputs": [field names]}] in the workflow's order."""
    constants = _constants(
        {
            "ACCENT": ACCENT,
            "KICKER": "Request",
            "TITLE": title,
            "SUBTITLE": "",
            "MONEY": list(money),
            "CURRENCY": "EUR",
            "SECTIONS": sections,
            "STEPS": steps,
        }
    )
    return _template("display.jsx").replace("/*@CONSTANTS@*/", constants)


def sections_of(source: str) -> list[dict[str, Any]] | None:
    """The sections a generated layout was built with, or None for any other source."""
    match = SECTIONS_LINE.search(source)
    if match is None:
        return None
    try:
        sections = json.loads(match.group(1))
    except ValueError:
        return None
    if not isinstance(sections, list) or not all(
        isinstance(s, dict) and isinstance(s.get("title"), str) and isinstance(s.get("names"), list)
        for s in sections
    ):
        return None
    return sections
