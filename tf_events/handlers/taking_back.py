"""Taking a task back from someone who can no longer do it: the command the system sends
when a user is deactivated. Safe to send twice: it acts only while they still hold it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tf_events import commands as c
from tf_events.handlers.tasks import _decided, _person, _reason, _task
from tf_events.policy import Action
from tf_events.tickets.aggregate import Ticket
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def take_back_task(app: TicketFlower, cmd: c.TakeBackTask) -> Written:
    reason = _reason(cmd.reason, required=True)

    def decide(ticket: Ticket) -> bool:
        task = _task(ticket, cmd, Action.ASSIGN)
        if ticket.is_closed or task is not ticket.current_task:
            return False  # the ticket moved on: nothing left to take back
        if task.assignee is None or task.assignee.id != cmd.holder_id:
            return False  # taken back already, or someone else's now
        ticket.take_back_task(cmd.position, task.assignee, _person(cmd.actor), reason)
        return True

    return _decided(app, cmd, decide)
