"""A ticket's history, replayed from the event store in one pass: each event, who caused it,
and what it changed, said in the ticket's own words (field labels, task names, people,
statuses), derived from the event itself and the state just before it. The read tables
play no part here."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from tf_events.diff import MISSING, kind_of
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.workflow import Resolution, TaskStatus, TicketStatus, task_label

PAGE_SIZE = 50

TITLES = {
    "Submitted": "Submitted",
    "CommentAdded": "Comment added",
    "TaskClaimed": "Task claimed",
    "TaskReleased": "Task released",
    "TaskAssigned": "Task assigned",
    "TaskDraftSaved": "Draft saved",
    "TaskCompleted": "Task completed",
    "TaskFailed": "Problem reported",
    "TaskReopened": "Task reopened",
    "ClosedEarly": "Closed early",
}


@dataclass(frozen=True)
class Line:
    """One thing an event changed."""

    path: str  # where in the ticket's state: "data.summary", "tasks.1.status"
    what: str  # the same in words: "Summary", "Triage · status"
    before: Any  # MISSING where there was nothing
    after: Any

    @property
    def kind(self) -> str:
        return kind_of(self.before, self.after)


@dataclass(frozen=True)
class Step:
    version: int
    event: str
    at: datetime
    by: str
    lines: list[Line]
    raw: dict[str, Any] = field(repr=False)

    @property
    def title(self) -> str:
        return TITLES.get(self.event, self.event)


@dataclass(frozen=True)
class History:
    steps: list[Step]  # every event, oldest first
    state: dict[str, Any]  # the ticket as it was at the version asked for
    ticket: Ticket | None  # as its newest event left it

    @property
    def dated(self) -> dict[int, datetime]:
        """When each version was made."""
        return {step.version: step.at for step in self.steps}

    @property
    def latest(self) -> int:
        return len(self.steps)


def replay(
    app: Application,
    ticket_id: UUID,
    labels_of: Callable[[dict[str, Any]], Mapping[str, str]],
    version: int | None = None,
) -> History:
    """Every event of the ticket with what it changed, and its state at `version` (the
    latest if None). `labels_of` names the data fields of the workflow version pinned."""
    steps: list[Step] = []
    ticket: Ticket | None = None
    state: dict[str, Any] = {}
    labels: Mapping[str, str] = {}
    event: Any
    for event in app.repository.event_store.get(ticket_id):
        name = type(event).__name__
        if ticket is None:
            labels = labels_of(event.workflow)
        lines = LINES.get(name, _nothing)(ticket, event, labels)
        ticket = event.mutate(ticket)
        assert ticket is not None
        steps.append(
            Step(event.originator_version, name, event.timestamp, _by(event), lines, _raw(event))
        )
        if event.originator_version == version:
            state = copy.deepcopy(ticket.as_data())
    if ticket is not None and not state:
        state = copy.deepcopy(ticket.as_data())
    return History(steps, state, ticket)


def ticket_state(ticket: Ticket) -> dict[str, Any]:
    """The ticket's state as plain data, copied so later events cannot change it."""
    return copy.deepcopy(ticket.as_data())


def page_of(version: int) -> int:
    return (version - 1) // PAGE_SIZE + 1


# -- what each event changed -------------------------------------------------------------

Lines = Callable[[Any, Any, Mapping[str, str]], list[Line]]


def _nothing(ticket: Any, event: Any, labels: Mapping[str, str]) -> list[Line]:
    return []


def _submitted(ticket: Any, event: Any, labels: Mapping[str, str]) -> list[Line]:
    """The submission, as "Submitted with" its values."""
    lines = [
        Line(f"data.{name}", labels.get(name, name), MISSING, value)
        for name, value in event.data.items()
    ]
    lines.append(Line("status", "Status", MISSING, TicketStatus(event.status).label))
    opened = next((i for i, t in enumerate(event.tasks) if t["status"] == TaskStatus.OPEN), None)
    if opened is not None:
        task = event.tasks[opened]["name"]
        lines.append(
            Line(f"tasks.{opened}.status", f"{task} · status", MISSING, "Pending assignment")
        )
    return lines


def _comment(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    return [Line(f"comments.{len(ticket.comments)}", "Comment", MISSING, event.text)]


def _status(ticket: Ticket, event: Any) -> list[Line]:
    new = getattr(event, "status", None)
    if new is None or new == ticket.status:
        return []
    return [Line("status", "Status", ticket.status.label, TicketStatus(new).label)]


def _task_line(ticket: Ticket, position: int, after: str) -> Line:
    task = ticket.tasks[position]
    before = task_label(task.status, task.assignee.username if task.assignee else None)
    return Line(f"tasks.{position}.status", f"{task.name} · status", before, after)


def _claimed(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    who = (getattr(event, "to", None) or event.by)["username"]
    return [_task_line(ticket, event.position, f"Assigned to {who}"), *_status(ticket, event)]


def _released(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    lines = [_task_line(ticket, event.position, "Pending assignment")]
    if event.reason:
        lines.append(Line(f"tasks.{event.position}.reason", "Why", MISSING, event.reason))
    return lines


def _draft_saved(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    task = ticket.tasks[event.position]
    before = task.draft or {}
    return [
        Line(
            f"tasks.{event.position}.draft.{name}",
            f"{task.name} · draft · {labels.get(name, name)}",
            before.get(name, MISSING),
            value,
        )
        for name, value in event.values.items()
        if before.get(name, MISSING) != value
    ]


def _completed(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    lines = [_task_line(ticket, event.position, TaskStatus.CLOSED.label)]
    lines += [
        Line(f"data.{name}", labels.get(name, name), ticket.data.get(name, MISSING), value)
        for name, value in event.outputs.items()
    ]
    if event.opens is not None:
        lines.append(_task_line(ticket, event.opens, "Pending assignment"))
    return [*lines, *_status(ticket, event)]


def _failed(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    return [
        _task_line(ticket, event.position, TaskStatus.ERROR.label),
        Line(f"tasks.{event.position}.reason", "Why", MISSING, event.reason),
    ]


def _reopened(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    return [_task_line(ticket, event.position, "Pending assignment")]


def _closed_early(ticket: Ticket, event: Any, labels: Mapping[str, str]) -> list[Line]:
    lines = [Line("status", "Status", ticket.status.label, TicketStatus.COMPLETED.label)]
    lines.append(Line("resolution", "Resolution", MISSING, Resolution(event.resolution).label))
    if event.reason:
        lines.append(Line("reason", "Why", MISSING, event.reason))
    return lines


LINES: dict[str, Lines] = {
    "Submitted": _submitted,
    "CommentAdded": _comment,
    "TaskClaimed": _claimed,
    "TaskAssigned": _claimed,
    "TaskReleased": _released,
    "TaskDraftSaved": _draft_saved,
    "TaskCompleted": _completed,
    "TaskFailed": _failed,
    "TaskReopened": _reopened,
    "ClosedEarly": _closed_early,
}


def _by(event: Any) -> str:
    who = getattr(event, "by", None) or getattr(event, "submitter", None) or {}
    return str(who.get("username", "—"))


def _raw(event: Any) -> dict[str, Any]:
    """The event as stored, for the auditor's "Raw event"."""
    return {"topic": type(event).__qualname__, **vars(event)}
