"""The ticket lists by the work on them, against real PostgreSQL: who holds the current
task, how it stands, and the Closed tab with the day each ticket closed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.samples import definition_set
from tf_events import commands as c
from tf_events.policy import Actor
from tf_projections.waiting import wait_for
from tf_web.queries.ticket_list import Filters, ListQuery, Scope, State, list_tickets


@pytest.fixture
def tess(system) -> Actor:
    written = system.app.handle(c.RegisterUser("tess", "a long passphrase", roles=["ticket_team"]))
    return Actor(written.aggregate_id, frozenset({"ticket_team"}), "tess")


@pytest.fixture
def submit(system, workers):
    wait_for(system.pool, system.app.handle(c.ImportDefinitionSet(definition_set(), by="d")), 5)

    def submit(summary: str) -> uuid.UUID:
        submitted = system.app.handle(
            c.SubmitTicket(
                submission_key=str(uuid.uuid4()),
                ticket_type_key="laptop-request",
                data={"summary": summary},
                submitter={"id": str(uuid.uuid4()), "username": "sam"},
                user_roles=frozenset(),
            )
        )
        return submitted.ticket.id

    return submit


def listed(system, state: State = State.ACTIVE, **filters) -> list[str]:
    query = ListQuery(scope=Scope.ALL, state=state, filters=Filters(**filters))
    return [row.summary for row in list_tickets(system.pool, query, None).rows]


def test_tickets_filter_by_their_current_tasks_assignee_and_status(system, tess, submit):
    held, failed, _waiting = submit("held"), submit("failed"), submit("waiting")
    app = system.app
    app.handle(c.ClaimTask(ticket_id=held, position=0, actor=tess))
    app.handle(c.ClaimTask(ticket_id=failed, position=0, actor=tess))
    wait_for(
        system.pool,
        app.handle(c.FailTask(ticket_id=failed, position=0, actor=tess, reason="No")).written,
        5,
    )
    assert listed(system, assignee="tess") == ["failed", "held"]
    assert listed(system, task_status="pending") == ["waiting"]
    assert listed(system, task_status="assigned") == ["held"]
    assert listed(system, task_status="error") == ["failed"]


def test_the_closed_tab_lists_completed_tickets_by_the_day_they_closed(system, tess, submit):
    done, _open = submit("done"), submit("open")
    app = system.app
    app.handle(c.ClaimTask(ticket_id=done, position=0, actor=tess))
    app.handle(c.CompleteTask(ticket_id=done, position=0, actor=tess, outputs={"priority": "low"}))
    app.handle(c.ClaimTask(ticket_id=done, position=1, actor=tess))
    written = app.handle(
        c.CompleteTask(ticket_id=done, position=1, actor=tess, outputs={"approved": True})
    )
    wait_for(system.pool, written.written, 5)
    today = datetime.now(UTC).date()
    assert listed(system, State.CLOSED) == ["done"]
    assert listed(system, State.CLOSED, closed_from=today) == ["done"]
    assert listed(system, State.CLOSED, closed_to=today - timedelta(days=1)) == []
    [row] = list_tickets(system.pool, ListQuery(scope=Scope.ALL, state=State.CLOSED), None).rows
    assert row.closed_at is not None and row.resolution == "done"
