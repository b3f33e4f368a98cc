"""Software tasks: workflow steps done by Python code (`run(inputs) -> outputs`) in a
sandbox, with limits and retries. The format of those parts of a task definition."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from marshmallow import RAISE, Schema, fields, validate


def task_kind(content: Mapping[str, Any]) -> TaskKind:
    """A task definition's kind; definitions saved before software tasks are human."""
    return TaskKind(content.get("kind", TaskKind.HUMAN.value))


class TaskKind(StrEnum):
    HUMAN = "human"  # done by a person, through its form or the API
    SOFTWARE = "software"  # done by its code, run by the automation worker


# name: (minimum, default, maximum). Defaults fit a small conversion; maxima keep one
# runaway task from taking the automation worker's machine; Python needs ~30 MB to start.
LIMITS: dict[str, tuple[float, float, float]] = {
    "cpu_seconds": (1, 2, 30),  # enforced in whole seconds, rounded up
    "wall_seconds": (1, 5, 60),  # a start takes ~30 ms of CPU, far longer on a busy machine
    "memory_mb": (64, 256, 1024),
    "output_kb": (1, 64, 1024),
}
RETRIES: dict[str, tuple[float, float, float]] = {
    "count": (0, 2, 10),
    "backoff_seconds": (0.1, 5, 3600),
}


def _bounded(bounds: dict[str, tuple[float, float, float]]) -> dict[str, fields.Field]:
    return {
        name: fields.Float(load_default=default, validate=validate.Range(min=low, max=high))
        for name, (low, default, high) in bounds.items()
    }


class _Strict(Schema):
    class Meta:
        unknown = RAISE


LimitsSchema = _Strict.from_dict(_bounded(LIMITS), name="LimitsSchema")
RetriesSchema = _Strict.from_dict(_bounded(RETRIES), name="RetriesSchema")


def defaults(bounds: dict[str, tuple[float, float, float]]) -> dict[str, Any]:
    return {name: default for name, (_, default, _) in bounds.items()}


def software_fields() -> dict[str, fields.Field]:
    """The fields a task definition gains for software tasks."""
    return {
        "task_kind": fields.String(
            data_key="kind",
            attribute="kind",
            load_default=TaskKind.HUMAN.value,
            validate=validate.OneOf([k.value for k in TaskKind]),
            metadata={"description": "human (a person does it) or software (its code does)."},
        ),
        "code": fields.String(
            load_default="",
            metadata={"description": "Python defining run(inputs: dict) -> dict."},
        ),
        "limits": fields.Nested(LimitsSchema, load_default=None),
        "retries": fields.Nested(RetriesSchema, load_default=None),
    }


def tidy_software(data: dict[str, Any]) -> dict[str, Any]:
    """A human task keeps none of the software parts (its content reads as before they
    existed); a software task gets the default limits and retries it did not set."""
    if data.get("kind") == TaskKind.HUMAN:
        for name in ("kind", "code", "limits", "retries"):
            data.pop(name, None)
        return data
    data["limits"] = {**defaults(LIMITS), **(data.get("limits") or {})}
    data["retries"] = {**defaults(RETRIES), **(data.get("retries") or {})}
    return data
