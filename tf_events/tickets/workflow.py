"""The value objects of a ticket's workflow run: statuses, people, and task instances."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from tf_events.definitions.software import TaskKind


class TicketStatus(StrEnum):
    """The ticket, that is its workflow run, in the user's words."""

    NOT_STARTED = "NOT_STARTED"  # waiting on its first task: "pending assignment"
    IN_PROCESS = "IN_PROCESS"
    COMPLETED = "COMPLETED"

    @property
    def label(self) -> str:
        return TICKET_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self is TicketStatus.COMPLETED


TICKET_LABELS = {
    TicketStatus.NOT_STARTED: "Pending assignment",
    TicketStatus.IN_PROCESS: "In progress",
    TicketStatus.COMPLETED: "Closed",
}
CLOSED_TICKET_STATUSES = tuple(s.value for s in TicketStatus if s.is_closed)


class TaskStatus(StrEnum):
    OPEN = "OPEN"  # the current task: waiting for someone, or being worked
    PENDING = "PENDING"  # a later task, not reached yet
    CLOSED = "CLOSED"
    ERROR = "ERROR"  # its worker reported a problem; a dispatcher reopens it

    @property
    def label(self) -> str:
        return TASK_LABELS[self]


TASK_LABELS = {
    TaskStatus.OPEN: "Open",
    TaskStatus.PENDING: "Not reached yet",
    TaskStatus.CLOSED: "Done",
    TaskStatus.ERROR: "Problem reported",
}


def task_label(status: str, assignee: str | None) -> str:
    """A task's status as the pages say it: "Pending assignment", "Assigned to tess"."""
    if status == TaskStatus.OPEN:
        return f"Assigned to {assignee}" if assignee else "Pending assignment"
    return TaskStatus(status).label


def ticket_label(status: str, task_status: str | None, assignee: str | None) -> str:
    """A ticket's status as the lists say it, its current task's state when that says
    more: "Closed", "Problem reported", "Assigned to tess", "Pending assignment"."""
    if TicketStatus(status).is_closed:
        return TicketStatus(status).label
    if task_status == TaskStatus.ERROR:
        return TaskStatus.ERROR.label
    if assignee:
        return f"Assigned to {assignee}"
    return TicketStatus(status).label


class Resolution(StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return RESOLUTION_LABELS[self]


RESOLUTION_LABELS = {
    Resolution.DONE: "Done",
    Resolution.CANCELLED: "Cancelled",
    Resolution.WITHDRAWN: "Withdrawn by the submitter",
}


@dataclass(frozen=True)
class Person:
    """Who did something, as recorded in events: an id and the username at the time."""

    id: UUID
    username: str

    @classmethod
    def of(cls, raw: dict[str, str]) -> Person:
        return cls(UUID(raw["id"]), raw["username"])

    def as_event(self) -> dict[str, str]:
        return {"id": str(self.id), "username": self.username}


@dataclass(frozen=True)
class Task:
    """One task of the workflow run, pinned to the task definition version it started with."""

    position: int
    key: str
    definition_id: UUID
    version: int
    name: str
    status: TaskStatus
    assignee: Person | None = None
    opened_at: datetime | None = None
    claimed_at: datetime | None = None
    closed_at: datetime | None = None
    reason: str | None = None  # why it is in ERROR, or why it was released
    roles: tuple[str, ...] = ()  # who may do it, pinned with its definition version
    kind: TaskKind = TaskKind.HUMAN  # a person does it, or its code
    draft: dict[str, Any] | None = None  # its assignee's half-done outputs

    @property
    def label(self) -> str:
        return task_label(self.status, self.assignee.username if self.assignee else None)

    def moved(self, **changes: Any) -> Task:
        return replace(self, **changes)

    def as_data(self) -> dict[str, Any]:
        """Plain data, for history and the agreement check."""
        data = asdict(self)
        data["status"] = self.status.value
        data["definition_id"] = str(self.definition_id)
        data["assignee"] = self.assignee.username if self.assignee else None
        data["roles"] = list(self.roles)
        data["kind"] = self.kind.value
        return data
