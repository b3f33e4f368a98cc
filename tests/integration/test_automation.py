"""The automation worker against real PostgreSQL and the real bubblewrap sandbox: a software
step is done by its code and the ticket moves on once, failures retry then stop the task
with a reason, and a runner that dies mid-run costs a rerun, never a second completion."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest

from tf_automation.follower import AUTOMATION_USERNAME, AutomationFollower
from tf_automation.process import start_automation
from tf_automation.sandbox import BubblewrapSandbox
from tf_automation.status import automation_status
from tf_automation.worker import Runner, attempt, wait_for_runs
from tf_events import commands as c
from tf_events.commands import ImportDefinitionSet, SubmitTicket
from tf_events.errors import NotAllowed
from tf_events.policy import Actor
from tf_events.tickets.workflow import TaskStatus
from tf_projections.ticket_agreement import differences
from tf_projections.waiting import wait_for
from tf_projections.worker import ProjectionWorker

TAG = """
def run(inputs):
    words = inputs["summary"].split()
    return {"asset_tag": "TAG-" + "-".join(w.upper() for w in words[:2])}
"""


def definitions(code: str, retries: int = 1) -> dict:
    return {
        "format": "ticketflower.definition-set/1",
        "tasks": [
            {
                "key": "tag",
                "name": "Issue an asset tag",
                "kind": "software",
                "code": code,
                "retries": {"count": retries, "backoff_seconds": 0.1},
                "inputs": [{"name": "summary", "type": "text", "label": "Summary"}],
                "outputs": [
                    {
                        "name": "asset_tag",
                        "type": "text",
                        "label": "Asset tag",
                        "required": True,
                        "max_length": 40,
                    }
                ],
            },
            {
                "key": "approve",
                "name": "Approve",
                "outputs": [{"name": "approved", "type": "boolean", "label": "Approved"}],
            },
        ],
        "workflows": [
            {
                "key": "equipment",
                "name": "Equipment",
                "fields": [
                    {"name": "summary", "type": "text", "label": "Summary", "required": True},
                    {"name": "asset_tag", "type": "text", "label": "Asset tag"},
                    {"name": "approved", "type": "boolean", "label": "Approved"},
                ],
                "tasks": ["tag", "approve"],
            }
        ],
        "ticket_types": [
            {"key": "laptop", "name": "Laptop", "workflow": "equipment", "fields": ["summary"]}
        ],
    }


@pytest.fixture
def world(system, workers):
    def setup(code: str = TAG, retries: int = 1, sandbox=None):
        wait_for(
            system.pool,
            system.app.handle(ImportDefinitionSet(definitions(code, retries), by="dana")),
            5,
        )
        running = start_automation(system, sandbox or system.sandbox, 2)
        started.append(running)
        return running

    started: list = []
    yield setup
    for running in started:
        running.stop()


def submit(system, summary: str = "new laptop for ann") -> uuid.UUID:
    submitted = system.app.handle(
        SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="laptop",
            data={"summary": summary},
            submitter={"id": str(uuid.uuid4()), "username": "sam"},
            user_roles=frozenset(),
        )
    )
    return submitted.ticket.id


def settled(system, ticket_id: uuid.UUID, timeout: float = 60):
    """The ticket once its first task is no longer open (done, or stopped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ticket = system.app.get_ticket(ticket_id)
        if ticket.tasks[0].status is not TaskStatus.OPEN:
            return ticket
        time.sleep(0.1)
    with system.pool.connection() as conn:
        runs = conn.execute("SELECT * FROM automation_runs").fetchall()
        tracked = conn.execute("SELECT * FROM automation_tracking").fetchall()
        failures = conn.execute("SELECT * FROM projection_failures").fetchall()
    raise AssertionError(f"the software task never finished: {runs} {tracked} {failures}")


def count(system, ticket_id, name: str) -> int:
    return sum(type(e).__name__ == name for e in system.app.events.get(ticket_id))  # type: ignore[attr-defined]


def test_a_software_step_is_done_by_its_code_and_the_ticket_moves_on(system, world):
    world()
    ticket_id = submit(system)
    ticket = settled(system, ticket_id)
    assert ticket.tasks[0].status is TaskStatus.CLOSED
    assert ticket.tasks[0].assignee.username == AUTOMATION_USERNAME
    assert ticket.data["asset_tag"] == "TAG-NEW-LAPTOP"
    assert ticket.current_task is ticket.tasks[1]  # a person approves next
    assert count(system, ticket_id, "TaskCompleted") == 1
    time.sleep(0.5)
    assert differences(system.app, system.pool, ticket_id) == []


def test_a_failing_run_is_retried_then_stops_the_task_with_its_reason(system, world):
    world(code="def run(inputs):\n    raise ValueError('no stock')\n", retries=1)
    ticket = settled(system, submit(system))
    task = ticket.tasks[0]
    assert task.status is TaskStatus.ERROR
    assert "after 2 attempts" in task.reason
    assert "no stock" in task.reason
    wait_for_runs(system.pool, 10)
    with system.pool.connection() as conn:
        attempts = conn.execute(
            "SELECT attempt, outcome, detail FROM automation_attempts ORDER BY attempt"
        ).fetchall()
    assert [(a, o) for a, o, _ in attempts] == [(1, "failed"), (2, "failed")]
    assert "ValueError" in attempts[0][2]  # the traceback's last lines are kept
    assert automation_status(system.pool).failed == 1


def test_outputs_that_break_the_task_s_fields_are_refused_by_name(system, world):
    world(
        code="def run(inputs):\n    return {'asset_tag': 'x' * 100, 'colour': 'red'}\n", retries=0
    )
    task = settled(system, submit(system)).tasks[0]
    assert task.status is TaskStatus.ERROR
    assert "asset_tag" in task.reason and "colour" in task.reason


def test_a_sandbox_that_cannot_start_refuses_to_run_anything(system, world):
    world(sandbox=BubblewrapSandbox(bwrap_path="/nonexistent/bwrap"), retries=0)
    task = settled(system, submit(system)).tasks[0]
    assert task.status is TaskStatus.ERROR
    assert "after 1 attempt: Software tasks cannot run: bubblewrap" in task.reason


def test_a_runner_that_dies_mid_run_costs_a_rerun_not_a_second_completion(system, workers):
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definitions(TAG), by="dana")), 5)
    follower = ProjectionWorker(
        AutomationFollower(system.app.mapper), system.app.recorder, system.pool, system.database_url
    ).start()
    try:
        ticket_id = submit(system)
        dying = Runner(system.app, system.pool, system.sandbox)
        deadline = time.monotonic() + 20
        while (lease := dying._lease()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lease is not None  # leased, then the runner "dies": its lease runs out
        with system.pool.connection() as conn:
            conn.execute("UPDATE automation_runs SET lease_until = now() - interval '1 s'")
        assert Runner(system.app, system.pool, system.sandbox).run_one()
        assert system.app.get_ticket(ticket_id).tasks[0].status is TaskStatus.CLOSED
        # The dead runner comes back and finishes its stale attempt: nothing more happens.
        outcome = attempt(system.app, system.sandbox, lease)
        assert outcome.kind == "skipped"
        dying._record(lease, datetime.now(UTC), outcome)
        assert count(system, ticket_id, "TaskCompleted") == 1
    finally:
        follower.stop()
        follower.join(10)


def test_a_stopped_software_task_is_retried_on_reopen_or_done_by_hand(system, world):
    world(code="def run(inputs):\n    raise ValueError('no stock')\n", retries=0)
    dora = Actor(uuid.uuid4(), frozenset({"dispatcher"}), "dora")
    tess_id = system.app.handle(
        c.RegisterUser("tess", "a long passphrase", roles=("ticket_team",))
    ).aggregate_id
    tess = Actor(tess_id, frozenset({"ticket_team"}), "tess")
    ticket_id = submit(system)
    assert settled(system, ticket_id).tasks[0].status is TaskStatus.ERROR

    system.app.handle(c.ReopenTask(ticket_id=ticket_id, position=0, actor=dora))
    assert settled(system, ticket_id).tasks[0].status is TaskStatus.ERROR  # ran again
    assert count(system, ticket_id, "TaskFailed") == 2

    with pytest.raises(NotAllowed, match="Software does this task"):
        system.app.handle(c.ClaimTask(ticket_id=ticket_id, position=0, actor=tess))
    system.app.handle(
        c.AssignTask(ticket_id=ticket_id, position=0, actor=dora, assignee_id=tess_id)
    )
    system.app.handle(
        c.CompleteTask(
            ticket_id=ticket_id, position=0, actor=tess, outputs={"asset_tag": "TAG-BY-HAND"}
        )
    )
    done = system.app.get_ticket(ticket_id)
    assert done.data["asset_tag"] == "TAG-BY-HAND"
    assert done.current_task is done.tasks[1]
