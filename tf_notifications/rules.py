"""Who is told what: a ticket event, with what is known of its ticket, becomes notices.

Pure rules, proved in memory (tests/unit/test_notification_rules.py). Nobody is told of
what they did themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tf_events.notification_preferences import NoticeKind
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.workflow import Person, Resolution

AUTOMATION_USERNAME = "automation"  # the automation worker: it reads no mail
_DELIVERY_NAMESPACE = uuid.UUID("b7d1f0b4-58a2-4b53-9d0c-1c2f3e4a5b6d")
MAX_QUOTE_CHARS = 600


@dataclass(frozen=True)
class TicketFacts:
    """What the notices of a ticket say about it, kept from its Submitted event."""

    ticket_id: uuid.UUID
    reference: str
    summary: str
    submitter: Person
    task_names: tuple[str, ...]

    @classmethod
    def of_submitted(cls, event: Any) -> TicketFacts:
        return cls(
            event.originator_id,
            event.reference,
            event.summary,
            Person.of(event.submitter),
            tuple(task["name"] for task in event.tasks),
        )


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person; `delivery_id` is the same however often it is made."""

    delivery_id: uuid.UUID
    kind: NoticeKind
    to: Person
    subject: str
    text: str  # a sentence or two; the mail adds the greeting and the link
    path: str  # the page concerned, under the base URL


def delivery_id(event: Any, kind: NoticeKind, to: Person) -> uuid.UUID:
    """Derived from the event and the recipient only, so a re-made notice collides."""
    key = f"{event.originator_id}:{event.originator_version}:{kind.value}:{to.id}"
    return uuid.uuid5(_DELIVERY_NAMESPACE, key)


def notices(event: Any, ticket: TicketFacts, dispatchers: Sequence[Person]) -> list[Notice]:
    """The notices one ticket event makes."""
    made: list[Notice] = []

    def tell(kind: NoticeKind, to: Person, subject: str, text: str, path: str) -> None:
        by = getattr(event, "by", None)
        if by is not None and Person.of(by).id == to.id:
            return  # one's own doing
        if to.username == AUTOMATION_USERNAME:
            return
        made.append(Notice(delivery_id(event, kind, to), kind, to, subject, text, path))

    ref, page = ticket.reference, f"/tickets/{ticket.ticket_id}"
    if isinstance(event, Ticket.TaskAssigned):
        name = ticket.task_names[event.position]
        task_page = f"{page}/tasks/{event.position + 1}"
        by = Person.of(event.by)
        tell(
            NoticeKind.ASSIGNED,
            Person.of(event.to),
            f"{ref}: '{name}' is assigned to you",
            f"{by.username} assigned you '{name}' of {ref} ({ticket.summary}).",
            task_page,
        )
    elif isinstance(event, Ticket.TaskCompleted) and event.opens is None:
        tell(
            NoticeKind.CLOSED,
            ticket.submitter,
            f"{ref} is closed: done",
            f"Your ticket {ref} ({ticket.summary}) is done and closed.",
            page,
        )
    elif isinstance(event, Ticket.ClosedEarly):
        resolution = Resolution(event.resolution).value
        reason = f" Reason: {event.reason}" if event.reason else ""
        tell(
            NoticeKind.CLOSED,
            ticket.submitter,
            f"{ref} is closed: {resolution}",
            f"Your ticket {ref} ({ticket.summary}) was closed: {resolution}.{reason}",
            page,
        )
    elif isinstance(event, Ticket.CommentAdded):
        by = Person.of(event.by)
        quote = event.text
        if len(quote) > MAX_QUOTE_CHARS:
            quote = quote[:MAX_QUOTE_CHARS] + "…"
        tell(
            NoticeKind.COMMENTED,
            ticket.submitter,
            f"{ref}: new comment from {by.username}",
            f"{by.username} commented on your ticket {ref} ({ticket.summary}):\n\n{quote}",
            f"{page}#comments",
        )
    elif isinstance(event, Ticket.TaskFailed):
        name = ticket.task_names[event.position]
        by = Person.of(event.by)
        for dispatcher in dispatchers:
            tell(
                NoticeKind.ERROR,
                dispatcher,
                f"{ref}: problem with '{name}'",
                f"{by.username} reported a problem with '{name}' of {ref}"
                f" ({ticket.summary}): {event.reason}",
                f"{page}/tasks/{event.position + 1}",
            )
    return made
