"""What a new ticket pins: the current ticket type, workflow and tasks, read from memory
once read, and still right when a ticket type or workflow changes what it names."""

from __future__ import annotations

import pytest

from tests.samples import APPROVE, TICKET_TYPE, TRIAGE, WORKFLOW, sample
from tf_events.application import TicketFlower
from tf_events.commands import Define, ReviseDefinition
from tf_events.definitions.format import Kind

BY = "dana"


@pytest.fixture
def app() -> TicketFlower:
    app = TicketFlower(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for task in (TRIAGE, APPROVE):
        app.handle(Define(Kind.TASK, sample(task), by=BY))
    app.handle(Define(Kind.WORKFLOW, sample(WORKFLOW), by=BY))
    short = sample(WORKFLOW, key="quick", name="Quick", tasks=["approve"])
    app.handle(Define(Kind.WORKFLOW, short, by=BY))
    plain = {k: v for k, v in TICKET_TYPE.items() if k != "layouts"}
    app.handle(Define(Kind.TICKET_TYPE, plain, by=BY))
    return app


def keys(app: TicketFlower) -> tuple[str, list[str]]:
    _, workflow, tasks = app.workflow_run("laptop-request", frozenset())
    return workflow.key, [task.key for task in tasks]


def test_a_run_pins_the_current_workflow_and_its_tasks(app):
    assert keys(app) == ("it-request", ["triage", "approve"])


def test_a_ticket_type_that_names_another_workflow_is_followed_at_once(app):
    keys(app)  # remember the old shape
    plain = {k: v for k, v in TICKET_TYPE.items() if k != "layouts"}
    app.handle(
        ReviseDefinition(Kind.TICKET_TYPE, "laptop-request", {**plain, "workflow": "quick"}, by=BY)
    )
    assert keys(app) == ("quick", ["approve"])


def test_a_workflow_whose_tasks_change_is_followed_at_once(app):
    keys(app)
    app.handle(
        ReviseDefinition(Kind.WORKFLOW, "it-request", sample(WORKFLOW, tasks=["approve"]), by=BY)
    )
    assert keys(app) == ("it-request", ["approve"])


def test_a_version_is_read_from_the_store_once(app):
    ticket_type, _, _ = app.workflow_run("laptop-request", frozenset())
    again, _, _ = app.workflow_run("laptop-request", frozenset())
    assert again is ticket_type  # the same object, from memory
