"""A deactivated user's tasks go back: each open task they hold returns to the queue, and
each task with a problem they reported stays in error for a dispatcher, no longer theirs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Cursor

from tf_events.commands import TakeBackTask
from tf_events.policy import Actor
from tf_events.users import Role, User
from tf_processes.process import Process, wait_until_read
from tf_projections.read_model import handles
from tf_projections.tickets import TicketsReadModel

# Who History names as having taken the tasks back: the system, with a dispatcher's right.
SYSTEM = Actor(
    UUID("00000000-0000-5000-8000-00000000d15a"), frozenset({Role.DISPATCHER.value}), "TicketFlower"
)


class TasksOfDeactivatedUsers(Process):
    name = "deactivated_users"

    @handles(User.Deactivated)
    def user_deactivated(self, cur: Cursor[Any], event: User.Deactivated, at: int) -> None:
        user = self.app.get_user(event.originator_id)
        if user.active:
            return  # reactivated since: what they hold now is theirs
        # Every assignment before the deactivation is in the tasks table once it reads `at`.
        wait_until_read(cur, TicketsReadModel, at)
        held = cur.execute(
            "SELECT ticket_id, position, status, reason FROM ticket_tasks"
            " WHERE assignee_id = %s AND status IN ('OPEN', 'ERROR')"
            " ORDER BY opened_at, ticket_id",
            (user.id,),
        ).fetchall()
        for ticket_id, position, status, problem in held:
            reason = f"{user.username} was deactivated"
            if status == "ERROR" and problem:
                reason = f"{reason}. The problem reported: {problem}"
            self.app.handle(
                TakeBackTask(
                    ticket_id=ticket_id,
                    position=position,
                    actor=SYSTEM,
                    holder_id=user.id,
                    reason=reason,
                )
            )
