"""What a ticket submission must satisfy: the form's fields, its data, its summary."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tf_events.definitions.format import FieldType
from tf_events.errors import Errors, Invalid, NotAllowed


class TicketDataInvalid(Invalid):
    def __init__(self, errors: Errors) -> None:
        super().__init__("Some fields need attention.", errors=errors)


class CommentInvalid(Invalid):
    """An empty or over-long comment."""

    field = "text"


MAX_COMMENT_CHARS = 5000


class TicketTypeUnavailable(NotAllowed):
    """No such ticket type, archived, or not open to this user's roles."""


class VersionOutdated(Invalid):
    """The form was built from an older version of the ticket type."""


def form_fields(ticket_type: dict[str, Any], workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """The workflow's field specs that the ticket type's form collects, in form order."""
    by_name = {f["name"]: f for f in workflow.get("fields", [])}
    return [by_name[name] for name in ticket_type.get("fields", []) if name in by_name]


def summary_of(
    fields: list[dict[str, Any]], data: Mapping[str, Any], fallback: str, template: str = ""
) -> str:
    """A ticket's one line: its type's summary template filled from the data, or (with no
    template) the first text field filled; the type's name if that says nothing."""
    if template:
        pattern = template if "{" in template else f"{{{template}}}"
        filled = re.sub(r"\{(\w+)\}", lambda m: _shown(data.get(m.group(1))), pattern)
        line = " ".join(filled.split()).strip(" :;,-·")
        return line[:140] or fallback
    for spec in fields:
        if spec["type"] in (FieldType.TEXT, FieldType.LONG_TEXT) and data.get(spec["name"]):
            return " ".join(str(data[spec["name"]]).split())[:140]
    return fallback


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):  # a file: its name
        return str(value.get("name", ""))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def clean_comment(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()  # a browser sends line ends as CR LF
    if not text:
        raise CommentInvalid("Write a comment first.")
    if len(text) > MAX_COMMENT_CHARS:
        raise CommentInvalid(f"Keep a comment under {MAX_COMMENT_CHARS} characters.")
    return text
