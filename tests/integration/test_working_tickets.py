"""Working a ticket through the command handlers, against the real event store: who may do
each step, what a refused step leaves behind, and what two writers at once get."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.samples import definition_set
from tf_events import commands as c
from tf_events.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound, Refusal
from tf_events.policy import Actor
from tf_events.tickets.workflow import TaskStatus, TicketStatus
from tf_projections.ticket_agreement import differences
from tf_projections.waiting import wait_for


@pytest.fixture
def people(system):
    def actor(name: str, *roles: str) -> Actor:
        written = system.app.handle(c.RegisterUser(name, "a long passphrase", roles=roles))
        return Actor(written.aggregate_id, frozenset(roles), name)

    return {
        "sam": actor("sam"),
        "tess": actor("tess", "ticket_team"),
        "ben": actor("ben", "ticket_team"),
        "dora": actor("dora", "dispatcher"),
        "ann": actor("ann", "auditor"),
    }


@pytest.fixture
def ticket(system, people):
    system.app.handle(c.ImportDefinitionSet(definition_set(), by="dana"))
    sam = people["sam"]
    submitted = system.app.handle(
        c.SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="laptop-request",
            data={"summary": "Laptop"},
            submitter={"id": str(sam.id), "username": "sam"},
            user_roles=frozenset(),
        )
    )
    return submitted.ticket.id


def events_named(system, ticket_id, name: str) -> int:
    return sum(
        type(e).__name__ == name
        for e in system.app.events.get(ticket_id)  # type: ignore[attr-defined]
    )


def test_a_ticket_is_worked_to_closed(system, workers, people, ticket):
    app = system.app
    app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    app.handle(
        c.CompleteTask(
            ticket_id=ticket, position=0, actor=people["tess"], outputs={"priority": "high"}
        )
    )
    app.handle(
        c.AssignTask(
            ticket_id=ticket, position=1, actor=people["dora"], assignee_id=people["ben"].id
        )
    )
    written = app.handle(
        c.CompleteTask(
            ticket_id=ticket, position=1, actor=people["ben"], outputs={"approved": True}
        )
    )
    done = app.get_ticket(ticket)
    assert done.status is TicketStatus.COMPLETED
    assert done.data == {"summary": "Laptop", "priority": "high", "approved": True}
    wait_for(system.pool, written, 10)
    assert differences(app, system.pool, ticket) == []


def test_twenty_claims_at_once_make_exactly_one_claim(system, people, ticket):
    def claim(_: int) -> str:
        try:
            system.app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
        except DomainError as refused:
            return refused.refusal.value
        return "won"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(claim, range(20)))
    assert outcomes.count("won") == 1
    assert set(outcomes) == {"won", Refusal.CONFLICT.value}
    assert events_named(system, ticket, "TaskClaimed") == 1


def test_the_loser_of_a_claim_hears_who_won(system, people, ticket):
    system.app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    with pytest.raises(Conflict, match="tess took this task a moment ago"):
        system.app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["ben"]))


def test_a_retried_completion_is_applied_once(system, people, ticket):
    app = system.app
    app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    complete = c.CompleteTask(
        ticket_id=ticket, position=0, actor=people["tess"], outputs={"priority": "low"}, key="k1"
    )
    first = app.handle(complete)
    again = app.handle(complete)
    assert first.positions and not again.positions
    assert events_named(system, ticket, "TaskCompleted") == 1


def test_invalid_outputs_are_refused_by_field_and_nothing_is_recorded(system, people, ticket):
    app = system.app
    app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    version = app.get_ticket(ticket).version
    with pytest.raises(Invalid) as refused:
        app.handle(
            c.CompleteTask(
                ticket_id=ticket,
                position=0,
                actor=people["tess"],
                outputs={"priority": "urgent", "colour": "red"},
            )
        )
    assert set(refused.value.errors) == {"priority", "colour"}
    assert app.get_ticket(ticket).version == version


def test_a_completion_racing_a_reassignment_loses_with_a_conflict(system, people, ticket):
    app = system.app
    app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    app.handle(
        c.AssignTask(
            ticket_id=ticket, position=0, actor=people["dora"], assignee_id=people["ben"].id
        )
    )
    with pytest.raises(Conflict, match="assigned to ben"):
        app.handle(
            c.CompleteTask(
                ticket_id=ticket, position=0, actor=people["tess"], outputs={"priority": "low"}
            )
        )
    assert app.get_ticket(ticket).tasks[0].status is TaskStatus.OPEN


def test_who_may_do_each_step(system, people, ticket):
    app = system.app
    with pytest.raises(NotFound):  # sam's ticket is not the business of another submitter
        app.handle(
            c.ClaimTask(ticket_id=ticket, position=0, actor=Actor(uuid.uuid4(), frozenset()))
        )
    with pytest.raises(NotAllowed):
        app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["ann"]))
    with pytest.raises(NotAllowed, match="dispatchers and admins"):
        app.handle(
            c.AssignTask(
                ticket_id=ticket, position=0, actor=people["tess"], assignee_id=people["ben"].id
            )
        )
    with pytest.raises(Invalid, match="ann cannot do"):
        app.handle(
            c.AssignTask(
                ticket_id=ticket, position=0, actor=people["dora"], assignee_id=people["ann"].id
            )
        )
    with pytest.raises(Conflict, match="not waiting on"):
        app.handle(c.ClaimTask(ticket_id=ticket, position=1, actor=people["tess"]))


def test_a_stale_version_is_refused(system, people, ticket):
    app = system.app
    version = app.get_ticket(ticket).version
    app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    with pytest.raises(DomainError) as refused:
        app.handle(
            c.ReleaseTask(
                ticket_id=ticket, position=0, actor=people["tess"], expected_version=version
            )
        )
    assert refused.value.refusal is Refusal.STALE


def test_a_problem_is_reported_with_a_reason_and_reopened_by_a_dispatcher(system, people, ticket):
    app = system.app
    app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    with pytest.raises(Invalid, match="Say why"):
        app.handle(c.FailTask(ticket_id=ticket, position=0, actor=people["tess"], reason="  "))
    app.handle(c.FailTask(ticket_id=ticket, position=0, actor=people["tess"], reason="No stock"))
    with pytest.raises(NotAllowed):
        app.handle(c.ReopenTask(ticket_id=ticket, position=0, actor=people["tess"]))
    app.handle(c.ReopenTask(ticket_id=ticket, position=0, actor=people["dora"]))
    assert app.get_ticket(ticket).tasks[0].status is TaskStatus.OPEN


def test_a_draft_keeps_only_the_tasks_outputs_until_completion(system, people, ticket):
    app = system.app
    app.handle(c.ClaimTask(ticket_id=ticket, position=0, actor=people["tess"]))
    app.handle(
        c.SaveTaskDraft(
            ticket_id=ticket,
            position=0,
            actor=people["tess"],
            values={"priority": "hi", "other": "x"},
        )
    )
    assert app.get_ticket(ticket).tasks[0].draft == {"priority": "hi"}
    with pytest.raises(Invalid):
        app.handle(
            c.SaveTaskDraft(
                ticket_id=ticket, position=0, actor=people["tess"], values={"priority": {"a": 1}}
            )
        )


def test_cancel_needs_a_dispatcher_and_withdraw_the_submitter(system, people, ticket):
    app = system.app
    with pytest.raises(NotAllowed):
        app.handle(c.WithdrawTicket(ticket_id=ticket, actor=people["tess"]))
    with pytest.raises(NotAllowed):
        app.handle(c.CancelTicket(ticket_id=ticket, actor=people["tess"], reason="Dup"))
    app.handle(c.WithdrawTicket(ticket_id=ticket, actor=people["sam"]))
    with pytest.raises(Conflict, match="already closed"):
        app.handle(c.CancelTicket(ticket_id=ticket, actor=people["dora"], reason="Dup"))
