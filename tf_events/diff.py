"""The one tree diff: what changed between two states, leaf by leaf, as dotted paths
("data.summary", "tasks.0.status"). The auditor's history and the designer's version
pages both show changes through it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    path: str  # e.g. "data.summary", "tasks.0.status", "comments.1"
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        return kind_of(self.before, self.after)


def kind_of(before: Any, after: Any) -> str:
    """ "added", "removed" or "changed", by which side is MISSING."""
    if before is MISSING:
        return "added"
    if after is MISSING:
        return "removed"
    return "changed"


class _Missing:
    def __repr__(self) -> str:
        return "—"


MISSING: Any = _Missing()


def diff(before: Any, after: Any, path: str = "", *, whole_lists: bool = False) -> list[Change]:
    """Leaf-level changes between two states; dicts by key, lists by position. With
    `whole_lists`, a list of plain values (a field's options) is one value."""
    if whole_lists and _plain_list(before) and _plain_list(after):
        return [] if before == after else [Change(path, before, after)]
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [*before, *(k for k in after if k not in before)]
        return [
            change
            for key in keys
            for change in diff(
                before.get(key, MISSING),
                after.get(key, MISSING),
                _join(path, str(key)),
                whole_lists=whole_lists,
            )
        ]
    if isinstance(before, list) and isinstance(after, list):
        length = max(len(before), len(after))
        return [
            change
            for i in range(length)
            for change in diff(
                before[i] if i < len(before) else MISSING,
                after[i] if i < len(after) else MISSING,
                _join(path, str(i)),
                whole_lists=whole_lists,
            )
        ]
    if before is MISSING and isinstance(after, dict | list) and after:
        return diff({} if isinstance(after, dict) else [], after, path, whole_lists=whole_lists)
    return [] if before == after else [Change(path, before, after)]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _plain_list(value: Any) -> bool:
    return value is MISSING or (
        isinstance(value, list) and not any(isinstance(v, dict | list) for v in value)
    )
