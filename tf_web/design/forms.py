"""Between the designer's HTML form and the definition format (a plain dict).

Repeated rows (fields, references, tasks) are named `group-<i>-attr`; blank rows are
dropped and the rest renumbered, so error paths like `fields.2.name` match what is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from tf_events.definitions.format import LAYOUT_SLOTS, Kind
from tf_events.definitions.software import LIMITS as SOFTWARE_LIMITS
from tf_events.definitions.software import RETRIES
from tf_events.text import unstorable

FIELD_ATTRS = (
    "name",
    "type",
    "label",
    "required",
    "help",
    "options",
    "min",
    "max",
    "min_length",
    "max_length",
    "max_size_mb",
)
LIMITS = ("min", "max", "min_length", "max_length", "max_size_mb")
FIELD_GROUPS = {Kind.TASK: ("inputs", "outputs"), Kind.WORKFLOW: ("fields",), Kind.TICKET_TYPE: ()}
BLANK_ROWS = 2
MAX_ROWS = 200


class UploadError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


def _rows(form: MultiDict[str, str], group: str) -> list[dict[str, str]]:
    pattern = re.compile(rf"^{re.escape(group)}-(\d+)-(\w+)$")
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        match = pattern.match(key)
        if match and int(match.group(1)) < MAX_ROWS:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value.strip()
    return [row for _, row in sorted(rows.items()) if any(v for k, v in row.items() if k != "type")]


def _field_spec(row: dict[str, str]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": row.get("name", ""),
        "type": row.get("type", "text"),
        "label": row.get("label", "") or row.get("name", "").replace("_", " ").capitalize(),
        "required": row.get("required") == "on",
        "help": row.get("help", ""),
        "options": [o.strip() for o in re.split(r"[\n,]", row.get("options", "")) if o.strip()],
    }
    for limit in LIMITS:
        if row.get(limit):
            spec[limit] = row[limit]
    return spec


def _upload(files: MultiDict[str, FileStorage], slot: str) -> str | None:
    upload = files.get(f"layout-{slot}-file")
    if upload is None or not upload.filename:
        return None
    path = f"layouts.{slot}.source"
    if not upload.filename.lower().endswith((".jsx", ".js")):
        raise UploadError(path, "Upload a .jsx (or .js) file.")
    try:
        source = upload.read(256 * 1024).decode("utf-8")
    except UnicodeDecodeError:
        raise UploadError(path, "The file is not UTF-8 text.") from None
    if why := unstorable(source):
        raise UploadError(path, why)
    return source


def definition_from_form(
    kind: Kind, form: MultiDict[str, str], files: MultiDict[str, FileStorage]
) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "key": form.get("key", "").strip(),
        "name": form.get("name", "").strip(),
        "description": form.get("description", "").strip(),
        "roles": form.getlist("roles"),
        "references": [
            {"uri": row.get("uri", ""), "type": row.get("type", "link")}
            for row in _rows(form, "references")
        ],
    }
    for group in FIELD_GROUPS[kind]:
        raw[group] = [_field_spec(row) for row in _rows(form, group)]
    if kind is Kind.TASK:
        raw["assignment"] = form.get("assignment", "").strip() or "manual"
        raw.update(_software(form))
    if kind is Kind.WORKFLOW:
        raw["tasks"] = [v.strip() for k, v in sorted(_task_rows(form)) if v.strip()]
    if kind is Kind.TICKET_TYPE:
        raw["workflow"] = form.get("workflow", "").strip()
        raw["fields"] = form.getlist("fields")
        raw["summary"] = form.get("summary", "").strip()
    layouts = {}
    for slot in LAYOUT_SLOTS[kind]:
        source = _upload(files, slot) or form.get(f"layout-{slot}-source", "")
        if source.strip():
            layouts[slot] = {"source": source.replace("\r\n", "\n")}
    raw["layouts"] = layouts
    return raw


def _software(form: MultiDict[str, str]) -> dict[str, Any]:
    """The software parts of a task: sent only for a software task, each limit only when
    given (the format fills in the defaults)."""
    if form.get("kind") != "software":
        return {}

    def given(group: str, names: Iterable[str]) -> dict[str, str]:
        return {name: v for name in names if (v := form.get(f"{group}-{name}", "").strip())}

    return {
        "kind": "software",
        "code": form.get("code", "").replace("\r\n", "\n"),
        "limits": given("limits", SOFTWARE_LIMITS),
        "retries": given("retries", RETRIES),
    }


def _task_rows(form: MultiDict[str, str]) -> list[tuple[int, str]]:
    pattern = re.compile(r"^tasks-(\d+)$")
    return [
        (int(m.group(1)), value)
        for key, value in form.items()
        if (m := pattern.match(key)) and int(m.group(1)) < MAX_ROWS
    ]


def form_rows(items: list[Any], extra: int) -> list[Any]:
    """The rows to show: the existing ones, then blank ones to fill in."""
    return [*items, *([None] * (BLANK_ROWS + extra))]
