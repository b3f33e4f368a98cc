"""The DailyIntake aggregate: how many public tickets a ticket type took on one UTC day.

The cap is counted in the event log, not in a read table that may lag: a submission and
its count are saved together, and two at once collide on this aggregate's version."""

from __future__ import annotations

import uuid
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from tf_events.errors import Conflict

_NAMESPACE = uuid.UUID("c1f0a7e2-44b8-4d2b-9a61-7e5d0c3b9f12")


class DailyCapReached(Conflict):
    """The form took as many tickets today as its designer allowed."""


class DailyIntake(Aggregate):
    @staticmethod
    def create_id(ticket_type_key: str, day: str) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, f"{ticket_type_key}:{day}")

    @event("Opened")
    def __init__(self, ticket_type_key: str, day: str) -> None:
        self.ticket_type_key = ticket_type_key
        self.day = day  # ISO date, UTC
        self.admitted = 0

    def admit(self, ticket_id: UUID, daily_cap: int) -> None:
        """Count one more public ticket, unless the day's cap is reached."""
        if self.admitted >= daily_cap:
            raise DailyCapReached(
                "This form takes no more tickets today. Please try again tomorrow."
            )
        self._admitted(ticket_type_key=self.ticket_type_key, day=self.day, ticket_id=ticket_id)

    @event("Admitted")
    def _admitted(self, ticket_type_key: str, day: str, ticket_id: UUID) -> None:
        self.admitted += 1
