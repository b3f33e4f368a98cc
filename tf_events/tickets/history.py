"""A ticket's history, replayed from the event store: each event, who caused it, and what
it changed in the ticket's state. The read tables play no part here."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from tf_events.diff import Change, diff
from tf_events.tickets.aggregate import Ticket


@dataclass(frozen=True)
class Step:
    version: int
    event: str
    at: datetime
    by: str
    changes: list[Change]

    @property
    def title(self) -> str:
        """ "CommentAdded" reads "Comment added"."""
        return re.sub(r"(?<!^)([A-Z])", r" \1", self.event).capitalize()


def ticket_state(ticket: Ticket) -> dict[str, Any]:
    """The ticket's state as plain data, copied so later events cannot change it."""
    return copy.deepcopy(ticket.as_data())


def _by(event: Any) -> str:
    who = getattr(event, "by", None) or getattr(event, "submitter", None) or {}
    return str(who.get("username", "—"))


BOOKKEEPING = {"version", "modified_on"}  # change with every event; shown as the step itself


def ticket_history(app: Application, ticket_id: UUID) -> list[Step]:
    """Replay the ticket's events one by one, recording what each one changed."""
    steps: list[Step] = []
    ticket: Ticket | None = None
    before: dict[str, Any] = {}
    event: Any
    for event in app.repository.event_store.get(ticket_id):
        ticket = event.mutate(ticket)
        assert ticket is not None
        after = ticket_state(ticket)
        changes = [c for c in diff(before, after) if c.path not in BOOKKEEPING]
        steps.append(
            Step(
                version=event.originator_version,
                event=type(event).__name__,
                at=event.timestamp,
                by=_by(event),
                changes=changes,
            )
        )
        before = after
    return steps
