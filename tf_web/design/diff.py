"""What changed between two versions of a definition, path by path, through the one tree
diff; layout sources as unified diffs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from tf_events.diff import MISSING, diff


@dataclass(frozen=True)
class Change:
    path: str
    before: str | None
    after: str | None
    source_diff: str = ""  # unified diff, for layout sources


def _show(value: Any) -> str | None:
    if value is None or value is MISSING:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """Changes from `before` to `after`; layout sources get a unified diff, and their
    derived hash and path are left out."""
    found = []
    for change in diff(before or {}, after, whole_lists=True):
        if change.path.endswith((".sha256", ".path")):
            continue
        if change.path.endswith(".source"):
            lines = difflib.unified_diff(
                str(_show(change.before) or "").splitlines(),
                str(_show(change.after) or "").splitlines(),
                "before",
                "after",
                lineterm="",
                n=2,
            )
            found.append(Change(change.path, None, None, "\n".join(lines)))
        else:
            found.append(Change(change.path, _show(change.before), _show(change.after)))
    return found
