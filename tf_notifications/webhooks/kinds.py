"""The event kinds a webhook may subscribe to, named as receivers see them in `type`."""

from __future__ import annotations

EVENT_KINDS: dict[str, str] = {
    "ticket.submitted": "A ticket is submitted.",
    "task.assigned": "A task is assigned to someone (by a dispatcher or a rule).",
    "task.completed": "A task is done (the next one opens, or the ticket closes).",
    "task.failed": "Someone reports a problem: the task stops in error.",
    "ticket.closed": "A ticket closes: its last task done, cancelled or withdrawn.",
    "ticket.commented": "Someone comments on a ticket.",
}
TEST_KIND = "webhook.test"  # the "send test event" button; never subscribed to
