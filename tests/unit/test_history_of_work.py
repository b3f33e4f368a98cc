"""History says each step of working a ticket in the ticket's words: who, which task,
which field, why; never a raw path, id or code."""

from __future__ import annotations

from typing import Any

from tests.unit.test_ticket_workflow import DAN, SAM, TESS, ticket
from tf_events.diff import MISSING
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.history import LINES, TITLES, _by

LABELS = {"summary": "Summary", "priority": "Priority"}


def told(t: Ticket) -> list[tuple[str, str, list[tuple[str, Any, Any]]]]:
    """Each event as History tells it: title, who, and (what, before, after)."""
    steps, state = [], None
    for event in t.collect_events():
        name = type(event).__name__
        lines = LINES[name](state, event, LABELS)
        state = event.mutate(state)
        shown = [(line.what, line.before, line.after) for line in lines]
        steps.append((TITLES[name], _by(event), shown))
    return steps


def test_each_step_of_working_a_ticket_names_people_tasks_fields_and_reasons():
    t = ticket()
    t.claim_task(0, TESS)
    t.save_draft(0, {"priority": "high"}, TESS)
    t.release_task(0, TESS, "On leave")
    t.assign_task(0, to=DAN, by=SAM)
    t.fail_task(0, "No model named", DAN)
    t.reopen_task(0, SAM)
    t.cancel("A duplicate", SAM)
    assert told(t)[1:] == [
        (
            "Task claimed",
            "tess",
            [
                ("Step 0 · status", "Pending assignment", "Assigned to tess"),
                ("Status", "Pending assignment", "In progress"),
            ],
        ),
        ("Draft saved", "tess", [("Step 0 · draft · Priority", MISSING, "high")]),
        (
            "Task released",
            "tess",
            [
                ("Step 0 · status", "Assigned to tess", "Pending assignment"),
                ("Why", MISSING, "On leave"),
            ],
        ),
        ("Task assigned", "sam", [("Step 0 · status", "Pending assignment", "Assigned to dan")]),
        (
            "Problem reported",
            "dan",
            [
                ("Step 0 · status", "Assigned to dan", "Problem reported"),
                ("Why", MISSING, "No model named"),
            ],
        ),
        ("Task reopened", "sam", [("Step 0 · status", "Problem reported", "Pending assignment")]),
        (
            "Closed early",
            "sam",
            [
                ("Status", "In progress", "Closed"),
                ("Resolution", MISSING, "Cancelled"),
                ("Why", MISSING, "A duplicate"),
            ],
        ),
    ]


def test_a_completion_names_the_fields_it_filled_and_the_task_it_opens():
    t = ticket()
    t.claim_task(0, TESS)
    t.complete_task(0, {"priority": "low"}, TESS)
    assert told(t)[-1] == (
        "Task completed",
        "tess",
        [
            ("Step 0 · status", "Assigned to tess", "Done"),
            ("Priority", MISSING, "low"),
            ("Step 1 · status", "Not reached yet", "Pending assignment"),
        ],
    )
