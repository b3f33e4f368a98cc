"""Assignment rules against the real event store and read tables: a task that opens under
round_robin or least_busy is given away in the same save that opens it."""

from __future__ import annotations

import uuid

import pytest

from tests.samples import APPROVE, TICKET_TYPE, TRIAGE, WORKFLOW, sample
from tf_events import commands as c
from tf_events.policy import Actor
from tf_events.tickets.assignment import AUTOMATIC
from tf_events.written import Written
from tf_projections.waiting import wait_for


@pytest.fixture
def people(system, workers):
    def actor(name: str, *roles: str) -> Actor:
        written = system.app.handle(c.RegisterUser(name, "a long passphrase", roles=roles))
        wait_for(system.pool, written, 10)
        return Actor(written.aggregate_id, frozenset(roles), name)

    return {
        "sam": actor("sam"),
        "tess": actor("tess", "ticket_team"),
        "ben": actor("ben", "ticket_team"),
        "dora": actor("dora", "dispatcher"),
    }


def define(system, *, triage: str = "manual", approve: str = "manual", roles=()) -> None:
    system.app.handle(
        c.ImportDefinitionSet(
            {
                "format": "ticketflower.definition-set/1",
                "tasks": [
                    sample(TRIAGE, assignment=triage, roles=list(roles)),
                    sample(APPROVE, assignment=approve),
                ],
                "workflows": [sample(WORKFLOW)],
                "ticket_types": [sample(TICKET_TYPE)],
            },
            by="dana",
        )
    )


def submit(system, sam: Actor) -> c.TicketSubmitted:
    submitted = system.app.handle(
        c.SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="laptop-request",
            data={"summary": "Laptop"},
            submitter={"id": str(sam.id), "username": "sam"},
            user_roles=frozenset(),
        )
    )
    wait_for(system.pool, submitted.written, 10)
    return submitted


def assignee(system, ticket_id: uuid.UUID, position: int) -> str | None:
    task = system.app.get_ticket(ticket_id).tasks[position]
    return task.assignee.username if task.assignee else None


def settled(system, written: Written) -> None:
    wait_for(system.pool, written, 10)


def test_a_least_busy_task_goes_to_whoever_holds_fewest_open_tasks_in_the_submissions_save(
    system, people
):
    define(system, triage="least_busy")
    first = submit(system, people["sam"])
    # Both idle: the tie goes to the first username, in the very save that made the ticket.
    assert assignee(system, first.ticket.id, 0) == "ben"
    topics = [topic.rsplit(".", 1)[-1] for _, topic in first.written.positions]
    assert topics == ["Submitted", "TaskAssigned"]
    assigned = system.app.get_ticket(first.ticket.id).tasks[0]
    assert assigned.assignee.id == people["ben"].id

    second = submit(system, people["sam"])
    assert assignee(system, second.ticket.id, 0) == "tess"  # ben holds one now
    third = submit(system, people["sam"])
    assert assignee(system, third.ticket.id, 0) == "ben"  # one each: ben waited longer


def test_history_names_the_automatic_assignment(system, people):
    define(system, triage="least_busy")
    ticket_id = submit(system, people["sam"]).ticket.id
    steps = system.app.ticket_history(ticket_id).steps
    assert [(s.event, s.by) for s in steps][-1] == ("TaskAssigned", AUTOMATIC.username)


def test_round_robin_takes_turns_among_the_team(system, people):
    define(system, triage="round_robin")
    got = [assignee(system, submit(system, people["sam"]).ticket.id, 0) for _ in range(4)]
    assert got == ["ben", "tess", "ben", "tess"]


def test_the_next_task_is_assigned_when_a_completion_opens_it(system, people):
    define(system, approve="round_robin")
    ticket_id = submit(system, people["sam"]).ticket.id
    assert assignee(system, ticket_id, 0) is None  # manual: it waits in the queue
    app, tess = system.app, people["tess"]
    app.handle(c.ClaimTask(ticket_id=ticket_id, position=0, actor=tess))
    written = app.handle(
        c.CompleteTask(ticket_id=ticket_id, position=0, actor=tess, outputs={"priority": "high"})
    )
    assert [t.rsplit(".", 1)[-1] for _, t in written.positions] == [
        "TaskCompleted",
        "TaskAssigned",
    ]
    assert assignee(system, ticket_id, 1) == "ben"


def test_a_reopened_task_is_assigned_again_by_its_rule(system, people):
    define(system, triage="least_busy")
    ticket_id = submit(system, people["sam"]).ticket.id
    app = system.app
    app.handle(c.FailTask(ticket_id=ticket_id, position=0, actor=people["ben"], reason="No info"))
    written = app.handle(c.ReopenTask(ticket_id=ticket_id, position=0, actor=people["dora"]))
    # ben still holds the task in error until the reopen lands: tess is less busy.
    assert assignee(system, ticket_id, 0) == "tess"
    assert written.positions[-1][1].endswith("TaskAssigned")


def test_away_and_deactivated_people_are_passed_over(system, people):
    define(system, triage="least_busy")
    app = system.app
    settled(system, app.handle(c.SetAway(people["ben"].id, away=True)))
    assert assignee(system, submit(system, people["sam"]).ticket.id, 0) == "tess"
    settled(system, app.handle(c.DeactivateUser(people["tess"].id, changed_by="admin")))
    assert assignee(system, submit(system, people["sam"]).ticket.id, 0) is None
    settled(system, app.handle(c.SetAway(people["ben"].id, away=False)))
    assert assignee(system, submit(system, people["sam"]).ticket.id, 0) == "ben"


def test_a_choice_the_read_tables_have_not_caught_up_with_is_checked_against_the_log(
    system, people, workers
):
    define(system, triage="least_busy")
    for worker in workers:  # the read tables stop here
        worker.stop()
    for worker in workers:
        worker.join(timeout=10)
    system.app.handle(c.SetAway(people["ben"].id, away=True))  # only the log knows
    ticket = system.app.handle(
        c.SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="laptop-request",
            data={"summary": "Laptop"},
            submitter={"id": str(people["sam"].id), "username": "sam"},
            user_roles=frozenset(),
        )
    ).ticket
    assert assignee(system, ticket.id, 0) == "tess"


def test_nobody_who_may_do_it_leaves_the_task_in_the_queue(system, people):
    define(system, triage="least_busy", roles=("auditor",))
    assert assignee(system, submit(system, people["sam"]).ticket.id, 0) is None
