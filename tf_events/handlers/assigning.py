"""The hook every handler that opens a task calls: a task whose definition names an
assignment rule goes to the rule's choice in the same save that opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tf_events.policy import Action, Actor, may
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.assignment import AUTOMATIC, AssignmentRule, ranked
from tf_events.tickets.workflow import Task

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def assign_by_rule(app: TicketFlower, ticket: Ticket, task: Task) -> None:
    """Give the just-opened `task` to the first candidate of its pinned rule whom the log
    confirms is still active, not away and allowed; with none, it waits in the queue."""
    pinned = app.definitions.at_id(task.definition_id, task.version)
    rule = AssignmentRule((pinned.content if pinned else {}).get("assignment", "manual"))
    if rule is AssignmentRule.MANUAL:
        return
    # The read tables may lag the log by a moment: each choice is checked against it.
    for candidate in ranked(rule, app.candidates(task.key), task.roles):
        user = app.find_user(candidate.id)
        if user is None or not user.active or user.away:
            continue
        if not may(Actor(user.id, frozenset(user.roles)), Action.CLAIM, roles_allowed=task.roles):
            continue
        ticket.assign_task(task.position, to=candidate.person, by=AUTOMATIC)
        return
