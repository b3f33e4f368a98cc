"""The demo, seeded into a real database: a ticket at every stage, and every demo
workflow can be worked to its end, task by task, through the real commands."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

import pytest

from tf_automation.process import start_automation
from tf_automation.worker import wait_for_runs
from tf_events import commands as c
from tf_events.definitions.software import TaskKind
from tf_events.policy import Actor
from tf_events.tickets.workflow import Resolution, TaskStatus, TicketStatus
from tf_projections.waiting import wait_for
from tf_system.demo import DEMO_DEFINITIONS, DEMO_TICKETS, seed_demo
from tf_system.demo_work import DEMO_STAGES
from tf_web.design.samples import sample_values


@pytest.fixture
def demo_settings(settings):
    return replace(settings, demo_mode=True)  # as `ticketflower demo` runs it


@pytest.fixture
def demo(system, demo_settings, workers):
    seed_demo(demo_settings)
    return system


@pytest.fixture
def automation(system):
    running = start_automation(system, system.sandbox, concurrency=2)
    yield running
    running.stop()


def ticket_by_key(app, key: str):
    from tf_events.tickets.aggregate import Ticket

    return app.get_ticket(Ticket.create_id(f"demo:{key}"))


def actor_of(app, user_id) -> Actor:
    user = app.get_user(user_id)
    return Actor(user.id, frozenset(user.roles), user.username)


def test_the_demo_has_a_ticket_at_every_stage(demo):
    app = demo.app
    claimed = ticket_by_key(app, "stage-claimed").current_task
    assert claimed.assignee.username == "tess" and claimed.status is TaskStatus.OPEN
    assigned = ticket_by_key(app, "stage-assigned")
    steps = app.ticket_history(assigned.id).steps
    assert (steps[-1].event, steps[-1].by) == ("TaskAssigned", "dora")
    half = ticket_by_key(app, "stage-half-way")
    assert [t.status.value for t in half.tasks] == ["CLOSED", "CLOSED", "CLOSED", "OPEN"]
    assert half.data["purchase_order"] == "PO-2026-0412"
    assert half.data["asset_tag"] == "LAP-260412-1"  # issued by the software step
    stopped = ticket_by_key(app, "stage-error").current_task
    assert stopped.status is TaskStatus.ERROR and "receipt" in stopped.reason
    software = ticket_by_key(app, "stage-software-error").current_task
    assert (software.kind, software.status) == (TaskKind.SOFTWARE, TaskStatus.ERROR)
    assert "'PO 2026/77' is not in the form PO-2026-0117" in software.reason
    closed = ticket_by_key(app, "stage-closed")
    assert closed.status is TicketStatus.COMPLETED and closed.resolution is Resolution.DONE
    priced = ticket_by_key(app, "demo-5")  # 35 + 4 + 4 gift wrap + 6.50 delivery, for a Sunday
    assert (priced.data["total"], priced.data["delivery_date"]) == (49.5, "2026-12-07")
    cancelled = ticket_by_key(app, "stage-cancelled")
    assert cancelled.resolution is Resolution.CANCELLED
    waiting = ticket_by_key(app, "demo-4").current_task
    assert waiting.status is TaskStatus.OPEN and waiting.assignee is None
    assert set(app.get_user(app.user_id_for("dora")).roles) == {"dispatcher", "ticket_team"}


def test_seeding_the_demo_again_changes_nothing(demo, demo_settings):
    app = demo.app
    before = app.recorder.max_notification_id()
    seed_demo(demo_settings)
    assert app.recorder.max_notification_id() == before


def demo_data_by_type() -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in (DEMO_TICKETS, DEMO_STAGES):
        for spec in json.loads(path.read_text()):
            found.setdefault(spec["type"], spec["data"])
    return found


# Where a later software step reads a value, a sample will not do (it refuses it, rightly).
REAL_OUTPUTS = {"it-procurement": {"purchase_order": "PO-2026-0412"}}


def test_every_demo_workflow_can_be_worked_to_its_end(demo, automation):
    app = demo.app
    ticket_types = [
        t["key"]
        for path in sorted(DEMO_DEFINITIONS.glob("*.json"))
        for t in json.loads(path.read_text())["ticket_types"]
    ]
    data = demo_data_by_type()
    assert set(ticket_types) == set(data)
    tess = actor_of(app, app.user_id_for("tess"))
    for key in ticket_types:
        submitted = app.handle(
            c.SubmitTicket(
                submission_key=str(uuid.uuid4()),
                ticket_type_key=key,
                data=data[key],
                submitter={"id": str(tess.id), "username": "tess"},
                user_roles=tess.roles,
            )
        )
        ticket_id = submitted.ticket.id
        while (task := app.get_ticket(ticket_id).current_task) is not None:
            assert task.status is TaskStatus.OPEN, (key, task.key, task.reason)
            if task.kind is TaskKind.SOFTWARE:  # done by its code, in the sandbox
                wait_for_runs(demo.pool, timeout=30)
                continue
            if task.assignee is None:
                app.handle(c.ClaimTask(ticket_id=ticket_id, position=task.position, actor=tess))
                worker = tess
            else:  # given by the task's assignment rule
                worker = actor_of(app, task.assignee.id)
            outputs = app.definitions.at_id(task.definition_id, task.version).content["outputs"]
            assert outputs, f"{task.key} fills nothing"
            written = app.handle(
                c.CompleteTask(
                    ticket_id=ticket_id,
                    position=task.position,
                    actor=worker,
                    outputs={**sample_values(outputs), **REAL_OUTPUTS.get(task.key, {})},
                )
            )
            wait_for(demo.pool, written, 10)  # so the rules see who is busy
        done = app.get_ticket(ticket_id)
        assert done.status is TicketStatus.COMPLETED, key
