"""How the lists name a ticket's status: its current task's state when that says more."""

from __future__ import annotations

from tf_events.tickets.workflow import ticket_label


def test_a_ticket_in_the_lists_says_what_its_current_task_waits_for():
    assert ticket_label("NOT_STARTED", "OPEN", None) == "Pending assignment"
    assert ticket_label("IN_PROCESS", "OPEN", "tess") == "Assigned to tess"
    assert ticket_label("IN_PROCESS", "OPEN", None) == "In progress"
    assert ticket_label("IN_PROCESS", "ERROR", "tess") == "Problem reported"
    assert ticket_label("COMPLETED", None, None) == "Closed"
