"""The Ticket aggregate: one run of a workflow, pinned to the definition versions it was
submitted with."""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid.UUID("9a3c1a1e-2f1d-4d0e-8c55-3d1f6f0b2a77")

# Statuses from the user's schema.
TICKET_IN_PROCESS = "IN_PROCESS"
TICKET_CLOSED = "CLOSED"  # reached when the last task is done (the workflow issue)
TICKET_STATUSES = (TICKET_IN_PROCESS, TICKET_CLOSED)
CLOSED_STATUSES = (TICKET_CLOSED,)
TASK_OPEN, TASK_PENDING = "OPEN", "PENDING"


class Ticket(Aggregate):
    @staticmethod
    def create_id(submission_key: str) -> uuid.UUID:
        # The submission key decides the id: a retried submission (double click, browser
        # retry, API Idempotency-Key) collides with the first instead of making a second.
        return uuid.uuid5(_NAMESPACE, submission_key)

    @event("Submitted")
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
    ) -> None:
        self.reference = reference
        self.ticket_type = ticket_type
        self.workflow = workflow
        self.data = data
        self.submitter = submitter
        self.summary = summary
        self.channel = channel
        self.status = TICKET_IN_PROCESS
        # The first task waits for someone to claim it ("pending assignment").
        self.tasks = [
            {**task, "status": TASK_OPEN if i == 0 else TASK_PENDING, "assignee": None}
            for i, task in enumerate(tasks)
        ]
        self.comments: list[dict[str, Any]] = []

    @event("CommentAdded")
    def add_comment(self, by: dict[str, str], text: str, key: str) -> None:
        # The event's timestamp is set after this body runs, so the comment is dated by
        # the version that added it. The key makes a retried comment recognisable.
        self.comments.append({"version": self.version + 1, "by": by, "text": text, "key": key})
