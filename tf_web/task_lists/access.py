"""Who may read which task list: asked of the policy, for the pages and the API alike."""

from __future__ import annotations

from tf_events.errors import NotAllowed
from tf_events.policy import Action, Actor, may
from tf_web.queries.task_list import Reader, View


def works_tasks(actor: Actor) -> bool:
    """The queue and "my tasks" are for those who claim tasks or hand them out."""
    return may(actor, Action.CLAIM) or may(actor, Action.ASSIGN)


def reader_for(actor: Actor, view: View) -> Reader:
    """The reader of this view; NotAllowed for those it is not for."""
    if view is View.ALL:
        if not may(actor, Action.SEE_ALL_TICKETS):
            raise NotAllowed(
                "Only the ticket team, dispatchers, admins and auditors see every task."
            )
    elif not works_tasks(actor):
        raise NotAllowed("The work queue is for the ticket team, dispatchers and admins.")
    # Dispatchers and admins hand out any task, so they see the whole queue.
    return Reader(actor.id, actor.roles, whole_queue=may(actor, Action.ASSIGN))
