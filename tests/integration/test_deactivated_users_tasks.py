"""A deactivated user's tasks go back, through the process that follows the log: exactly
once, whether it was running, stopped, or made to go over the same events again."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.samples import definition_set
from tf_events import commands as c
from tf_events.policy import Actor
from tf_events.tickets.workflow import TaskStatus
from tf_processes.deactivated_users import TasksOfDeactivatedUsers
from tf_processes.registry import start_processes
from tf_projections.waiting import wait_for


@pytest.fixture
def people(system, workers):
    def actor(name: str, *roles: str) -> Actor:
        written = system.app.handle(c.RegisterUser(name, "a long passphrase", roles=roles))
        return Actor(written.aggregate_id, frozenset(roles), name)

    return {
        "sam": actor("sam"),
        "tess": actor("tess", "ticket_team"),
        "ben": actor("ben", "ticket_team"),
    }


@pytest.fixture
def held(system, people):
    """Tess holds an open task and one with a problem reported; Ben holds one."""
    app = system.app
    app.handle(c.ImportDefinitionSet(definition_set(), by="dana"))

    def ticket(holder: Actor, *, fail: bool = False) -> uuid.UUID:
        sam = people["sam"]
        ticket_id = app.handle(
            c.SubmitTicket(
                submission_key=str(uuid.uuid4()),
                ticket_type_key="laptop-request",
                data={"summary": "Laptop"},
                submitter={"id": str(sam.id), "username": "sam"},
                user_roles=frozenset(),
            )
        ).ticket.id
        app.handle(c.ClaimTask(ticket_id=ticket_id, position=0, actor=holder))
        if fail:
            app.handle(
                c.FailTask(ticket_id=ticket_id, position=0, actor=holder, reason="No budget code")
            )
        return ticket_id

    return {
        "open": ticket(people["tess"]),
        "error": ticket(people["tess"], fail=True),
        "other": ticket(people["ben"]),
    }


@pytest.fixture
def run_process(system):
    running = []

    def start():
        running.extend(start_processes(system.app, system.pool, system.database_url))

    def stop():
        for worker in running:
            worker.stop()
        for worker in running:
            worker.join(timeout=10)
        running.clear()

    yield start, stop
    stop()


def deactivate(system, user: Actor) -> int:
    written = system.app.handle(c.DeactivateUser(user.id, changed_by="admin"))
    wait_for(system.pool, written, 10)
    return next(nid for nid, topic in written.positions if topic.endswith(".Deactivated"))


def wait_until_processed(system, position: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with system.pool.connection() as conn, conn.cursor() as cur:
            if (TasksOfDeactivatedUsers.position(cur) or 0) >= position:
                return
        assert time.monotonic() < deadline, "the process did not get there"
        time.sleep(0.05)


def task(system, ticket_id: uuid.UUID):
    return system.app.get_ticket(ticket_id).tasks[0]


def released(system, ticket_id: uuid.UUID) -> list:
    return [e for e in system.app.events.get(ticket_id) if type(e).__name__ == "TaskReleased"]


def test_open_tasks_go_back_to_the_queue_and_problems_stay_with_the_dispatchers(
    system, people, held, run_process
):
    start, _ = run_process
    start()
    wait_until_processed(system, deactivate(system, people["tess"]))

    back = task(system, held["open"])
    assert back.status is TaskStatus.OPEN and back.assignee is None
    assert back.reason == "tess was deactivated"
    [event] = released(system, held["open"])
    assert event.by["username"] == "TicketFlower"

    stopped = task(system, held["error"])
    assert stopped.status is TaskStatus.ERROR and stopped.assignee is None
    assert stopped.reason == "tess was deactivated. The problem reported: No budget code"

    assert task(system, held["other"]).assignee.username == "ben"  # not tess's: untouched


def test_a_deactivation_while_the_process_is_stopped_is_acted_on_when_it_starts(
    system, people, held, run_process
):
    start, _ = run_process
    position = deactivate(system, people["tess"])
    assert task(system, held["open"]).assignee.username == "tess"
    start()
    wait_until_processed(system, position)
    assert task(system, held["open"]).assignee is None


def test_going_over_the_same_deactivation_again_takes_nothing_back_twice(
    system, people, held, run_process
):
    start, stop = run_process
    start()
    position = deactivate(system, people["tess"])
    wait_until_processed(system, position)
    stop()
    # As if it had crashed after its commands but before recording its position.
    with system.pool.connection() as conn:
        conn.execute("UPDATE deactivated_users_tracking SET notification_id = %s", (position - 1,))
    start()
    wait_until_processed(system, position)
    assert len(released(system, held["open"])) == 1
    assert len(released(system, held["error"])) == 1


def test_someone_reactivated_before_the_process_ran_keeps_their_tasks(
    system, people, held, run_process
):
    start, _ = run_process
    position = deactivate(system, people["tess"])
    system.app.handle(c.ReactivateUser(people["tess"].id, changed_by="admin"))
    start()
    wait_until_processed(system, position)
    assert task(system, held["open"]).assignee.username == "tess"
