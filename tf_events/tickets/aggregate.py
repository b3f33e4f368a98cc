"""The Ticket aggregate: one run of a workflow, pinned to the definition versions it was
submitted with. It alone decides which task is current and what each transition does.

Each public method checks a rule and raises a named domain error; each private `@event`
method records the change. Events carry their outcome (the ticket's status after them, the
task they open), so the read side copies facts instead of working them out again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate, event

from tf_events.definitions.software import TaskKind
from tf_events.errors import Conflict, NotAllowed
from tf_events.tickets.workflow import Person, Resolution, Task, TaskStatus, TicketStatus

_NAMESPACE = uuid.UUID("9a3c1a1e-2f1d-4d0e-8c55-3d1f6f0b2a77")


class TaskNotCurrent(Conflict):
    """The task is not the one the ticket waits on."""


class TaskNotClaimable(Conflict):
    pass


class TaskNotYours(Conflict):
    """Someone else holds the task, or nobody does: a state the actor can see change."""


class TicketClosed(Conflict):
    pass


class Ticket(Aggregate):
    class Submitted(Aggregate.Created):
        """Version 2 records the statuses the ticket starts with; version 1 left them to
        every reader to work out, and names a task's definition `id`. Version 3 pins the
        roles each task is open to (tickets before it: open to the whole ticket team).
        Version 4 pins whether a person or software does each task."""

        class_version = 4
        submission_key: str
        reference: str
        ticket_type: dict[str, Any]
        workflow: dict[str, Any]
        tasks: list[dict[str, Any]]
        data: dict[str, Any]
        submitter: dict[str, str]
        summary: str
        channel: str
        status: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            tasks = state["tasks"]
            state["tasks"] = [
                {
                    "key": task["key"],
                    "definition_id": task["id"],
                    "version": task["version"],
                    "name": task["name"],
                    "status": (TaskStatus.OPEN if i == 0 else TaskStatus.PENDING).value,
                }
                for i, task in enumerate(tasks)
            ]
            state["status"] = TicketStatus.NOT_STARTED.value

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["tasks"] = [{**task, "roles": []} for task in state["tasks"]]

        @staticmethod
        def upcast_v3_v4(state: dict[str, Any]) -> None:
            state["tasks"] = [{**task, "kind": TaskKind.HUMAN.value} for task in state["tasks"]]

    @staticmethod
    def create_id(submission_key: str) -> uuid.UUID:
        # The submission key decides the id: a retried submission (double click, browser
        # retry, API Idempotency-Key) collides with the first instead of making a second.
        return uuid.uuid5(_NAMESPACE, submission_key)

    @classmethod
    def submit(
        cls,
        *,
        submission_key: str,
        reference: str,
        ticket_type: dict[str, Any],
        workflow: dict[str, Any],
        tasks: list[dict[str, Any]],
        data: dict[str, Any],
        submitter: Person,
        summary: str,
        channel: str,
    ) -> Ticket:
        """A new ticket waits on its first task, unassigned ("pending assignment")."""
        return cls(
            submission_key=submission_key,
            reference=reference,
            ticket_type=ticket_type,
            workflow=workflow,
            tasks=[
                {**task, "status": (TaskStatus.OPEN if i == 0 else TaskStatus.PENDING).value}
                for i, task in enumerate(tasks)
            ],
            data=data,
            submitter=submitter.as_event(),
            summary=summary,
            channel=channel,
            status=TicketStatus.NOT_STARTED.value,
        )

    @event(Submitted)
    def __init__(
        self,
        submission_key: str,
        reference: str,
        ticket_type: dict[str, Any],
        workflow: dict[str, Any],
        tasks: list[dict[str, Any]],
        data: dict[str, Any],
        submitter: dict[str, str],
        summary: str,
        channel: str,
        status: str,
        timestamp: datetime | None = None,
    ) -> None:
        self.reference = reference
        self.ticket_type = ticket_type
        self.workflow = workflow
        self.data = data
        self.submitter = Person.of(submitter)
        self.summary = summary
        self.channel = channel
        self.status = TicketStatus(status)
        self.resolution: Resolution | None = None
        self.closed_at: datetime | None = None
        self.tasks = [
            Task(
                position=i,
                key=task["key"],
                definition_id=uuid.UUID(task["definition_id"]),
                version=task["version"],
                name=task["name"],
                status=TaskStatus(task["status"]),
                opened_at=timestamp if task["status"] == TaskStatus.OPEN else None,
                roles=tuple(task["roles"]),
                kind=TaskKind(task["kind"]),
            )
            for i, task in enumerate(tasks)
        ]
        self.comments: list[dict[str, Any]] = []
        self.completion_keys: set[str] = set()

    # -- what the ticket is waiting on -------------------------------------------------

    @property
    def current_task(self) -> Task | None:
        """The task the ticket waits on: open, or stopped by a problem."""
        return next(
            (t for t in self.tasks if t.status in (TaskStatus.OPEN, TaskStatus.ERROR)), None
        )

    @property
    def is_closed(self) -> bool:
        return self.status.is_closed

    @property
    def submitter_id(self) -> uuid.UUID:
        return self.submitter.id

    def task(self, position: int) -> Task:
        if not 0 <= position < len(self.tasks):
            raise TaskNotCurrent(f"This ticket has no task {position + 1}.")
        return self.tasks[position]

    def _current(self, position: int) -> Task:
        if self.is_closed:
            raise TicketClosed(f"{self.reference} is closed.")
        task = self.task(position)
        if task is not self.current_task:
            raise TaskNotCurrent(f"{self.reference} is not waiting on '{task.name}'.")
        return task

    # -- comments ----------------------------------------------------------------------

    def add_comment(self, by: Person, text: str, key: str) -> None:
        self._comment_added(by=by.as_event(), text=text, key=key)

    def has_comment(self, key: str) -> bool:
        return any(comment["key"] == key for comment in self.comments)

    @event("CommentAdded")
    def _comment_added(
        self, by: dict[str, str], text: str, key: str, originator_version: int = 0
    ) -> None:
        # The key makes a retried comment recognisable.
        self.comments.append({"version": originator_version, "by": by, "text": text, "key": key})

    # -- working the tasks ---------------------------------------------------------------

    def claim_task(self, position: int, by: Person) -> None:
        """Take an open task that nobody has: claiming is for oneself only."""
        task = self._current(position)
        if task.status is not TaskStatus.OPEN:
            raise TaskNotClaimable(f"'{task.name}' has a problem reported; it needs reopening.")
        if task.assignee is not None:
            who = "You have" if task.assignee.id == by.id else f"{task.assignee.username} took"
            raise TaskNotClaimable(f"{who} this task a moment ago.")
        self._task_claimed(
            position=position, by=by.as_event(), status=TicketStatus.IN_PROCESS.value
        )

    @event("TaskClaimed")
    def _task_claimed(
        self, position: int, by: dict[str, str], status: str, timestamp: datetime | None = None
    ) -> None:
        self._move(position, assignee=Person.of(by), claimed_at=timestamp, reason=None)
        self.status = TicketStatus(status)

    def release_task(self, position: int, by: Person, reason: str = "") -> None:
        """Give a task back to the queue."""
        task = self._current(position)
        self._check_assignee(task, by)
        self._task_released(position=position, by=by.as_event(), reason=reason)

    def take_back_task(self, position: int, holder: Person, by: Person, reason: str) -> None:
        """Take a task from someone who can no longer do it (deactivated): an open task
        goes back to the queue; one with a problem reported stays with the dispatchers."""
        task = self._current(position)
        self._check_assignee(task, holder)
        self._task_released(position=position, by=by.as_event(), reason=reason)

    @event("TaskReleased")
    def _task_released(self, position: int, by: dict[str, str], reason: str) -> None:
        self._move(position, assignee=None, claimed_at=None, reason=reason or None)

    def assign_task(self, position: int, to: Person, by: Person) -> None:
        """A dispatcher gives the task to someone (or reassigns a stopped one)."""
        task = self._current(position)
        if task.assignee == to and task.status is TaskStatus.OPEN:
            raise TaskNotClaimable(f"'{task.name}' is already assigned to {to.username}.")
        self._task_assigned(
            position=position,
            to=to.as_event(),
            by=by.as_event(),
            status=TicketStatus.IN_PROCESS.value,
        )

    @event("TaskAssigned")
    def _task_assigned(
        self,
        position: int,
        to: dict[str, str],
        by: dict[str, str],
        status: str,
        timestamp: datetime | None = None,
    ) -> None:
        self._move(
            position,
            status=TaskStatus.OPEN,
            assignee=Person.of(to),
            claimed_at=timestamp,
            reason=None,
        )
        self.status = TicketStatus(status)

    def complete_task(
        self, position: int, outputs: dict[str, Any], by: Person, key: str = ""
    ) -> None:
        """Record the task's outputs; the next task opens, or the ticket closes. The key
        makes a retried completion recognisable (`has_completion`)."""
        self._worked(position, by)
        following = position + 1 if position + 1 < len(self.tasks) else None
        self._task_completed(
            position=position,
            outputs=outputs,
            by=by.as_event(),
            key=key,
            opens=following,
            status=(
                TicketStatus.IN_PROCESS if following is not None else TicketStatus.COMPLETED
            ).value,
        )

    @event("TaskCompleted")
    def _task_completed(
        self,
        position: int,
        outputs: dict[str, Any],
        by: dict[str, str],
        opens: int | None,
        status: str,
        key: str = "",
        timestamp: datetime | None = None,
    ) -> None:
        self.data = {**self.data, **outputs}
        if key:
            self.completion_keys.add(key)
        self._move(position, status=TaskStatus.CLOSED, closed_at=timestamp, draft=None)
        if opens is not None:
            self._move(opens, status=TaskStatus.OPEN, opened_at=timestamp)
        self._set_status(status, Resolution.DONE, timestamp)

    def has_completion(self, key: str) -> bool:
        return key in self.completion_keys

    def save_draft(self, position: int, values: dict[str, Any], by: Person) -> None:
        """Keep a half-done task's values for its assignee to come back to."""
        self._worked(position, by)
        self._draft_saved(position=position, values=values, by=by.as_event())

    @event("TaskDraftSaved")
    def _draft_saved(self, position: int, values: dict[str, Any], by: dict[str, str]) -> None:
        self._move(position, draft=values)

    def fail_task(self, position: int, reason: str, by: Person) -> None:
        """The worker cannot do the task: it stops with a problem until reopened."""
        task = self._current(position)
        if task.status is TaskStatus.ERROR:
            raise TaskNotClaimable(f"A problem is already reported on '{task.name}'.")
        self._check_assignee(task, by)
        self._task_failed(position=position, reason=reason, by=by.as_event())

    @event("TaskFailed")
    def _task_failed(self, position: int, reason: str, by: dict[str, str]) -> None:
        self._move(position, status=TaskStatus.ERROR, reason=reason)

    def reopen_task(self, position: int, by: Person) -> None:
        """Put a stopped task back in the queue."""
        task = self._current(position)
        if task.status is not TaskStatus.ERROR:
            raise TaskNotClaimable(f"'{task.name}' has no problem reported.")
        self._task_reopened(position=position, by=by.as_event())

    @event("TaskReopened")
    def _task_reopened(self, position: int, by: dict[str, str]) -> None:
        self._move(position, status=TaskStatus.OPEN, assignee=None, claimed_at=None)

    def cancel(self, reason: str, by: Person) -> None:
        """Close the ticket without finishing its work."""
        if self.is_closed:
            raise TicketClosed(f"{self.reference} is already closed.")
        self._closed_early(resolution=Resolution.CANCELLED.value, reason=reason, by=by.as_event())

    def withdraw(self, by: Person) -> None:
        """The submitter takes the ticket back, while nobody has started on it."""
        if by.id != self.submitter.id:
            raise NotAllowed("Only the submitter may withdraw a ticket.")
        if self.status is not TicketStatus.NOT_STARTED:
            raise TicketClosed(
                f"{self.reference} can no longer be withdrawn: work has started on it."
            )
        self._closed_early(resolution=Resolution.WITHDRAWN.value, reason="", by=by.as_event())

    @event("ClosedEarly")
    def _closed_early(
        self,
        resolution: str,
        reason: str,
        by: dict[str, str],
        timestamp: datetime | None = None,
    ) -> None:
        # Closing early always completes the run: no status to record beside it.
        for task in self.tasks:
            if task.status in (TaskStatus.OPEN, TaskStatus.ERROR):
                self._move(
                    task.position, status=TaskStatus.CLOSED, closed_at=timestamp, reason=resolution
                )
        self._set_status(TicketStatus.COMPLETED, Resolution(resolution), timestamp)

    # -- helpers -------------------------------------------------------------------------

    def _worked(self, position: int, by: Person) -> Task:
        """The current task, open and held by `by`: the only one whose form they may fill."""
        task = self._current(position)
        if task.status is TaskStatus.ERROR:
            raise TaskNotClaimable(
                f"'{task.name}' has a problem reported; a dispatcher reopens it first."
            )
        self._check_assignee(task, by)
        return task

    @staticmethod
    def _check_assignee(task: Task, by: Person) -> None:
        if task.assignee is None:
            raise TaskNotYours(f"'{task.name}' is not assigned to anyone; claim it first.")
        if task.assignee.id != by.id:
            raise TaskNotYours(f"'{task.name}' is assigned to {task.assignee.username}.")

    def _move(self, position: int, **changes: Any) -> None:
        self.tasks = [
            task.moved(**changes) if task.position == position else task for task in self.tasks
        ]

    def _set_status(self, status: str, resolution: Resolution, at: datetime | None) -> None:
        self.status = TicketStatus(status)
        if self.status.is_closed:
            self.resolution, self.closed_at = resolution, at

    def as_data(self) -> dict[str, Any]:
        """The ticket's state as plain data: for the auditor's history."""
        return {
            "reference": self.reference,
            "ticket_type": self.ticket_type,
            "workflow": self.workflow,
            "status": self.status.value,
            "resolution": self.resolution.value if self.resolution else None,
            "summary": self.summary,
            "channel": self.channel,
            "submitter": self.submitter.username,
            "data": self.data,
            "tasks": [task.as_data() for task in self.tasks],
            "comments": self.comments,
            "version": self.version,
            "created_on": self.created_on,
            "modified_on": self.modified_on,
            "closed_at": self.closed_at,
        }
