"""What changed between two versions of a definition, path by path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    path: str
    before: str | None
    after: str | None
    source_diff: str = ""  # unified diff, for layout sources


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else key))
        return flat
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        flat = {}
        for i, item in enumerate(value):
            flat.update(_flatten(item, f"{prefix}[{i}]"))
        return flat
    return {prefix: value}


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """Changes from `before` to `after`; layout sources get a unified diff, and their
    derived hash and path are left out."""
    old, new = _flatten(before or {}), _flatten(after)
    found = []
    for path in sorted(old.keys() | new.keys()):
        if path.endswith((".sha256", ".path")) or old.get(path) == new.get(path):
            continue
        if path.endswith(".source"):
            diff = "\n".join(
                difflib.unified_diff(
                    str(old.get(path) or "").splitlines(),
                    str(new.get(path) or "").splitlines(),
                    "before",
                    "after",
                    lineterm="",
                    n=2,
                )
            )
            found.append(Change(path, None, None, diff))
        else:
            found.append(Change(path, _show(old.get(path)), _show(new.get(path))))
    return found
